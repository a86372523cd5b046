"""In Chromium, with the portal's Content-Security-Policy enforced: the main pages of every role,
the in-place row edit, the what-if and the live entry panel (HTMX), and the Django admin, without
a single CSP violation or script error in the browser's console."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from accounts.invitations import invitation_link
from lib.http import portal_base_url
from accounts.models import Membership
from accounts.services import NewPerson, people_create
from measures.bin import measure_bin
from oversight.models import OversightMembership
from tests.conftest import make_measure


@pytest.fixture
def world(personas, assessment, palad):
    """The shared personas, a published year with a plan row of สำนักปลัด and one in the bin, an
    area office, and platform staff for the admin site (which admits nobody who belongs to an
    organisation)."""
    measure = make_measure(assessment, units=[palad], activity="มาตรการทดสอบ CSP")
    binned = make_measure(assessment, units=[palad], activity="แถวในถังขยะ")
    measure_bin(binned, version=binned.version, user=personas["staff"])
    assessment.is_public = True
    assessment.save(update_fields=["is_public"])
    area = get_user_model().objects.create_user("area_office")
    OversightMembership.objects.create(user=area, province="นครราชสีมา")
    platform = get_user_model().objects.create_superuser("platform")
    users = {**personas, "area_office": area, "platform": platform}
    return {"measure": measure, "assessment": assessment, "users": users}


class Watcher:
    """Every CSP violation and script error a page reports, with the URL it happened on."""

    def __init__(self):
        self.problems = []

    def attach(self, page):
        def on_console(message):
            # The browser's own request for /favicon.ico (the portal has none) is not the page's.
            if message.location.get("url", "").endswith("/favicon.ico"):
                return
            if "Content Security Policy" in message.text or message.type == "error":
                self.problems.append((page.url, message.type, message.text))

        page.on("console", on_console)
        page.on("response", lambda r: r.status >= 400 and self.problems.append((r.url, "status", r.status)))
        page.on("pageerror", lambda error: self.problems.append((page.url, "pageerror", str(error))))


@pytest.fixture
def open_as(browser, live_server, world):
    """open_as(persona) -> a Playwright page signed in as that persona (or signed out)."""
    watcher = Watcher()
    contexts = []

    def make(name):
        context = browser.new_context()
        contexts.append(context)
        if name != "anonymous":
            client = Client()
            client.force_login(world["users"][name])
            context.add_cookies([{
                "name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url,
            }])
        page = context.new_page()
        watcher.attach(page)
        return page

    make.watcher = watcher
    yield make
    for context in contexts:
        context.close()


def visit(page, url):
    response = page.goto(url)  # waits for the load event (see walk.go)
    assert response.status < 400, (url, response.status)
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy


def test_the_main_pages_of_every_role_raise_no_csp_violation(open_as, live_server, world):
    base = live_server.url
    a, m = world["assessment"], world["measure"]
    org = a.organisation_id

    page = open_as("anonymous")
    for path in ["/accounts/login/", f"/public/{org}/2568/", "/accounts/password-reset/",
                 "/accounts/password-reset/sent/", "/accounts/password-reset/MQ/not-a-token/",
                 "/accounts/password-reset/complete/"]:
        visit(page, base + path)
    [invited] = people_create([NewPerson(a.organisation, "ผู้ได้รับ เชิญ", "invited@example.go.th",
                                         Membership.Role.EXECUTIVE)])
    visit(page, base + invitation_link(invited.user).removeprefix(portal_base_url()))
    expect(page.locator("[name=new_password1]")).to_be_visible()  # the set-password form

    page = open_as("staff")
    visit(page, base + "/")  # staff land on the plan
    assert "/plan/2569/" in page.url
    page.click(f"#measure-{m.pk} [data-testid=edit]")  # the row as a form, in place (HTMX)
    form = page.locator(f"#measure-{m.pk} form.measure-edit")
    form.locator("[name=status]").select_option("in_progress")
    form.locator("[name=progress]").fill("40")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#measure-{m.pk} [data-testid=progress]")).to_have_text("40%")
    for path in [f"/plan/measure/{m.pk}/", f"/plan/measure/{m.pk}/history/", f"/plan/measure/{m.pk}/delete/",
                 "/notifications/settings/"]:
        visit(page, base + path)

    page = open_as("executive")
    for path in ["/dashboard/", f"/dashboard/{a.pk}/indicators/9/", "/dashboard/compare/", "/reports/",
                 f"/reports/{a.pk}/ita/", f"/reports/{a.pk}/progress/", "/assessments/",
                 f"/assessments/{a.pk}/check/"]:
        visit(page, base + path)
    visit(page, f"{base}/dashboard/{a.pk}/what-if/")
    page.fill("#id_score_9", "95")  # answered in place (HTMX)
    expect(page.get_by_test_id("projected-level")).to_be_visible()

    page = open_as("org_admin")
    visit(page, f"{base}/assessments/{a.pk}/edit/")
    page.fill("#id_score_9", "95")  # the live result panel (HTMX)
    page.wait_for_load_state("networkidle")
    staff_member = world["users"]["staff"].membership
    for path in [f"/assessments/{a.pk}/findings/", f"/assessments/{a.pk}/findings/paste/", f"/plan/draft/{a.pk}/", f"/reports/{a.pk}/import/",
                 "/accounts/sign-ins/", "/accounts/password/", "/accounts/two-factor/",
                 "/accounts/two-factor/setup/", "/accounts/two-factor/organisation/",
                 "/accounts/people/", "/accounts/people/invite/",
                 f"/accounts/people/{staff_member.pk}/", "/accounts/units/",
                 f"/accounts/units/{staff_member.units.get().pk}/",
                 "/audit/?kind=update", "/plan/bin/", "/plan/bin/empty/", "/plan/start/", "/plan/2569/submit/"]:
        visit(page, base + path)

    page = open_as("area_office")
    for path in ["/oversight/", "/onboarding/", "/onboarding/new/", "/onboarding/import/", f"/onboarding/{org}/",
                 f"/onboarding/{org}/edit/"]:
        visit(page, base + path)

    assert open_as.watcher.problems == []


def test_the_django_admin_raises_no_csp_violation(open_as, live_server, world):
    """The admin index, a change list, and change pages with a date picker and a two-list
    selector (filter_horizontal), which Django 5.2 draws with external scripts only."""
    base = live_server.url
    membership = world["users"]["staff"].membership
    page = open_as("platform")
    for path in ["/admin/", "/admin/measures/measure/", f"/admin/measures/measure/{world['measure'].pk}/change/",
                 "/admin/audit/entry/",
                 f"/admin/accounts/membership/{membership.pk}/change/",
                 f"/admin/assessments/assessment/{world['assessment'].pk}/change/"]:
        visit(page, base + path)
    expect(page.locator("#content h1")).to_be_visible()
    assert open_as.watcher.problems == []


def test_an_inline_style_or_script_would_be_caught(open_as, live_server):
    """The watcher is not blind: markup with an inline style and an inline script, added to a
    portal page, is refused by the browser and reported."""
    page = open_as("anonymous")
    visit(page, live_server.url + "/accounts/login/")
    page.evaluate("""document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>');
                     const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                     document.body.appendChild(s);""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    texts = [text for _url, _kind, text in open_as.watcher.problems]
    assert any("style-src" in text for text in texts) and any("script-src" in text for text in texts)
