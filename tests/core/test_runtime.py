"""The WSGI module settles the process once the app is loaded (core.runtime.settle)."""

import os
import subprocess
import sys


def test_wsgi_freezes_what_the_app_holds_after_start_up():
    code = (
        "import gc, guongsang.wsgi\n"
        "from django.urls import get_resolver\n"
        "assert 'url_patterns' in get_resolver().__dict__\n"
        "print(gc.get_freeze_count())\n"
    )
    env = {**os.environ, "SECRET_KEY": "test-only", "DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    # Django, the app's modules and URL patterns: tens of thousands of objects.
    assert int(out.stdout.strip()) > 10_000, out.stdout
