"""Every role's pages as a browser opens them, for the phone-layout and accessibility tests.

`build_world` makes a small organisation with what the pages show (two years of results,
findings, three plan rows with a progress note, an area office, a public page, and for the pages
of onboarding, the bin and jobs: an invited person, a retired unit, a row and a file in the bin, jobs,
platform staff); `PAGES` lists what each role opens, the main pages marked; `open_role` gives
one browser context per role; `run_axe` injects the vendored axe-core into a page and returns
its violations.

axe is injected as an inline script, which the portal's Content-Security-Policy forbids, so
the contexts made here bypass the CSP. tests/browser/test_security_csp.py keeps checking the
policy in contexts of its own, where nothing is injected.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.invitations import invitation_tokens
from accounts.models import Membership
from accounts.services import NewPerson, people_create
from assessments.models import Finding, Organisation, Unit
from jobs.models import Job
from measures.bin import evidence_bin, measure_bin
from measures.models import Measure, Plan, ProgressNote
from oit.models import EvidenceFile as OitFile
from oit.models import Link, Workspace
from oit.services import workspace_start
from oversight.models import OversightMembership
from tests.conftest import make_assessment, make_measure

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

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
    platform = get_user_model().objects.create_superuser("platform")
    admin = personas["org_admin"]

    # Onboarding: a person invited and not yet signed in, a retired unit.
    [pending] = people_create([NewPerson(org, "สมหญิง รอตอบรับ", "pending@example.go.th",
                                         Membership.Role.STAFF, [klang])])
    pending.invited_at = timezone.now()
    pending.save(update_fields=["invited_at"])
    Unit.objects.create(organisation=org, name="กองช่าง", position=3, retired_at=timezone.now())
    [left] = people_create([NewPerson(org, "สมศักดิ์ ย้ายไปแล้ว", "left@example.go.th", Membership.Role.STAFF)])
    get_user_model().objects.filter(pk=left.user_id).update(is_active=False)
    # An organisation of the province onboarded without an admin yet (its admin left).
    Organisation.objects.create(name="เทศบาลตำบลหนองน้ำใส", short_name="ทต.หนองน้ำใส", province="นครราชสีมา",
                                district="ปากช่อง")
    # The bin: a row and an evidence file in the bin (so the audit log has them too).
    binned = make_measure(assessment, units=[klang], number=1, activity="จัดทำป้ายประชาสัมพันธ์", position=4)
    measure_bin(binned, version=binned.version, user=admin)
    filed = ProgressNote.objects.create(measure=late, author=personas["staff"], text="แนบรายงานการประชุม",
                                        file=ContentFile(PDF, name="evidence.pdf"),
                                        file_name="รายงานการประชุม.pdf", file_type="application/pdf")
    evidence_bin(filed, user=admin)
    # Jobs: the admin's jobs, one done and one running (its page shows the progress bar).
    Job.objects.create(kind="plan_xlsx", user=admin, organisation=org, assessment=assessment,
                       state=Job.State.DONE, done=1, total=1, result_name="plan.xlsx",
                       result=ContentFile(b"PK\x03\x04", name="plan.xlsx"))
    running = Job.objects.create(kind="plan_xlsx", user=admin, organisation=org, assessment=assessment,
                                 state=Job.State.RUNNING, done=1, total=3)
    # The OIT workspace of 2568, published, its o1 assigned to สำนักปลัด with a link and a file.
    workspace = workspace_start(organisation=org, fiscal_year=assessment.fiscal_year)
    Workspace.objects.filter(pk=workspace.pk).update(is_public=True)
    oit_item = workspace.items.get(question__code="o1")
    oit_item.units.set([palad])
    Link.objects.create(item=oit_item, url="https://www.example.go.th/structure", added_by=personas["staff"])
    OitFile.objects.create(item=oit_item, file=ContentFile(PDF, name="oit.pdf"), file_name="ผังโครงสร้าง.pdf",
                           file_type="application/pdf", uploaded_by=personas["staff"])
    return World(
        assessment=assessment, measure=late,
        users={**personas, "area_office": area, "platform": platform},
        keys={
            "person": personas["staff"].membership.pk, "unit": palad.pk, "job": running.pk, "oit": oit_item.pk,
            "uid": urlsafe_base64_encode(force_bytes(pending.user_id)),
            "token": invitation_tokens.make_token(pending.user),
        },
    )


@dataclass
class World:
    assessment: object
    measure: object
    users: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)  # the other objects the pages' paths name


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


def plan_in(state):
    """Put the plan of 2569 in `state` for the page (the step pages refuse any other state)."""
    def put(world):
        approved = state in (Plan.State.APPROVED, Plan.State.REPORTED)
        Plan.objects.filter(pk=world.measure.plan_id).update(
            state=state, approved_by=world.users["executive"] if approved else None,
            approved_on=date(2025, 10, 20) if approved else None,
            approver_name="นายสมชาย ใจดี" if approved else "",
            approver_position="นายกองค์การบริหารส่วนตำบลทดสอบ" if approved else "",
        )
    return put


def with_device(world, role):
    """The role's authenticator app, set up: the verify page asks for its code."""
    TOTPDevice.objects.create(user=world.users[role], name="app", confirmed=True)


