import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from guongsang.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The same database backend as production: tasks are queued as rows and a test runs them
# explicitly with tests.jobs.helpers.run_queued_tasks (the worker's own code path).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
