"""An organisation admin manages its units in the portal: add, rename, order, retire and
reactivate; nothing is deleted, and the rows and people that name a retired unit keep it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from assessments.models import Unit
from measures.forms import MeasureForm
from measures.models import Measure

from .conftest import make_measure

UNITS = reverse("units")


@pytest.fixture
def admin(client_for):
    return client_for("org_admin")


def names(org):
    return list(org.units.order_by("position", "name").values_list("name", flat=True))


def test_the_list_shows_the_units_in_order_with_their_state(admin, org):
    response = admin.get(UNITS)
    assert response.status_code == 200
    assert [u.name for u in response.context["units"]] == ["สำนักปลัด", "กองคลัง"]


def test_only_the_organisations_admin_manages_units(client_for, palad):
    for persona in ("staff", "executive"):
        assert client_for(persona).get(UNITS).status_code == 403
        assert client_for(persona).post(reverse("unit_retire", args=[palad.pk])).status_code == 403
    for name in ("unit_edit", "unit_move", "unit_retire", "unit_reactivate"):
        response = client_for("outsider").post(reverse(name, args=[palad.pk]), {"name": "x", "direction": "up"})
        assert response.status_code == 404, name
    palad.refresh_from_db()
    assert palad.name == "สำนักปลัด" and palad.retired_at is None


def test_adding_a_unit_puts_it_last(admin, org):
    response = admin.post(UNITS, {"name": "  กองช่าง  "})
    assert response.status_code == 302
    assert names(org) == ["สำนักปลัด", "กองคลัง", "กองช่าง"]


@pytest.mark.parametrize("name, message", [
    ("กองคลัง", 'มีสำนัก/กองชื่อ "กองคลัง" ในหน่วยงานนี้แล้ว'),
    (" กอง  คลัง ", None),  # a different name once its spaces are tidied: allowed
    ("", "กรุณากรอกช่องนี้"),
    ("ก" * 201, "ยาวเกินไป (ไม่เกิน 200 ตัวอักษร)"),
])
def test_a_unit_name_is_unique_in_the_organisation(admin, org, name, message):
    response = admin.post(UNITS, {"name": name})
    if message is None:
        assert response.status_code == 302 and "กอง คลัง" in names(org)
    else:
        assert response.status_code == 422 and message in response.context["form"].errors["name"][0]
        assert names(org) == ["สำนักปลัด", "กองคลัง"]


def test_the_same_name_in_another_organisation_is_fine(client_for, other_org):
    response = client_for("outsider").post(UNITS, {"name": "กองคลัง"})
    assert response.status_code == 302 and other_org.units.filter(name="กองคลัง").exists()


def test_renaming_a_unit_renames_it_everywhere(admin, assessment, palad, klang, personas):
    row = make_measure(assessment, [palad], activity="มาตรการของสำนักปลัด")
    response = admin.post(reverse("unit_edit", args=[palad.pk]), {"name": "สำนักปลัดองค์การ"})
    assert response.status_code == 302
    assert list(row.units.values_list("name", flat=True)) == ["สำนักปลัดองค์การ"]
    assert "สำนักปลัดองค์การ" in admin.get(reverse("measures:detail", args=[row.pk])).content.decode()
    duplicate = admin.post(reverse("unit_edit", args=[palad.pk]), {"name": "กองคลัง"})
    assert duplicate.status_code == 422 and "ในหน่วยงานนี้แล้ว" in duplicate.content.decode()
    same = admin.post(reverse("unit_edit", args=[palad.pk]), {"name": "สำนักปลัดองค์การ"})
    assert same.status_code == 302


def test_moving_units_up_and_down(admin, org, klang, palad):
    spare = Unit.objects.create(organisation=org, name="กองช่าง", position=0)  # positions as an old import left them
    assert names(org) == ["กองช่าง", "สำนักปลัด", "กองคลัง"]
    admin.post(reverse("unit_move", args=[klang.pk]), {"direction": "up"})
    assert names(org) == ["กองช่าง", "กองคลัง", "สำนักปลัด"]
    admin.post(reverse("unit_move", args=[spare.pk]), {"direction": "down"})
    assert names(org) == ["กองคลัง", "กองช่าง", "สำนักปลัด"]
    assert list(org.units.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
    response = admin.post(reverse("unit_move", args=[klang.pk]), {"direction": "up"}, follow=True)
    assert "อยู่ลำดับแรกหรือลำดับสุดท้ายแล้ว" in response.content.decode()
    response = admin.post(reverse("unit_move", args=[klang.pk]), {"direction": "sideways"}, follow=True)
    assert "ย้ายไม่ได้: คำสั่งไม่ถูกต้อง" in response.content.decode()
    assert names(org) == ["กองคลัง", "กองช่าง", "สำนักปลัด"]


def test_a_retired_unit_leaves_the_pickers_and_its_rows_and_people_keep_it(admin, client_for, assessment, palad, klang,
                                                                         personas, org):
    row = make_measure(assessment, [klang], activity="มาตรการของกองคลัง")
    response = admin.post(reverse("unit_retire", args=[klang.pk]), follow=True)
    assert "เลิกใช้ กองคลัง แล้ว" in response.content.decode()
    klang.refresh_from_db()
    assert klang.is_retired and Unit.objects.filter(pk=klang.pk).exists()
    # Kept where it is named, and shown as retired.
    assert list(row.units.all()) == [klang]
    assert list(personas["other_staff"].membership.units.all()) == [klang]
    detail = admin.get(reverse("measures:detail", args=[row.pk])).content.decode()
    assert "กองคลัง (เลิกใช้แล้ว)" in detail
    assert "เลิกใช้แล้ว" in admin.get(UNITS).content.decode()
    # Not offered for new assignments: a new row (admin or staff), a new person, a draft.
    admin_membership = personas["org_admin"].membership
    new_row = MeasureForm(instance=Measure(assessment=assessment, fiscal_year_id=2569), membership=admin_membership)
    assert list(new_row.fields["units"].queryset) == [palad]
    other_staff = personas["other_staff"].membership
    staff_row = MeasureForm(instance=Measure(assessment=assessment, fiscal_year_id=2569), membership=other_staff)
    assert list(staff_row.fields["units"].queryset) == []
    assert klang not in admin.get(reverse("person_invite")).context["form"].fields["units"].queryset
    # The existing row's form still offers it, so that saving the row keeps it.
    existing = MeasureForm(instance=row, membership=admin_membership)
    assert set(existing.fields["units"].queryset) == {palad, klang}
    # The plan still filters by it, and its staff still change its rows.
    plan = admin.get(reverse("measures:plan", args=[2569]), {"unit": klang.pk})
    assert plan.status_code == 200 and "มาตรการของกองคลัง" in plan.content.decode()
    assert client_for("other_staff").get(reverse("measures:edit", args=[row.pk])).status_code == 200


def test_a_staff_member_cannot_add_a_row_for_a_retired_unit(client_for, assessment, klang):
    klang.retired_at = timezone.now()
    klang.save()
    data = {"indicator": assessment.fiscal_year.indicators.get(number=9).pk, "indicator_label": "", "analysis": "",
            "activity": "แถวใหม่", "method": "", "period": "", "responsible": "", "status": "not_started",
            "progress": "0", "start_date": "", "end_date": "", "units": [klang.pk]}
    response = client_for("other_staff").post(reverse("measures:add", args=[2569]), data)
    assert response.status_code == 422, response.context["form"].errors
    assert "ตัวเลือกไม่ถูกต้อง" in response.context["form"].errors["units"][0]
    assert "ท่านยังไม่มีสำนัก/กองที่ใช้งานอยู่" in response.content.decode()
    assert not Measure.objects.filter(activity="แถวใหม่").exists()


def test_reactivating_brings_it_back_to_the_pickers(admin, klang, personas, assessment):
    admin.post(reverse("unit_retire", args=[klang.pk]))
    response = admin.post(reverse("unit_reactivate", args=[klang.pk]), follow=True)
    assert "กลับมาใช้ กองคลัง แล้ว" in response.content.decode()
    klang.refresh_from_db()
    assert not klang.is_retired and str(klang) == "กองคลัง"
    form = MeasureForm(instance=Measure(assessment=assessment, fiscal_year_id=2569),
                       membership=personas["org_admin"].membership)
    assert klang in form.fields["units"].queryset


def test_nothing_is_deleted(admin, org, klang):
    count = Unit.objects.count()
    admin.post(reverse("unit_retire", args=[klang.pk]))
    admin.post(reverse("unit_reactivate", args=[klang.pk]))
    assert Unit.objects.count() == count and Membership.objects.filter(units=klang).exists()
