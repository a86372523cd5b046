"""The OIT items in the follow-through: the notification of an item that failed its internal
review, the weekly digest of items late or due within 14 days, their due dates in the personal
calendar feed, and what waits for me (staff: their units' items to act on; admins: items waiting
for the review). Who is told and who is never told: another unit's staff, another organisation,
a deactivated member, a pending invitee, an executive."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.invitations import invitations_send
from accounts.models import Membership
from accounts.services import NewPerson, people_create
from dashboard.waiting import waiting_for
from notifications.models import Notification, Preference
from oit import tasks
from oit.digests import weekly_digest
from oit.models import Item

from .conftest import make_user
from .oit_helpers import start_workspace

TODAY = date(2026, 3, 2)
FAILED = "oit_review_failed"
DIGEST = "oit_due_digest"


@pytest.fixture
def people(personas, org, other_org, palad):
    """The personas with e-mail addresses, and those who must never be told: a deactivated and a
    pending (invited, no password yet) staff member of สำนักปลัด, and another organisation's staff."""
    for name, user in personas.items():
        user.email = f"{name}@example.go.th"
        user.save()
    gone = make_user("gone_staff", org, Membership.Role.STAFF, [palad])
    gone.is_active = False
    gone.save()
    make_user("foreign_staff", other_org, Membership.Role.STAFF, other_org.units.all())
    [pending] = people_create([NewPerson(org, "เจ้าหน้าที่ รอ", "pending@example.go.th", Membership.Role.STAFF, [palad])])
    invitations_send([pending], invited_by=personas["org_admin"])
    mail.outbox.clear()
    return personas


@pytest.fixture
def workspace(org, assessment):
    return start_workspace(org, 2568)


def item(workspace, code, units=(), due=None, review=""):
    found = Item.objects.get(workspace=workspace, question__code=code)
    found.units.set(units)
    found.due_date, found.review = due, review
    found.save(update_fields=["due_date", "review"])
    return found


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def review(client, pk, verdict, comment=""):
    return client.post(reverse("oit:review", args=[pk]), {"review": verdict, "comment": comment})


# An item failing its review.

def test_a_failed_review_tells_the_units_staff_and_the_preparer_and_nobody_else(
        people, workspace, palad, client_for, django_capture_on_commit_callbacks):
    o1 = item(workspace, "o1", [palad])
    admin = client_for("org_admin")
    admin.post(reverse("oit:link_add", args=[o1.pk]), {"url": "https://example.go.th/o1"})  # the admin prepares it
    workspace.reviewers.add(people["executive"])
    with django_capture_on_commit_callbacks(execute=True):
        assert review(client_for("executive"), o1.pk, "failed", "ไม่มีแผนผังองค์กร").status_code == 302
    o1.refresh_from_db()
    assert o1.review == Item.Review.FAILED
    # Not กองคลัง's staff, not the reviewer (an executive), not the deactivated member or the pending
    # invitee of สำนักปลัด, not the other organisation.
    assert told(FAILED) == {"staff", "org_admin"}
    notification = Notification.objects.get(kind=FAILED, recipient=people["staff"])
    assert notification.text.startswith("ข้อ OIT O1 ") and "ไม่ผ่านการตรวจภายใน" in notification.text
    assert notification.link == reverse("oit:item", args=[o1.pk])
    assert sorted(m.to[0] for m in mail.outbox) == ["org_admin@example.go.th", "staff@example.go.th"]
    assert "ไม่มีแผนผังองค์กร" in mail.outbox[0].body


def test_a_staff_preparer_of_another_unit_is_told_too_and_a_pass_tells_nobody(
        people, workspace, palad, klang, client_for, django_capture_on_commit_callbacks):
    o2 = item(workspace, "o2", [klang])
    client_for("other_staff").post(reverse("oit:link_add", args=[o2.pk]), {"url": "https://example.go.th/o2"})
    o2.units.set([palad])  # the admin moved the item to สำนักปลัด after กองคลัง prepared it
    with django_capture_on_commit_callbacks(execute=True):
        review(client_for("org_admin"), o2.pk, "passed", "ครบ")
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        review(client_for("org_admin"), o2.pk, "failed", "ลิงก์เสีย")
    assert told(FAILED) == {"staff", "other_staff"}  # not the admin who reviewed it
    # The same verdict and comment saved again tells nobody again; a new comment does.
    with django_capture_on_commit_callbacks(execute=True):
        review(client_for("org_admin"), o2.pk, "failed", "ลิงก์เสีย")
    assert Notification.objects.filter(kind=FAILED).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        review(client_for("org_admin"), o2.pk, "failed", "ลิงก์เสีย และไม่มีไฟล์")
    assert Notification.objects.filter(kind=FAILED).count() == 4


