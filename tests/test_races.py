"""Rows and findings added at the same moment get different positions (Assessment.lock).

Only PostgreSQL runs two write transactions at once (SQLite serialises them), so these run
there, in CI, with two real connections. Saving is slowed down after the position is taken,
so that without the lock both requests would read the same last position (both tests fail
with the lock taken out)."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import Finding, Organisation, Unit
from measures.forms import MeasureForm
from measures.models import Measure

from .conftest import SEED_SCORES, make_assessment, make_measure, make_user

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs real concurrent connections (CI runs PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]


def slowed(cls, monkeypatch):
    save = cls.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.5)  # the window in which the other request reads the last position
        return save(self, *args, **kwargs)

    monkeypatch.setattr(cls, "save", slow_save)


def at_once(requests):
    """Run each request (a function of a new client) in its own thread and connection."""
    barrier = threading.Barrier(len(requests))
    answers = []

    def run(request):
        try:
            barrier.wait()
            answers.append(request().status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.fixture
def organisation(reference):
    organisation = Organisation.objects.create(name="อบต.พร้อมกัน")
    unit = Unit.objects.create(organisation=organisation, name="สำนักปลัด")
    assessment = make_assessment(organisation, 2568, SEED_SCORES)
    make_measure(assessment, [unit], position=1)
    return organisation, unit, assessment


def test_two_rows_added_at_the_same_moment_get_two_positions(organisation, monkeypatch):
    organisation, unit, assessment = organisation
    users = [make_user(f"staff{n}", organisation, "staff", [unit]) for n in (1, 2)]
    slowed(MeasureForm, monkeypatch)

    def add(user, text):
        def request():
            client = Client()
            client.force_login(user)
            data = {"indicator": assessment.fiscal_year.indicators.get(number=9).pk, "indicator_label": "",
                    "activity": text, "status": "not_started", "progress": 0, "units": [unit.pk]}
            return client.post(reverse("measures:add", args=[2569]), data)
        return request

    assert at_once([add(users[0], "แถวที่สอง"), add(users[1], "แถวที่สาม")]) == [302, 302]
    positions = sorted(Measure.objects.filter(assessment=assessment).values_list("position", flat=True))
    assert positions == [1, 2, 3]


def test_two_findings_added_at_the_same_moment_get_two_positions(organisation, monkeypatch):
    organisation, unit, assessment = organisation
    admins = [make_user(f"admin{n}", organisation, "admin") for n in (1, 2)]
    slowed(Finding, monkeypatch)
    indicator = assessment.fiscal_year.indicators.get(number=9)

    def add(user, text):
        def request():
            client = Client()
            client.force_login(user)
            data = {"indicator": indicator.pk, "kind": "improve", "text": text}
            return client.post(reverse("finding_add", args=[assessment.pk, 9]), data)
        return request

    assert at_once([add(admins[0], "ข้อหนึ่ง"), add(admins[1], "ข้อสอง")]) == [302, 302]
    assert sorted(Finding.objects.filter(assessment=assessment).values_list("position", flat=True)) == [1, 2]
