"""Notifications: who is told of what (and who is not), across roles, units and organisations;
e-mail preferences; the bell, the list and marking read; the invitation accepted."""

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.urls import reverse

from accounts.invitations import invitation_accepted, invitations_send
from accounts.models import Membership
from accounts.services import NewPerson, people_create
from measures.models import Plan
from notifications import kinds
from notifications.delivery import notify, recipients
from notifications.models import Notification, Preference

from .conftest import make_measure, make_user
from .plan_helpers import edit_data

SIGNED = {"signer_name": "นายสมชาย ใจดี", "signer_position": "นายก", "signed_on": "2025-10-20", "comment": "เห็นชอบ"}


@pytest.fixture
def people(personas, org, other_org, palad):
    """The personas with e-mail addresses, and the people who must never be told: a deactivated
    executive, a pending (invited, no password yet) executive, another organisation's executive,
    admin and staff, a second admin of the organisation."""
    for name, user in personas.items():
        user.email = f"{name}@example.go.th"
        user.save()
    extra = {
        "admin2": make_user("admin2", org, Membership.Role.ADMIN),
        "gone_exec": make_user("gone_exec", org, Membership.Role.EXECUTIVE),
        "foreign_exec": make_user("foreign_exec", other_org, Membership.Role.EXECUTIVE),
        "foreign_staff": make_user("foreign_staff", other_org, Membership.Role.STAFF, other_org.units.all()),
    }
    extra["gone_exec"].is_active = False
    extra["gone_exec"].save()
    [pending] = people_create([NewPerson(org, "ผู้บริหาร รอ", "pending@example.go.th", Membership.Role.EXECUTIVE)])
    invitations_send([pending], invited_by=personas["org_admin"])
    mail.outbox.clear()
    extra["pending_exec"] = pending.user
    for name, user in extra.items():
        if not user.email:
            user.email = f"{name}@example.go.th"
            user.save(update_fields=["email"])
    return {**personas, **extra}


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def plan(assessment, palad):
    make_measure(assessment, [palad], activity="จัดทำคู่มือ")
    return Plan.objects.get(assessment=assessment)


def step(client, name, data=None):
    return client.post(reverse(f"measures:{name}", args=[2569]), data or {})


