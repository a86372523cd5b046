"""Every role's pages as a browser opens them, for the phone-layout and accessibility tests.

`build_world` makes a small organisation with what the pages show (two years of results,
findings, three plan rows with a progress note, an area office, a public page); `PAGES` lists
what each role opens, the main pages marked; `open_role` gives one browser context per role;
`run_axe` injects the vendored axe-core into a page and returns its violations.

axe is injected as an inline script, which the portal's Content-Security-Policy forbids, so
the contexts made here bypass the CSP. tests/browser/test_security_csp.py keeps checking the
policy in contexts of its own, where nothing is injected.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from assessments.models import Finding
from measures.models import Measure, ProgressNote
from oversight.models import OversightMembership
from tests.conftest import make_assessment, make_measure

AXE_JS = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, one main, headings, skip link).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}

LONG = (
    "ผลการประเมินตัวชี้วัดการเปิดเผยข้อมูลยังต่ำกว่าเกณฑ์ เนื่องจากหน่วยงานยังไม่ได้เผยแพร่ข้อมูล"
    "การจัดซื้อจัดจ้างรายเดือนและรายงานผลการดำเนินงานประจำปีบนเว็บไซต์ให้ครบถ้วนตามที่กำหนด "
)


def build_world(personas, assessment, palad, klang):
    """The test organisation with two years of results, findings, three plan rows (one late,
    one for every unit, one done) with a progress note, a public 2568 page and an area office."""
    org = assessment.organisation
    make_assessment(org, 2567, published_overall="94.67", published_level="ผ่านดี")
    assessment.is_public = True
    assessment.save(update_fields=["is_public"])
    indicators = {i.number: i for i in assessment.fiscal_year.indicators.all()}
    Finding.objects.create(assessment=assessment, indicator=indicators[9], kind=Finding.Kind.IMPROVE,
                           code="o8", text="ไม่พบการเผยแพร่ข้อมูลการจัดซื้อจัดจ้างรายเดือน", oit_refs=["o8"])
    Finding.objects.create(assessment=assessment, indicator=indicators[4], kind=Finding.Kind.STRENGTH,
                           code="i10", text="บุคลากรรับรู้แนวปฏิบัติการใช้ทรัพย์สินของราชการ")
    today = date.today()
    late = make_measure(
        assessment, units=[palad], number=9, analysis=LONG * 2, method=LONG,
        activity="ปรับปรุงเว็บไซต์ให้เผยแพร่ข้อมูลครบตามรายการ OIT", status=Measure.Status.IN_PROGRESS,
        progress=40, start_date=today - timedelta(days=90), end_date=today - timedelta(days=5),
    )
    make_measure(assessment, number=4, activity="อบรมการใช้ทรัพย์สินของราชการ", for_all_units=True,
                 indicator_label="ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ", position=2)
    make_measure(assessment, units=[klang], number=1, activity="จัดทำคู่มือการปฏิบัติงาน",
                 status=Measure.Status.DONE, progress=100, position=3,
                 indicator_label="ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่")
    ProgressNote.objects.create(measure=late, author=personas["staff"], text="เผยแพร่ข้อมูลเดือนตุลาคมแล้ว",
                                link="https://example.go.th/oit/o8")
    area = get_user_model().objects.create_user("area_office")
    OversightMembership.objects.create(user=area, province="นครราชสีมา")
    return World(assessment=assessment, measure=late, users={**personas, "area_office": area})


@dataclass
class World:
    assessment: object
    measure: object
    users: dict = field(default_factory=dict)


def edit_in_place(page, world):
    """The plan row turned into its form (HTMX), as staff see it while editing."""
    page.click(f"#measure-{world.measure.pk} [data-testid=edit]")
    expect(page.locator(f"#measure-{world.measure.pk} form.measure-edit")).to_be_visible()


def type_what_if(page, world):
    page.fill("#id_score_9", "95")
    expect(page.get_by_test_id("projected-level")).to_be_visible()


def type_scores(page, world):
    page.fill("#id_score_9", "95")
    page.wait_for_load_state("networkidle")


@dataclass(frozen=True)
class Visit:
    path: str
    main: bool = False  # one of the main pages: checked strictly on a phone
    then: object = None  # what the user does on the page before it is checked
    status: int = 200


# {a}: the 2568 assessment, {m}: its late plan row, {org}: the organisation.
PAGES = {
    "anonymous": [
        Visit("/accounts/login/"),
        Visit("/public/{org}/2568/"),
        Visit("/no-such-page/", status=404),
    ],
    "staff": [
        Visit("/plan/2569/", main=True, then=edit_in_place),
        Visit("/plan/measure/{m}/", main=True),
        Visit("/plan/measure/{m}/history/"),
        Visit("/plan/measure/{m}/edit/"),
        Visit("/plan/measure/{m}/delete/"),
        Visit("/plan/2569/add/"),
        Visit("/dashboard/", main=True),
        Visit("/reports/", main=True),
        Visit("/reports/{a}/ita/"),
        Visit("/reports/{a}/progress/"),
        Visit("/accounts/reminders/"),
    ],
    "executive": [
        Visit("/dashboard/", main=True),
        Visit("/dashboard/{a}/indicators/9/", main=True),
        Visit("/dashboard/{a}/what-if/", main=True, then=type_what_if),
        Visit("/dashboard/compare/", main=True),
        Visit("/plan/2569/", main=True),
        Visit("/reports/", main=True),
        Visit("/assessments/"),
        Visit("/assessments/{a}/check/", main=True),
    ],
    "org_admin": [
        Visit("/plan/2569/", main=True),
        Visit("/reports/", main=True),
        Visit("/assessments/"),
        Visit("/assessments/{a}/edit/", then=type_scores),
        Visit("/assessments/{a}/findings/"),
        Visit("/assessments/{a}/findings/add/9/"),
        Visit("/assessments/{a}/draft/"),
        Visit("/assessments/{a}/check/", main=True),
        Visit("/reports/{a}/import/"),
        Visit("/accounts/sign-ins/"),
    ],
    "area_office": [
        Visit("/oversight/", main=True),
    ],
}


def url(live_server, world, visit):
    return live_server.url + visit.path.format(
        a=world.assessment.pk, m=world.measure.pk, org=world.assessment.organisation_id
    )


def open_role(browser, live_server, world, role, **context_options):
    """A page in a new browser context signed in as `role` (or signed out), CSP bypassed so
    that axe can be injected."""
    context = browser.new_context(bypass_csp=True, **context_options)
    if role != "anonymous":
        client = Client()
        client.force_login(world.users[role])
        context.add_cookies([{
            "name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url,
        }])
    return context, context.new_page()


def go(page, live_server, world, visit):
    response = page.goto(url(live_server, world, visit))
    page.wait_for_load_state("networkidle")
    assert response.status == visit.status, (visit.path, response.status)
    if visit.then:
        visit.then(page, world)


def run_axe(page):
    """axe-core's violations on the page as it is now: [{id, impact, help, nodes, targets}]."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
