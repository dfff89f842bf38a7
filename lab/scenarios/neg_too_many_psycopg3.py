"""Fan-out loader: one connection per worker, more workers than the server allows."""
import logging
import os
import sys

import psycopg

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("fanout_loader")


def main():
    conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
    conns = []
    try:
        for worker in range(1, 6):
            conns.append(psycopg.connect(conninfo, application_name=f"fanout_loader_{worker}"))
            log.info("worker %d connected", worker)
        return 0
    except psycopg.OperationalError:
        log.exception("worker %d could not connect", len(conns) + 1)
        return 1
    finally:
        for c in conns:
            c.close()


if __name__ == "__main__":
    sys.exit(main())
