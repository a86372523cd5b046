"""Daily reminders: each staff member gets their units' late, due and stale rows, in Thai."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure
from measures.reminders import reminders_for

from .conftest import make_measure

TODAY = date(2026, 3, 2)


@pytest.fixture
def rows(assessment, palad, klang, personas, other_org):
    """Rows of the test organisation around TODAY, and one of another organisation."""
    for name in ("staff", "other_staff", "executive"):
        personas[name].email = f"{name}@example.go.th"
        personas[name].save()
    made = {
        "late": make_measure(assessment, [palad], activity="ล่าช้า", end_date=TODAY - timedelta(days=1)),
        "due": make_measure(assessment, [palad], activity="ใกล้ครบกำหนด", end_date=TODAY + timedelta(days=14)),
        "later": make_measure(assessment, [palad], activity="ยังไม่ถึงกำหนด", end_date=TODAY + timedelta(days=15)),
        "stale": make_measure(assessment, [palad], activity="ไม่ได้ปรับปรุง"),
        "done": make_measure(assessment, [palad], activity="เสร็จแล้ว", end_date=TODAY - timedelta(days=5),
                             status=Measure.Status.DONE, progress=100),
        "klang": make_measure(assessment, [klang], activity="ของกองคลัง", end_date=TODAY),
        "everyone": make_measure(assessment, [], activity="ทุกสำนัก", for_all_units=True, end_date=TODAY + timedelta(days=3)),
    }
    recent = timezone.make_aware(timezone.datetime.combine(TODAY, timezone.datetime.min.time()))
    Measure.objects.update(updated_at=recent)
    Measure.objects.filter(pk=made["stale"].pk).update(updated_at=recent - timedelta(days=31))
    return made


def test_staff_get_their_units_rows_sorted_into_late_due_and_stale(rows):
    by_user = {r.membership.user.username: r for r in reminders_for(TODAY)}
    assert set(by_user) == {"staff", "other_staff"}  # executives get none, staff without rows none
    staff = by_user["staff"]
    assert [m.activity for m in staff.late] == ["ล่าช้า"]
    assert [m.activity for m in staff.due] == ["ทุกสำนัก", "ใกล้ครบกำหนด"]
    assert [m.activity for m in staff.stale] == ["ไม่ได้ปรับปรุง"]
    assert [m.activity for m in by_user["other_staff"].due] == ["ของกองคลัง", "ทุกสำนัก"]


def test_command_sends_one_thai_email_per_staff_member(rows, settings):
    settings.PORTAL_BASE_URL = "https://ita.example.go.th"
    call_command("send_reminders", date=TODAY.isoformat(), stdout=StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["other_staff@example.go.th", "staff@example.go.th"]
    message = next(m for m in mail.outbox if m.to == ["staff@example.go.th"])
    assert message.subject == "ITA Portal: มาตรการที่ต้องติดตาม 4 มาตรการ (2 มีนาคม 2569)"
    assert "ล่าช้า (เลยวันสิ้นสุดตามแผน): 1 มาตรการ" in message.body
    assert "ครบกำหนดภายใน 14 วัน: 2 มาตรการ" in message.body
    assert "ไม่ได้ปรับปรุงมาแล้ว 30 วันขึ้นไป: 1 มาตรการ" in message.body
    assert f"https://ita.example.go.th/plan/measure/{rows['late'].pk}/" in message.body
    assert "https://ita.example.go.th/accounts/reminders/" in message.body
    assert "เสร็จแล้ว" not in message.body and "ของกองคลัง" not in message.body


def test_users_who_turned_reminders_off_or_have_no_email_get_nothing(rows, personas):
    membership = personas["staff"].membership
    membership.reminders_enabled = False
    membership.save()
    personas["other_staff"].email = ""
    personas["other_staff"].save()
    call_command("send_reminders", date=TODAY.isoformat(), stdout=StringIO())
    assert mail.outbox == []


def test_dry_run_sends_nothing_and_bad_date_is_refused(rows):
    out = StringIO()
    call_command("send_reminders", date=TODAY.isoformat(), dry_run=True, stdout=out)
    assert "staff@example.go.th: 1 late, 2 due, 1 not updated" in out.getvalue()
    assert mail.outbox == []
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", date="2569-13-01")


def test_reminder_query_count_does_not_grow_with_rows(rows, assessment, palad, django_assert_num_queries):
    """Guards the N+1 on each row's units and each member's units: rows, their units,
    members, their units."""
    with django_assert_num_queries(4):
        reminders_for(TODAY)
    for n in range(10):
        make_measure(assessment, [palad], activity=f"เพิ่ม {n}", end_date=TODAY)
    with django_assert_num_queries(4):
        reminders_for(TODAY)


def test_each_user_turns_their_own_reminders_off(client_for, personas):
    client = client_for("staff")
    page = client.get(reverse("reminder_settings"))
    assert page.status_code == 200 and "checked" in page.content.decode()
    response = client.post(reverse("reminder_settings"), {})
    assert response.status_code == 302
    personas["staff"].membership.refresh_from_db()
    assert personas["staff"].membership.reminders_enabled is False
    client.post(reverse("reminder_settings"), {"reminders_enabled": "on"})
    personas["staff"].membership.refresh_from_db()
    assert personas["staff"].membership.reminders_enabled is True
    personas["other_staff"].membership.refresh_from_db()
    assert personas["other_staff"].membership.reminders_enabled is True


def test_reminder_settings_need_sign_in_and_a_membership(client, db):
    from django.contrib.auth import get_user_model

    response = client.get(reverse("reminder_settings"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(get_user_model().objects.create_user("office", password="pw-for-tests-2569"))
    assert client.get(reverse("reminder_settings")).status_code == 403


def test_pending_invitees_and_deactivated_users_get_no_reminder(rows, personas, org, palad):
    """Someone invited who has not set a password yet (unusable password) and a deactivated
    account get nothing, even with rows of their units to act on; staff who can sign in still do."""
    from accounts.invitations import invitations_send
    from accounts.services import NewPerson, people_create

    [invitee] = people_create([NewPerson(org, "ผู้ได้รับเชิญ ใหม่", "invitee@example.go.th", "staff", [palad])])
    invitations_send([invitee])
    mail.outbox.clear()
    personas["other_staff"].is_active = False
    personas["other_staff"].save()
    assert {r.membership.user.username for r in reminders_for(TODAY)} == {"staff"}
    call_command("send_reminders", date=TODAY.isoformat(), stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["staff@example.go.th"]]
    # Once the invitee has set a password of their own, they are reminded like everyone else.
    invitee.user.set_password("a-password-of-their-own-2569")
    invitee.user.save()
    assert {r.membership.user.username for r in reminders_for(TODAY)} == {"staff", "invitee@example.go.th"}
