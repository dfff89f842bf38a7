"""Queue watcher (psycopg 3): one plain connection, opened at start, polled forever.

No pool, no reconnect logic: the server's idle_session_timeout ends the
session between two polls.
"""
import logging
import os
import sys
import time

import psycopg

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("queue_watcher")


def main():
    conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
    conn = psycopg.connect(conninfo, autocommit=True, application_name="queue_watcher")
    log.info("connected, polling every 4.5s")
    try:
        for poll in range(1, 4):
            status = conn.execute("SELECT status FROM etl_jobs WHERE job_name = 'customers'").fetchone()[0]
            log.info("poll %d: customers job is %s", poll, status)
            time.sleep(4.5)
    except psycopg.OperationalError:
        log.exception("poll failed, watcher stopping")
        return 1
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
