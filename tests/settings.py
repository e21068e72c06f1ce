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

# The browser tests' live server answers in threads. On SQLite they use a database file (WAL,
# with the busy timeout above): an in-memory test database is shared between threads in SQLite's
# shared-cache mode, where a read that meets another thread's write fails at once with "database
# table is locked" (a unit chooser's request during an account form's save did, now and then).
if os.environ.get("GS_TEST_DB_FILE") and DATABASES["default"]["ENGINE"].endswith(  # noqa: F405
    "sqlite3"
):
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"guongsang-browser-{os.getpid()}.sqlite3")
    }
