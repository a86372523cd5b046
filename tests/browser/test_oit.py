"""In Chromium: the OIT workspace's whole round. The admin starts the year and assigns O1 to
สำนักปลัด; the staff member of สำนักปลัด attaches the URL where it is published and a file; the
executive, whom the admin named reviewer, marks it ผ่าน; the estimate moves (56.92 -> 57.92:
IIT 92.944 x 0.3 + EIT 96.78 x 0.3 = 56.9172, plus 0.4 x (5 + 0) / 2 = 1.00 for one item of
twenty under indicator 9); the public OIT page, once published, shows the link to anyone."""

from playwright.sync_api import expect

from oit.models import Item
from tests.bad_input.make_corpus import PDF

PUBLISHED_AT = "https://www.example.go.th/about/structure"


def signed_in(browser, live_server, username):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-2569")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def test_assign_prepare_review_and_publish_an_oit_item(browser, live_server, personas, assessment, palad,
                                                       tmp_path, output_dir):
    workspace_url = f"{live_server.url}/oit/2568/"

    # The admin starts the year, names the executive reviewer, publishes, and assigns O1.
    admin = signed_in(browser, live_server, "org_admin")
    admin.goto(workspace_url)
    admin.get_by_role("button", name="เริ่มเตรียม OIT ตามรายการข้อของปีนี้").click()
    expect(admin.get_by_test_id("oit-overall")).to_have_text("56.92")
    settings = admin.get_by_test_id("oit-settings")
    settings.get_by_label("test_executive").check()
    settings.get_by_label("เผยแพร่หน้า OIT สาธารณะ").check()
    settings.get_by_role("button", name="บันทึกการตั้งค่า").click()
    admin.get_by_role("link", name="O1", exact=True).click()
    assign = admin.get_by_test_id("oit-assign-form")
    assign.get_by_label("สำนักปลัด").check()
    assign.locator("[name=due_date]").fill("31/03/2569")
    assign.get_by_role("button", name="บันทึกผู้รับผิดชอบ").click()
    expect(admin.get_by_test_id("oit-units")).to_have_text("สำนักปลัด")
    item = Item.objects.get(workspace__organisation=assessment.organisation, question__code="o1")

    # The staff member of สำนักปลัด attaches the URL and a file.
    staff = signed_in(browser, live_server, "staff")
    staff.goto(f"{live_server.url}/oit/item/{item.pk}/")
    staff.get_by_test_id("oit-link-form").locator("[name=url]").fill(PUBLISHED_AT)
    staff.get_by_test_id("oit-link-form").get_by_role("button", name="เพิ่มลิงก์").click()
    expect(staff.get_by_test_id("oit-links")).to_contain_text(PUBLISHED_AT)
    evidence = tmp_path / "ผังโครงสร้าง.pdf"
    evidence.write_bytes(PDF)
    staff.get_by_test_id("oit-file-form").locator("[name=file]").set_input_files(evidence)
    staff.get_by_test_id("oit-file-form").get_by_role("button", name="แนบไฟล์").click()
    expect(staff.get_by_test_id("oit-files")).to_contain_text("ผังโครงสร้าง.pdf")
    expect(staff.get_by_test_id("oit-review-form")).to_have_count(0)  # not the preparer's to review
    staff.screenshot(path=output_dir / "oit-item.png", full_page=True)

    # The executive, named reviewer, marks it ผ่าน.
    executive = signed_in(browser, live_server, "test_executive")
    executive.goto(f"{live_server.url}/oit/item/{item.pk}/")
    review = executive.get_by_test_id("oit-review-form")
    review.get_by_label("ผ่าน", exact=True).check()
    review.locator("[name=comment]").fill("ครบทั้งแผนผังและอำนาจหน้าที่")
    review.get_by_role("button", name="บันทึกผลการตรวจ").click()
    expect(executive.get_by_test_id("oit-review")).to_contain_text("ผ่าน")
    item.refresh_from_db()
    assert item.review == "passed" and item.reviewed_by == personas["executive"]
    assert item.prepared_by == personas["staff"]

    # The estimate moves.
    executive.goto(workspace_url)
    expect(executive.get_by_test_id("oit-overall")).to_have_text("57.92")
    expect(executive.get_by_test_id("oit-indicator-9")).to_contain_text("5.00")
    executive.screenshot(path=output_dir / "oit-workspace.png", full_page=True)

    # Anyone reads the public OIT page with the link.
    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/public/{assessment.organisation_id}/2568/oit/")
    expect(visitor.get_by_test_id("oit-public").locator("#o1")).to_contain_text(PUBLISHED_AT)
    expect(visitor.get_by_role("link", name="ผังโครงสร้าง.pdf")).to_be_visible()
    visitor.screenshot(path=output_dir / "oit-public.png", full_page=True)
    for page in (admin, staff, executive, visitor):
        page.context.close()  # before the live server stops: no request of theirs outlives the test
