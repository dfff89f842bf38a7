"""Address normaliser: fetch a page of customers, call the geocoder, save results.

The geocoder is called between two statements of the same transaction.
"""
import logging
import os
import sys
import time
import urllib.request

import psycopg

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s",
                    datefmt="%Y-%m-%dT%H:%M:%S%z")
log = logging.getLogger("geo_normalise")
API = os.environ["ENRICH_URL"]


def main():
    conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
    conn = psycopg.connect(conninfo, application_name="geo_normalise")
    try:
        cur = conn.execute("SELECT DISTINCT customer_id FROM staging.orders WHERE region = 'emea' LIMIT 20")
        customers = [r[0] for r in cur]
        log.info("page 1: %d customers to geocode", len(customers))
        t0 = time.monotonic()
        log.info("GET %s (batch of %d)", API, len(customers))
        with urllib.request.urlopen(API, timeout=30) as resp:
            resp.read()
        log.info("geocoder answered %d after %.2fs", resp.status, time.monotonic() - t0)
        conn.execute("UPDATE staging.orders SET region = 'emea-w' WHERE customer_id = ANY(%s)", [customers])
        conn.commit()
        log.info("page 1 saved")
        return 0
    except psycopg.Error:
        log.exception("geocoding page 1 failed")
        return 1
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
