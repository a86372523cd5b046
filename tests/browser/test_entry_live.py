"""In Chromium: a pasted table fills the score form, and the result follows the typing (HTMX)."""

from playwright.sync_api import expect

SEED_TABLE = (
    "ตัวชี้วัดที่\tรายละเอียดตัวชี้วัด\tคะแนน\n"
    "1\tการปรับปรุงหน้าที\t93.33\n2\tการใช้งานประมาณ\t96.13\n3\tการใช้อำนาจ\t98.06\n"
    "4\tการใช้ทรัพยากรของราชการ\t83.87\n5\tการแก้ไขปัญหาการทุจริต\t93.33\n"
    "6\tคุณภาพการดำเนินงาน\t97.13\n7\tประสิทธิภาพการสื่อสาร\t97.47\n"
    "8\tการปรับปรุงการดำเนินงาน\t95.74\n9\tการเปิดเผยข้อมูล\t82.50\n10\tการป้องกันการทุจริต\t85.00\n"
)


def test_admin_pastes_the_seed_table_and_sees_the_result_change_while_typing(
    sign_in, personas, live_server, output_dir
):
    page = sign_in("org_admin")
    page.goto(f"{live_server.url}/assessments/new/2569/")
    page.fill("textarea[name=paste]", SEED_TABLE)
    page.click("button[value=paste]")
    expect(page.locator("input[name=score_4]")).to_have_value("83.87")
    expect(page.get_by_test_id("live-overall")).to_have_text("90.42")
    expect(page.get_by_test_id("live-level")).to_have_text("ผ่าน")

    # OIT becomes (95 + 85) / 2 = 90: 27.883 + 29.034 + 36.000 = 92.917 -> 92.92, ผ่านดี.
    page.fill("input[name=score_9]", "๙๕")
    expect(page.get_by_test_id("live-overall")).to_have_text("92.92")
    expect(page.get_by_test_id("live-level")).to_have_text("ผ่านดี")
    page.fill("input[name=published_overall]", "90.42")
    expect(page.locator("#live-result")).to_contain_text("คะแนนภาพรวมที่ประกาศ 90.42 แต่คำนวณจากคะแนนรายตัวชี้วัดได้ 92.92")
    page.screenshot(path=output_dir / "entry_live.png", full_page=True)

    page.click("button[value=save]")
    expect(page.locator("h1")).to_contain_text("ตรวจคุณภาพข้อมูล")
    # The published 90.42 against the computed 92.92, and the four names
    # the pasted table misspells (reported, no longer accepted as variants).
    expect(page.get_by_test_id("check-summary")).to_contain_text("พบ 5 รายการ")
    expect(page.get_by_test_id("check-errors")).to_contain_text("ต่างจากชื่อทางการของตัวชี้วัดที่ 1 “การปฏิบัติหน้าที่”")
