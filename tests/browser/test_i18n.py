"""The language switch in Chromium: English picked on the sign-in page stays after signing in,
and the switch can be reached and tapped on a phone without opening the menu."""

from playwright.sync_api import expect

from tests.conftest import make_measure


def test_english_picked_on_the_sign_in_page_carries_on_to_the_dashboard(
    personas, assessment, live_server, page, output_dir
):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("เข้าสู่ระบบ ITA Portal")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Sign in to ITA Portal")
    page.fill("input[name=username]", "test_executive")
    page.fill("input[name=password]", "pw-for-tests-2569")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/dashboard/**")
    expect(page.get_by_role("heading", name="Results by indicator")).to_be_visible()
    expect(page.get_by_test_id("level")).to_have_text("Pass")
    expect(page.get_by_test_id("reason")).to_have_text("Did not reach Good pass because OIT 83.75 is below 85")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(output_dir / "dashboard-english.png"), full_page=True)


def test_the_switch_is_in_reach_on_a_phone(personas, assessment, palad, live_server, browser, output_dir):
    make_measure(assessment, [palad])
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    english = page.get_by_role("button", name="English")
    box = english.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 24
    english.tap()
    expect(page.locator("h1")).to_have_text("Sign in to ITA Portal")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", "pw-for-tests-2569")
    page.get_by_role("button", name="Sign in", exact=True).tap()
    page.wait_for_url(f"{live_server.url}/plan/2569/")
    # Signed in, the menu is folded away but the switch stays beside it.
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    thai = page.get_by_role("button", name="ภาษาไทย")
    expect(thai).to_be_in_viewport()
    page.screenshot(path=str(output_dir / "plan-phone-english.png"))
    thai.tap()
    expect(page.locator("h1")).to_contain_text("แผนพัฒนาองค์กร")
    context.close()
