"""An approved plan is locked: its six columns, units, planned dates and rows stay as approved,
while its tracking (status, progress, progress notes with evidence) goes on. Every refusal is a
Thai message with a 4xx answer and changes nothing; the import and the draft acceptance obey
the same lock."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import ChangeRefused, Finding
from measures.models import Measure, Plan, PlanEvent, ProgressNote

from .bad_input.make_corpus import PDF
from .conftest import make_measure
from .plan_helpers import approve, edit_data
from .test_import_plan import HEADER, confirm, upload, xlsx

HTMX = {"HTTP_HX_REQUEST": "true"}
LOCKED = "ผู้บริหารอนุมัติแล้ว จึงแก้ไขได้เฉพาะสถานะ ความก้าวหน้า และบันทึกความก้าวหน้า"


@pytest.fixture
def row(assessment, palad, personas):
    row = make_measure(assessment, [palad], activity="มาตรการที่อนุมัติแล้ว", analysis="บรรทัดแรก\nบรรทัดสอง")
    make_measure(assessment, [palad], activity="มาตรการที่สอง", position=2)
    approve(Plan.objects.get(assessment=assessment), personas)
    row.refresh_from_db()
    return row


def edit(client, row, data):
    return client.post(reverse("measures:edit", args=[row.pk]), data, **HTMX)


def unchanged(row):
    before = Measure.objects.get(pk=row.pk)
    return (before.activity, before.status, before.progress, before.version) == (
        row.activity, row.status, row.progress, row.version)


def test_a_locked_plan_refuses_a_column_edit_in_place_with_a_thai_message(row, client_for):
    response = edit(client_for("staff"), row, edit_data(row, activity="แก้หลังอนุมัติ", status="in_progress", progress=30))
    assert response.status_code == 423
    html = response.content.decode()
    assert html.startswith(f'<tr id="measure-{row.pk}"')  # in place: the row's form comes back
    assert LOCKED in html and "ยังไม่ได้บันทึกสิ่งใด (ช่องที่แก้: มาตรการ/โครงการ/กิจกรรม)" in html
    assert unchanged(row)  # not even the status and progress that came with it


def test_a_locked_plan_accepts_a_status_and_progress_change(row, client_for):
    response = edit(client_for("staff"), row, {"status": "in_progress", "progress": 40, "version": row.version})
    assert response.status_code == 200
    assert "40%" in response.content.decode()
    saved = Measure.objects.get(pk=row.pk)
    assert (saved.status, saved.progress, saved.version, saved.activity) == ("in_progress", 40, row.version + 1,
                                                                           "มาตรการที่อนุมัติแล้ว")


def test_a_full_form_opened_before_the_approval_saves_its_tracking_when_the_content_is_as_approved(row, client_for):
    """The browser sends the textarea's line breaks as CRLF: still the approved text."""
    data = edit_data(row, analysis="บรรทัดแรก\r\nบรรทัดสอง", status="in_progress", progress=55)
    assert edit(client_for("staff"), row, data).status_code == 200
    assert Measure.objects.get(pk=row.pk).progress == 55


def test_the_edit_form_of_a_locked_plan_offers_only_status_and_progress(row, client_for):
    html = client_for("staff").get(reverse("measures:edit", args=[row.pk]), **HTMX).content.decode()
    assert 'name="status"' in html and 'name="progress"' in html
    assert 'name="activity"' not in html and 'name="start_date"' not in html
    assert "แผนนี้อนุมัติแล้ว: แก้ไขได้เฉพาะสถานะและความก้าวหน้า" in html


def test_a_locked_plan_accepts_a_progress_note_with_evidence(row, client_for):
    response = client_for("staff").post(reverse("measures:add_note", args=[row.pk]), {
        "date": "2026-02-01", "text": "จัดอบรมแล้ว",
        "file": SimpleUploadedFile("หลักฐาน.pdf", PDF, content_type="application/pdf"),
    })
    assert response.status_code == 302
    note = ProgressNote.objects.get(measure=row)
    assert note.text == "จัดอบรมแล้ว" and note.file_name == "หลักฐาน.pdf"


def test_an_admins_unit_change_is_refused_in_place(row, client_for, klang):
    response = edit(client_for("org_admin"), row, edit_data(row, units=[klang.pk]))
    assert response.status_code == 423
    assert "สำนัก/กองที่รับผิดชอบ" in response.content.decode()
    assert list(Measure.objects.get(pk=row.pk).units.values_list("name", flat=True)) == ["สำนักปลัด"]


def test_a_locked_plan_refuses_adding_deleting_and_moving_rows(row, client_for):
    client = client_for("org_admin")
    count = Measure.objects.count()
    for response in (
        client.get(reverse("measures:add", args=[2569])),
        client.post(reverse("measures:add", args=[2569]), edit_data(row, activity="แถวใหม่")),
        client.post(reverse("measures:delete", args=[row.pk]), {"version": row.version}),
        client.post(reverse("measures:move", args=[row.pk]), {"direction": "down"}),
    ):
        assert response.status_code == 403
        assert LOCKED in response.content.decode()
    assert Measure.objects.count() == count and unchanged(row)
    assert Measure.objects.get(pk=row.pk).position == row.position


