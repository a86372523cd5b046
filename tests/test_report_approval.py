"""The plan's approval in the ITA report and the progress report: the signature block of a
Thai official document (ลงชื่อ, the name in brackets beneath, ตำแหน่ง, วันที่ in the Buddhist
Era in the report's digits), or a plain statement that the plan is not approved."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Plan, PlanEvent

from .conftest import make_measure
from .pdftext import body_text
from .plan_helpers import approve

NOT_APPROVED = "แผนนี้ยังไม่ได้รับการอนุมัติจากผู้บริหาร"


@pytest.fixture
def plan(assessment, palad):
    make_measure(assessment, [palad], activity="จัดทำคู่มือการปฏิบัติงาน")
    return Plan.objects.get(assessment=assessment)


def pdf(client, name, assessment, **params):
    response = client.get(reverse(f"reports:{name}", args=[assessment.pk]), params)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return body_text(response.content)


def test_the_ita_report_pdf_carries_the_approvals_signature_block(plan, personas, client_for, assessment):
    approve(plan, personas, signed_on=date(2025, 10, 20))
    text = pdf(client_for("org_admin"), "ita_pdf", assessment)
    assert "ลงชื่อ" in text and "ผู้อนุมัติ" in text
    assert "(นายสมชายใจดี)" in text
    assert "ตำแหน่งนายกองค์การบริหารส่วนตำบลทดสอบ" in text
    assert "วันที่๒๐ตุลาคม๒๕๖๘" in text
    assert "ความเห็นผู้อนุมัติ:เห็นชอบ" in text
    assert NOT_APPROVED not in text

    arabic = pdf(client_for("org_admin"), "ita_pdf", assessment, digits="arabic")
    assert "วันที่20ตุลาคม2568" in arabic and "(นายสมชายใจดี)" in arabic


def test_the_progress_report_pdf_carries_the_approval_in_force_on_its_day(plan, personas, client_for, assessment):
    approve(plan, personas, signed_on=date(2025, 10, 20))
    # The approval was recorded on 21 October 2025.
    PlanEvent.objects.filter(plan=plan).update(at=timezone.make_aware(datetime.combine(date(2025, 10, 21), time(10))))
    admin = client_for("org_admin")
    text = pdf(admin, "progress_pdf", assessment, as_of="2026-03-31")
    assert "(นายสมชายใจดี)" in text and "ตำแหน่งนายกองค์การบริหารส่วนตำบลทดสอบ" in text
    assert "วันที่๒๐ตุลาคม๒๕๖๘" in text

    before = pdf(admin, "progress_pdf", assessment, as_of="2025-10-15")
    assert "แผนนี้ยังไม่ได้รับการอนุมัติจากผู้บริหารณวันที่๑๕ตุลาคม๒๕๖๘" in before
    assert "(นายสมชายใจดี)" not in before


def test_a_plan_not_yet_approved_says_so_plainly(plan, client_for, assessment):
    admin = client_for("org_admin")
    page = admin.get(reverse("reports:ita", args=[assessment.pk])).content.decode()
    assert f"{NOT_APPROVED} (สถานะแผน: ร่าง)" in page and "ลงชื่อ" not in page
    text = pdf(admin, "ita_pdf", assessment)
    assert NOT_APPROVED in text and "ลงชื่อ" not in text


def test_a_reopened_plan_no_longer_shows_the_old_signature(plan, personas, client_for, assessment):
    approve(plan, personas)
    plan.take_step(PlanEvent.Kind.REOPENED, by=personas["org_admin"], comment="แก้ไขมาตรการ")
    page = client_for("executive").get(reverse("reports:ita", args=[assessment.pk])).content.decode()
    assert f"{NOT_APPROVED} (สถานะแผน: ร่าง)" in page and "นายสมชาย ใจดี" not in page
    progress = client_for("executive").get(reverse("reports:progress", args=[assessment.pk])).content.decode()
    assert NOT_APPROVED in progress and "นายสมชาย ใจดี" not in progress


def test_the_print_views_show_the_signature_block_too(plan, personas, client_for, assessment):
    approve(plan, personas)
    for name in ("reports:ita", "reports:progress"):
        html = client_for("staff").get(reverse(name, args=[assessment.pk])).content.decode()
        assert "(นายสมชาย ใจดี)" in html and "ตำแหน่ง นายกองค์การบริหารส่วนตำบลทดสอบ" in html
        assert "วันที่ ๒๐ ตุลาคม ๒๕๖๘" in html
