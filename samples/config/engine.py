# Hand-written application code: how a pipeline builds its SQLAlchemy engine.
import logging
from sqlalchemy import create_engine

engine = create_engine(
    "postgresql+psycopg2://etl:s3cret@db.internal:5432/warehouse?keepalives_idle=30",
    pool_recycle=3600,
    pool_pre_ping=False,
    pool_size=5,
    max_overflow=10,
    connect_args={"keepalives": 1, "keepalives_interval": 10, "keepalives_count": 3, "connect_timeout": 10},
)
log = logging.getLogger("etl")
