"""Reporting API worker: psycopg_pool keeps connections up to an hour.

max_idle / max_lifetime are far longer than the server's idle_session_timeout,
and psycopg_pool 3.1 does not test a connection when handing it out.
"""
import logging
import os
import sys
import time

from psycopg_pool import ConnectionPool

logging.basicConfig(level=logging.INFO, format="%(asctime)s.%(msecs)03d %(levelname)s %(name)s %(message)s",
                    datefmt="%Y-%m-%d %H:%M:%S")
log = logging.getLogger("report_worker")

POOL_ARGS = dict(min_size=1, max_size=2, max_idle=3600, max_lifetime=3600)
conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)


def main():
    log.info("pool settings: %s", POOL_ARGS)
    with ConnectionPool(conninfo, kwargs={"application_name": "report_worker"}, **POOL_ARGS) as pool:
        pool.wait()
        for request in (1, 2):
            try:
                with pool.connection() as conn:
                    total = conn.execute("SELECT sum(amount) FROM staging.orders WHERE region = 'apac'").fetchone()[0]
                log.info("request %d: apac revenue %s", request, total)
            except Exception:
                log.exception("request %d failed", request)
                return 1
            time.sleep(4.5)  # no traffic for a while
    return 0


if __name__ == "__main__":
    sys.exit(main())
