"""Catalogue importer (SQLAlchemy + psycopg2, structlog JSON lines) behind
PgBouncer, whose idle_transaction_timeout (2 s) ends client sessions that sit
idle inside a transaction. The job opens a transaction, stages a batch, then
waits 3.5 s for the image service before finishing the batch.

The database itself has no idle timeout here: the pooler is the one that
closes the connection.
"""
import logging
import os
import sys
import time

import structlog
from sqlalchemy import create_engine, text

structlog.configure(
    processors=[
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        structlog.processors.JSONRenderer(),
    ],
    logger_factory=structlog.PrintLoggerFactory(sys.stdout),
    wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
)
log = structlog.get_logger("catalogue.import").bind(job="catalogue_import")

engine = create_engine(
    "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}?application_name=catalogue_import".format(**os.environ),
    pool_size=1, pool_pre_ping=False,
)


def main():
    log.info("engine ready", pool_size=1, pool_pre_ping=False)
    for batch in (1, 2):
        try:
            with engine.begin() as conn:
                conn.execute(text("UPDATE etl_jobs SET status = 'importing' WHERE job_name = 'customers'"))
                log.info("batch staged", batch=batch)
                time.sleep(3.5)  # waiting for image thumbnails to be rendered elsewhere
                conn.execute(text("UPDATE etl_jobs SET status = 'imported', last_run = now() WHERE job_name = 'customers'"))
            log.info("batch imported", batch=batch)
        except Exception:
            log.exception("batch failed", batch=batch)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