def without_device(world, role):
    TOTPDevice.objects.filter(user=world.users[role]).delete()


def organisations_file(*rows):
    header = "ชื่อหน่วยงาน,อำเภอ,จังหวัด,สำนัก/กอง,ชื่อผู้ดูแลระบบ,อีเมลผู้ดูแลระบบ\n"
    return (header + "".join(f"{row}\n" for row in rows)).encode()


def upload(content):
    """Choose the file on the import page and have it checked: the preview."""
    def do(page, world):
        page.set_input_files("main input[type=file]", files=[
            {"name": "organisations.csv", "mimeType": "text/csv", "buffer": content}])
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
        expect(page.get_by_test_id("preview")).to_be_visible()
    return do


GOOD_FILE = organisations_file(
    "อบต.ไฟล์ใหม่,ปากช่อง,นครราชสีมา,\"สำนักปลัด, กองคลัง\",นายทดสอบ ไฟล์,file-admin@example.go.th",
    "เทศบาลตำบลหนองสาหร่าย,ปากช่อง,นครราชสีมา,สำนักปลัด,นางสาวใจดี มีสุข,nong@example.go.th",
)
FAULTY_FILE = organisations_file(
    "อบต.ไฟล์ใหม่,ปากช่อง,นครราชสีมา,สำนักปลัด,นายทดสอบ ไฟล์,file-admin@example.go.th",
    "อบต.ไม่มีอีเมล,ปากช่อง,นครราชสีมา,สำนักปลัด,นายไม่มี อีเมล,",
)


@dataclass(frozen=True)
class Visit:
    path: str
    main: bool = False  # a main page (and the lists of people, the bin and jobs): checked strictly on a phone
    then: object = None  # what the user does on the page before it is checked
    status: int = 200
    before: object = None  # puts the world in the state the page is about: before(world)
    after: object = None  # and back, once the page is open (the checks read the page only)
    label: str = ""  # what tells two visits of one path apart in the results
    lands: str = None  # where the browser is sent on to, when it is (else it must stay on `path`)

    @property
    def key(self):
        return f"{self.path} ({self.label})" if self.label else self.path


