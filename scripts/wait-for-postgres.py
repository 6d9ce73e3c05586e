"""Exit 0 if the PostgreSQL server named by the URL answers within a few seconds, else 1."""

import sys
import time

import psycopg

url = sys.argv[1]
for _attempt in range(5):
    try:
        psycopg.connect(url, connect_timeout=2).close()
        sys.exit(0)
    except psycopg.OperationalError as error:
        last_error = error
        time.sleep(1)
print(f"PostgreSQL not reachable: {last_error}", file=sys.stderr)
sys.exit(1)
