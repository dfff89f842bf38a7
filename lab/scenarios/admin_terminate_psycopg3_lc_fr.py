"""Stock valuation (psycopg 3) against a server whose lc_messages is French.

While the valuation query runs a DBA terminates its backend; the server's
FATAL reaches the client in French too, since the server translates it.
"""
import logging
import os
import subprocess
import sys

import psycopg

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s %(message)s")
log = logging.getLogger("valorisation")


def main():
    conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
    dba = subprocess.Popen([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "--after", "1.5", "terminate", "valorisation"])
    try:
        with psycopg.connect(conninfo, application_name="valorisation") as conn:
            log.info("valorisation du stock: requete lancee")
            rows = conn.execute("SELECT region, sum(amount) FROM staging.orders, pg_sleep(5) GROUP BY region").fetchall()
            log.info("valorisation terminee: %d regions", len(rows))
        return 0
    except psycopg.OperationalError:
        log.exception("valorisation echouee")
        return 1
    finally:
        dba.wait()


if __name__ == "__main__":
    sys.exit(main())
