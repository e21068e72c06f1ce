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

# The two database passes run side by side (each mostly waits on its own database engine);
# the SQLite pass's output is shown once the PostgreSQL pass is done.
SQLITE_LOG=$(mktemp)
env -u DATABASE_URL $BIN/pytest -m "not browser" -p no:cacheprovider >"$SQLITE_LOG" 2>&1 &
SQLITE_PID=$!

banner "suite on PostgreSQL ($PG_URL)"
PG_STATUS=0
if $BIN/python scripts/pg_reachable.py "$PG_URL"; then
  DATABASE_URL="$PG_URL" $BIN/pytest -m "not browser" -p no:cacheprovider || PG_STATUS=$?
else
  loud "PostgreSQL is not reachable at $PG_URL: the PostgreSQL pass was SKIPPED"
fi

banner "suite on SQLite"
SQLITE_STATUS=0
wait $SQLITE_PID || SQLITE_STATUS=$?
cat "$SQLITE_LOG"
rm -f "$SQLITE_LOG"
if [ "$SQLITE_STATUS" -ne 0 ] || [ "$PG_STATUS" -ne 0 ]; then
  loud "the suite FAILED (SQLite: exit $SQLITE_STATUS, PostgreSQL: exit $PG_STATUS)"
  exit 1
fi

banner "browser tests (Playwright + Chromium)"
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  GS_TEST_DB_FILE=1 env -u DATABASE_URL $BIN/pytest -m browser -p no:cacheprovider
else
  loud "Chromium is not installed (sudo apt install chromium): browser tests were SKIPPED"
fi
