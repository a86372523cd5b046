"""Editing a plan row in place, adding, deleting and reordering rows, and refused stale saves."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from measures.models import Measure

from .conftest import make_measure
from .plan_helpers import edit_data

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def row(assessment, palad):
    return make_measure(assessment, units=[palad], activity="มาตรการเดิม")


def edit_url(row):
    return reverse("measures:edit", args=[row.pk])


def test_the_row_turns_into_a_form_carrying_its_version(row, client_for):
    response = client_for("staff").get(edit_url(row), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="measure-{row.pk}"')
    assert 'name="version" value="1"' in html
    assert f'hx-post="{edit_url(row)}"' in html
    assert f'hx-get="{reverse("measures:row", args=[row.pk])}"' in html  # Cancel puts the row back


def test_cancel_gets_the_row_back_unchanged(row, client_for):
    response = client_for("staff").get(reverse("measures:row", args=[row.pk]), **HTMX)
    assert response.status_code == 200
    assert "มาตรการเดิม" in response.content.decode()
    assert response.content.decode().startswith(f'<tr id="measure-{row.pk}"')


def test_saving_in_place_returns_the_updated_row_and_bumps_the_version(row, client_for):
    data = edit_data(row, activity="มาตรการใหม่", status="in_progress", progress=40,
                     start_date="2025-10-01", end_date="2026-09-30")
    response = client_for("staff").post(edit_url(row), data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="measure-{row.pk}"') and "<form class=\"measure-edit\"" not in html
    assert "มาตรการใหม่" in html and "40%" in html and "กำลังดำเนินการ" in html
    row.refresh_from_db()
    assert (row.activity, row.status, row.progress, row.version) == ("มาตรการใหม่", "in_progress", 40, 2)
    assert row.start_date.isoformat() == "2025-10-01"


def test_saving_without_htmx_goes_back_to_the_plan(row, client_for):
    response = client_for("staff").post(edit_url(row), edit_data(row, period="ไตรมาส ๒"))
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:plan", args=[2569]) + f"#measure-{row.pk}"
    row.refresh_from_db()
    assert row.period == "ไตรมาส ๒"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"progress": 150}, "progress", "ต้องไม่เกิน 100"),
        ({"progress": -5}, "progress", "ต้องไม่น้อยกว่า 0"),
        ({"start_date": "2026-05-01", "end_date": "2026-01-01"}, "end_date", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"),
        ({"status": "done", "progress": 60}, "progress", "แถวที่เสร็จสิ้นต้องมีความก้าวหน้า 100%"),
        ({"status": "not_started", "progress": 10}, "status", "สถานะจึงไม่ใช่"),
        ({"activity": ""}, "activity", "กรุณากรอกช่องนี้"),
        ({"end_date": "31/02/2026"}, "end_date", "วันที่ไม่ถูกต้อง"),
    ],
)
def test_a_bad_value_is_refused_with_a_thai_error_beside_its_field(row, client_for, changes, field, message):
    response = client_for("staff").post(edit_url(row), edit_data(row, **changes), **HTMX)
    assert response.status_code == 422
    assert message in response.context["form"].errors[field][0]
    html = response.content.decode()
    assert f'id="error_1_id_{field}"' in html or f'id="error_1_id_{field}_0"' in html
    row.refresh_from_db()
    assert (row.activity, row.progress, row.version) == ("มาตรการเดิม", 0, 1)


def test_staff_cannot_reassign_units_by_posting_them(row, klang, client_for):
    """Units decide who may change a row, so only an admin's form has them."""
    data = edit_data(row, units=[klang.pk], for_all_units="on")
    assert client_for("staff").post(edit_url(row), data, **HTMX).status_code == 200
    row.refresh_from_db()
    assert [u.name for u in row.units.all()] == ["สำนักปลัด"] and not row.for_all_units


def test_admin_reassigns_units(row, klang, client_for):
    response = client_for("org_admin").post(edit_url(row), edit_data(row, units=[klang.pk]), **HTMX)
    assert response.status_code == 200
    row.refresh_from_db()
    assert [u.name for u in row.units.all()] == ["กองคลัง"]