def test_the_locked_plan_page_offers_only_the_tracking_controls(row, client_for):
    html = client_for("staff").get(reverse("measures:plan", args=[2569])).content.decode()
    assert "ปรับสถานะ/ความก้าวหน้า" in html
    assert reverse("measures:move", args=[row.pk]) not in html
    assert reverse("measures:delete", args=[row.pk]) not in html
    assert reverse("measures:add", args=[2569]) not in html
    assert "เนื้อหาของแผนจึงล็อกไว้" in html


def test_the_model_refuses_a_content_save_on_a_locked_plan_whoever_calls_it(row):
    with pytest.raises(ChangeRefused):
        row.save_if_current(row.version, ["activity"])
    with pytest.raises(ChangeRefused):
        row.save_if_current(row.version, ["status", "progress"], units=[])
    row.progress, row.status = 20, "in_progress"
    assert row.save_if_current(row.version, ["status", "progress"]) is True


def test_an_approval_that_lands_while_a_form_is_open_refuses_the_content_change_in_place(
    assessment, palad, personas, client_for
):
    row = make_measure(assessment, [palad], activity="ก่อนอนุมัติ")
    client = client_for("staff")
    assert 'name="activity"' in client.get(reverse("measures:edit", args=[row.pk]), **HTMX).content.decode()
    approve(Plan.objects.get(assessment=assessment), personas)
    response = edit(client, row, edit_data(row, activity="หลังอนุมัติ"))
    assert response.status_code == 423 and LOCKED in response.content.decode()
    assert Measure.objects.get(pk=row.pk).activity == "ก่อนอนุมัติ"


def test_reopening_unlocks_the_plan(row, client_for, personas):
    Plan.objects.get(pk=row.plan_id).take_step(PlanEvent.Kind.REOPENED, by=personas["org_admin"], comment="แก้")
    assert edit(client_for("staff"), row, edit_data(row, activity="แก้หลังเปิดแผน")).status_code == 200
    assert Measure.objects.get(pk=row.pk).activity == "แก้หลังเปิดแผน"


def test_the_import_takes_only_status_and_progress_into_a_locked_plan(row, assessment, client_for):
    admin = client_for("org_admin")
    columns = HEADER[:4] + ["สถานะ", "ความก้าวหน้า (%)"]
    refused = upload(admin, assessment, xlsx([
        columns,
        [row.pk, row.indicator_label, row.analysis, "เปลี่ยนชื่อมาตรการ", "กำลังดำเนินการ", 50],
        ["", "ตัวชี้วัดที่ ๙", "", "แถวใหม่", "", ""],
    ]))
    preview = refused.context["preview"]
    assert not preview.can_apply
    messages = [message for _row, message in preview.errors]
    assert messages[0].startswith("แผนปี 2569 ผู้บริหารอนุมัติแล้ว")
    assert "แผนอนุมัติแล้ว แก้ไขได้เฉพาะสถานะและความก้าวหน้า แต่แถวนี้เปลี่ยน มาตรการ/โครงการ/กิจกรรม" in messages
    assert "แผนอนุมัติแล้ว จึงเพิ่มแถวใหม่ไม่ได้" in messages
    assert unchanged(row)

    accepted = upload(admin, assessment, xlsx([
        columns, [row.pk, row.indicator_label, row.analysis, row.activity, "กำลังดำเนินการ", 50],
    ]))
    assert accepted.context["preview"].can_apply
    assert confirm(admin, assessment, accepted).status_code == 302
    saved = Measure.objects.get(pk=row.pk)
    assert (saved.status, saved.progress, saved.activity) == ("in_progress", 50, row.activity)


def test_draft_acceptance_into_a_locked_plan_is_refused(row, assessment, client_for):
    Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=4),
                           kind=Finding.Kind.IMPROVE, code="i10", text="ควรปรับปรุงการใช้ทรัพย์สิน")
    client = client_for("org_admin")
    page = client.get(reverse("measures:draft", args=[assessment.pk]))
    html = page.content.decode()
    assert LOCKED in html and "รับร่างที่เลือกเข้าแผน" not in html
    count = Measure.objects.count()
    response = client.post(reverse("measures:draft", args=[assessment.pk]), {
        "form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-accept": "on", "form-0-code": "i10",
    })
    assert response.status_code == 403 and LOCKED in response.content.decode()
    assert Measure.objects.count() == count


def test_an_admins_stale_full_form_that_unticks_every_unit_is_refused_too(row, client_for):
    """An unticked box is not posted at all: still a change to what was approved."""
    data = edit_data(row, units=[], for_all_units="")
    data.pop("units")
    data.pop("for_all_units")
    response = edit(client_for("org_admin"), row, data)
    assert response.status_code == 423 and "สำนัก/กองที่รับผิดชอบ" in response.content.decode()
    assert list(Measure.objects.get(pk=row.pk).units.values_list("name", flat=True)) == ["สำนักปลัด"]


def test_an_admins_stale_full_form_with_the_content_as_approved_saves_its_tracking(row, client_for, palad):
    data = edit_data(row, units=[palad.pk], status="in_progress", progress=20)
    data.pop("for_all_units", None)  # unticked, as it stands
    assert edit(client_for("org_admin"), row, data).status_code == 200
    assert Measure.objects.get(pk=row.pk).progress == 20
