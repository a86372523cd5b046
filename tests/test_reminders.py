"""The scheduled reminders (measures/digests.py, on Celery beat): the weekly digest of late rows
and rows due within 14 days to each unit's staff with a summary to the admins, and the rows that
went 30 days without a progress note. They replace the daily reminder e-mail: the same people
(staff who can sign in, of the row's units), the same rows, as notifications that also go by
e-mail unless the person turned the kind off."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.invitations import invitations_send
from accounts.services import NewPerson, people_create
from measures import tasks
from measures.digests import due_rows, no_progress_scan, weekly_digest
from measures.models import Measure, Plan, ProgressNote
from notifications.models import Notification, Preference

from .conftest import make_measure, make_user
from .plan_helpers import approve

TODAY = date(2026, 3, 2)


@pytest.fixture
def rows(assessment, palad, klang, personas, other_org):
    """Rows of the test organisation around TODAY, and a late one of another organisation."""
    for name, user in personas.items():
        user.email = f"{name}@example.go.th"
        user.save()
    made = {
        "late": make_measure(assessment, [palad], activity="ล่าช้า", end_date=TODAY - timedelta(days=1)),
        "due": make_measure(assessment, [palad], activity="ใกล้ครบกำหนด", end_date=TODAY + timedelta(days=14)),
        "later": make_measure(assessment, [palad], activity="ยังไม่ถึงกำหนด", end_date=TODAY + timedelta(days=15)),
        "done": make_measure(assessment, [palad], activity="เสร็จแล้ว", end_date=TODAY - timedelta(days=5),
                             status=Measure.Status.DONE, progress=100),
        "klang": make_measure(assessment, [klang], activity="ของกองคลัง", end_date=TODAY),
        "everyone": make_measure(assessment, [], activity="ทุกสำนัก", for_all_units=True,
                                 end_date=TODAY + timedelta(days=3)),
    }
    from .conftest import make_assessment

    foreign = make_assessment(other_org, 2568)
    made["foreign"] = make_measure(foreign, other_org.units.all(), activity="ของหน่วยงานอื่น",
                                   end_date=TODAY - timedelta(days=2))
    make_user("foreign_staff", other_org, "staff", other_org.units.all())
    return made


def digest_of(username):
    return Notification.objects.get(kind="due_digest", recipient__username=username)


def test_staff_get_their_units_late_and_due_rows(rows, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        weekly_digest(TODAY)
    told = sorted(Notification.objects.filter(kind="due_digest").values_list("recipient__username", flat=True))
    assert told == ["foreign_staff", "other_staff", "staff"]  # executives and admins get no digest
    staff = digest_of("staff")
    assert staff.text == "มาตรการที่ต้องติดตาม (2 มีนาคม 2569): ล่าช้า 1 ครบกำหนดภายใน 14 วัน 2"
    assert "ล่าช้า (เลยวันสิ้นสุดตามแผน): 1 มาตรการ" in staff.body
    assert "ครบกำหนดภายใน 14 วัน: 2 มาตรการ" in staff.body
    assert staff.body.index("ทุกสำนัก") < staff.body.index("ใกล้ครบกำหนด")  # by end date
    for absent in ("เสร็จแล้ว", "ยังไม่ถึงกำหนด", "ของกองคลัง", "ของหน่วยงานอื่น"):
        assert absent not in staff.body
    other = digest_of("other_staff").body
    assert "ของกองคลัง" in other and "ทุกสำนัก" in other and "ล่าช้า\n" not in other
    assert "ของกองคลัง" not in digest_of("foreign_staff").body


def test_the_admins_get_their_own_organisations_summary_by_unit(rows, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        weekly_digest(TODAY)
    [summary] = Notification.objects.filter(kind="due_summary", organisation=rows["late"].assessment.organisation)
    assert summary.recipient == personas["org_admin"]
    assert summary.text == "สรุปรายสัปดาห์ของหน่วยงาน (2 มีนาคม 2569): มาตรการล่าช้า 1 ครบกำหนดภายใน 14 วัน 3"
    assert "- สำนักปลัด: ล่าช้า 1 ครบกำหนด 1" in summary.body
    assert "- กองคลัง: ล่าช้า 0 ครบกำหนด 1" in summary.body
    assert "- ทุกสำนัก/กอง: ล่าช้า 0 ครบกำหนด 1" in summary.body
    # The other organisation's admin (outsider) is told of their own rows only.
    [theirs] = Notification.objects.filter(kind="due_summary", recipient=personas["outsider"])
    assert "มาตรการล่าช้า 1 ครบกำหนดภายใน 14 วัน 0" in theirs.text


def test_each_digest_is_one_thai_email_with_links(rows, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_BASE_URL = "https://ita.example.go.th"
    with django_capture_on_commit_callbacks(execute=True):
        weekly_digest(TODAY)
    message = next(m for m in mail.outbox if m.to == ["staff@example.go.th"])
    assert message.subject == "ITA Portal: มาตรการที่ต้องติดตาม (2 มีนาคม 2569): ล่าช้า 1 ครบกำหนดภายใน 14 วัน 2"
    assert "https://ita.example.go.th/plan/?mine=on" in message.body
    assert "https://ita.example.go.th/notifications/settings/" in message.body
    assert sorted(m.to[0] for m in mail.outbox) == [
        "org_admin@example.go.th", "other_staff@example.go.th", "outsider@example.go.th", "staff@example.go.th",
    ]


def test_people_who_turned_the_digest_off_get_no_email_but_still_see_it(rows, personas,
                                                                          django_capture_on_commit_callbacks):
    Preference.objects.create(user=personas["staff"], kind="due_digest", email=False)
    with django_capture_on_commit_callbacks(execute=True):
        weekly_digest(TODAY)
    assert digest_of("staff")
    assert "staff@example.go.th" not in [m.to[0] for m in mail.outbox]
    assert "other_staff@example.go.th" in [m.to[0] for m in mail.outbox]


def test_pending_invitees_and_deactivated_users_get_no_digest(rows, personas, org, palad):
    """Someone invited who has not set a password yet and a deactivated account get nothing,
    even with rows of their units to act on; once the invitee sets a password, they do."""
    [invitee] = people_create([NewPerson(org, "ผู้ได้รับเชิญ ใหม่", "invitee@example.go.th", "staff", [palad])])
    invitations_send([invitee])
    personas["other_staff"].is_active = False
    personas["other_staff"].save()
    weekly_digest(TODAY)
    told = set(Notification.objects.filter(kind="due_digest").values_list("recipient__username", flat=True))
    assert told == {"staff", "foreign_staff"}
    Notification.objects.all().delete()
    invitee.user.set_password("a-password-of-their-own-2569")
    invitee.user.save()
    weekly_digest(TODAY)
    told = set(Notification.objects.filter(kind="due_digest").values_list("recipient__username", flat=True))
    assert told == {"staff", "foreign_staff", "invitee@example.go.th"}


def test_the_digest_query_count_does_not_grow_with_rows_or_members(rows, assessment, org, palad,
                                                                   django_assert_num_queries):
    """Guards the N+1 on each row's units, each member's units and each recipient: the rows and
    their units, the staff and their units; per organisation, the allowed recipients of the
    digest, their insert, the admins of the summary and its insert."""
    with django_assert_num_queries(4 + 2 * 4):
        weekly_digest(TODAY)
    for n in range(10):
        make_measure(assessment, [palad], activity=f"เพิ่ม {n}", end_date=TODAY)
        make_user(f"more_staff_{n}", org, "staff", [palad])
    with django_assert_num_queries(4 + 2 * 4):
        weekly_digest(TODAY)


def test_a_row_in_a_plan_of_another_organisation_never_reaches_this_one(rows):
    assert {row.activity for row, *_rest in due_rows(TODAY)[rows["foreign"].assessment.organisation]} == {
        "ของหน่วยงานอื่น"}


@pytest.fixture
def approved(assessment, palad, klang, personas):
    for name, user in personas.items():
        user.email = f"{name}@example.go.th"
        user.save()
    made = {
        "quiet": make_measure(assessment, [palad], activity="เงียบ"),
        "noted": make_measure(assessment, [palad], activity="มีบันทึก"),
        "klang": make_measure(assessment, [klang], activity="เงียบของกองคลัง"),
        "done": make_measure(assessment, [palad], activity="เสร็จ", status=Measure.Status.DONE, progress=100),
    }
    approve(Plan.objects.get(assessment=assessment), personas, signed_on=TODAY - timedelta(days=30))
    ProgressNote.objects.create(measure=made["noted"], text="ทำแล้ว", author=personas["staff"],
                                date=TODAY - timedelta(days=10))
    return made


def test_rows_quiet_for_30_days_are_told_to_their_units_staff_once(approved, personas):
    no_progress_scan(TODAY)
    staff = Notification.objects.get(kind="no_progress", recipient=personas["staff"])
    assert staff.text == "มาตรการไม่มีบันทึกความคืบหน้ามา 30 วัน: เงียบ"
    assert staff.link == reverse("measures:detail", args=[approved["quiet"].pk])
    other = Notification.objects.get(kind="no_progress", recipient=personas["other_staff"])
    assert "เงียบของกองคลัง" in other.text
    assert not Notification.objects.filter(kind="no_progress").exclude(
        recipient__in=[personas["staff"], personas["other_staff"]]).exists()
    # The next day the same rows are not told again.
    Notification.objects.all().delete()
    no_progress_scan(TODAY + timedelta(days=1))
    assert not Notification.objects.exists()


def test_a_progress_note_30_days_old_makes_the_row_quiet_again(approved, personas):
    ProgressNote.objects.create(measure=approved["noted"], text="เก่า", author=personas["staff"],
                                date=TODAY - timedelta(days=70))
    no_progress_scan(TODAY + timedelta(days=20))  # the newest note, 10 days before TODAY, is 30 days old
    [note] = Notification.objects.filter(kind="no_progress", recipient=personas["staff"])
    assert note.text.endswith("มีบันทึก")


def test_a_draft_plans_rows_are_never_quiet(assessment, palad, personas):
    make_measure(assessment, [palad], activity="ร่าง")
    no_progress_scan(TODAY)
    assert not Notification.objects.exists()


def test_the_beat_tasks_run_the_scans_for_today(rows, approved, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: TODAY)
    assert tasks.weekly_digest.delay().get() > 0
    assert tasks.no_progress_scan.delay().get() > 0
    assert Notification.objects.filter(kind="due_digest").exists()
    assert Notification.objects.filter(kind="no_progress").exists()


def test_the_schedule_names_tasks_that_exist(settings):
    from ita_portal.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_the_command_runs_a_scan_without_beat_and_refuses_a_bad_date(rows):
    out = StringIO()
    call_command("send_digests", "weekly", date=TODAY.isoformat(), stdout=out)
    assert "notifications" in out.getvalue() and Notification.objects.filter(kind="due_digest").exists()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_digests", "weekly", date="2569-13-01")


@pytest.mark.django_db(transaction=True)
def test_whoever_had_turned_the_daily_reminder_off_keeps_the_digests_email_off():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0004_membership_units_of_own_organisation"), ("notifications", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    User = apps.get_model("auth", "User")
    Organisation = apps.get_model("assessments", "Organisation")
    Membership = apps.get_model("accounts", "Membership")
    organisation = Organisation.objects.create(name="อบต.ก่อนมีการแจ้งเตือน")
    for username, enabled in (("quiet", False), ("keen", True)):
        Membership.objects.create(user=User.objects.create(username=username), organisation=organisation,
                                  reminders_enabled=enabled)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    off = set(Preference.objects.filter(email=False).values_list("user__username", "kind"))
    assert off == {("quiet", "due_digest"), ("quiet", "no_progress")}