def test_a_submitted_plan_is_told_to_its_organisations_executives_only(
        plan, people, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert step(client_for("org_admin"), "plan_submit").status_code == 302
    assert told("plan_submitted") == ["test_executive"]
    [note] = Notification.objects.filter(kind="plan_submitted")
    assert note.link == reverse("measures:plan_approve", args=[2569])
    assert "แผนพัฒนาองค์กรปี 2569 รออนุมัติ" in note.text
    assert [m.to for m in mail.outbox] == [["executive@example.go.th"]]
    assert "แผนพัฒนาองค์กรปี 2569 รออนุมัติ" in mail.outbox[0].subject
    assert "/plan/2569/approve/" in mail.outbox[0].body


def test_approval_and_sending_back_are_told_to_the_admins(plan, people, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        step(client_for("org_admin"), "plan_submit")
        assert step(client_for("executive"), "plan_return", {"comment": "ระยะเวลาไม่ชัด"}).status_code == 302
    assert told("plan_returned") == ["admin2", "org_admin"]
    assert "ระยะเวลาไม่ชัด" in Notification.objects.get(kind="plan_returned", recipient=people["admin2"]).text
    with django_capture_on_commit_callbacks(execute=True):
        step(client_for("org_admin"), "plan_submit")
        assert step(client_for("executive"), "plan_approve", SIGNED).status_code == 302
    assert told("plan_approved") == ["admin2", "org_admin"]
    assert told("plan_submitted") == ["test_executive", "test_executive"]


def test_an_admin_sending_back_or_reopening_is_not_told_their_own_step(
        plan, people, client_for, django_capture_on_commit_callbacks):
    admin = client_for("org_admin")
    with django_capture_on_commit_callbacks(execute=True):
        step(admin, "plan_submit")
        step(admin, "plan_return", {"comment": "ขอแก้"})
        step(admin, "plan_submit")
        step(client_for("executive"), "plan_approve", SIGNED)
        assert step(admin, "plan_reopen", {"comment": "เพิ่มมาตรการ"}).status_code == 302
    assert told("plan_returned") == ["admin2"]
    assert told("plan_reopened") == ["admin2"]


def test_a_row_newly_assigned_is_told_to_that_units_staff(
        assessment, people, palad, klang, client_for, django_capture_on_commit_callbacks):
    row = make_measure(assessment, [palad], activity="ติดตั้งป้าย")
    data = edit_data(row, units=[palad.pk, klang.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("org_admin").post(reverse("measures:edit", args=[row.pk]), data).status_code == 302
    assert told("row_assigned") == ["other_staff"]  # กองคลัง is new; สำนักปลัด had it already
    assert "ติดตั้งป้าย" in Notification.objects.get(kind="row_assigned").text
    assert [m.to for m in mail.outbox] == [["other_staff@example.go.th"]]
    row.refresh_from_db()
    # Saving again with the same units tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        client_for("org_admin").post(reverse("measures:edit", args=[row.pk]), edit_data(row))
    assert told("row_assigned") == ["other_staff"]


def test_a_row_added_by_staff_tells_their_colleagues_of_the_unit_not_themselves(
        assessment, people, palad, org, client_for, django_capture_on_commit_callbacks):
    first = make_measure(assessment, [palad])
    colleague = make_user("colleague", org, Membership.Role.STAFF, [palad])
    data = {"indicator": first.indicator_id, "indicator_label": "", "activity": "เผยแพร่ข้อมูล", "units": [palad.pk],
            "status": "not_started", "progress": 0}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(reverse("measures:add", args=[2569]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert told("row_assigned") == [colleague.username]


def test_recipients_never_leave_the_organisation_or_the_kinds_roles(people, org, other_org, palad):
    """A caller naming people outside the rule gets them dropped: another organisation's
    people, another role, the deactivated and the pending invitee."""
    everyone = list(people.values())
    assert [u.username for u in recipients(kinds.PLAN_SUBMITTED, org, users=everyone)] == ["test_executive"]
    assert [u.username for u in recipients(kinds.PLAN_SUBMITTED, other_org)] == ["foreign_exec"]
    assert [u.username for u in recipients(kinds.ROW_ASSIGNED, org, units=[palad])] == ["staff"]
    assert sorted(u.username for u in recipients(kinds.DUE_SUMMARY, org)) == ["admin2", "org_admin"]
    # Once the invitee has set a password of their own they are told like everyone else.
    people["pending_exec"].password = make_password("their-own-2569")
    people["pending_exec"].save()
    assert sorted(u.username for u in recipients(kinds.PLAN_SUBMITTED, org)) == ["pending@example.go.th", "test_executive"]


def test_an_accepted_invitation_is_told_to_the_admin_who_sent_it(people, org, client_for, django_capture_on_commit_callbacks):
    [person] = people_create([NewPerson(org, "เจ้าหน้าที่ ใหม่", "new@example.go.th", Membership.Role.STAFF)])
    invitations_send([person], invited_by=people["admin2"])
    person.user.set_password("their-own-2569")
    person.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_accepted(person.user)
    assert told("invitation_accepted") == ["admin2"]
    assert "เจ้าหน้าที่ ใหม่ (เจ้าหน้าที่) รับคำเชิญและเข้าใช้งานแล้ว" in mail.outbox[-1].body


def test_an_invitation_sent_by_someone_outside_the_organisation_is_told_to_its_admins(people, org):
    """The first admin of a new organisation is invited by platform staff or an area office."""
    from django.contrib.auth import get_user_model

    platform = get_user_model().objects.create_superuser("platform")
    [person] = people_create([NewPerson(org, "ผู้ดูแล ใหม่", "admin3@example.go.th", Membership.Role.ADMIN)])
    invitations_send([person], invited_by=platform)
    person.user.set_password("their-own-2569")
    person.user.save()
    invitation_accepted(person.user)
    assert told("invitation_accepted") == ["admin2", "org_admin"]


def test_accepting_an_invitation_through_its_page_notifies(org, personas, client, django_capture_on_commit_callbacks):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts.invitations import invitation_tokens

    [person] = people_create([NewPerson(org, "ผู้บริหาร ใหม่", "exec2@example.go.th", Membership.Role.EXECUTIVE)])
    invitations_send([person], invited_by=personas["org_admin"])
    uid = urlsafe_base64_encode(force_bytes(person.user_id))
    first = client.get(reverse("invitation", args=[uid, invitation_tokens.make_token(person.user)]))
    password = "a-password-of-their-own-2569"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(first["Location"], {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert told("invitation_accepted") == ["org_admin"]


def test_a_person_who_turned_a_kind_off_is_still_told_in_the_portal_but_not_by_email(
        plan, people, client_for, django_capture_on_commit_callbacks):
    Preference.objects.create(user=people["executive"], kind="plan_submitted", email=False)
    with django_capture_on_commit_callbacks(execute=True):
        step(client_for("org_admin"), "plan_submit")
    assert told("plan_submitted") == ["test_executive"]
    assert mail.outbox == []


def test_nobody_without_an_email_address_is_mailed(plan, people, client_for, django_capture_on_commit_callbacks):
    people["executive"].email = ""
    people["executive"].save()
    with django_capture_on_commit_callbacks(execute=True):
        step(client_for("org_admin"), "plan_submit")
    assert told("plan_submitted") == ["test_executive"] and mail.outbox == []


def test_each_person_turns_kinds_off_for_themselves(client_for, personas):
    client = client_for("executive")
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "แผนรออนุมัติ" in page and "checked" in page
    assert "มาตรการที่มอบหมายให้สำนัก/กองของฉัน" not in page  # a staff kind
    assert client.post(reverse("notifications:preferences"), {}).status_code == 302
    assert Preference.objects.get(user=personas["executive"], kind="plan_submitted").email is False
    client.post(reverse("notifications:preferences"), {"plan_submitted": "on"})
    assert Preference.objects.get(user=personas["executive"], kind="plan_submitted").email is True
    assert not Preference.objects.filter(user=personas["staff"]).exists()


def test_the_list_shows_ones_own_newest_first_and_opening_marks_read(personas, org, client_for):
    older = notify(kind=kinds.PLAN_APPROVED, organisation=org, text="แผนปี 2569 อนุมัติแล้ว", link="/plan/2569/")
    newer = notify(kind=kinds.PLAN_RETURNED, organisation=org, text="แผนปี 2570 ถูกส่งกลับ", link="/plan/2570/")
    notify(kind=kinds.PLAN_SUBMITTED, organisation=org, text="ของผู้บริหาร")
    client = client_for("org_admin")
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("แผนปี 2570 ถูกส่งกลับ") < page.index("แผนปี 2569 อนุมัติแล้ว")
    assert "ของผู้บริหาร" not in page
    response = client.post(reverse("notifications:open", args=[older[0].pk]))
    assert response.status_code == 302 and response["Location"] == "/plan/2569/"
    older[0].refresh_from_db()
    newer[0].refresh_from_db()
    assert older[0].read and not newer[0].read
    assert "ยังไม่อ่าน" not in client.get(reverse("notifications:list") + "?unread=on").content.decode().split(
        "แผนปี 2569")[0][-10:]
    assert client.post(reverse("notifications:read_all")).status_code == 302
    newer[0].refresh_from_db()
    assert newer[0].read


def test_another_persons_notification_is_a_404_and_stays_unread(personas, org, client_for):
    [theirs] = notify(kind=kinds.PLAN_SUBMITTED, organisation=org, text="แผนรออนุมัติ")
    assert client_for("org_admin").post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client_for("outsider").post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.read


def test_a_link_to_another_site_is_not_followed(personas, org, client_for):
    [note] = notify(kind=kinds.PLAN_SUBMITTED, organisation=org, text="แผน", link="https://evil.example/")
    response = client_for("executive").post(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_the_bell_counts_unread_in_one_query_whatever_their_number(
        personas, org, client_for, django_assert_num_queries):
    """Guards the bell against a query per notification on every page: the page holds only the
    place of the count, which the bell asks for once loaded, in one COUNT whether 1 or 30 are
    unread."""
    client = client_for("org_admin")
    notify(kind=kinds.PLAN_APPROVED, organisation=org, text="หนึ่ง")
    page = client.get(reverse("people")).content.decode()
    assert f'hx-get="{reverse("notifications:badge")}"' in page and 'data-testid="unread"' not in page
    # session, the user with their membership, and the unread count.
    with django_assert_num_queries(3):
        response = client.get(reverse("notifications:badge"), headers={"HX-Request": "true"})
    assert 'data-testid="unread">1<' in response.content.decode()
    for n in range(29):
        notify(kind=kinds.PLAN_APPROVED, organisation=org, text=f"ข้อ {n}")
    with django_assert_num_queries(3):
        response = client.get(reverse("notifications:badge"), headers={"HX-Request": "true"})
    assert 'data-testid="unread">30<' in response.content.decode()
    client.post(reverse("notifications:read_all"))
    assert "ไม่มีการแจ้งเตือนที่ยังไม่อ่าน" in client.get(reverse("notifications:badge")).content.decode()


def test_the_list_runs_in_a_fixed_number_of_queries(personas, org, client_for, django_assert_num_queries):
    """Guards the list against a query per notification (its kind label, its recipient)."""
    client = client_for("org_admin")
    notify(kind=kinds.PLAN_APPROVED, organisation=org, text="หนึ่ง")
    # session, the user with their membership and organisation (navbar), the count for the paginator, the page.
    with django_assert_num_queries(4):
        client.get(reverse("notifications:list"))
    for n in range(20):
        notify(kind=kinds.PLAN_APPROVED, organisation=org, text=f"ข้อ {n}")
    with django_assert_num_queries(4):
        client.get(reverse("notifications:list"))


def test_area_offices_and_platform_staff_have_an_empty_list_and_nothing_to_set(db, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("platform"))
    assert client.get(reverse("notifications:list")).status_code == 200
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "ไม่ได้สังกัดหน่วยงาน" in page


def test_every_kind_has_a_label_roles_of_the_membership_and_a_unique_key():
    roles = set(Membership.Role.values)
    for key, kind in kinds.KINDS.items():
        assert key == kind.key and str(kind.label) and set(kind.roles) <= roles
    with pytest.raises(ValueError):
        kinds.register(kinds.Kind("plan_submitted", "ซ้ำ", roles=(kinds.ADMIN,), audience="ซ้ำ"))


def test_rows_an_imported_file_gives_a_unit_are_told_to_its_staff_once(
        plan, people, palad, klang, client_for, django_capture_on_commit_callbacks):
    """One notice per unit with its count, not one per row: a file may hold thousands. A row the
    file gives a unit it already had tells nobody."""
    from .test_import_plan import confirm, upload, xlsx

    row = plan.measures.get()
    rows = [
        ["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม", "ผู้รับผิดชอบ"],
        [row.pk, row.indicator_label, row.activity, f"{palad.name} {klang.name}"],
        [None, "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", "เผยแพร่ข้อมูลจัดซื้อ", klang.name],
        [None, "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", "เผยแพร่รายงานการเงิน", klang.name],
    ]
    admin = client_for("org_admin")
    response = upload(admin, plan.assessment, xlsx(rows))
    assert not response.context["preview"].errors, response.context["preview"].errors
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(admin, plan.assessment, response).status_code == 302
    assert told("row_assigned") == ["other_staff"]  # สำนักปลัด had its row already
    notice = Notification.objects.get(kind="row_assigned")
    assert notice.text.endswith("จากการนำเข้าไฟล์: 3 มาตรการ") and f"unit={klang.pk}" in notice.link
