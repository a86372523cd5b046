"""The progress report: the plan as it stood at a chosen date, from the measures' history."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure, ProgressNote
from reports.reports import progress_report_pdf

from .conftest import make_measure
from .pdftext import body_text


def at(day):
    return timezone.make_aware(datetime.combine(day, time(9)))


@pytest.fixture
def tracked(assessment, palad, klang, personas):
    """Two measures created on 5 Oct 2025; the first reached 60% on 15 Jan 2026 and was done
    on 1 Mar 2026. Notes on 1 Nov 2025 (with a link) and 10 Jan 2026 (with a file)."""
    first = make_measure(assessment, [palad], activity="จัดทำคู่มือการปฏิบัติงาน", position=1)
    second = make_measure(assessment, [klang], number=4, activity="กำหนดแนวทางการยืมทรัพย์สิน", position=2)
    Measure.history.update(history_date=at(date(2025, 10, 5)))
    for day, status, progress in ((date(2026, 1, 15), "in_progress", 60), (date(2026, 3, 1), "done", 100)):
        first.status, first.progress = status, progress
        first.version += 1
        first.save()
        Measure.history.filter(id=first.pk, history_date__gt=at(date(2025, 10, 6))).filter(
            progress=progress).update(history_date=at(day))
    ProgressNote.objects.create(measure=first, date=date(2025, 11, 1), text="ประชุมคณะทำงานครั้งที่ ๑",
                                author=personas["staff"], link="https://example.org/minutes-1")
    ProgressNote.objects.create(measure=first, date=date(2026, 1, 10), text="ร่างคู่มือเสร็จ",
                                author=personas["staff"], file_name="คู่มือ.pdf")
    return first, second


def get(client, assessment, **params):
    return client.get(reverse("reports:progress", args=[assessment.pk]), params)


def test_shows_the_plan_as_it_was_on_the_chosen_day(client_for, tracked, assessment):
    response = get(client_for("executive"), assessment, as_of="2025-12-31")
    assert response.status_code == 200
    rows = {m.id: m for m in response.context["measures"]}
    assert rows[tracked[0].pk].progress == 0 and rows[tracked[0].pk].status == "not_started"
    html = response.content.decode()
    assert "ประชุมคณะทำงานครั้งที่ ๑" in html and "https://example.org/minutes-1" in html
    assert "ร่างคู่มือเสร็จ" not in html
    assert "๓๑ ธันวาคม ๒๕๖๘" in html

    response = get(client_for("executive"), assessment, as_of="2026-02-01", digits="arabic")
    rows = {m.id: m for m in response.context["measures"]}
    assert rows[tracked[0].pk].progress == 60 and rows[tracked[0].pk].status == "in_progress"
    assert "ร่างคู่มือเสร็จ" in response.content.decode() and "คู่มือ.pdf" in response.content.decode()
    totals = response.context["totals"]
    assert totals == {"count": 2, "done": 0, "mean": 30}
    by_unit = {t["unit"].name: (t["count"], t["mean"]) for t in response.context["by_unit"]}
    assert by_unit == {"สำนักปลัด": (1, 60), "กองคลัง": (1, 0)}
    by_indicator = {t["indicator"].number: (t["count"], t["done"]) for t in response.context["by_indicator"]}
    assert by_indicator == {9: (1, 0), 4: (1, 0)}


def test_before_the_plan_existed_there_is_nothing(client_for, tracked, assessment):
    response = get(client_for("staff"), assessment, as_of="2025-09-30")
    assert list(response.context["measures"]) == []
    assert "ยังไม่มีแผน ณ วันที่นี้" in response.content.decode()


def test_bad_date_is_refused(client_for, assessment):
    response = get(client_for("staff"), assessment, as_of="31/13/2569")
    assert response.status_code == 400


def test_progress_pdf_for_admins_only(client_for, tracked, assessment):
    url = reverse("reports:progress_pdf", args=[assessment.pk])
    assert client_for("executive").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    response = client_for("org_admin").get(url, {"as_of": "2026-03-02"})
    assert response.status_code == 200
    text = body_text(response.content)
    assert "จัดทำคู่มือการปฏิบัติงาน" in text and "เสร็จสิ้น" in text and "ร่างคู่มือเสร็จ" in text


def test_progress_pdf_function(tracked, assessment):
    text = body_text(progress_report_pdf(assessment, date(2026, 3, 2), thai_digits=False))
    assert "รายงานความก้าวหน้าการดำเนินงานตามแผน" in text and "2มีนาคม2569" in text


def test_query_count_does_not_grow_with_rows(client_for, tracked, assessment, palad, personas, django_assert_num_queries):
    """Guards the N+1 on each measure's units, notes and indicator in the progress report
    (a historical record's `instance` would cost one query per row; the plan and its approval
    for the signature block are two queries)."""
    client = client_for("executive")
    get(client, assessment)
    with django_assert_num_queries(14):
        get(client, assessment)
    for n in range(10):
        measure = make_measure(assessment, [palad], number=n % 10 + 1)
        ProgressNote.objects.create(measure=measure, text="บันทึก", author=personas["staff"])
    with django_assert_num_queries(14):
        get(client, assessment)


@pytest.mark.parametrize("removal", ["bin", "emptied"])
def test_a_deleted_row_is_in_no_progress_report_of_any_date(client_for, tracked, assessment, removal):
    """A row in the bin (or removed for good when the bin was emptied) is gone from
    every report, also from a report as of a day when it still stood in the plan."""
    deleted = tracked[1]
    client_for("org_admin").post(reverse("measures:delete", args=[deleted.pk]), {"version": deleted.version})
    if removal == "emptied":
        client_for("org_admin").post(reverse("measures:empty_bin"))
        assert not Measure.all_objects.filter(pk=deleted.pk).exists()
    for params in ({"as_of": "2026-02-01"}, {}):
        shown = [m.id for m in get(client_for("executive"), assessment, **params).context["measures"]]
        assert deleted.pk not in shown and tracked[0].pk in shown
