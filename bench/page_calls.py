"""Where a page's work goes, counted in Python function calls: a figure that stays the same
however busy the machine is, where times on a shared machine move by a quarter from run to run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench .venv/bin/python bench/page_calls.py

For each page of bench/floor.py's part d (on the national dataset, production settings, warm),
prints the calls of one request, split by what made them: the template, the charts, the SQL
(compiling and running queries), building model objects, and the rest (middleware, the view's
own code). Calls are not time (a call into C costs less than a Python one), but a change that
halves a page's calls makes it faster, and the counts show which part to look at first.
Run floor.py for the times themselves. `--pages dashboard,plan` measures some pages only.
"""

import argparse
import collections
import sys

from floor import OFFICE, PLATFORM, PRODUCTION, setup_django

REQUESTS = 5


class Buckets:
    """Counts every call into the innermost of the wrapped functions running."""

    def __init__(self):
        self.counts = collections.Counter()
        self.stack = ["other"]

    def wrap(self, owner, name, label):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            self.stack.append(label)
            try:
                return original(*args, **kwargs)
            finally:
                self.stack.pop()

        setattr(owner, name, wrapper)

    def profile(self, frame, event, arg):
        if event in ("call", "c_call"):
            self.counts[self.stack[-1]] += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    options = parser.parse_args()
    import os

    os.environ.update(PRODUCTION)
    setup_django()
    import django.template.backends.django as template_backend
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import query
    from django.db.models.sql import compiler
    from django.test import Client

    import dashboard.charts
    import oversight.views
    from accounts.models import Membership
    from assessments.models import Assessment
    from dataset import NAME_PREFIX

    call_command("collectstatic", "--noinput", verbosity=0)  # production static storage wants its manifest
    membership = (
        Membership.objects.filter(organisation__name__startswith=NAME_PREFIX)
        .select_related("user").order_by("organisation__name").first()
    )
    if membership is None:
        sys.exit("No national dataset here: run `bench/national_dataset.py` on DATABASE_URL first.")
    latest = Assessment.objects.filter(organisation=membership.organisation_id).order_by("-fiscal_year_id").first()
    users = get_user_model().objects
    clients = {"staff": membership.user, "area": users.filter(username=OFFICE).first(),
               "nation": users.filter(username=PLATFORM).first()}
    if None in clients.values():
        sys.exit("Run bench/floor.py --only d once first: it makes the area office and platform users.")
    pages = [
        ("reports index", "staff", "/reports/"),
        ("dashboard", "staff", f"/dashboard/{latest.pk}/"),
        ("plan", "staff", f"/plan/{latest.fiscal_year_id + 1}/"),
        ("province", "area", "/oversight/"),
        ("nation", "nation", "/oversight/"),
    ]
    wanted = {p for p in options.pages.split(",") if p}

    buckets = Buckets()
    buckets.wrap(template_backend.Template, "render", "template")
    buckets.wrap(query.QuerySet, "_fetch_all", "objects")
    buckets.wrap(compiler.SQLCompiler, "execute_sql", "sql")
    buckets.wrap(dashboard.charts, "for_screens", "charts")
    for name in ("spread_chart", "levels_chart", "below_chart"):
        buckets.wrap(oversight.views, name, "charts")

    print(f"function calls per request (mean of {REQUESTS} warm requests)")
    for name, who, url in pages:
        if wanted and name not in wanted and name != "reports index":
            continue
        client = Client()
        client.force_login(clients[who])
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        buckets.counts.clear()
        sys.setprofile(buckets.profile)
        for _ in range(REQUESTS):
            client.get(url)
        sys.setprofile(None)
        total = sum(buckets.counts.values())
        parts = "  ".join(f"{part} {count // REQUESTS}" for part, count in buckets.counts.most_common())
        print(f"  {name:14} {total // REQUESTS:7}  ({parts})")


if __name__ == "__main__":
    main()
