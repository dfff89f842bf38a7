"""Monthly revenue report (psycopg 3): one long aggregate query.

A DBA terminates the query's backend with pg_terminate_backend() while it runs.
"""
import logging
import os
import subprocess
import sys

import psycopg

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("revenue_report")


def main():
    conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
    # the DBA's intervention, 1.5 s into the query (lab fault, runs in the background)
    dba = subprocess.Popen([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "--after", "1.5", "terminate", "revenue_report"])
    try:
        with psycopg.connect(conninfo, application_name="revenue_report") as conn:
            log.info("running monthly revenue aggregate")
            rows = conn.execute("SELECT region, sum(amount) FROM staging.orders, pg_sleep(5) GROUP BY region").fetchall()
            log.info("report ready: %d regions", len(rows))
        return 0
    except psycopg.OperationalError:
        log.exception("revenue report failed")
        return 1
    finally:
        dba.wait()


if __name__ == "__main__":
    sys.exit(main())
