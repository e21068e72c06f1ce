#!/bin/sh
# Called by `make test`: lint, migrations check, the suite on SQLite and on PostgreSQL, browser tests.
set -e
BIN=.venv/bin
export SECRET_KEY="${SECRET_KEY:-tests-only-secret-key}"
PG_URL="${TEST_DATABASE_URL:-postgres://root@127.0.0.1:5432/test}"
banner() { printf '\n==== %s ====\n' "$1"; }
loud() { printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! %s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' "$1"; }

banner "ruff"
$BIN/ruff check .
$BIN/ruff format --check .

banner "migrations are current"
DEBUG=1 DATABASE_URL="sqlite:///:memory:" $BIN/guongsang makemigrations --check --dry-run

banner "translations compiled"
$BIN/python scripts/check_messages.py

banner "suite on SQLite"
env -u DATABASE_URL $BIN/pytest -m "not browser" -p no:cacheprovider

banner "suite on PostgreSQL ($PG_URL)"
if $BIN/python scripts/pg_reachable.py "$PG_URL"; then
  DATABASE_URL="$PG_URL" $BIN/pytest -m "not browser" -p no:cacheprovider
else
  loud "PostgreSQL is not reachable at $PG_URL: the PostgreSQL pass was SKIPPED"
fi

banner "browser tests (Playwright + Chromium)"
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  env -u DATABASE_URL $BIN/pytest -m browser -p no:cacheprovider
else
  loud "Chromium is not installed (sudo apt install chromium): browser tests were SKIPPED"
fi
