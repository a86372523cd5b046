"""In Chromium, the whole story of a new organisation: a platform admin imports a file of three
organisations; one new admin follows the invitation link from the e-mail, sets a password, adds a
unit and invites a staff member and an executive, starts the fiscal year and adds the plan's
rows; the staff member follows their link, signs in and edits only their unit's row; the admin
submits the plan, the executive approves it, and the ITA report PDF shows the approval.

Each step is a helper below. E-mails are read from Django's outbox: the live server runs in this
process."""

import io
import re

from django.contrib.auth import get_user_model
from django.core import mail
from openpyxl import Workbook
from playwright.sync_api import expect

from assessments.models import Assessment, Organisation
from lib import thai
from measures.models import Measure, Plan
from tests.pdftext import body_text

PASSWORD = "pw-for-tests-2569"
NEW_PASSWORD = "ปลูกป่า-ชายเลน-2569"
ORGANISATIONS = [
    ["รายชื่อหน่วยงานที่จะเข้าใช้ ITA Portal จังหวัดนครราชสีมา"],
    ["ชื่อหน่วยงาน", "ประเภท", "อำเภอ", "จังหวัด", "สำนัก/กอง", "ชื่อผู้ดูแลระบบ", "อีเมลผู้ดูแลระบบ"],
    ["อบต.วังทราย", "อบต.", "ปากช่อง", "นครราชสีมา", "สำนักปลัด\nกองคลัง", "นายสมชาย ใจดี", "somchai@wangsai.go.th"],
    ["ทต.บ้านใหม่", "ทต.", "เมืองนครราชสีมา", "นครราชสีมา", "สำนักปลัด, กองช่าง", "นางมาลี มีสุข", "malee@bannai.go.th"],
    ["อบจ.นครราชสีมา", "อบจ.", "", "นครราชสีมา", "สำนักปลัด", "นายวิชัย เก่งงาน", "wichai@koratpao.go.th"],
]


def new_page(browser):
    return browser.new_context().new_page()


def sign_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def sign_out(page):
    page.click("nav .dropdown-toggle")
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.wait_for_load_state()


def open_from_user_menu(page, name):
    page.click("nav .dropdown-toggle")
    page.locator("nav .dropdown-menu").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def import_organisations(page, base, rows, tmp_path):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "organisations.xlsx"
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    page.goto(base + "/")  # platform staff land on the onboarding list
    page.get_by_test_id("import").click()
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    expect(page.get_by_test_id("preview").locator("tbody tr")).to_have_count(len(rows) - 2)
    page.get_by_role("button", name="ยืนยันการนำเข้าและส่งคำเชิญ").click()
    expect(page.get_by_text(f"เพิ่มหน่วยงาน {len(rows) - 2} แห่งแล้ว")).to_be_visible()


def invitation_link(email):
    [message] = [m for m in mail.outbox if m.to == [email]][-1:]
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)


def accept_invitation(page, email, password=NEW_PASSWORD):
    page.goto(invitation_link(email))
    expect(page.get_by_test_id("username")).to_have_text(email)
    page.fill("[name=new_password1]", password)
    page.fill("[name=new_password2]", password)
    page.get_by_role("button", name="ตั้งรหัสผ่านและเข้าสู่ระบบ").click()
    expect(page.get_by_text("ตั้งรหัสผ่านแล้ว")).to_be_visible()


def add_unit(page, name):
    open_from_user_menu(page, "สำนัก/กอง")
    form = page.get_by_test_id("add-unit")
    form.locator("[name=name]").fill(name)
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("units")).to_contain_text(name)


def invite(page, name, email, role_label, unit=None):
    open_from_user_menu(page, "บุคลากร")
    page.get_by_test_id("invite").click()
    page.fill("[name=name]", name)
    page.fill("[name=email]", email)
    page.select_option("[name=role]", label=role_label)
    if unit:
        page.get_by_label(unit, exact=True).check()
    page.get_by_role("button", name="ส่งคำเชิญ").click()
    expect(page.get_by_text(f"ส่งคำเชิญถึง {email} แล้ว")).to_be_visible()


def start_year(page, base, year):
    """The organisation's admin starts fiscal year `year`: its assessment and the plan for the
    year after, in draft."""
    page.goto(f"{base}/plan/start/")
    page.fill("[name=year]", str(year))
    page.get_by_role("button", name="เริ่มปีงบประมาณ", exact=True).click()
    expect(page.get_by_test_id("plan-state-badge")).to_have_text("ร่าง")


def add_row(page, base, year, activity, unit):
    """A row of the plan carried out in `year`, for one unit, through the add-row page."""
    page.goto(f"{base}/plan/{year}/add/")
    page.select_option("[name=indicator]", label="9 การเปิดเผยข้อมูล")
    page.fill("[name=indicator_label]", "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล")
    page.fill("[name=activity]", activity)
    page.fill("[name=responsible]", unit)
    page.locator("form").get_by_label(unit, exact=True).check()
    page.get_by_role("button", name="เพิ่มแถว", exact=True).click()
    page.wait_for_load_state()
    return Measure.objects.get(activity=activity)


def take_step(page, base, year, step):
    page.goto(f"{base}/plan/{year}/")
    page.get_by_test_id(f"step-{step}").click()


