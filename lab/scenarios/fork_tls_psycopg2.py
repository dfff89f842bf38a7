"""Parallel exporter that forks workers after opening its database connection.

The connection (TLS, sslmode=require) is created at start-up and then
inherited by os.fork(): parent and children write to and read from the same
TLS session at once, which corrupts it.
"""
import logging
import os
import signal
import sys
import time

import psycopg2

logging.basicConfig(level=logging.INFO,
                    format="%(asctime)s %(levelname)s pid=%(process)d %(name)s: %(message)s")
log = logging.getLogger("parallel_export")

dsn = ("host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD} "
       "sslmode=require application_name=parallel_export").format(**os.environ)
conn = psycopg2.connect(dsn)  # module-level connection, opened before the workers exist
conn.autocommit = True


def export(part):
    cur = conn.cursor()
    for i in range(40):
        cur.execute("SELECT order_id, amount, region FROM staging.orders WHERE order_id %% 3 = %s LIMIT 200", (part,))
        cur.fetchall()
    log.info("partition %d exported", part)


def main():
    log.info("connected (ssl in use: %s), forking 2 workers", conn.info.ssl_in_use)
    children = []
    for part in (1, 2):
        pid = os.fork()
        if pid == 0:
            signal.alarm(8)  # a stuck worker is killed by the supervisor's deadline
            try:
                export(part)
                os._exit(0)
            except Exception:
                log.exception("worker for partition %d failed", part)
                os._exit(1)
        children.append(pid)
    failed = False
    try:
        export(0)
    except Exception:
        log.exception("partition 0 failed in parent")
        failed = True
    for pid in children:
        _, status = os.waitpid(pid, 0)
        if status:
            log.error("worker %d exited with status %d", pid, status)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    signal.alarm(15)
    sys.exit(main())
