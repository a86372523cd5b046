"""Writes of several rows are all or nothing: an error injected halfway through leaves the
database as it was. Each case goes through the real view; the injected error surfaces as the
portal's 500 page, and nothing of the half-done write remains."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from assessments.models import Assessment, Finding, IndicatorScore
from measures.models import Measure
from measures import imports

from .conftest import SEED_SCORES, make_measure


class Injected(Exception):
    """The error the tests inject."""


def fail_on_call(monkeypatch, owner, attribute, number):
    """Let `owner.attribute` (a function of a module or a method of a model) work normally
    until its `number`th call, which raises."""
    real = getattr(owner, attribute)
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) == number:
            raise Injected(f"injected failure on call {number} of {attribute}")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, attribute, wrapper)
    return calls


def plan_snapshot():
    rows = list(Measure.objects.order_by("pk").values())
    units = list(Measure.units.through.objects.order_by("pk").values_list("measure_id", "unit_id"))
    return rows, units, Measure.history.count()


@pytest.fixture
def admin(client_for):
    client = client_for("org_admin")
    client.raise_request_exception = False  # the 500 page, as a user would get it
    return client


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_import_that_fails_on_its_third_row_writes_nothing(admin, assessment, palad, monkeypatch):
    """Two changed rows and four new ones, written two at a time: the changes are saved, the
    first two new rows are saved, and the batch holding the third new row fails. The whole
    import is rolled back: no row, no version bump and no history record remains."""
    existing = [make_measure(assessment, [palad], activity=f"แถวเดิม {n}", position=n) for n in (1, 2)]
    rows = [["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม"]]
    rows += [[m.pk, m.indicator_label, f"แก้แถวเดิม {m.pk}"] for m in existing]
    rows += [["", "ตัวชี้วัดที่ ๙", f"แถวใหม่ {n}"] for n in range(1, 5)]
    upload = admin.post(reverse("reports:import", args=[assessment.pk]),
                        {"file": SimpleUploadedFile("plan.xlsx", xlsx(rows))})
    preview = upload.context["preview"]
    assert not preview.errors and len(preview.changed) == 2 and len(preview.added) == 4
    before = plan_snapshot()

    monkeypatch.setattr(imports, "BATCH", 2)
    calls = fail_on_call(monkeypatch, imports, "bulk_create_with_history", 2)
    token = upload.context["confirm_form"]["token"].value()
    response = admin.post(reverse("reports:import_confirm", args=[assessment.pk]), {"token": token})

    assert len(calls) == 2  # the first batch of new rows was written before the failure
    assert response.status_code == 500 and "ระบบขัดข้อง" in response.content.decode()
    assert plan_snapshot() == before
    assert [m.activity for m in Measure.objects.order_by("pk")] == ["แถวเดิม 1", "แถวเดิม 2"]


def test_an_import_that_fails_while_changing_rows_writes_nothing(admin, assessment, palad, monkeypatch):
    """Four changed rows, two at a time: the second batch of changes fails after the first was
    saved; the first batch's changes are rolled back too."""
    existing = [make_measure(assessment, [palad], activity=f"แถวเดิม {n}", position=n) for n in range(1, 5)]
    rows = [["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม"]]
    rows += [[m.pk, m.indicator_label, f"แก้แถวเดิม {m.pk}"] for m in existing]
    upload = admin.post(reverse("reports:import", args=[assessment.pk]),
                        {"file": SimpleUploadedFile("plan.xlsx", xlsx(rows))})
    before = plan_snapshot()
    monkeypatch.setattr(imports, "BATCH", 2)
    fail_on_call(monkeypatch, imports, "bulk_update_with_history", 2)
    token = upload.context["confirm_form"]["token"].value()
    response = admin.post(reverse("reports:import_confirm", args=[assessment.pk]), {"token": token})
    assert response.status_code == 500
    assert plan_snapshot() == before


def test_saving_scores_that_fails_on_the_third_score_changes_nothing(admin, assessment, monkeypatch):
    """The entry form writes the assessment and ten score rows; the third row's save fails."""
    before = (list(Assessment.objects.values()), list(IndicatorScore.objects.order_by("pk").values()))
    fail_on_call(monkeypatch, IndicatorScore, "save", 3)
    data = {f"score_{n}": str(Decimal(s) - 1) for n, s in SEED_SCORES.items()} | {"published_overall": "89.42"}
    response = admin.post(reverse("assessment_edit", args=[assessment.pk]), data)
    assert response.status_code == 500
    assert (list(Assessment.objects.values()), list(IndicatorScore.objects.order_by("pk").values())) == before


def test_accepting_drafts_that_fails_on_the_third_row_adds_no_row(admin, assessment, monkeypatch):
    """Three accepted drafts become three plan rows; the third row's creation fails."""
    for number, code in [(1, "i1"), (1, "i2"), (4, "i10")]:
        Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=number),
                               kind=Finding.Kind.IMPROVE, code=code, text=f"ควรปรับปรุง {code}")
    page = admin.get(reverse("measures:draft", args=[assessment.pk]))
    formset = page.context["formset"]
    data = {"form-TOTAL_FORMS": len(formset.forms), "form-INITIAL_FORMS": len(formset.forms)}
    for index, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form[name].value()
            if value not in (None, "", [], False):
                data[f"form-{index}-{name}"] = value
        data[f"form-{index}-accept"] = "on"
        data[f"form-{index}-for_all_units"] = "on"
    assert len(formset.forms) == 3
    before = plan_snapshot()
    fail_on_call(monkeypatch, Measure, "save", 3)
    response = admin.post(reverse("measures:draft", args=[assessment.pk]), data)
    assert response.status_code == 500
    assert plan_snapshot() == before
