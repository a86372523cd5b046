"""What a new PostgreSQL connection per request costs: CONN_MAX_AGE 0 against a kept connection.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench .venv/bin/python bench/connections.py

Times, in-process through Django's test client, a signed-in page of five small queries (the
reports index) `--requests` times with each setting, and prints the medians and the connecting
time alone (connect + the first query, against a query on an open connection).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_ms(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--ages", type=int, nargs="+", default=[0, 60, 0, 60], help="CONN_MAX_AGE values, in turn")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database holding the national dataset.")
    sys.path.insert(0, str(ROOT))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "ita_portal.settings", "DEBUG": "false", "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false", "LANGUAGE_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    })
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    user = get_user_model().objects.filter(username__startswith="load_", membership__isnull=False).first()
    if user is None:
        sys.exit("No national dataset here: run bench/national_dataset.py first.")
    client = Client()
    client.force_login(user)

    def page():
        assert client.get("/reports/").status_code == 200

    def reconnect():
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    def reuse():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    print(f"load average {os.getloadavg()[0]:.2f}; medians of {options.requests}")
    for age in options.ages:
        connection.settings_dict["CONN_MAX_AGE"] = age
        connection.close()
        for _ in range(5):
            page()
        print(f"reports index, CONN_MAX_AGE {age:>2}: {median_ms(page, options.requests):6.2f} ms")
    print(f"connect + SELECT 1: {median_ms(reconnect, options.requests):6.2f} ms; "
          f"SELECT 1 on an open connection: {median_ms(reuse, options.requests):6.2f} ms")


if __name__ == "__main__":
    main()