def test_a_stale_save_is_refused_with_the_current_values(row, client_for):
    """Both read version 1; the admin saves first, so the staff member's save must not win."""
    staff, admin = client_for("staff"), client_for("org_admin")
    assert admin.post(edit_url(row), edit_data(row, activity="ฉบับของผู้ดูแล"), **HTMX).status_code == 200

    response = staff.post(edit_url(row), edit_data(row, activity="ฉบับของเจ้าหน้าที่", progress=0), **HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "มีผู้อื่นบันทึกแถวนี้ก่อนท่าน" in html
    assert "ฉบับของผู้ดูแล" in html and "ฉบับของเจ้าหน้าที่" in html
    assert ("มาตรการ/โครงการ/กิจกรรม", "ฉบับของผู้ดูแล", "ฉบับของเจ้าหน้าที่") in response.context["conflict"]
    assert 'name="version" value="2"' in html  # the form now shows the current row
    row.refresh_from_db()
    assert (row.activity, row.version) == ("ฉบับของผู้ดูแล", 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent connections (CI runs PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_from_one_version_cannot_both_win(reference):
    from assessments.models import Organisation

    from .conftest import SEED_SCORES, make_assessment

    org = Organisation.objects.create(name="อบต.พร้อมกัน")
    measure = make_measure(make_assessment(org, 2568, SEED_SCORES))
    barrier = threading.Barrier(2)
    results = {}

    def save(text):
        try:
            copy = Measure.objects.get(pk=measure.pk)
            copy.activity = text
            barrier.wait()
            results[text] = copy.save_if_current(1, ["activity"])
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("ก", "ข")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [False, True]
    measure.refresh_from_db()
    winner = next(text for text, won in results.items() if won)
    assert (measure.activity, measure.version) == (winner, 2)


def test_staff_add_a_row_for_their_own_unit_at_the_end_of_the_plan(row, palad, client_for, assessment):
    indicator = assessment.fiscal_year.indicators.get(number=4)
    data = {"indicator": indicator.pk, "indicator_label": "", "activity": "มาตรการใหม่ของสำนักปลัด",
            "status": "not_started", "progress": 0, "units": [palad.pk]}
    response = client_for("staff").post(reverse("measures:add", args=[2569]), data)
    assert response.status_code == 302
    added = Measure.objects.get(activity="มาตรการใหม่ของสำนักปลัด")
    assert response["Location"].endswith(f"#measure-{added.pk}")
    assert added.indicator_label == "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ"
    assert [u.name for u in added.units.all()] == ["สำนักปลัด"]
    assert added.position > row.position and added.fiscal_year_id == 2569 and added.assessment == assessment
    # created, then a record that holds the units it was given
    assert [r.history_type for r in added.history.order_by("history_id")] == ["+", "~"]
    assert [u.unit.name for u in added.history.latest().historicalmeasure_units_set.all()] == ["สำนักปลัด"]


def test_staff_cannot_add_a_row_for_another_unit(assessment, klang, client_for):
    data = {"indicator": assessment.fiscal_year.indicators.get(number=4).pk, "activity": "ของกองอื่น",
            "status": "not_started", "progress": 0, "units": [klang.pk]}
    response = client_for("staff").post(reverse("measures:add", args=[2569]), data)
    assert response.status_code == 422
    assert "ตัวเลือกไม่ถูกต้อง" in response.context["form"].errors["units"][0]
    assert not Measure.objects.filter(activity="ของกองอื่น").exists()


def test_executive_cannot_add_a_row(assessment, palad, client_for):
    data = {"indicator": assessment.fiscal_year.indicators.get(number=4).pk, "activity": "ของผู้บริหาร",
            "status": "not_started", "progress": 0, "units": [palad.pk]}
    assert client_for("executive").post(reverse("measures:add", args=[2569]), data).status_code == 403
    assert not Measure.objects.filter(activity="ของผู้บริหาร").exists()


def test_delete_asks_first_then_moves_the_row_to_the_bin(row, client_for, personas):
    """Deleting does not destroy the row: it leaves the plan for the bin."""
    client = client_for("staff")
    page = client.get(reverse("measures:delete", args=[row.pk]))
    assert page.status_code == 200 and "ลบแถวนี้ออกจากแผน?" in page.content.decode()
    assert Measure.objects.filter(pk=row.pk).exists()
    response = client.post(reverse("measures:delete", args=[row.pk]), {"version": 1})
    assert response.status_code == 302 and response["Location"] == reverse("measures:plan", args=[2569])
    assert not Measure.objects.filter(pk=row.pk).exists()
    binned = Measure.all_objects.get(pk=row.pk)
    assert binned.deleted_at is not None and binned.deleted_by == personas["staff"]
    assert not Measure.history.filter(id=row.pk, history_type="-").exists()


def test_deleting_a_row_that_changed_since_the_confirmation_is_refused(row, client_for):
    client_for("org_admin").post(edit_url(row), edit_data(row, progress=20, status="in_progress"), **HTMX)
    response = client_for("staff").post(reverse("measures:delete", args=[row.pk]), {"version": 1})
    assert response.status_code == 409
    assert "จึงยังไม่ได้ลบ" in response.content.decode()
    assert Measure.objects.filter(pk=row.pk, progress=20).exists()


def test_move_swaps_a_row_with_its_neighbour_of_the_same_indicator(assessment, palad, client_for):
    make_measure(assessment, units=[palad], activity="ก", position=1)
    make_measure(assessment, units=[palad], activity="อื่น", number=4, position=2)
    b = make_measure(assessment, units=[palad], activity="ข", position=3)
    response = client_for("staff").post(reverse("measures:move", args=[b.pk]), {"direction": "up", "query": "q=ก"})
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:plan", args=[2569]) + f"?q=%E0%B8%81#measure-{b.pk}"
    positions = dict(Measure.objects.values_list("activity", "position"))
    assert positions == {"ข": 1, "อื่น": 2, "ก": 3}
    b.refresh_from_db()
    assert b.version == 2  # a move is a change: an edit form read before it is now stale
    plan = client_for("staff").get(reverse("measures:plan", args=[2569]))
    assert [m.activity for m in plan.context["measures"]] == ["อื่น", "ข", "ก"]


def test_moving_the_first_row_up_changes_nothing(row, client_for):
    client = client_for("staff")
    response = client.post(reverse("measures:move", args=[row.pk]), {"direction": "up"}, follow=True)
    assert "อยู่ลำดับแรกหรือลำดับสุดท้าย" in response.content.decode()
    row.refresh_from_db()
    assert (row.position, row.version) == (0, 1)


def test_a_bad_move_is_refused_with_a_message(row, client_for):
    response = client_for("staff").post(reverse("measures:move", args=[row.pk]), {"direction": "sideways"}, follow=True)
    assert "ย้ายแถวไม่ได้" in response.content.decode()
    row.refresh_from_db()
    assert row.version == 1


def test_an_unknown_row_is_a_404(assessment, client_for):
    assert client_for("staff").get(reverse("measures:edit", args=[999999]), **HTMX).status_code == 404
