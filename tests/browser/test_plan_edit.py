"""In Chromium: staff edit a plan row in place and see it saved without a reload; an executive
cannot edit. Screenshots (desktop and phone) go to test-output/."""

from playwright.sync_api import expect

from measures.models import Measure
from tests.conftest import make_measure


def open_plan(page, live_server):
    page.goto(f"{live_server.url}/plan/2569/")
    # A marker on the window survives only as long as the page is not reloaded.
    page.evaluate("window.notReloaded = true")


def test_staff_edit_a_row_in_place_and_it_is_saved_without_a_reload(
    sign_in, live_server, personas, assessment, palad, output_dir
):
    row = make_measure(assessment, units=[palad], activity="มาตรการเดิม")
    page = sign_in("staff")
    open_plan(page, live_server)

    page.click(f"#measure-{row.pk} [data-testid=edit]")
    form = page.locator(f"#measure-{row.pk} form.measure-edit")
    expect(form.locator("[name=indicator]")).to_be_focused()  # the form takes the focus
    form.locator("[name=activity]").fill("มาตรการที่แก้ในตาราง")
    form.locator("[name=status]").select_option("in_progress")
    form.locator("[name=progress]").fill("150")
    form.locator("button[type=submit]").click()
    expect(form.get_by_text("ต้องไม่เกิน 100")).to_be_visible()  # beside the field
    page.screenshot(path=output_dir / "plan-edit-error.png", full_page=True)

    form.locator("[name=progress]").fill("60")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#measure-{row.pk} [data-testid=progress]")).to_have_text("60%")
    expect(page.locator(f"#measure-{row.pk}")).to_contain_text("มาตรการที่แก้ในตาราง")
    assert page.evaluate("window.notReloaded") is True
    row.refresh_from_db()
    assert (row.activity, row.status, row.progress, row.version) == ("มาตรการที่แก้ในตาราง", "in_progress", 60, 2)
    page.screenshot(path=output_dir / "plan-edit-saved.png", full_page=True)


def test_escape_puts_the_row_back_unchanged(sign_in, live_server, personas, assessment, palad):
    row = make_measure(assessment, units=[palad], activity="มาตรการเดิม")
    page = sign_in("staff")
    open_plan(page, live_server)
    page.click(f"#measure-{row.pk} [data-testid=edit]")
    form = page.locator(f"#measure-{row.pk} form.measure-edit")
    expect(form.locator("[name=indicator]")).to_be_focused()
    form.locator("[name=activity]").fill("ไม่บันทึก")
    page.keyboard.press("Escape")
    expect(page.locator(f"#measure-{row.pk} form")).to_have_count(1)  # the move form only
    expect(page.locator(f"#measure-{row.pk}")).to_contain_text("มาตรการเดิม")
    assert page.evaluate("window.notReloaded") is True
    assert Measure.objects.get(pk=row.pk).activity == "มาตรการเดิม"


def test_an_executive_cannot_edit(sign_in, live_server, personas, assessment, palad):
    row = make_measure(assessment, units=[palad], activity="มาตรการเดิม")
    page = sign_in("test_executive")
    open_plan(page, live_server)
    expect(page.locator(f"#measure-{row.pk}")).to_contain_text("มาตรการเดิม")
    expect(page.locator("[data-testid=edit]")).to_have_count(0)
    response = page.goto(f"{live_server.url}/plan/measure/{row.pk}/edit/")
    assert response.status == 403


def test_the_plan_is_usable_on_a_phone(sign_in, live_server, personas, assessment, palad, output_dir):
    make_measure(assessment, units=[palad], activity="มาตรการบนโทรศัพท์", analysis="ผลการวิเคราะห์ยาว " * 10)
    page = sign_in("staff")
    page.set_viewport_size({"width": 390, "height": 844})
    open_plan(page, live_server)
    # On a phone the rows are cards: nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("[data-testid=edit]")).to_be_visible()
    page.screenshot(path=output_dir / "plan-phone.png", full_page=True)
