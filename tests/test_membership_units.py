"""A member's units are units of the member's own organisation: refused in the portal's form, in
the Django admin's membership form, and by the database for any other code path."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.forms import InvitePersonForm, PersonForm
from accounts.models import Membership
from assessments.models import Unit

from .conftest import make_user


@pytest.fixture
def member(personas):
    return personas["staff"].membership


@pytest.fixture
def foreign_unit(other_org):
    return other_org.units.get()


def test_the_portal_forms_refuse_another_organisations_unit(org, palad, foreign_unit):
    for form in (
        PersonForm({"name": "ก ข", "role": "staff", "units": [foreign_unit.pk]}, organisation=org),
        InvitePersonForm({"name": "ก ข", "email": "a@example.go.th", "role": "staff", "units": [foreign_unit.pk]},
                         organisation=org),
    ):
        assert not form.is_valid()
        assert "ตัวเลือกไม่ถูกต้อง" in form.errors["units"][0]


def test_the_people_page_refuses_another_organisations_unit_and_changes_nothing(client_for, member, foreign_unit,
                                                                                palad):
    response = client_for("org_admin").post(reverse("person_edit", args=[member.pk]),
                                            {"name": "ชื่อ ใหม่", "role": "staff", "units": [foreign_unit.pk]})
    assert response.status_code == 422
    assert "ตัวเลือกไม่ถูกต้อง" in response.content.decode()
    assert list(member.units.all()) == [palad]


def test_check_units_names_the_foreign_units_in_thai(org, foreign_unit, palad):
    Membership.check_units(org, [palad])
    with pytest.raises(ValidationError) as refused:
        Membership.check_units(org, [palad, foreign_unit])
    assert "ไม่ใช่ของ อบต.ทดสอบ" in refused.value.messages[0] and foreign_unit.name in refused.value.messages[0]


@pytest.fixture
def root_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests-2569"))
    return client


def test_the_admin_membership_form_offers_only_the_organisations_own_units(root_client, member, palad, klang,
                                                                          foreign_unit):
    response = root_client.get(reverse("admin:accounts_membership_change", args=[member.pk]))
    assert response.status_code == 200
    offered = set(response.context["adminform"].form.fields["units"].queryset)
    assert offered == {palad, klang}


def test_the_admin_membership_form_refuses_another_organisations_unit(root_client, member, palad, foreign_unit):
    url = reverse("admin:accounts_membership_change", args=[member.pk])
    data = {"user": member.user_id, "role": "staff", "units": [foreign_unit.pk], "reminders_enabled": "on"}
    response = root_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["units"]
    assert list(member.units.all()) == [palad]


def test_the_admin_adds_a_membership_without_units_and_refuses_platform_staff(root_client, org):
    add = reverse("admin:accounts_membership_add")
    assert "units" not in root_client.get(add).context["adminform"].form.fields
    newcomer = get_user_model().objects.create_user("newcomer")
    response = root_client.post(add, {"user": newcomer.pk, "organisation": org.pk, "role": "staff",
                                      "reminders_enabled": "on"})
    assert response.status_code == 302 and Membership.objects.filter(user=newcomer, organisation=org).exists()
    staff = get_user_model().objects.create_user("platform_person", is_staff=True)
    response = root_client.post(add, {"user": staff.pk, "organisation": org.pk, "role": "admin"})
    assert response.status_code == 200 and "เจ้าหน้าที่ดูแลแพลตฟอร์ม" in response.content.decode()
    assert not Membership.objects.filter(user=staff).exists()


def test_the_database_refuses_a_foreign_unit_however_it_is_written(member, foreign_unit, palad):
    through = Membership.units.through
    attempts = [
        lambda: member.units.add(foreign_unit),
        lambda: member.units.set([palad, foreign_unit]),
        lambda: through.objects.create(membership=member, unit=foreign_unit),
        lambda: through.objects.bulk_create([through(membership=member, unit=foreign_unit)]),
        lambda: through.objects.filter(membership=member).update(unit=foreign_unit),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    assert list(member.units.all()) == [palad]


def test_the_database_refuses_moving_a_member_or_a_unit_to_another_organisation(member, other_org, palad):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=member.pk).update(organisation=other_org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=palad.pk).update(organisation=other_org)
    member.refresh_from_db()
    palad.refresh_from_db()
    assert member.organisation_id == palad.organisation_id != other_org.pk


def test_own_units_and_ordinary_saves_pass(member, org, palad, klang, other_org):
    member.units.set([palad, klang])
    member.save()  # an UPDATE naming organisation_id, unchanged
    palad.name = "สำนักปลัดองค์การ"
    palad.save()
    # A member without units and a unit without members move freely.
    lonely = make_user("lonely", org, Membership.Role.EXECUTIVE).membership
    Membership.objects.filter(pk=lonely.pk).update(organisation=other_org)
    spare = Unit.objects.create(organisation=org, name="กองว่าง")
    Unit.objects.filter(pk=spare.pk).update(organisation=other_org)
    assert set(member.units.all()) == {palad, klang}


def test_rows_written_in_any_order_are_checked_when_the_last_one_arrives(member, org, other_org):
    """loaddata (a restore) writes memberships before units, with foreign keys checked at commit:
    the membership-unit row may come before its unit, and the unit's own trigger checks the pair."""
    through = Membership.units.through
    next_id = (Unit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 100
    with pytest.raises(IntegrityError), transaction.atomic():
        through.objects.create(membership=member, unit_id=next_id)
        Unit.objects.create(pk=next_id, organisation=other_org, name="กองของหน่วยงานอื่น")
    with transaction.atomic():
        through.objects.create(membership=member, unit_id=next_id)
        Unit.objects.create(pk=next_id, organisation=org, name="กองที่มาทีหลัง")
    assert member.units.filter(pk=next_id).exists()