# {a}: the 2568 assessment, {m}: its late plan row, {org}: the organisation, {person}: the
# staff member's membership, {unit}: สำนักปลัด, {job}: the running job, {uid}/{token}: the
# invited person's link.
PAGES = {
    "anonymous": [
        Visit("/accounts/login/"),
        Visit("/public/{org}/2568/"),
        Visit("/public/{org}/2568/oit/"),
        Visit("/no-such-page/", status=404),
        # The link's token moves to the session; the browser is sent on to the page that sets the password.
        Visit("/accounts/invitation/{uid}/{token}/", lands="/accounts/invitation/{uid}/set-password/"),
        Visit("/accounts/invitation/{uid}/not-a-valid-token/"),
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
        Visit("/notifications/settings/"),
        Visit("/oit/2568/", main=True),
        Visit("/oit/item/{oit}/"),
        Visit("/accounts/password/"),
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
        Visit("/plan/2569/approve/", before=plan_in(Plan.State.SUBMITTED), after=plan_in(Plan.State.DRAFT)),
        Visit("/plan/2569/send-back/", before=plan_in(Plan.State.SUBMITTED), after=plan_in(Plan.State.DRAFT)),
    ],
    "org_admin": [
        Visit("/plan/2569/", main=True),
        Visit("/reports/", main=True),
        Visit("/assessments/"),
        Visit("/assessments/{a}/edit/", then=type_scores),
        Visit("/assessments/{a}/findings/"),
        Visit("/assessments/{a}/findings/add/9/"),
        Visit("/assessments/{a}/findings/paste/"),
        Visit("/plan/draft/{a}/"),
        Visit("/assessments/{a}/check/", main=True),
        Visit("/reports/{a}/import/"),
        Visit("/oit/2568/"),
        Visit("/oit/item/{oit}/"),
        Visit("/oit/2568/import/"),
        Visit("/accounts/sign-ins/"),
        Visit("/accounts/people/", main=True),
        Visit("/accounts/people/invite/"),
        Visit("/accounts/people/{person}/"),
        Visit("/accounts/units/", main=True),
        Visit("/accounts/units/{unit}/"),
        Visit("/plan/start/"),
        Visit("/plan/2569/submit/"),
        Visit("/plan/2569/reopen/", before=plan_in(Plan.State.APPROVED), after=plan_in(Plan.State.DRAFT)),
        Visit("/audit/", main=True),
        Visit("/plan/bin/", main=True),
        Visit("/jobs/", main=True),
        Visit("/jobs/{job}/"),
        Visit("/accounts/two-factor/"),
        Visit("/accounts/two-factor/setup/"),
        Visit("/accounts/two-factor/verify/", before=lambda w: with_device(w, "org_admin"),
              after=lambda w: without_device(w, "org_admin")),
    ],
    "area_office": [
        Visit("/oversight/", main=True),
        Visit("/onboarding/", main=True),
        Visit("/onboarding/new/"),
        Visit("/onboarding/{org}/"),
        Visit("/onboarding/import/"),
        Visit("/onboarding/import/", main=True, then=upload(GOOD_FILE), label="preview"),
    ],
    "platform": [
        Visit("/onboarding/", main=True),
        Visit("/onboarding/new/"),
        Visit("/onboarding/{org}/"),
        Visit("/onboarding/import/"),
        Visit("/onboarding/import/", main=True, then=upload(FAULTY_FILE), label="preview with a faulty row"),
    ],
}


def url(live_server, world, visit, path=None):
    return live_server.url + (path or visit.path).format(
        a=world.assessment.pk, m=world.measure.pk, org=world.assessment.organisation_id, **world.keys
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
    if visit.before:
        visit.before(world)
    try:
        # goto waits for the load event: the page's styles, scripts and images are in. No page
        # loads more by itself after it (HTMX requests here start on input; the job page polls
        # every second, which "networkidle" would only wait out).
        response = page.goto(url(live_server, world, visit))
        assert response.status == visit.status, (visit.path, response.status)
        # Not sent elsewhere (to the home page, the sign-in page ...): the page checked is the page named.
        assert page.url.split("?")[0] == url(live_server, world, visit, visit.lands), (visit.path, page.url)
        if visit.then:
            visit.then(page, world)
    finally:
        if visit.after:
            visit.after(world)


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
