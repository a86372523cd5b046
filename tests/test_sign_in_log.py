"""The record of sign-ins and failures: kept by django-axes per sign-in, read by each
organisation's admins for their own users only, and keyed by the client's real address behind
the reverse proxy."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse
from django.utils import timezone

LOGIN = reverse("login")
LOG = reverse("sign_in_log")
PASSWORD = "pw-for-tests-2569"


def sign_in(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def test_every_failure_and_sign_in_is_kept_even_after_a_good_sign_in(client, personas):
    """AccessAttempt only counts failures and a good sign-in deletes the count; the failure log
    keeps each one."""
    sign_in(client, "staff", "wrong")
    sign_in(client, "staff", "wrong again")
    assert sign_in(client, "staff", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="staff").exists()
    assert AccessFailureLog.objects.filter(username="staff").count() == 2
    assert AccessLog.objects.filter(username="staff").count() == 1


def test_admin_reads_the_sign_ins_and_failures_of_their_own_organisation_newest_first(client, client_for, personas):
    admin = client_for("org_admin")  # signing the test client in is recorded too
    sign_in(client, "staff", "wrong", HTTP_USER_AGENT="Firefox ทดสอบ")
    sign_in(client, "test_executive", PASSWORD)
    sign_in(client, "outsider", "wrong")
    sign_in(client, "nobody-at-all", "wrong")
    response = admin.get(LOG)
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [(r["username"], r["outcome"]) for r in rows] == [
        ("test_executive", "sign_in"), ("staff", "failed"), ("org_admin", "sign_in")]
    html = response.content.decode()
    assert "เข้าสู่ระบบสำเร็จ" in html and "เข้าสู่ระบบไม่สำเร็จ" in html and "Firefox ทดสอบ" in html
    assert "outsider" not in html and "nobody-at-all" not in html
    assert AccessLog.objects.filter(username="test_executive").count() == 1  # reading changes nothing


def test_a_failure_while_locked_out_is_marked_as_such(client, client_for, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in(client, "staff", "wrong")
    rows = client_for("org_admin").get(LOG, {"kind": "failed"}).context["page"]
    outcomes = [r["outcome"] for r in rows]
    assert outcomes[0] == "locked_out" and outcomes[-1] == "failed"
    assert len(outcomes) == settings.AXES_FAILURE_LIMIT + 1


@pytest.mark.parametrize("kind, outcomes", [("sign_in", {"sign_in"}), ("failed", {"failed"}), ("", {"sign_in", "failed"})])
def test_the_record_can_show_only_sign_ins_or_only_failures(kind, outcomes, client, client_for, personas):
    sign_in(client, "staff", "wrong")
    sign_in(client, "test_executive", PASSWORD)
    rows = client_for("org_admin").get(LOG, {"kind": kind}).context["page"]
    assert {r["outcome"] for r in rows} == outcomes


@pytest.mark.parametrize("query, message", [
    ({"kind": "everything"}, "ตัวเลือกไม่ถูกต้อง"),
    ({"page": "สอง"}, "เลขหน้าต้องเป็นจำนวนเต็ม"),
    ({"page": "0"}, "เลขหน้าต้องไม่น้อยกว่า 1"),
])
def test_a_bad_query_string_gets_a_thai_message_and_the_first_page(query, message, client_for, personas):
    response = client_for("org_admin").get(LOG, query)
    assert response.status_code == 200
    assert message in response.content.decode() and response.context["page"].number == 1


def test_the_record_is_paged_fifty_at_a_time(client_for, personas):
    admin = client_for("org_admin")
    AccessLog.objects.all().delete()
    now = timezone.now()
    for n in range(60):
        log = AccessLog.objects.create(username="staff", ip_address="192.0.2.1", user_agent=f"agent {n}",
                                       http_accept="", path_info=LOGIN)
        AccessLog.objects.filter(pk=log.pk).update(attempt_time=now - timedelta(minutes=n))  # auto_now_add
    first = admin.get(LOG)
    assert len(first.context["page"]) == 50 and first.context["page"].paginator.num_pages == 2
    assert first.context["page"][0]["user_agent"] == "agent 0"
    second = admin.get(LOG, {"page": 2})
    assert [r["user_agent"] for r in second.context["page"]] == [f"agent {n}" for n in range(50, 60)]


def test_the_record_page_runs_in_a_fixed_number_of_queries(client, client_for, personas, django_assert_num_queries):
    """Guards an N+1: the rows are one union query, paged in the database; nothing is read per
    row (session, the user with their membership, organisation for the heading, count, page)."""
    admin = client_for("org_admin")
    sign_in(client, "staff", "wrong")
    admin.get(LOG)
    with django_assert_num_queries(4):
        admin.get(LOG)
    for _ in range(3):
        sign_in(client, "test_executive", PASSWORD)
        sign_in(client, "other_staff", "wrong")
    with django_assert_num_queries(4):
        admin.get(LOG)


@pytest.mark.parametrize("persona, status", [
    ("staff", 403), ("other_staff", 403), ("executive", 403), ("org_admin", 200), ("outsider", 200),
])
def test_only_organisation_admins_read_the_record(persona, status, client_for):
    response = client_for(persona).get(LOG)
    assert response.status_code == status
    if status == 403:
        assert "เฉพาะผู้ดูแลระบบเท่านั้น" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(LOG)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_navigation_links_the_record_for_admins_only(client_for):
    assert LOG in client_for("org_admin").get(reverse("notifications:preferences")).content.decode()
    assert LOG not in client_for("executive").get(reverse("notifications:preferences")).content.decode()


# Behind nginx (BEHIND_TLS_PROXY=true) REMOTE_ADDR is the proxy's; nginx appends the address it
# saw to X-Forwarded-For. These tests set what settings.py sets in that case.
PROXY = {"REMOTE_ADDR": "127.0.0.1"}


@pytest.fixture
def behind_proxy(settings):
    settings.AXES_CLIENT_IP_CALLABLE = "lib.http.client_ip"
    settings.TRUSTED_PROXY_COUNT = 1


def test_behind_the_proxy_failures_are_recorded_under_the_clients_address(client, personas, behind_proxy):
    sign_in(client, "staff", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.5", **PROXY)
    assert AccessFailureLog.objects.get().ip_address == "203.0.113.5"


def test_behind_the_proxy_one_client_locked_out_does_not_lock_out_another(client, personas, behind_proxy, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.5", **PROXY)
    assert sign_in(client, "staff", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **PROXY).status_code == 429
    assert sign_in(client, "staff", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **PROXY).status_code == 302


def test_behind_the_proxy_a_forged_forwarded_address_does_not_escape_the_lockout(client, personas, behind_proxy, settings):
    """The client may send any X-Forwarded-For; nginx appends the real address after it, and only
    that last entry is read."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.5", **PROXY)
    response = sign_in(client, "staff", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5", **PROXY)
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_behind_the_proxy_an_unreadable_forwarded_address_falls_back_to_the_proxys(client, personas, behind_proxy):
    sign_in(client, "staff", "wrong", HTTP_X_FORWARDED_FOR="not-an-address", **PROXY)
    assert AccessFailureLog.objects.get().ip_address == "127.0.0.1"


def test_without_the_proxy_the_forwarded_header_is_the_clients_invention_and_ignored(client, personas, settings):
    assert settings.AXES_CLIENT_IP_CALLABLE is None  # BEHIND_TLS_PROXY is off in the tests
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", REMOTE_ADDR="192.0.2.44")
    response = sign_in(client, "staff", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99", REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 429
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"192.0.2.44"}
