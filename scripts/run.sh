#!/bin/sh
# Called by `make run`: prepare the database and static files, load the demo once, serve the
# web pages (gunicorn) and run the background worker (e-mails, reminders, imports, exports)
# beside it. Ctrl+C stops both; so does the end of either.
set -e
BIN=.venv/bin
export SECRET_KEY
echo "Đang cập nhật cơ sở dữ liệu…"
$BIN/guongsang migrate --noinput -v0
echo "Đang chuẩn bị tệp tĩnh (CSS, JavaScript)…"
$BIN/guongsang collectstatic --noinput -v0
$BIN/guongsang load_demo
$BIN/python scripts/check_optional.py || true
echo "Đang khởi động máy chủ web và tác vụ nền…"
echo "Gương Sáng: http://127.0.0.1:${PORT:-8000}/  (Ctrl+C để dừng)"
$BIN/guongsang db_worker --queue-name '*' --no-reload &
WORKER=$!
$BIN/gunicorn guongsang.wsgi:application \
  --bind "127.0.0.1:${PORT:-8000}" --workers "${WEB_WORKERS:-2}" \
  --access-logfile - --error-logfile - --log-level warning &
WEB=$!

alive() { kill -0 "$1" 2>/dev/null; }

stop() {
  trap - INT TERM
  if [ "$1" = INT ]; then
    # Ctrl+C reached both already (same process group): let the worker finish its task.
    n=0
    while { alive $WEB || alive $WORKER; } && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  fi
  for pid in $WEB $WORKER; do
    alive $pid && kill -TERM $pid 2>/dev/null || true
  done
  wait
}

trap 'stop INT; exit 130' INT
trap 'stop TERM; exit 143' TERM
while alive $WEB && alive $WORKER; do sleep 1; done
stop END
