"""Nightly export (psycopg2) through PgBouncer, run under docker compose.

The password in the job's environment is outdated, so PgBouncer refuses the
login. The lab stores the client log as ``docker compose logs`` prints it:
``<service>-1  | `` before every line.
"""
import logging
import os
import sys

import psycopg2

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("nightly_export")


def main():
    dsn = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
    log.info("connecting to warehouse through pgbouncer")
    try:
        conn = psycopg2.connect(dsn, application_name="nightly_export")
    except psycopg2.OperationalError:
        log.exception("could not connect")
        return 1
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
