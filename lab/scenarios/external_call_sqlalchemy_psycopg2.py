"""Order enrichment job: stage orders, ask the geo API about them, write the answer back.

The HTTP call is made while the staging transaction is still open, so the
database session waits idle in transaction for as long as the API takes.
"""
import json
import logging
import os
import sys
import time
import urllib.request

from sqlalchemy import create_engine, text

logging.basicConfig(level=logging.INFO, format="[%(asctime)s] {%(filename)s:%(lineno)d} %(levelname)s - %(message)s")
log = logging.getLogger("enrich_orders")

url = "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)
engine = create_engine(url, connect_args={"application_name": "enrich_orders"})
API = os.environ["ENRICH_URL"]


def main():
    try:
        with engine.begin() as conn:
            ids = [r[0] for r in conn.execute(text(
                "SELECT order_id FROM staging.orders WHERE region = 'apac' ORDER BY order_id LIMIT 50 FOR UPDATE"))]
            log.info("locked %d orders for enrichment", len(ids))
            t0 = time.monotonic()
            log.info("calling enrichment API GET %s?ids=%d..%d", API, ids[0], ids[-1])
            with urllib.request.urlopen(f"{API}?ids={ids[0]}-{ids[-1]}", timeout=30) as resp:
                body = json.load(resp)
                log.info("GET %s -> %d in %.1fs (%d enriched)", API, resp.status, time.monotonic() - t0, body["enriched"])
            conn.execute(text("UPDATE staging.orders SET region = 'apac-se' WHERE order_id = ANY(:ids)"), {"ids": ids})
        log.info("enrichment committed")
        return 0
    except Exception:
        log.exception("enrichment run failed")
        return 1


if __name__ == "__main__":
    sys.exit(main())
