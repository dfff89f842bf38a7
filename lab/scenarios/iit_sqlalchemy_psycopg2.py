"""Nightly orders rollup: stage a batch, compute aggregates in Python, write them back.

The aggregation happens while the transaction that staged the rows is still
open, so the session sits "idle in transaction" on the server meanwhile.
"""
import logging
import os
import sys
import time

from sqlalchemy import create_engine, text

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("orders_rollup")

url = "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)
engine = create_engine(url, pool_size=2, connect_args={"application_name": "orders_rollup"})


def main():
    log.info("starting rollup for region=emea")
    try:
        with engine.begin() as conn:
            n = conn.execute(text(
                "INSERT INTO staging.orders (order_id, customer_id, amount, region) "
                "SELECT 100000 + g, 42, g * 1.5, 'emea' FROM generate_series(1, 200) g")).rowcount
            log.info("staged %d rows", n)
            rows = conn.execute(text(
                "SELECT loaded_at::date AS day, count(*), sum(amount) FROM staging.orders "
                "WHERE region = 'emea' GROUP BY 1")).fetchall()
            log.info("fetched %d day buckets, computing aggregates", len(rows))
            time.sleep(3.5)  # stands in for pandas work on the fetched rows
            log.info("aggregates ready, writing orders_daily")
            for day, n_orders, revenue in rows:
                conn.execute(text(
                    "INSERT INTO orders_daily (day, n_orders, revenue) VALUES (:d, :n, :r) "
                    "ON CONFLICT (day) DO UPDATE SET n_orders = EXCLUDED.n_orders, revenue = EXCLUDED.revenue"),
                    {"d": day, "n": n_orders, "r": revenue})
        log.info("rollup committed")
        return 0
    except Exception:
        log.exception("rollup failed for region=emea")
        return 1


if __name__ == "__main__":
    sys.exit(main())
