"""An organisation admin manages its people in the portal: the list, invite, role and units,
e-mail address, deactivate and reactivate (never oneself, never the last admin), resend an
invitation."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from assessments.models import Unit
from accounts.services import NewPerson, people_create, person_set_active

from .conftest import make_user

PEOPLE = reverse("people")
INVITE = reverse("person_invite")


@pytest.fixture
def admin(client_for):
    return client_for("org_admin")


def membership_of(personas, name):
    return Membership.objects.select_related("user").get(user=personas[name])


def test_the_list_shows_each_member_with_role_units_state_invitation_and_last_sign_in(admin, personas, org, palad):
    [pending] = people_create([NewPerson(org, "รอ ตั้งรหัส", "wait@example.go.th", Membership.Role.STAFF, [palad])])
    Membership.objects.filter(pk=pending.pk).update(invited_at=timezone.now())
    get_user_model().objects.filter(username="test_executive").update(last_login=timezone.now(), is_active=False)
    response = admin.get(PEOPLE)
    html = response.content.decode()
    assert response.status_code == 200
    rows = {m.user.username: m for m in response.context["members"]}
    assert set(rows) == {"staff", "other_staff", "test_executive", "org_admin", "wait@example.go.th"}
    assert "outsider" not in html  # another organisation's admin
    row = html[html.index(f'id="person-{pending.pk}"'):]
    row = row[:row.index("</tr>")]
    for text in ("รอ ตั้งรหัส", "wait@example.go.th", "เจ้าหน้าที่", "สำนักปลัด", "ใช้งาน", "รอตั้งรหัสผ่าน", "ยังไม่เคย",
                 "ส่งคำเชิญอีกครั้ง"):
        assert text in row, text
    executive = html[html.index(f'id="person-{membership_of(personas, "executive").pk}"'):]
    assert "ระงับ" in executive[:executive.index("</tr>")]


def test_the_people_list_runs_in_a_fixed_number_of_queries(admin, org, palad, klang, django_assert_num_queries):
    """Guards the N+1 of reading each member's user and units (and each unit's retirement)."""
    admin.get(PEOPLE)
    # session, the user with their membership, its organisation, the members with their users, their units
    with django_assert_num_queries(4):
        admin.get(PEOPLE)
    for n in range(12):
        make_user(f"more{n}", org, Membership.Role.STAFF, [palad, klang])
    with django_assert_num_queries(4):
        admin.get(PEOPLE)


def test_only_the_organisations_admin_manages_people(client_for, personas):
    staff_membership = membership_of(personas, "staff")
    for persona in ("staff", "executive"):
        assert client_for(persona).get(PEOPLE).status_code == 403
        assert client_for(persona).get(reverse("person_edit", args=[staff_membership.pk])).status_code == 403
    assert client_for("outsider").get(reverse("person_edit", args=[staff_membership.pk])).status_code == 404
    assert client_for("anonymous").get(PEOPLE).status_code == 302


def test_inviting_creates_the_person_without_a_password_and_sends_the_link(admin, org, palad):
    response = admin.post(INVITE, {"name": "นายใหม่ ใจดี", "email": " New.Person@Example.go.th ", "role": "staff",
                                   "units": [palad.pk]})
    assert response.status_code == 302 and response["Location"] == PEOPLE
    membership = Membership.objects.select_related("user").get(user__username="new.person@example.go.th")
    user = membership.user
    assert (user.first_name, user.last_name, user.email) == ("นายใหม่", "ใจดี", "new.person@example.go.th")
    assert not user.has_usable_password() and membership.invitation_pending
    assert (membership.organisation, membership.role, list(membership.units.all())) == (org, "staff", [palad])
    [message] = mail.outbox
    assert message.to == ["new.person@example.go.th"] and "/accounts/invitation/" in message.body
    assert "อบต.ทดสอบ" in message.body or "องค์การบริหารส่วนตำบลทดสอบ" in message.body


@pytest.mark.parametrize("data, field, message", [
    ({"email": "staff-new@example.go.th", "role": "staff", "units": []}, "units",
     "เจ้าหน้าที่ต้องสังกัดอย่างน้อยหนึ่งสำนัก/กอง"),
    ({"email": "ไม่ใช่อีเมล", "role": "executive"}, "email", "อีเมลไม่ถูกต้อง"),
    ({"email": "", "role": "executive"}, "email", "กรุณากรอกช่องนี้"),
    ({"email": "dup@example.go.th", "role": "executive"}, "email", "อีเมลนี้มีผู้ใช้ในระบบแล้ว"),
    ({"email": "x@example.go.th", "role": "boss"}, "role", "ตัวเลือกไม่ถูกต้อง"),
])
def test_a_bad_invitation_gets_a_thai_message_and_creates_nobody(admin, data, field, message):
    get_user_model().objects.create_user("someone", email="DUP@example.go.th")
    before = get_user_model().objects.count()
    response = admin.post(INVITE, {"name": "ก ข", **data})
    assert response.status_code == 422
    assert message in response.context["form"].errors[field][0]
    assert get_user_model().objects.count() == before and mail.outbox == []


def test_a_retired_unit_is_not_offered_for_an_invitation(admin, klang):
    klang.retired_at = timezone.now()
    klang.save()
    assert klang not in admin.get(INVITE).context["form"].fields["units"].queryset
    response = admin.post(INVITE, {"name": "ก ข", "email": "k@example.go.th", "role": "staff", "units": [klang.pk]})
    assert response.status_code == 422


def test_changing_role_and_units(admin, personas, palad, klang):
    member = membership_of(personas, "staff")
    response = admin.post(reverse("person_edit", args=[member.pk]),
                          {"name": "สมชาย  รักงาน", "role": "executive", "units": [palad.pk, klang.pk]})
    assert response.status_code == 302
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.role == "executive" and set(member.units.all()) == {palad, klang}
    assert member.user.get_full_name() == "สมชาย รักงาน"


def test_a_member_keeps_a_retired_unit_until_the_admin_removes_it(admin, personas, palad, klang):
    member = membership_of(personas, "staff")
    palad.retired_at = timezone.now()
    palad.save()
    form = admin.get(reverse("person_edit", args=[member.pk])).context["form"]
    assert palad in form.fields["units"].queryset  # they already have it
    response = admin.post(reverse("person_edit", args=[member.pk]), {"name": "ก ข", "role": "staff",
                                                                      "units": [palad.pk, klang.pk]})
    assert response.status_code == 302 and set(member.units.all()) == {palad, klang}
    html = admin.get(PEOPLE).content.decode()
    row = html[html.index(f'id="person-{member.pk}"'):]
    assert "เลิกใช้แล้ว" in row[:row.index("</tr>")]


def test_the_last_admin_cannot_demote_or_deactivate_themselves(admin, personas):
    me = membership_of(personas, "org_admin")
    response = admin.post(reverse("person_edit", args=[me.pk]), {"name": "ผู้ดูแล", "role": "executive"})
    assert response.status_code == 422
    assert "ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน" in response.content.decode()
    response = admin.post(reverse("person_active", args=[me.pk]), {"active": "0"}, follow=True)
    assert "ระงับบัญชีของตนเองไม่ได้" in response.content.decode()
    me.refresh_from_db()
    me.user.refresh_from_db()
    assert me.role == "admin" and me.user.is_active


def test_with_a_second_active_admin_one_may_step_down(admin, personas, org):
    make_user("second_admin", org, Membership.Role.ADMIN)
    me = membership_of(personas, "org_admin")
    response = admin.post(reverse("person_edit", args=[me.pk]), {"name": "ผู้ดูแล", "role": "executive"})
    assert response.status_code == 302 and response["Location"] == reverse("home")  # not the list they lost
    me.refresh_from_db()
    assert me.role == "executive"
    assert admin.get(PEOPLE).status_code == 403


def test_an_inactive_second_admin_does_not_count(admin, personas, org):
    second = make_user("second_admin", org, Membership.Role.ADMIN)
    second.is_active = False
    second.save()
    me = membership_of(personas, "org_admin")
    response = admin.post(reverse("person_edit", args=[me.pk]), {"name": "ผู้ดูแล", "role": "executive"})
    assert response.status_code == 422


def test_one_of_two_admins_deactivates_the_other_but_never_the_last(client, personas, org):
    other = make_user("other_admin", org, Membership.Role.ADMIN)
    client.force_login(other)
    me = membership_of(personas, "org_admin")
    assert client.post(reverse("person_active", args=[me.pk]), {"active": "0"}).status_code == 302
    me.user.refresh_from_db()
    assert not me.user.is_active
    # Whoever asks (a script, an admin deactivated meanwhile), the last active admin stays.
    with pytest.raises(ValidationError, match="อย่างน้อยหนึ่งคน"):
        person_set_active(membership=Membership.objects.get(user=other), active=False, by=personas["org_admin"])


def test_deactivating_signs_the_person_out_and_reactivating_lets_them_back(admin, personas, client_for):
    staff = client_for("staff")
    assert staff.get(reverse("notifications:preferences")).status_code == 200
    member = membership_of(personas, "staff")
    response = admin.post(reverse("person_active", args=[member.pk]), {"active": "0"}, follow=True)
    assert "ระงับบัญชีของ" in response.content.decode()
    assert staff.get(reverse("notifications:preferences")).status_code == 302  # signed out
    assert staff.post(reverse("login"), {"username": "staff", "password": "pw-for-tests-2569"}).status_code == 200
    admin.post(reverse("person_active", args=[member.pk]), {"active": "1"})
    response = staff.post(reverse("login"), {"username": "staff", "password": "pw-for-tests-2569"})
    assert response.status_code == 302


def test_a_forged_activation_value_changes_nothing(admin, personas):
    member = membership_of(personas, "staff")
    for data in ({}, {"active": "maybe"}):
        response = admin.post(reverse("person_active", args=[member.pk]), data, follow=True)
        assert "คำสั่งไม่ถูกต้อง" in response.content.decode()
    member.user.refresh_from_db()
    assert member.user.is_active


def test_resending_sends_a_new_link_only_while_the_invitation_is_pending(admin, org, personas):
    [pending] = people_create([NewPerson(org, "ก ข", "p@example.go.th", Membership.Role.EXECUTIVE)])
    Membership.objects.filter(pk=pending.pk).update(invited_at=timezone.now())
    response = admin.post(reverse("person_resend", args=[pending.pk]), follow=True)
    assert "ส่งคำเชิญใหม่ถึง p@example.go.th แล้ว" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["p@example.go.th"]]
    accepted = membership_of(personas, "staff")
    response = admin.post(reverse("person_resend", args=[accepted.pk]), follow=True)
    assert "ส่งคำเชิญได้เฉพาะผู้ที่ยังไม่ได้ตั้งรหัสผ่าน" in response.content.decode()
    assert len(mail.outbox) == 1
    accepted.user.refresh_from_db()
    assert accepted.user.has_usable_password()


# A person's e-mail address, changed by the organisation's admin.

def invitee(org, palad, email="somsri@example.go.th"):
    from accounts.invitations import invitations_send

    [member] = people_create([NewPerson(org, "สมศรี มีสุข", email, Membership.Role.STAFF, [palad])])
    invitations_send([member])
    return Membership.objects.select_related("user").get(pk=member.pk)


def edit(admin, member, **changes):
    data = {"name": member.user.get_full_name() or "ก ข", "email": member.user.email, "role": member.role,
            "units": [unit.pk for unit in member.units.all()], **changes}
    return admin.post(reverse("person_edit", args=[member.pk]), data)


def test_a_username_that_is_the_address_follows_a_new_address_and_the_password_stays(admin, org, palad):
    member = invitee(org, palad)
    member.user.set_password("รหัสผ่านของสมศรี-2569")
    member.user.save()
    mail.outbox.clear()
    response = edit(admin, member, email="Somsri.M@Example.go.th")
    assert response.status_code == 302
    user = get_user_model().objects.get(pk=member.user_id)
    assert (user.username, user.email) == ("somsri.m@example.go.th", "somsri.m@example.go.th")
    assert user.check_password("รหัสผ่านของสมศรี-2569")  # an active user keeps their password
    assert mail.outbox == []  # and gets no invitation


def test_another_username_stays_when_the_address_changes(admin, personas):
    member = membership_of(personas, "staff")
    response = edit(admin, member, email="palad@example.go.th")
    assert response.status_code == 302
    user = get_user_model().objects.get(pk=member.user_id)
    assert (user.username, user.email) == ("staff", "palad@example.go.th")


def test_an_address_in_use_is_refused_in_thai_and_changes_nothing(admin, personas, org, palad):
    member = invitee(org, palad)
    other = personas["other_staff"]
    other.email = "klang@example.go.th"
    other.save()
    for taken in ("klang@example.go.th", "KLANG@example.go.th"):
        response = edit(admin, member, email=taken)
        assert response.status_code == 422 and "อีเมลนี้มีผู้ใช้ในระบบแล้ว" in response.content.decode()
    response = edit(admin, member, email="not-an-address")
    assert response.status_code == 422 and "อีเมลไม่ถูกต้อง" in response.content.decode()
    get_user_model().objects.filter(pk=personas["outsider"].pk).update(username="out@example.go.th")
    response = edit(admin, member, email="out@example.go.th")  # another organisation's username
    assert response.status_code == 422 and "อีเมลนี้มีผู้ใช้ในระบบแล้ว" in response.content.decode()
    user = get_user_model().objects.get(pk=member.user_id)
    assert (user.username, user.email) == ("somsri@example.go.th", "somsri@example.go.th")


def test_the_same_address_in_other_letters_is_not_in_use_by_oneself(admin, org, palad):
    member = invitee(org, palad)
    mail.outbox.clear()
    assert edit(admin, member, email="SOMSRI@example.go.th").status_code == 302
    assert mail.outbox == []  # not a new address: no new invitation


def test_an_address_cannot_be_removed_once_there(admin, org, palad):
    member = invitee(org, palad)
    response = edit(admin, member, email="")
    assert response.status_code == 422 and "email" in response.context["form"].errors
    assert get_user_model().objects.get(pk=member.user_id).email == "somsri@example.go.th"


def test_a_pending_invitees_new_address_voids_the_old_link_and_gets_a_new_invitation(admin, client, org, palad,
                                                                                   settings):
    import re

    settings.PORTAL_BASE_URL = "https://ita.example.go.th"
    member = invitee(org, palad)
    link = re.compile(r"https://ita.example.go.th(/accounts/invitation/\S+/)")
    old_link = link.search(mail.outbox[0].body).group(1)
    mail.outbox.clear()
    response = edit(admin, member, email="somsri.new@example.go.th")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["somsri.new@example.go.th"]
    assert "ชื่อผู้ใช้ของท่าน: somsri.new@example.go.th" in message.body
    assert "ลิงก์นี้ใช้ไม่ได้" in client.get(old_link).content.decode()
    assert client.get(link.search(message.body).group(1)).status_code == 302  # the new link works
    member.refresh_from_db()
    assert member.invitation_pending and not member.user.has_usable_password()
    page = admin.get(PEOPLE).content.decode()
    assert "somsri.new@example.go.th" in page


def test_a_deactivated_invitees_new_address_gets_no_invitation(admin, org, palad):
    member = invitee(org, palad)
    get_user_model().objects.filter(pk=member.user_id).update(is_active=False)
    member = Membership.objects.select_related("user").get(pk=member.pk)
    mail.outbox.clear()
    assert edit(admin, member, email="gone@example.go.th").status_code == 302
    assert mail.outbox == []


def test_a_change_of_address_is_in_the_audit_log(admin, personas, org, palad):
    from audit.models import Entry

    member = invitee(org, palad)
    edit(admin, member, email="somsri.new@example.go.th")
    entry = Entry.objects.filter(object_pk=str(member.user_id), changes__has_key="email").latest("pk")
    assert entry.actor_id == personas["org_admin"].pk and entry.organisation_id == org.pk
    assert entry.changes["email"] == ["somsri@example.go.th", "somsri.new@example.go.th"]
    assert entry.changes["username"] == ["somsri@example.go.th", "somsri.new@example.go.th"]


def test_the_edit_page_runs_in_a_fixed_number_of_queries(admin, personas, palad, klang, django_assert_num_queries):
    """Guards against a query per unit offered or per unit the person has: session, user, the
    admin's membership, the person with their user and organisation, their units, the admin's
    organisation (menu), the units offered."""
    member = membership_of(personas, "staff")
    url = reverse("person_edit", args=[member.pk])
    admin.get(url)
    with django_assert_num_queries(5):
        admin.get(url)
    for n in range(8):
        Unit.objects.create(organisation=member.organisation, name=f"กอง {n}", position=10 + n)
    member.units.set(Unit.objects.filter(organisation=member.organisation))
    with django_assert_num_queries(5):
        admin.get(url)
