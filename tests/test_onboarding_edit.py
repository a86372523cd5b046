"""Correcting an onboarded organisation (name, short name, type, district, province) from its
onboarding page: platform staff anywhere, an area office only within its area and without moving
it out; the name unique within its province and district; every refusal in Thai, changing nothing;
each change in the audit log."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from assessments.models import Organisation
from audit.models import Entry
from oversight.models import OversightMembership


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ops(db):
    return get_user_model().objects.create_user("ops", is_staff=True)


@pytest.fixture
def platform(ops):
    return signed_in(ops)


def office(province="นครราชสีมา", district=""):
    user = get_user_model().objects.create_user(f"office-{district or province}")
    OversightMembership.objects.create(user=user, province=province, district=district)
    return signed_in(user)


@pytest.fixture
def wangsai(db):
    return Organisation.objects.create(name="องค์การบริหารส่วนตำบลวังทราย", short_name="อบต.วังทราย",
                                       kind=Organisation.Kind.SAO, district="ปากช่อง", province="นครราชสีมา")


def edit_url(organisation):
    return reverse("onboarding:edit", args=[organisation.pk])


def values(organisation, **changes):
    return {"name": organisation.name, "short_name": organisation.short_name, "kind": organisation.kind,
            "district": organisation.district, "province": organisation.province, **changes}


def as_stored(organisation):
    organisation.refresh_from_db()
    return (organisation.name, organisation.short_name, organisation.kind, organisation.district,
            organisation.province)


def test_the_organisation_page_links_to_its_edit_form_filled_in(platform, wangsai):
    page = platform.get(reverse("onboarding:organisation", args=[wangsai.pk])).content.decode()
    assert f'href="{edit_url(wangsai)}"' in page and "แก้ไขข้อมูลหน่วยงาน" in page
    form = platform.get(edit_url(wangsai)).context["form"]
    assert form["name"].value() == "องค์การบริหารส่วนตำบลวังทราย" and form["district"].value() == "ปากช่อง"
    assert form["province"].value() == "นครราชสีมา" and form["kind"].value() == "อบต."


def test_platform_staff_change_everything_anywhere_and_the_name_is_written_out(platform, wangsai, ops):
    response = platform.post(edit_url(wangsai), {"name": "ทต. วังทราย ๒", "short_name": "", "kind": "",
                                                 "district": "อ.เมืองขอนแก่น", "province": "ขอนแก่น"})
    assert response.status_code == 302 and response["Location"] == reverse("onboarding:organisation",
                                                                           args=[wangsai.pk])
    assert as_stored(wangsai) == ("เทศบาลตำบลวังทราย ๒", "ทต.วังทราย ๒", "เทศบาล", "เมืองขอนแก่น", "ขอนแก่น")
    entry = Entry.objects.filter(content_type__model="organisation", object_pk=str(wangsai.pk)).latest("pk")
    assert entry.kind == Entry.Kind.UPDATE and entry.actor_id == ops.pk and entry.organisation_id == wangsai.pk
    assert entry.changes["name"] == ["องค์การบริหารส่วนตำบลวังทราย", "เทศบาลตำบลวังทราย ๒"]
    assert entry.changes["province"] == ["นครราชสีมา", "ขอนแก่น"]


def test_an_area_office_edits_within_its_province_and_cannot_move_it_out(wangsai):
    korat = office()
    form = korat.get(edit_url(wangsai)).context["form"]
    assert form.fields["province"].disabled and not form.fields["district"].disabled
    response = korat.post(edit_url(wangsai), values(wangsai, short_name="วังทราย", district="สีคิ้ว",
                                                    province="ขอนแก่น"))
    assert response.status_code == 302
    # The province is fixed to the office's: the posted one is ignored.
    assert as_stored(wangsai) == ("องค์การบริหารส่วนตำบลวังทราย", "วังทราย", "อบต.", "สีคิ้ว", "นครราชสีมา")


def test_a_district_office_keeps_the_organisation_in_its_district(wangsai):
    pakchong = office("นครราชสีมา", "ปากช่อง")
    form = pakchong.get(edit_url(wangsai)).context["form"]
    assert form.fields["province"].disabled and form.fields["district"].disabled
    response = pakchong.post(edit_url(wangsai), values(wangsai, name="อบต.วังทรายใหม่", district="สีคิ้ว"))
    assert response.status_code == 302
    assert as_stored(wangsai)[0::3] == ("องค์การบริหารส่วนตำบลวังทรายใหม่", "ปากช่อง")


def test_an_organisation_outside_the_onboarders_reach_is_a_404(wangsai, client_for):
    before = as_stored(wangsai)
    for outsider in (office("ขอนแก่น"), office("นครราชสีมา", "สีคิ้ว")):
        assert outsider.get(edit_url(wangsai)).status_code == 404
        assert outsider.post(edit_url(wangsai), values(wangsai, name="อบต.ยึด")).status_code == 404
    for persona in ("org_admin", "staff", "executive"):
        assert client_for(persona).post(edit_url(wangsai), values(wangsai, name="อบต.ยึด")).status_code == 403
    assert as_stored(wangsai) == before
    assert office().get(reverse("onboarding:edit", args=[10**9])).status_code == 404


@pytest.mark.parametrize("changes, field, message", [
    ({"name": "อบต. หนองบัว"}, "name", "มีองค์การบริหารส่วนตำบลหนองบัว (อำเภอปากช่อง จังหวัดนครราชสีมา) ในระบบแล้ว"),
    ({"name": "องค์การบริหารส่วนตำบล หนอง บัว"}, "name", "ในระบบแล้ว"),
    ({"kind": "เทศบาล"}, "kind", "ไม่ตรงกับชื่อหน่วยงาน"),
    ({"kind": "โรงเรียน"}, "kind", "ตัวเลือกไม่ถูกต้อง"),
    ({"district": ""}, "district", "ต้องระบุอำเภอ"),
    ({"province": "แอตแลนติส"}, "province", "ตัวเลือกไม่ถูกต้อง"),
    ({"province": ""}, "province", "กรุณากรอกช่องนี้"),
    ({"name": ""}, "name", "กรุณากรอกช่องนี้"),
    ({"name": "อบต." + "ก" * 190}, "name", "ยาวเกิน 200 ตัวอักษร"),  # once written out
    ({"short_name": "ก" * 101}, "short_name", "100"),
])
def test_a_bad_change_gets_a_thai_message_beside_its_field_and_changes_nothing(platform, wangsai, changes, field,
                                                                               message):
    Organisation.objects.create(name="องค์การบริหารส่วนตำบลหนองบัว", district="ปากช่อง", province="นครราชสีมา")
    before = as_stored(wangsai)
    response = platform.post(edit_url(wangsai), values(wangsai, **changes))
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert as_stored(wangsai) == before


def test_the_same_name_is_fine_in_another_district_and_for_the_organisation_itself(platform, wangsai):
    Organisation.objects.create(name="องค์การบริหารส่วนตำบลหนองบัว", district="สีคิ้ว", province="นครราชสีมา")
    assert platform.post(edit_url(wangsai), values(wangsai, short_name="วังทราย")).status_code == 302
    assert platform.post(edit_url(wangsai), values(wangsai, name="อบต.หนองบัว")).status_code == 302
    assert as_stored(wangsai)[0] == "องค์การบริหารส่วนตำบลหนองบัว"


def test_a_name_taken_at_the_same_moment_gets_a_thai_message_not_a_500(platform, wangsai, monkeypatch):
    """The check passes (as if the other organisation were added just after it) and the
    database's unique constraint refuses the save."""
    from onboarding import organisations

    Organisation.objects.create(name="องค์การบริหารส่วนตำบลหนองบัว", district="ปากช่อง", province="นครราชสีมา")
    keys = iter(range(10**6))
    monkeypatch.setattr(organisations, "name_key", lambda name: next(keys))
    before = as_stored(wangsai)
    response = platform.post(edit_url(wangsai), values(wangsai, name="อบต.หนองบัว"))
    assert response.status_code == 422
    assert "มีหน่วยงานชื่อนี้ในอำเภอและจังหวัดเดียวกันในระบบแล้ว" in response.content.decode()
    assert as_stored(wangsai) == before


def test_the_edit_page_reads_the_database_a_fixed_number_of_times(platform, wangsai, django_assert_num_queries):
    """Session, user, the user's membership (none: platform staff), the organisation, the user's
    area office (none) for the menu; nothing per province or neighbouring organisation."""
    with django_assert_num_queries(3):
        platform.get(edit_url(wangsai))
    for n in range(5):
        Organisation.objects.create(name=f"องค์การบริหารส่วนตำบลข้าง {n}", district="ปากช่อง", province="นครราชสีมา")
    with django_assert_num_queries(3):
        platform.get(edit_url(wangsai))