def edit_row_in_place(page, row, activity):
    page.click(f"#measure-{row.pk} [data-testid=edit]")
    form = page.locator(f"#measure-{row.pk} form.measure-edit")
    form.locator("[name=activity]").fill(activity)
    form.locator("[name=status]").select_option("in_progress")
    form.locator("[name=progress]").fill("30")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#measure-{row.pk} [data-testid=progress]")).to_have_text("30%")


def test_from_a_file_of_organisations_to_a_staff_edit_and_the_approved_plan_in_the_pdf(
    browser, live_server, settings, reference, tmp_path, output_dir
):
    settings.PORTAL_BASE_URL = live_server.url
    base = live_server.url
    get_user_model().objects.create_user("ops", password=PASSWORD, is_staff=True, is_superuser=True)

    before = Organisation.objects.count()
    platform = new_page(browser)
    sign_in(platform, base, "ops")
    import_organisations(platform, base, ORGANISATIONS, tmp_path)
    assert Organisation.objects.count() == before + 3
    assert sorted(m.to[0] for m in mail.outbox) == ["malee@bannai.go.th", "somchai@wangsai.go.th",
                                                    "wichai@koratpao.go.th"]
    platform.screenshot(path=output_dir / "onboarding-imported.png", full_page=True)

    admin = new_page(browser)
    accept_invitation(admin, "somchai@wangsai.go.th")
    expect(admin.locator("h1")).to_have_text("องค์การบริหารส่วนตำบลวังทราย")  # no results yet: the welcome page
    add_unit(admin, "กองยุทธศาสตร์")
    invite(admin, "นางสาวสุดา ขยัน", "suda@wangsai.go.th", "เจ้าหน้าที่", "กองยุทธศาสตร์")
    admin.screenshot(path=output_dir / "onboarding-people.png", full_page=True)

    invite(admin, "นายบริหาร ตั้งใจ", "borihan@wangsai.go.th", "ผู้บริหาร")

    # The yearly cycle: fiscal year 2568 (its results come later) and the plan for 2569.
    start_year(admin, base, 2568)
    own = add_row(admin, base, 2569, "แผนของกองยุทธศาสตร์", "กองยุทธศาสตร์")
    other = add_row(admin, base, 2569, "แผนของกองคลัง", "กองคลัง")
    wangsai = Organisation.objects.get(name="องค์การบริหารส่วนตำบลวังทราย")
    assessment = Assessment.objects.get(organisation=wangsai, fiscal_year_id=2568)
    assert own.plan.assessment == assessment and own.plan.state == Plan.State.DRAFT

    staff = new_page(browser)
    accept_invitation(staff, "suda@wangsai.go.th")
    sign_out(staff)
    sign_in(staff, base, "suda@wangsai.go.th", NEW_PASSWORD)
    expect(staff.locator(f"#measure-{other.pk}")).to_contain_text("แผนของกองคลัง")  # staff land on the plan
    expect(staff.locator(f"#measure-{other.pk} [data-testid=edit]")).to_have_count(0)
    edit_row_in_place(staff, own, "แผนของกองยุทธศาสตร์ ปรับแล้ว")
    own.refresh_from_db()
    assert (own.activity, own.progress, own.version) == ("แผนของกองยุทธศาสตร์ ปรับแล้ว", 30, 2)
    assert Measure.objects.get(pk=other.pk).version == 1
    response = staff.goto(f"{base}/plan/measure/{other.pk}/edit/")
    assert response.status == 403
    staff.goto(f"{base}/plan/2569/")
    staff.screenshot(path=output_dir / "onboarding-staff-plan.png", full_page=True)

    # The admin submits the plan; the executive follows their invitation and approves it.
    take_step(admin, base, 2569, "submitted")
    admin.get_by_test_id("confirm-step").click()
    expect(admin.get_by_test_id("plan-state-badge")).to_have_text("เสนอผู้บริหารแล้ว")
    executive = new_page(browser)
    accept_invitation(executive, "borihan@wangsai.go.th")
    take_step(executive, base, 2569, "approved")
    executive.fill("[name=signer_name]", "นายบริหาร ตั้งใจ")
    executive.fill("[name=signer_position]", "นายกองค์การบริหารส่วนตำบลวังทราย")
    signed_on = thai.parse_date(executive.input_value("[name=signed_on]"))  # today, as prefilled
    executive.get_by_test_id("confirm-step").click()
    expect(executive.get_by_test_id("plan-state-badge")).to_have_text("ผู้บริหารอนุมัติแล้ว")

    # The ITA report's PDF carries the approval as a Thai document's signature block.
    admin.goto(f"{base}/reports/{assessment.pk}/ita/")
    expect(admin.get_by_test_id("approval")).to_contain_text("(นายบริหาร ตั้งใจ)")
    with admin.expect_download() as download:
        admin.click("text=ดาวน์โหลด PDF")
    text = body_text(open(download.value.path(), "rb").read())
    assert "ลงชื่อ" in text and "(นายบริหารตั้งใจ)" in text
    assert "ตำแหน่งนายกองค์การบริหารส่วนตำบลวังทราย" in text
    assert "วันที่" + thai.thai_date(signed_on, thai_digits=True).replace(" ", "") in text
