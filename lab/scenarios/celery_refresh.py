"""Celery task module of restart_celery_prefork.py: a module-level
SQLAlchemy engine, as many Celery projects have it."""
import os
from pathlib import Path

from celery import Celery
from celery.utils.log import get_task_logger
from sqlalchemy import create_engine, text

WORK = Path(os.environ["CELERY_LAB_DIR"])
app = Celery("celery_refresh")
app.conf.update(
    broker_url="filesystem://",
    broker_transport_options={"data_folder_in": str(WORK / "broker"), "data_folder_out": str(WORK / "broker"),
                              "polling_interval": 0.2},
    result_backend=f"file://{WORK / 'results'}",
    task_serializer="json", result_serializer="json", accept_content=["json"],
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=True,
)

engine = create_engine(
    "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}?application_name=nightly_refresh".format(**os.environ),
    pool_size=2, pool_pre_ping=False,
)
log = get_task_logger(__name__)


@app.task(name="refresh.region")
def refresh_region(batch, region):
    with engine.begin() as conn:
        n = conn.execute(text("SELECT count(*) FROM staging.orders, pg_sleep(0.3) WHERE region = :r"), {"r": region}).scalar()
        conn.execute(text("UPDATE etl_jobs SET last_run = now() WHERE job_name = 'orders_daily'"))
    log.info("batch %s region %s: %s orders refreshed", batch, region, n)
    return "ok"
