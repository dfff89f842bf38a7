"""Price updater behind PgBouncer (transaction pooling), psycopg2.

It PREPAREs its UPDATE once per connection and EXECUTEs it per row, a
classic optimisation that assumes one server session per client connection.
"""
import logging
import os
import sys

import psycopg2

logging.basicConfig(level=logging.INFO, format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")
log = logging.getLogger("price_updater")

dsn = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)


def main():
    conn = psycopg2.connect(dsn, application_name="price_updater")
    audit = psycopg2.connect(dsn, application_name="price_audit")
    try:
        with conn, conn.cursor() as cur:
            cur.execute("PREPARE bump_price (integer, numeric) AS "
                        "UPDATE staging.orders SET amount = amount + $2 WHERE order_id = $1")
        log.info("statement bump_price prepared")
        with audit.cursor() as acur:  # audit trail transaction stays open during the run
            acur.execute("SELECT count(*) FROM staging.orders WHERE region = 'emea'")
            log.info("audit snapshot taken: %d emea orders", acur.fetchone()[0])
        for oid in (10, 11, 12):
            with conn, conn.cursor() as cur:
                cur.execute("EXECUTE bump_price (%s, %s)", (oid, 0.5))
            log.info("order %d repriced", oid)
        audit.commit()
        return 0
    except psycopg2.Error as exc:
        log.error("repricing failed: pgcode=%s", exc.pgcode)
        log.exception("repricing aborted")
        return 1
    finally:
        conn.close()
        audit.close()


if __name__ == "__main__":
    sys.exit(main())
