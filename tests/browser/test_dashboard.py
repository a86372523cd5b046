"""The dashboard in Chromium: the seed's figures as a person sees them, the what-if answering
while the executive types, and screenshots in test-output/ for people to look at."""

import pytest
from playwright.sync_api import expect

from accounts.models import Membership
from assessments.models import Assessment, Organisation
from tests.conftest import make_user

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def wangmi_page(seed, sign_in, page):
    organisation = Organisation.objects.get(short_name="อบต.วังหมี")
    make_user("nayok", organisation, Membership.Role.EXECUTIVE)
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    sign_in("nayok")
    page.failed_requests = failed
    return page


def test_dashboard_shows_the_seed_and_is_saved_as_a_screenshot(wangmi_page, live_server, output_dir):
    page = wangmi_page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_test_id("overall")).to_have_text("90.42")
    expect(page.get_by_test_id("level")).to_have_text("ผ่าน")
    expect(page.get_by_test_id("reason")).to_have_text("ไม่ถึงระดับผ่านดี เพราะ OIT 83.75 ต่ำกว่า 85")
    expect(page.get_by_test_id("change")).to_contain_text("-4.25")
    # Every chart is drawn with a real size, with its Thai name for screen readers; on a desktop
    # the wide drawing of each (the phone drawings are hidden, see test_phone_layout.py).
    charts = page.locator("figure.chart .chart-wide svg[role=img]")
    expect(charts).to_have_count(4)
    for index in range(4):
        box = charts.nth(index).bounding_box()
        assert box["width"] > 300 and box["height"] > 50
    expect(page.locator("svg title").first).to_have_text("คะแนนรายตัวชี้วัด ปีงบประมาณ พ.ศ. 2568 เทียบกับเกณฑ์ผ่าน 85")
    gaps = page.locator(".chart-wide svg text", has_text="ไม่มีข้อมูล")  # 2565 and 2566 in the history
    expect(gaps).to_have_count(2)
    expect(gaps.first).to_be_visible()
    path = output_dir / "dashboard.png"
    page.screenshot(path=path, full_page=True)
    assert path.read_bytes().startswith(PNG)
    assert page.failed_requests == []


def test_what_if_answers_while_the_executive_types(wangmi_page, live_server, output_dir):
    page = wangmi_page
    assessment = Assessment.objects.get(fiscal_year=2568, organisation__short_name="อบต.วังหมี")
    page.goto(f"{live_server.url}/dashboard/{assessment.pk}/what-if/")
    expect(page.get_by_test_id("what-if-empty")).to_be_visible()
    page.fill("#id_score_9", "๙๕")
    expect(page.get_by_test_id("projected-level")).to_have_text("ผ่านดี")
    expect(page.get_by_test_id("projected-overall")).to_have_text("92.92")
    assert page.url.endswith("/what-if/")  # answered in place, without a page load
    page.screenshot(path=output_dir / "dashboard-what-if.png", full_page=True)
    page.fill("#id_score_9", "120")
    expect(page.get_by_test_id("what-if-errors")).to_contain_text("คะแนนต้องอยู่ระหว่าง 0 ถึง 100")
    assert page.failed_requests == []