def test_the_email_preference_of_the_kind_is_respected(people, workspace, palad, client_for,
                                                       django_capture_on_commit_callbacks):
    o1 = item(workspace, "o1", [palad])
    Preference.objects.create(user=people["staff"], kind=FAILED, email=False)
    Preference.objects.create(user=people["staff"], kind=DIGEST, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        review(client_for("org_admin"), o1.pk, "failed", "ไม่ครบ")
    assert told(FAILED) == {"staff"}  # still on the bell
    assert mail.outbox == []
    # The preferences page offers the kinds to the roles that receive them.
    page = client_for("staff").get(reverse("notifications:preferences")).content.decode()
    assert "ข้อ OIT ไม่ผ่านการตรวจภายใน" in page and "สรุปรายสัปดาห์: ข้อ OIT ใกล้ครบกำหนดและล่าช้า" in page
    page = client_for("executive").get(reverse("notifications:preferences")).content.decode()
    assert "ข้อ OIT" not in page


# The weekly digest.

@pytest.fixture
def due(people, workspace, org, other_org, palad, klang):
    """Items around TODAY: late, due in 14 days, due in 15, passed, กองคลัง's; another
    organisation's late item."""
    made = {
        "late": item(workspace, "o1", [palad], TODAY - timedelta(days=1)),
        "due": item(workspace, "o2", [palad], TODAY + timedelta(days=14), review=Item.Review.FAILED),
        "later": item(workspace, "o3", [palad], TODAY + timedelta(days=15)),
        "passed": item(workspace, "o4", [palad], TODAY - timedelta(days=3), review=Item.Review.PASSED),
        "klang": item(workspace, "o5", [klang], TODAY),
    }
    foreign = start_workspace(other_org, 2568)
    made["foreign"] = item(foreign, "o1", other_org.units.all(), TODAY - timedelta(days=2))
    return made


def test_staff_get_their_units_late_and_due_items_and_nobody_else_is_told(due, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        weekly_digest(TODAY)
    # Not the admin, the executive, the deactivated member, the pending invitee.
    assert told(DIGEST) == {"staff", "other_staff", "foreign_staff"}
    mine = Notification.objects.get(kind=DIGEST, recipient__username="staff")
    assert mine.text == "ข้อ OIT ที่ต้องติดตาม (2 มีนาคม 2569): ล่าช้า 1 ครบกำหนดภายใน 14 วัน 1"
    assert "O1 " in mine.body and "O2 " in mine.body and "ไม่ผ่านการตรวจภายใน" in mine.body
    assert "O3 " not in mine.body and "O4 " not in mine.body and "O5 " not in mine.body
    assert mine.link == reverse("oit:workspace", args=[2568])
    theirs = Notification.objects.get(kind=DIGEST, recipient__username="other_staff")
    assert "O5 " in theirs.body and "O1 " not in theirs.body
    foreign = Notification.objects.get(kind=DIGEST, recipient__username="foreign_staff")
    assert foreign.organisation_id == due["foreign"].workspace.organisation_id and "O2 " not in foreign.body
    assert sorted(m.to[0] for m in mail.outbox) == ["other_staff@example.go.th", "staff@example.go.th"]


def test_the_digest_respects_the_email_preference_and_skips_a_past_years_workspace(
        due, people, org, palad, django_capture_on_commit_callbacks):
    Preference.objects.create(user=people["staff"], kind=DIGEST, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        weekly_digest(TODAY)
    assert [m.to[0] for m in mail.outbox] == ["other_staff@example.go.th"]
    assert "staff" in told(DIGEST)
    # Once the organisation works on the next year, the past year's items are no longer followed.
    Notification.objects.all().delete()
    start_workspace(org, 2569)
    weekly_digest(TODAY)
    assert told(DIGEST) == {"foreign_staff"}


def test_the_digest_query_count_does_not_grow_with_items_or_members(due, workspace, org, palad,
                                                                    django_assert_num_queries):
    """Guards the N+1 on each item's units, each member's units and each recipient: the items
    and their units, the staff and their units; per organisation, the allowed recipients and
    their insert."""
    with django_assert_num_queries(4 + 2 * 2):
        weekly_digest(TODAY)
    for code in ("o6", "o7", "o8", "o9"):
        item(workspace, code, [palad], TODAY)
    for n in range(5):
        make_user(f"more_staff_{n}", org, Membership.Role.STAFF, [palad])
    Notification.objects.all().delete()
    with django_assert_num_queries(4 + 2 * 2):
        assert weekly_digest(TODAY) == 8


def test_the_beat_task_and_the_command_run_the_digest(due, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: TODAY)
    assert tasks.weekly_digest.delay().get() == 3
    assert any(entry["task"] == "oit.weekly_digest" for entry in settings.CELERY_BEAT_SCHEDULE.values())
    Notification.objects.all().delete()
    out = StringIO()
    call_command("send_digests", "oit-weekly", date=TODAY.isoformat(), stdout=out)
    assert out.getvalue().strip() == "3 notifications" and len(told(DIGEST)) == 3


# The calendar feed.

def events(client, client_for, persona):
    address = client_for(persona).post(reverse("notifications:calendar_reset")).context["address"]
    calendar = Calendar.from_ical(client.get(address).content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_feed_has_the_units_oit_items_not_passed(due, client_for, client):
    found = events(client, client_for, "staff")
    assert set(found) == {f"ครบกำหนดข้อ OIT: {due[key]}" for key in ("late", "due", "later")}
    event = found[f"ครบกำหนดข้อ OIT: {due['due']}"]
    assert event.decoded("dtstart") == TODAY + timedelta(days=14)
    assert str(event["url"]).endswith(reverse("oit:item", args=[due["due"].pk]))
    assert "ไม่ผ่านการตรวจภายใน" in str(event["description"])
    # An admin has every item of the organisation not passed yet; an executive none.
    assert len(events(client, client_for, "org_admin")) == 4
    assert events(client, client_for, "executive") == {}


# What waits for me.

def test_staff_see_their_units_oit_items_late_failed_or_due_soon(due, people, client_for):
    found = [entry.text for entry in waiting_for(people["staff"], TODAY)]
    assert found[0].startswith(f"ข้อ OIT ล่าช้า: {due['late']}")
    assert found[1].startswith(f"ข้อ OIT ไม่ผ่านการตรวจภายใน: {due['due']}")
    assert len(found) == 2  # not o3 (later), o4 (passed), o5 (กองคลัง's)
    assert [entry.text.split(":")[0] for entry in waiting_for(people["other_staff"], TODAY)] == [
        "ข้อ OIT ครบกำหนดภายใน 14 วัน"]
    assert waiting_for(people["executive"], TODAY) == []


def test_staff_see_their_oit_items_on_their_landing_page(people, workspace, palad, client_for):
    o1 = item(workspace, "o1", [palad], timezone.localdate() - timedelta(days=1))
    page = client_for("staff").get(reverse("dashboard:waiting"), headers={"HX-Request": "true"}).content.decode()
    assert f"ข้อ OIT ล่าช้า: {o1}" in page and reverse("oit:item", args=[o1.pk]) in page


def test_a_long_list_of_oit_items_is_cut_to_five(people, workspace, palad):
    for code in ("o1", "o2", "o3", "o4", "o5", "o6", "o7"):
        item(workspace, code, [palad], TODAY)
    found = waiting_for(people["staff"], TODAY)
    assert len(found) == 6 and found[-1].text == "และอีก 2 ข้อ OIT" and found[-1].link == reverse("oit:current")


def test_admins_see_the_items_waiting_for_review(people, workspace, org, palad, client_for):
    for code in ("o1", "o2"):
        published = item(workspace, code, [palad])
        published.status = Item.Status.PUBLISHED
        published.save(update_fields=["status"])
    reviewed = item(workspace, "o3", [palad], review=Item.Review.PASSED)
    reviewed.status = Item.Status.PUBLISHED
    reviewed.save(update_fields=["status"])
    assert "ข้อ OIT ที่เผยแพร่แล้วรอตรวจภายใน 2 ข้อ" in [entry.text for entry in waiting_for(people["org_admin"])]
    page = client_for("org_admin").get(reverse("dashboard:waiting"), headers={"HX-Request": "true"}).content.decode()
    assert "ข้อ OIT ที่เผยแพร่แล้วรอตรวจภายใน 2 ข้อ" in page
    assert not any("OIT" in entry.text for entry in waiting_for(people["outsider"]))


@pytest.mark.parametrize("persona", ["staff", "org_admin"])
def test_what_waits_costs_the_same_queries_with_one_oit_item_or_twenty(
        persona, people, workspace, palad, django_assert_num_queries):
    """Guards what waits against a query per OIT item (its question, its units): the same count
    with one item to act on or review as with twenty."""
    def fill(codes):
        for code in codes:
            found = item(workspace, code, [palad], TODAY)
            found.status = Item.Status.PUBLISHED
            found.save(update_fields=["status"])

    def user():
        found = type(people[persona]).objects.select_related("membership").get(pk=people[persona].pk)
        found.membership.unit_ids
        return found

    fill(["o1"])
    with CaptureQueriesContext(connection) as one:
        assert any("OIT" in entry.text for entry in waiting_for(user(), TODAY))
    fill([f"o{n}" for n in range(2, 21)])
    with django_assert_num_queries(len(one.captured_queries)):
        waiting_for(user(), TODAY)
