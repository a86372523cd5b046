"""Load benchmark: N users for S seconds against gunicorn with the national dataset.

    .venv/bin/pip install -r bench/requirements.txt
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_national \
        .venv/bin/python bench/national_dataset.py      # once: 8,000 organisations
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_national .venv/bin/python bench/load.py

Prepares sign-ins (the first organisations' generated users become their admins, plus one area
office), starts gunicorn with production settings on 127.0.0.1, runs locust headless twice (the
floor: /healthz/, which touches no database; then the mix of dashboard, plan page, exports and
oversight view) and prints requests per second, p50 and p95 latency and errors per page.
Traffic goes only to 127.0.0.1, and every run stops by itself after --seconds.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8765


def prepare(accounts):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from accounts.models import Membership
    from assessments.models import Assessment
    from dataset import LOAD_PASSWORD, NAME_PREFIX  # bench/dataset.py, beside this script
    from oversight.models import OversightMembership

    memberships = list(
        Membership.objects.filter(organisation__name__startswith=NAME_PREFIX)
        .select_related("user", "organisation").order_by("organisation__name")[:accounts]
    )
    if not memberships:
        sys.exit("No generated organisations: run `bench/national_dataset.py` on this database first.")
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(role=Membership.Role.ADMIN)
    admins = []
    for membership in memberships:
        latest = (
            Assessment.objects.filter(organisation=membership.organisation, scores__isnull=False)
            .order_by("-fiscal_year_id").distinct().first()
        )
        admins.append({
            "username": membership.user.username, "assessment": latest.pk,
            "plan_year": latest.fiscal_year_id + 1,
        })
    office, _ = get_user_model().objects.update_or_create(
        username="load_area_office", defaults={"password": make_password(LOAD_PASSWORD)}
    )
    OversightMembership.objects.update_or_create(
        user=office, defaults={"province": memberships[0].organisation.province, "district": ""}
    )
    return {"admins": admins, "oversight": office.username, "password": LOAD_PASSWORD}


def start_gunicorn(workers):
    env = {
        **os.environ, "DEBUG": "false", "SECRET_KEY": "load-benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false", "LOG_LEVEL": "WARNING",
    }
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "ita_portal.wsgi",
         "--bind", f"127.0.0.1:{PORT}", "--workers", str(workers), "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer on /healthz/ within 30 s")


def run_locust(mode, plan_file, users, seconds, out_dir):
    prefix = Path(out_dir) / mode
    env = {**os.environ, "LOAD_MODE": mode, "LOAD_PLAN": str(plan_file)}
    subprocess.run(
        [str(Path(PYTHON).parent / "locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless",
         "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s",
         "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary",
         "--stop-timeout", "5", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def print_table(title, rows):
    print(f"\n{title}")
    print(f"{'page':<22}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for row in rows:
        print(
            f"{row['Name']:<22}{row['Request Count']:>10}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>9.1f}{row['50%']:>9}{row['95%']:>9}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database holding the national dataset.")
    plan = prepare(args.users)
    with tempfile.TemporaryDirectory() as out_dir:
        plan_file = Path(out_dir) / "plan.json"
        plan_file.write_text(json.dumps(plan), encoding="utf-8")
        server = start_gunicorn(args.workers)
        try:
            print(f"{args.users} users, {args.seconds} s, gunicorn {args.workers} workers, "
                  f"{os.cpu_count()} cores; dataset: DATABASE_URL")
            print_table("Floor (/healthz/, no database)", run_locust("floor", plan_file, args.users, args.seconds, out_dir))
            print_table("Pages (signed-in admins of 50 organisations + one area office)",
                        run_locust("mix", plan_file, args.users, args.seconds, out_dir))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
