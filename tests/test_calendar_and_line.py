"""The personal calendar feed (.ics at a secret address) and the LINE channel.

This machine cannot reach LINE: the pushes go to a local HTTP server standing in for the
Messaging API (LINE_API_HOST pointed at it), which records what the SDK sent."""

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse
from icalendar import Calendar

from audit.models import Entry
from measures.models import Measure
from notifications import kinds
from notifications.delivery import notify
from notifications.models import CalendarFeed, LineChannel

from .conftest import make_measure

GROUP = "C" + "0123456789abcdef" * 2


def feed_address(client):
    response = client.post(reverse("notifications:calendar_reset"))
    assert response.status_code == 200
    return response.context["address"]


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_has_the_due_dates_of_the_persons_rows(assessment, palad, klang, client_for, client):
    make_measure(assessment, [palad], activity="ติดตั้งป้าย", end_date=date(2026, 3, 31))
    make_measure(assessment, [], activity="ทุกสำนัก", for_all_units=True, end_date=date(2026, 4, 30))
    make_measure(assessment, [klang], activity="ของกองคลัง", end_date=date(2026, 5, 31))
    make_measure(assessment, [palad], activity="ไม่มีวันสิ้นสุด")
    make_measure(assessment, [palad], activity="เสร็จแล้ว", end_date=date(2026, 2, 1), status=Measure.Status.DONE, progress=100)
    address = feed_address(client_for("staff"))
    response = client.get(address)  # no sign-in: calendar programs cannot sign in
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    found = events(response)
    assert set(found) == {"ครบกำหนด: ติดตั้งป้าย", "ครบกำหนด: ทุกสำนัก"}
    assert found["ครบกำหนด: ติดตั้งป้าย"].decoded("dtstart") == date(2026, 3, 31)
    assert "/plan/measure/" in str(found["ครบกำหนด: ติดตั้งป้าย"]["url"])
    # An admin's feed has every open row of the organisation; an executive's none.
    assert len(events(client.get(feed_address(client_for("org_admin"))))) == 3
    assert events(client.get(feed_address(client_for("executive")))) == {}


def test_resetting_the_address_voids_the_old_one(personas, client_for, client):
    staff = client_for("staff")
    old = feed_address(staff)
    new = feed_address(staff)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=personas["staff"]).count() == 1
    # Only a hash of the secret is kept.
    secret = new.rsplit("-", 1)[1].removesuffix(".ics")
    assert secret not in CalendarFeed.objects.get(user=personas["staff"]).secret_hash
    page = staff.get(reverse("notifications:calendar")).content.decode()
    assert secret not in page and "สร้างลิงก์ใหม่" in page


@pytest.mark.parametrize("token", ["1-wrong", "abc", "99999-x", "1-", "-x", "9" * 30 + "-x"])
def test_a_wrong_or_forged_address_is_a_404(personas, client_for, client, token):
    feed_address(client_for("staff"))
    assert client.get(reverse("notifications:calendar_feed", args=[token])).status_code == 404


def test_a_deactivated_persons_feed_stops(personas, client_for, client):
    address = feed_address(client_for("staff"))
    personas["staff"].is_active = False
    personas["staff"].save()
    assert client.get(address).status_code == 404


def test_the_feed_runs_in_a_fixed_number_of_queries(assessment, palad, client_for, client, django_assert_num_queries):
    """Guards the feed against a query per row: the feed with its user, the membership, the
    member's units, the rows, and the OIT items (one query more, the membership and its units
    read once for both sources)."""
    make_measure(assessment, [palad], end_date=date(2026, 3, 31))
    address = feed_address(client_for("staff"))
    with django_assert_num_queries(5):
        client.get(address)
    for n in range(10):
        make_measure(assessment, [palad], end_date=date(2026, 4, n + 1))
    with django_assert_num_queries(5):
        assert len(events(client.get(address))) == 11


