"""Locust users for bench/load.py. LOAD_MODE=floor hits only /healthz/; LOAD_MODE=mix signs in
as the prepared organisation admins and one area office and reads the real pages."""

import itertools
import json
import os

from locust import HttpUser, between, task

PLAN = json.load(open(os.environ["LOAD_PLAN"], encoding="utf-8"))
ACCOUNTS = itertools.cycle(PLAN["admins"])


def sign_in(client, username, password):
    client.get("/accounts/login/", name="sign-in form")
    token = client.cookies.get("csrftoken")
    client.post(
        "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": client.base_url + "/accounts/login/"},
        name="sign-in",
    )


if os.environ.get("LOAD_MODE") == "floor":

    class FloorUser(HttpUser):
        wait_time = between(0.05, 0.15)

        @task
        def healthz(self):
            self.client.get("/healthz/", name="healthz (floor)")

else:

    class OrganisationAdmin(HttpUser):
        weight = 9
        wait_time = between(0.05, 0.15)

        def on_start(self):
            self.account = next(ACCOUNTS)
            sign_in(self.client, self.account["username"], PLAN["password"])

        @task(3)
        def dashboard(self):
            self.client.get(f"/dashboard/{self.account['assessment']}/", name="dashboard")

        @task(3)
        def plan(self):
            self.client.get(f"/plan/{self.account['plan_year']}/", name="plan page")

        @task(1)
        def plan_xlsx(self):
            self.client.get(f"/reports/{self.account['assessment']}/plan.xlsx", name="export plan.xlsx")

        @task(1)
        def scores_csv(self):
            self.client.get(f"/reports/{self.account['assessment']}/data/scores.csv", name="export scores.csv")

    class AreaOffice(HttpUser):
        weight = 1
        wait_time = between(0.05, 0.15)

        def on_start(self):
            sign_in(self.client, PLAN["oversight"], PLAN["password"])

        @task
        def area(self):
            self.client.get("/oversight/", name="oversight view")
