"""Reporting site (Django 3.2, psycopg2) with persistent connections.

CONN_MAX_AGE=600 keeps each thread's connection open across requests for ten
minutes; the server's idle_session_timeout is 3 s. Django 3.2 has no
CONN_HEALTH_CHECKS, so the first request after a quiet spell uses the dead
connection. Requests are driven through Django's own test client, so the
request signals (and with them the connection handling) run as in a server.
The logging configuration is the "verbose" formatter of Django's docs.
"""
import os
import sys
import time

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="lab-only-not-a-secret",
    ALLOWED_HOSTS=["testserver"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ["DB_HOST"], "PORT": os.environ["DB_PORT"], "NAME": os.environ["DB_NAME"],
            "USER": os.environ["DB_USER"], "PASSWORD": os.environ["DB_PASSWORD"],
            "CONN_MAX_AGE": 600,
            "OPTIONS": {"application_name": "reports_site"},
        }
    },
    LOGGING={
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"verbose": {"format": "{levelname} {asctime} {module} {process:d} {thread:d} {message}", "style": "{"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "verbose", "stream": "ext://sys.stdout"}},
        "root": {"handlers": ["console"], "level": "INFO"},
    },
)
django.setup()

import logging  # noqa: E402

from django.db import connection  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402

log = logging.getLogger("reports")


def daily(request):
    with connection.cursor() as cur:
        cur.execute("SELECT region, count(*), sum(amount) FROM staging.orders GROUP BY region ORDER BY region")
        rows = cur.fetchall()
    return JsonResponse({"regions": [r[0] for r in rows]})


urlpatterns = [path("reports/daily", daily)]


def main():
    client = Client(raise_request_exception=False)
    log.info("CONN_MAX_AGE=%s", settings.DATABASES["default"]["CONN_MAX_AGE"])
    status = 0
    for n in (1, 2):
        resp = client.get("/reports/daily")
        log.info("request %d: GET /reports/daily -> %d", n, resp.status_code)
        if resp.status_code != 200:
            status = 1
            break
        time.sleep(4.5)  # quiet period between page views
    return status


if __name__ == "__main__":
    sys.exit(main())
