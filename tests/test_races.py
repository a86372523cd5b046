"""Rows and findings added at the same moment get different positions (Assessment.lock).

Only PostgreSQL runs two write transactions at once (SQLite serialises them), so these run
there, in CI, with two real connections. Each save, once its request has taken the position, waits for
the other request: until it has taken a position too (without the lock both then hold the same
last position: both tests fail with the lock taken out) or is waiting for the lock this one
holds."""

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


WAIT_SECONDS = 30


def waits_for_me():
    """Whether another connection is waiting for a lock this connection holds (pg_locks is read
    live, unlike pg_stat_activity, which a transaction sees as of its first look)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted"
                       " AND pg_backend_pid() = ANY(pg_blocking_pids(pid)))")
        return cursor.fetchone()[0]


def slowed(cls, monkeypatch):
    """`cls.save` waits, in each request, until the other request has reached its own save or
    waits for this one's lock: the window in which, without the lock, both read one position."""
    save = cls.save
    reached = threading.Condition()
    saving = []

    def slow_save(self, *args, **kwargs):
        with reached:
            saving.append(threading.get_ident())
            reached.notify_all()
            deadline = time.monotonic() + WAIT_SECONDS
            # Woken at once by the other's arrival; a wait for the lock is seen by asking.
            while len(saving) < 2 and not waits_for_me():
                assert time.monotonic() < deadline, "the other request neither saved nor waited for the lock"
                reached.wait(timeout=0.01)
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
