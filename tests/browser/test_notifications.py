"""In Chromium: the admin submits the plan; the executive's landing page says the plan waits
for approval and links to it; the executive approves; the admin's bell counts the notification,
its list shows it, and the admin has the e-mail (Django's locmem outbox, which the live server's
thread shares with the test)."""

from django.core import mail
from playwright.sync_api import expect

from measures.models import Plan
from notifications.models import Notification
from tests.conftest import make_measure

from .test_plan_approval import signed_in


def test_the_executive_sees_the_plan_waiting_approves_it_and_the_admin_is_told(
    browser, live_server, personas, assessment, palad, output_dir
):
    for name in ("org_admin", "executive"):
        personas[name].email = f"{name}@example.go.th"
        personas[name].save()
    make_measure(assessment, units=[palad], activity="จัดทำคู่มือการปฏิบัติงาน")

    admin = signed_in(browser, live_server, "org_admin")
    admin.goto(f"{live_server.url}/plan/2569/")
    admin.get_by_test_id("step-submitted").click()
    admin.get_by_test_id("confirm-step").click()
    expect(admin.get_by_test_id("plan-state-badge")).to_have_text("เสนอผู้บริหารแล้ว")
    assert [m.to for m in mail.outbox] == [["executive@example.go.th"]]

    executive = signed_in(browser, live_server, "test_executive")  # lands on the dashboard
    waiting = executive.get_by_test_id("waiting")
    expect(waiting).to_contain_text("งานที่รอฉัน")
    expect(waiting).to_contain_text("แผนพัฒนาองค์กรปี 2569 รอท่านอนุมัติ")
    expect(executive.get_by_test_id("unread")).to_have_text("1")
    executive.screenshot(path=output_dir / "waiting-executive.png", full_page=True)
    waiting.get_by_role("link", name="แผนพัฒนาองค์กรปี 2569 รอท่านอนุมัติ").click()
    executive.fill("[name=signer_name]", "นายสมชาย ใจดี")
    executive.fill("[name=signer_position]", "นายกองค์การบริหารส่วนตำบลทดสอบ")
    executive.get_by_test_id("confirm-step").click()
    expect(executive.get_by_test_id("plan-state-badge")).to_have_text("ผู้บริหารอนุมัติแล้ว")
    assert Plan.objects.get(assessment=assessment).state == "approved"
    executive.goto(live_server.url)
    expect(executive.get_by_test_id("waiting")).to_contain_text("ไม่มีงานที่รอท่านในขณะนี้")

    admin.goto(f"{live_server.url}/plan/2569/")
    expect(admin.get_by_test_id("unread")).to_have_text("1")
    admin.get_by_test_id("bell").click()
    notice = admin.get_by_test_id("notification")
    expect(notice).to_contain_text("แผนพัฒนาองค์กรปี 2569 ได้รับอนุมัติแล้ว โดย test_executive")
    expect(notice).to_contain_text("ยังไม่อ่าน")
    admin.screenshot(path=output_dir / "notifications-admin.png", full_page=True)
    notice.get_by_role("button", name="เปิด").click()
    expect(admin.get_by_test_id("plan-state-badge")).to_have_text("ผู้บริหารอนุมัติแล้ว")
    expect(admin.get_by_test_id("unread")).to_have_count(0)
    assert Notification.objects.get(recipient=personas["org_admin"]).read

    approved = [m for m in mail.outbox if m.to == ["org_admin@example.go.th"]]
    assert len(approved) == 1
    assert "แผนพัฒนาองค์กรปี 2569 ได้รับอนุมัติแล้ว" in approved[0].subject
    assert "/plan/2569/" in approved[0].body