class FakeLine(BaseHTTPRequestHandler):
    """Answers as the Messaging API's push does, and keeps each request."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FakeLine.received.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
        answer = json.dumps({"sentMessages": [{"id": "1", "quoteToken": "q"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def line_server(settings):
    FakeLine.received = []
    server = HTTPServer(("127.0.0.1", 0), FakeLine)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LINE_API_HOST = f"http://127.0.0.1:{server.server_port}"
    yield FakeLine.received
    server.shutdown()
    server.server_close()


def test_an_admin_sets_the_channel_and_the_token_is_never_shown_back(org, personas, client_for):
    client = client_for("org_admin")
    response = client.post(reverse("line_channel"), {"access_token": "secret-token-123", "target_id": GROUP,
                                                     "enabled": "on"})
    assert response.status_code == 302
    channel = LineChannel.objects.get(organisation=org)
    assert (channel.access_token, channel.target_id, channel.updated_by) == ("secret-token-123", GROUP,
                                                                             personas["org_admin"])
    page = client.get(reverse("line_channel")).content.decode()
    assert "secret-token-123" not in page and "บันทึก token ไว้แล้ว" in page
    # Saved again without a token: the saved one stays.
    client.post(reverse("line_channel"), {"access_token": "", "target_id": GROUP})
    channel.refresh_from_db()
    assert channel.access_token == "secret-token-123" and channel.enabled is False
    entries = Entry.objects.filter(organisation_id=org.pk, content_type__model="linechannel")
    assert entries.count() == 2
    assert all("secret-token-123" not in json.dumps(entry.changes) for entry in entries)
    assert entries.first().actor == personas["org_admin"]


@pytest.mark.parametrize("data, message", [
    ({"access_token": "", "target_id": GROUP}, "กรุณากรอก Channel access token"),
    ({"access_token": "has space", "target_id": GROUP}, "ต้องไม่มีช่องว่าง"),
    ({"access_token": "t", "target_id": "C123"}, "รหัสผู้รับไม่ถูกต้อง"),
])
def test_a_bad_channel_is_refused_in_thai_and_nothing_is_saved(org, personas, client_for, data, message):
    response = client_for("org_admin").post(reverse("line_channel"), data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not LineChannel.objects.exists()


@pytest.mark.parametrize("persona, status", [("staff", 403), ("executive", 403), ("anonymous", 302)])
def test_only_admins_set_the_channel(personas, client_for, persona, status):
    response = client_for(persona).post(reverse("line_channel"), {"access_token": "t", "target_id": GROUP})
    assert response.status_code == status
    assert not LineChannel.objects.exists()


def test_notifications_are_pushed_once_per_event_through_the_sdk(org, other_org, personas, line_server,
                                                                   django_capture_on_commit_callbacks):
    LineChannel.objects.create(organisation=org, access_token="token-of-org", target_id=GROUP)
    LineChannel.objects.create(organisation=other_org, access_token="token-of-other", target_id="U" + "1" * 32)
    from .conftest import make_user

    make_user("admin2", org, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=kinds.PLAN_APPROVED, organisation=org, text="แผนปี 2569 ได้รับอนุมัติแล้ว", link="/plan/2569/")
    assert len(line_server) == 1  # two admins told, one message to the group
    [request] = line_server
    assert request["path"] == "/v2/bot/message/push"
    assert request["headers"]["Authorization"] == "Bearer token-of-org"
    assert request["body"]["to"] == GROUP
    [message] = request["body"]["messages"]
    assert message["type"] == "text"
    assert message["text"].startswith("แผนปี 2569 ได้รับอนุมัติแล้ว\n") and message["text"].endswith("/plan/2569/")


def test_per_person_digests_and_disabled_channels_are_not_pushed(org, personas, line_server,
                                                                 django_capture_on_commit_callbacks):
    channel = LineChannel.objects.create(organisation=org, access_token="t", target_id=GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=kinds.DUE_DIGEST, organisation=org, text="มาตรการที่ต้องติดตาม")
    assert line_server == []
    channel.enabled = False
    channel.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=kinds.PLAN_APPROVED, organisation=org, text="อนุมัติแล้ว")
    assert line_server == []


def test_a_line_refusal_is_logged_and_the_email_still_goes(org, personas, settings, caplog,
                                                           django_capture_on_commit_callbacks):
    from django.core import mail

    personas["org_admin"].email = "admin@example.go.th"
    personas["org_admin"].save()
    settings.LINE_API_HOST = "http://127.0.0.1:9"  # nothing listens there
    LineChannel.objects.create(organisation=org, access_token="t", target_id=GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        made = notify(kind=kinds.PLAN_APPROVED, organisation=org, text="อนุมัติแล้ว")
    assert len(made) == 1 and [m.to for m in mail.outbox] == [["admin@example.go.th"]]
    assert "LINE push to organisation" in caplog.text
