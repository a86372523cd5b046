"""A plan row's status, progress and dates agree wherever the row is written: done means 100 %,
not started means 0 %, and the end is not before the start. One method on the row says so
(Measure.tracking_errors), the forms and the Excel import ask it, and the database refuses the
rest."""

import html
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from measures.models import Measure

from .conftest import make_measure
from .test_import_plan import snapshot, upload, xlsx

Status = Measure.Status


@pytest.mark.parametrize("status, progress, start, end, fields", [
    (Status.DONE, 40, None, None, {"progress"}),
    (Status.NOT_STARTED, 30, None, None, {"status"}),
    (Status.IN_PROGRESS, 40, date(2026, 5, 1), date(2026, 4, 1), {"end_date"}),
    (Status.DONE, 100, None, None, set()),
    (Status.NOT_STARTED, 0, date(2026, 4, 1), date(2026, 4, 1), set()),
    (Status.IN_PROGRESS, 0, None, None, set()),
    (Status.IN_PROGRESS, 100, None, None, set()),
    (Status.CANCELLED, 40, None, None, set()),
])
def test_the_row_says_which_of_its_tracking_fields_break_its_rules(status, progress, start, end, fields):
    row = Measure(status=status, progress=progress, start_date=start, end_date=end)
    assert set(row.tracking_errors()) == fields


@pytest.mark.parametrize("status, progress", [("done", 40), ("not_started", 30)])
def test_the_database_refuses_a_status_that_disagrees_with_the_progress(assessment, status, progress):
    row = make_measure(assessment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=row.pk).update(status=status, progress=progress)
    row.refresh_from_db()
    assert (row.status, row.progress) == ("not_started", 0)


@pytest.fixture
def admin(client_for):
    return client_for("org_admin")


@pytest.mark.parametrize("status, progress, message", [
    ("เสร็จสิ้น", 40, "แถวที่เสร็จสิ้นต้องมีความก้าวหน้า 100%"),
    ("ยังไม่เริ่ม", 30, "มีความก้าวหน้าแล้ว สถานะจึงไม่ใช่ “ยังไม่เริ่ม”"),
])
def test_the_import_refuses_a_row_whose_status_disagrees_with_its_progress(admin, assessment, status, progress,
                                                                           message):
    row = make_measure(assessment)
    before = snapshot()
    response = upload(admin, assessment, xlsx([
        ["รหัส", "ตัวชี้วัด", "มาตรการ", "สถานะ", "ความก้าวหน้า"],
        [row.pk, row.indicator_label, row.activity, status, progress],
    ]))
    assert f"แถวที่ 2: {message}" in html.unescape(response.content.decode())
    assert response.context["confirm_form"] is None
    assert snapshot() == before


def test_the_import_refuses_a_done_row_given_less_progress_without_a_status(admin, assessment):
    """The file keeps the row's status (no status column), so the row would be done at 40 %."""
    row = make_measure(assessment)
    Measure.objects.filter(pk=row.pk).update(status="done", progress=100)
    before = snapshot()
    response = upload(admin, assessment, xlsx([
        ["รหัส", "ตัวชี้วัด", "มาตรการ", "ความก้าวหน้า"], [row.pk, row.indicator_label, row.activity, 40],
    ]))
    assert "แถวที่เสร็จสิ้นต้องมีความก้าวหน้า 100%" in html.unescape(response.content.decode())
    assert snapshot() == before


def test_a_row_given_progress_without_a_status_has_started(admin, assessment):
    row = make_measure(assessment)
    response = upload(admin, assessment, xlsx([
        ["รหัส", "ตัวชี้วัด", "มาตรการ", "ความก้าวหน้า"],
        [row.pk, row.indicator_label, row.activity, 30],
        [None, "ตัวชี้วัดที่ ๙", "มาตรการใหม่", 20],
    ]))
    token = response.context["confirm_form"]["token"].value()
    admin.post(reverse("reports:import_confirm", args=[assessment.pk]), {"token": token})
    row.refresh_from_db()
    added = Measure.objects.get(activity="มาตรการใหม่")
    assert (row.status, row.progress) == ("in_progress", 30)
    assert (added.status, added.progress) == ("in_progress", 20)


@pytest.mark.django_db(transaction=True)
def test_the_migration_repairs_disagreeing_rows_before_the_constraints(assessment):
    """Rows written before the constraints (by the import) become in progress, their progress
    kept and their version moved on; rows that agree are left as they are."""
    done_short, started_early, done, cancelled = (make_measure(assessment) for _ in range(4))
    executor = MigrationExecutor(connection)
    executor.migrate([("measures", "0006_plan_required")])
    try:
        for row, status, progress in [(done_short, "done", 40), (started_early, "not_started", 30),
                                      (done, "done", 100), (cancelled, "cancelled", 40)]:
            Measure.objects.filter(pk=row.pk).update(status=status, progress=progress)
    finally:  # every app at its newest migration again, as the next test expects
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert {
        row.pk: (row.status, row.progress, row.version)
        for row in Measure.objects.filter(pk__in=[done_short.pk, started_early.pk, done.pk, cancelled.pk])
    } == {
        done_short.pk: ("in_progress", 40, 2), started_early.pk: ("in_progress", 30, 2),
        done.pk: ("done", 100, 1), cancelled.pk: ("cancelled", 40, 1),
    }
