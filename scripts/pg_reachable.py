import sys

import psycopg

try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL: {exc}", file=sys.stderr)
    sys.exit(1)
