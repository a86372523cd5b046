"""The link check, against a local HTTP server the test starts (the machine has no internet)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from jobs.models import Job
from oit.links import check_links, check_url
from oit.models import Link

from .oit_helpers import start_workspace

SLOW_SECONDS = 1


class Handler(BaseHTTPRequestHandler):
    """/ok answers 200; /missing 404; /no-head refuses HEAD (405) and answers GET 200;
    /moved redirects to /ok; /slow answers after SLOW_SECONDS. Every request is noted."""

    seen = []
    lock = threading.Lock()
    in_flight = most_at_once = 0

    def _answer(self, method):
        Handler.seen.append((method, self.path))
        if self.path == "/slow":
            with Handler.lock:
                Handler.in_flight += 1
                Handler.most_at_once = max(Handler.most_at_once, Handler.in_flight)
            time.sleep(SLOW_SECONDS)
            with Handler.lock:
                Handler.in_flight -= 1
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head" and method == "HEAD":
            self.send_response(405)
        elif self.path in ("/ok", "/no-head", "/slow"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self._answer("HEAD")

    def do_GET(self):
        self._answer("GET")

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def local_addresses_allowed(settings):
    """The check refuses addresses inside the server's network; these tests' server is one."""
    settings.OIT_LINK_CHECK_PRIVATE_ADDRESSES = True


@pytest.fixture
def server():
    Handler.seen, Handler.in_flight, Handler.most_at_once = [], 0, 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_head_first_then_get_where_head_is_refused(server):
    assert check_url(f"{server}/ok").status == 200
    assert check_url(f"{server}/no-head").status == 200
    assert Handler.seen == [("HEAD", "/ok"), ("HEAD", "/no-head"), ("GET", "/no-head")]


def test_redirects_are_followed_and_errors_are_broken(server):
    assert check_url(f"{server}/moved").status == 200
    missing = check_url(f"{server}/missing")
    assert missing.status == 404 and missing.broken


def test_a_timeout_and_a_refused_connection_are_broken_with_a_reason(server):
    slow = check_url(f"{server}/slow", timeout=0.5)
    assert slow.status is None and slow.broken and slow.error
    closed = check_url("http://127.0.0.1:9/nothing-listens-here", timeout=2)
    assert closed.status is None and closed.broken and closed.error


def test_the_job_records_status_and_date_and_the_workspace_shows_broken_links(
        server, org, assessment, client_for, django_capture_on_commit_callbacks):
    workspace = start_workspace(org, 2568)
    o1, o2 = workspace.items.in_order()[:2]
    good = Link.objects.create(item=o1, url=f"{server}/ok")
    bad = Link.objects.create(item=o2, url=f"{server}/missing")
    admin = client_for("org_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("oit:check_links", args=[2568]))
    job = Job.objects.get(kind="oit_links")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and (job.done, job.total) == (2, 2)
    assert job.message == "ตรวจลิงก์แล้ว 2 ลิงก์: ใช้งานไม่ได้ 1 ลิงก์"
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.check_status, bad.check_status) == (200, 404)
    assert good.checked_at and bad.checked_at and bad.is_broken and not good.is_broken
    html = admin.get(reverse("oit:workspace", args=[2568])).content.decode()
    broken = html.split('data-testid="oit-broken"')[1].split("</div>")[0]
    assert f"{server}/missing" in broken and f"{server}/ok" not in broken


def test_a_few_links_are_checked_at_a_time(server, org, assessment):
    """Six slow links, three at a time: the server sees three requests at once, never more."""
    workspace = start_workspace(org, 2568)
    item = workspace.items.first()
    links = [Link.objects.create(item=item, url=f"{server}/slow") for _ in range(6)]
    assert check_links(links, timeout=10, at_a_time=3) == 0
    assert Handler.most_at_once == 3


@pytest.mark.parametrize("persona, expected", [("staff", 403), ("executive", 403)])
def test_only_admins_start_the_check(client_for, org, assessment, persona, expected):
    start_workspace(org, 2568)
    assert client_for(persona).post(reverse("oit:check_links", args=[2568])).status_code == expected
    assert not Job.objects.exists()


def test_addresses_inside_the_servers_network_are_not_asked(server, settings):
    settings.OIT_LINK_CHECK_PRIVATE_ADDRESSES = False
    for url in (f"{server}/ok", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/"):
        checked = check_url(url, timeout=2)
        assert checked.status is None and checked.error == "private address" and checked.broken, url
    assert Handler.seen == []
