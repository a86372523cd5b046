"""In Chromium: the admin submits the plan, the executive approves it on the portal's own pages,
and the ITA report PDF the admin downloads carries the approval's signature block; afterwards
staff still record progress in place while the plan's content stays locked.

This is the approval half of a new organisation's story. Its steps, for joining it to the onboarding half
(a new organisation's admin, unit and staff member):
  1. the admin opens the plan (/plan/2569/) and presses "เสนอผู้บริหาร", then confirms;
  2. the executive opens the plan, presses "อนุมัติแผน", types name and position, keeps today's
     date and confirms: the plan shows "ผู้บริหารอนุมัติแล้ว" with the approval;
  3. the admin opens the ITA report and downloads the PDF: its text has ลงชื่อ, the name in
     brackets, ตำแหน่ง and วันที่ in the Buddhist Era.
"""

from playwright.sync_api import expect

from lib import thai
from measures.models import Measure, Plan
from tests.conftest import make_measure
from tests.pdftext import body_text


def signed_in(browser, live_server, username):
    """A new browser page signed in through the real sign-in form (one context per person)."""
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-2569")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def test_the_executive_approves_the_plan_and_the_pdf_shows_the_approval(
    browser, live_server, personas, assessment, palad, output_dir
):
    row = make_measure(assessment, units=[palad], activity="จัดทำคู่มือการปฏิบัติงาน")
    plan_url = f"{live_server.url}/plan/2569/"

    # 1. The admin submits the plan to the executive.
    admin = signed_in(browser, live_server, "org_admin")
    admin.goto(plan_url)
    expect(admin.get_by_test_id("plan-state-badge")).to_have_text("ร่าง")
    admin.get_by_test_id("step-submitted").click()
    admin.get_by_test_id("confirm-step").click()
    expect(admin.get_by_test_id("plan-state-badge")).to_have_text("เสนอผู้บริหารแล้ว")
    expect(admin.get_by_test_id("step-approved")).to_have_count(0)  # not the admin's to approve

    # 2. The executive approves it, typing name and position as they sign.
    executive = signed_in(browser, live_server, "test_executive")
    executive.goto(plan_url)
    executive.get_by_test_id("step-approved").click()
    executive.fill("[name=signer_name]", "นายสมชาย ใจดี")
    executive.fill("[name=signer_position]", "นายกองค์การบริหารส่วนตำบลทดสอบ")
    signed_on = thai.parse_date(executive.input_value("[name=signed_on]"))  # today, as prefilled
    executive.fill("[name=comment]", "เห็นชอบตามเสนอ")
    executive.screenshot(path=output_dir / "plan-approve.png", full_page=True)
    executive.get_by_test_id("confirm-step").click()
    expect(executive.get_by_test_id("plan-state-badge")).to_have_text("ผู้บริหารอนุมัติแล้ว")
    expect(executive.get_by_test_id("approval")).to_contain_text("นายสมชาย ใจดี")
    executive.screenshot(path=output_dir / "plan-approved.png", full_page=True)

    # 3. The admin downloads the ITA report PDF: it carries the signature block.
    admin.goto(f"{live_server.url}/reports/{assessment.pk}/ita/")
    expect(admin.get_by_test_id("approval")).to_contain_text("(นายสมชาย ใจดี)")
    with admin.expect_download() as download:
        admin.click("text=ดาวน์โหลด PDF")
    text = body_text(open(download.value.path(), "rb").read())
    be_date = thai.thai_date(signed_on, thai_digits=True).replace(" ", "")
    assert "ลงชื่อ" in text and "(นายสมชายใจดี)" in text
    assert "ตำแหน่งนายกองค์การบริหารส่วนตำบลทดสอบ" in text and f"วันที่{be_date}" in text
    assert Plan.objects.get(assessment=assessment).state == "approved"

    # Afterwards staff still record progress in place; the content stays as approved.
    staff = signed_in(browser, live_server, "staff")
    staff.goto(plan_url)
    staff.click(f"#measure-{row.pk} [data-testid=edit]")
    form = staff.locator(f"#measure-{row.pk} form.measure-edit")
    expect(form.locator("[name=activity]")).to_have_count(0)
    form.locator("[name=status]").select_option("in_progress")
    form.locator("[name=progress]").fill("40")
    form.locator("button[type=submit]").click()
    expect(staff.locator(f"#measure-{row.pk} [data-testid=progress]")).to_have_text("40%")
    saved = Measure.objects.get(pk=row.pk)
    assert (saved.progress, saved.activity) == (40, "จัดทำคู่มือการปฏิบัติงาน")
