"""Warehouse loader (psycopg 3) through PgBouncer in session mode. While its
long aggregate runs, a DBA terminates the server backend behind the pooler
with pg_terminate_backend(); PgBouncer sees its server connection die and
tells the client.
"""
import logging
import os
import subprocess
import sys

import psycopg

logging.basicConfig(level=logging.INFO, format="%(asctime)s.%(msecs)03d %(levelname)s %(name)s %(message)s",
                    datefmt="%Y-%m-%dT%H:%M:%S")
log = logging.getLogger("wh_loader")
conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD} application_name=wh_loader".format(**os.environ)


def main():
    with psycopg.connect(conninfo, autocommit=True) as conn:
        log.info("connected through the pooler")
        # the DBA's pg_terminate_backend() lands while the aggregate runs (lab fault, silent)
        subprocess.Popen([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "--after", "0.8", "terminate", "wh_loader"])
        try:
            row = conn.execute("SELECT region, sum(amount) FROM staging.orders, pg_sleep(2) GROUP BY region").fetchall()
            log.info("aggregate done: %d regions", len(row))
        except psycopg.Error:
            log.exception("aggregate failed")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
