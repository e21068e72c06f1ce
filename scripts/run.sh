#!/bin/sh
# Called by `make run`: prepare the database and static files, load the demo once, serve.
set -e
BIN=.venv/bin
export SECRET_KEY
echo "Đang chuẩn bị cơ sở dữ liệu và tệp tĩnh…"
$BIN/guongsang migrate --noinput -v0
$BIN/guongsang collectstatic --noinput -v0
$BIN/guongsang load_demo
$BIN/python scripts/check_optional.py || true
echo "Gương Sáng: http://127.0.0.1:${PORT:-8000}/  (Ctrl+C để dừng)"
exec $BIN/gunicorn guongsang.wsgi:application \
  --bind "127.0.0.1:${PORT:-8000}" --workers "${WEB_WORKERS:-2}" \
  --access-logfile - --error-logfile - --log-level warning
