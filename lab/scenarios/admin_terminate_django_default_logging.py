"""Order-admin site (Django 3.2, psycopg2) with Django's default LOGGING.

No LOGGING setting is given and DEBUG is on, so Django's own console handler
prints the django.request error as bare text (no time, level or logger) on
stderr. CONN_MAX_AGE=60 keeps the connection between requests; between two
requests a DBA terminates its backend with pg_terminate_backend().
"""
import os
import subprocess
import sys

import django
from django.conf import settings

settings.configure(
    DEBUG=True,
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
            "CONN_MAX_AGE": 60,
            "OPTIONS": {"application_name": "orders_admin"},
        }
    },
)
django.setup()

from django.db import connection  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402


def open_orders(request):
    with connection.cursor() as cur:
        cur.execute("SELECT order_id, amount FROM staging.orders WHERE region = 'emea' ORDER BY order_id LIMIT 20")
        rows = cur.fetchall()
    return JsonResponse({"orders": [r[0] for r in rows]})


urlpatterns = [path("admin/orders/open", open_orders)]


def main():
    client = Client(raise_request_exception=False)
    status = 0
    for n in (1, 2):
        resp = client.get("/admin/orders/open")
        print(f"request {n}: GET /admin/orders/open {resp.status_code}", flush=True)
        if resp.status_code != 200:
            status = 1
            break
        # the DBA's intervention between two page views (lab fault, silent)
        subprocess.run([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "terminate", "orders_admin"])
    return status


if __name__ == "__main__":
    sys.exit(main())
