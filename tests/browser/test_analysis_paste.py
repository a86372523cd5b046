"""In Chromium: a new organisation's admin pastes the NACC's whole analysis, reads the preview,
saves it, drafts the plan from it, accepts the drafts, and the plan shows the rows.

The steps:
  1. the admin opens the year's findings, follows "วางผลการวิเคราะห์ทั้งหมด" and pastes the
     analysis (tests/analysis/other_style.txt: inline จุดที่ควรพัฒนา, codes in brackets, OIT points);
  2. "อ่านผลการวิเคราะห์" shows every point read and the line not read; nothing is saved yet;
  3. "บันทึกผลการวิเคราะห์" saves them and the year's scores from the headings;
  4. the draft page proposes one complete draft per point to improve; the admin ticks them all
     and accepts;
  5. the plan for 2569 shows the accepted rows.
"""

from pathlib import Path

from playwright.sync_api import expect

from assessments.models import Finding
from measures.models import Measure
from tests.conftest import make_assessment

from .test_plan_approval import signed_in

ANALYSIS = Path(__file__).parent.parent / "analysis" / "other_style.txt"


def test_the_admin_pastes_the_analysis_drafts_and_accepts_the_plan(browser, live_server, personas, org, output_dir):
    year = make_assessment(org, 2568)
    admin = signed_in(browser, live_server, "org_admin")

    # 1. Paste the analysis.
    admin.goto(f"{live_server.url}/assessments/{year.pk}/findings/")
    admin.get_by_role("link", name="วางผลการวิเคราะห์ทั้งหมด").click()
    admin.fill("[name=text]", ANALYSIS.read_text(encoding="utf-8"))

    # 2. The preview: every point, and the title line not read; nothing saved.
    admin.get_by_role("button", name="อ่านผลการวิเคราะห์").click()
    expect(admin.get_by_test_id("analysis-point")).to_have_count(11)
    expect(admin.get_by_test_id("analysis-skipped")).to_contain_text("หัวเรื่อง: ข้าม")
    expect(admin.get_by_test_id("fills-scores")).to_be_visible()
    admin.screenshot(path=output_dir / "analysis-preview.png", full_page=True)
    assert not Finding.objects.exists()

    # 3. Save.
    admin.get_by_test_id("analysis-save").click()
    expect(admin.locator(".alert-success.alert-dismissible")).to_contain_text("บันทึกผลการวิเคราะห์ 11 ประเด็นแล้ว")
    assert year.findings.count() == 11 and year.scores.count() == 10

    # 4. Draft, tick every draft and accept.
    admin.goto(f"{live_server.url}/plan/draft/{year.pk}/")
    cards = admin.locator(".draft-card")
    expect(cards).to_have_count(7)
    for box in admin.locator("input[name$='-accept']").all():
        box.check()
    admin.screenshot(path=output_dir / "analysis-drafts.png", full_page=True)
    admin.get_by_role("button", name="รับร่างที่เลือกเข้าแผน").click()
    expect(admin.locator(".alert-success.alert-dismissible")).to_contain_text("เพิ่ม 7 มาตรการเข้าแผนปี 2569 แล้ว")
    expect(admin.get_by_test_id("check-summary")).to_have_text("ไม่พบข้อมูลที่ขัดกัน")  # the drafts pass the check

    # 5. The plan shows the rows.
    admin.goto(f"{live_server.url}/plan/2569/")
    expect(admin.get_by_text("มาตรการจัดทำคู่มือการปฏิบัติงานที่ระบุขั้นตอนและระยะเวลาของแต่ละงานบริการ")).to_be_visible()
    admin.screenshot(path=output_dir / "analysis-plan.png", full_page=True)
    assert Measure.objects.filter(assessment=year).count() == 7
