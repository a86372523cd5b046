"""The plan's cycle: draft -> submitted -> approved -> reported, sending back and reopening,
who may take which step, and the record of every step."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from measures.models import Plan, PlanEvent

from .conftest import make_measure, make_user

SIGNED = {"signer_name": "นายสมชาย ใจดี", "signer_position": "นายกองค์การบริหารส่วนตำบลทดสอบ",
          "signed_on": "2025-10-20", "comment": "เห็นชอบตามเสนอ"}


@pytest.fixture
def plan(assessment, palad):
    make_measure(assessment, [palad], activity="จัดทำคู่มือ")
    return Plan.objects.get(assessment=assessment)


def step(client, name, data=None):
    return client.post(reverse(f"measures:{name}", args=[2569]), data or {})


def state_of(plan):
    plan.refresh_from_db()
    return plan.state


def test_a_plan_goes_from_draft_to_reported_and_every_step_is_recorded(plan, client_for, personas):
    admin, executive = client_for("org_admin"), client_for("executive")
    assert state_of(plan) == "draft"

    response = step(admin, "plan_submit", {"comment": "เสนอเพื่อพิจารณา"})
    assert response.status_code == 302 and response["Location"] == reverse("measures:plan", args=[2569])
    assert state_of(plan) == "submitted"

    page = executive.get(reverse("measures:plan_approve", args=[2569]))
    assert page.status_code == 200
    assert step(executive, "plan_approve", SIGNED).status_code == 302
    assert state_of(plan) == "approved"
    assert (plan.approver_name, plan.approver_position, plan.approved_on, plan.approval_comment) == (
        "นายสมชาย ใจดี", "นายกองค์การบริหารส่วนตำบลทดสอบ", date(2025, 10, 20), "เห็นชอบตามเสนอ")
    assert plan.approved_by == personas["executive"]

    assert step(admin, "plan_report", {"comment": "https://example.go.th/o26"}).status_code == 302
    assert state_of(plan) == "reported"

    events = list(plan.events.values_list("kind", "by__username", "comment"))
    assert events == [
        ("submitted", "org_admin", "เสนอเพื่อพิจารณา"),
        ("approved", "test_executive", "เห็นชอบตามเสนอ"),
        ("reported", "org_admin", "https://example.go.th/o26"),
    ]
    approval = plan.events.get(kind="approved")
    assert (approval.signer_name, approval.signed_on) == ("นายสมชาย ใจดี", date(2025, 10, 20))


def test_the_plan_page_shows_the_state_the_approval_the_record_and_each_roles_steps(plan, client_for):
    step(client_for("org_admin"), "plan_submit")
    html = client_for("executive").get(reverse("measures:plan", args=[2569])).content.decode()
    assert "เสนอผู้บริหารแล้ว" in html and "รอผู้บริหารอนุมัติ" in html
    assert reverse("measures:plan_approve", args=[2569]) in html
    assert reverse("measures:plan_return", args=[2569]) in html
    assert reverse("measures:plan_reopen", args=[2569]) not in html

    staff_html = client_for("staff").get(reverse("measures:plan", args=[2569])).content.decode()
    assert "เสนอผู้บริหารแล้ว" in staff_html and 'data-testid="step-' not in staff_html

    step(client_for("executive"), "plan_approve", SIGNED)
    html = client_for("org_admin").get(reverse("measures:plan", args=[2569])).content.decode()
    assert "ผู้บริหารอนุมัติแล้ว" in html
    assert "อนุมัติโดย นายสมชาย ใจดี ตำแหน่ง นายกองค์การบริหารส่วนตำบลทดสอบ เมื่อ 20 ตุลาคม 2568" in html
    assert reverse("measures:plan_report", args=[2569]) in html and reverse("measures:plan_reopen", args=[2569]) in html
    assert "บันทึกของแผน (2 รายการ)" in html and "เห็นชอบตามเสนอ" in html


def test_a_step_the_state_does_not_allow_is_refused_in_thai_and_changes_nothing(plan, client_for):
    admin, executive = client_for("org_admin"), client_for("executive")
    response = step(executive, "plan_approve", SIGNED)  # still a draft
    assert response.status_code == 409
    assert "ทำรายการ “อนุมัติแผน” ไม่ได้ เพราะแผนอยู่ในสถานะ “ร่าง”" in response.content.decode()
    assert executive.get(reverse("measures:plan_approve", args=[2569])).status_code == 409
    for name in ("plan_report", "plan_reopen"):
        assert step(admin, name, {"comment": "เหตุผล"}).status_code == 409
    step(admin, "plan_submit")
    assert step(admin, "plan_submit").status_code == 409  # twice
    assert state_of(plan) == "submitted" and plan.events.count() == 1


def test_an_empty_plan_cannot_be_submitted(assessment, client_for):
    Plan.objects.of_assessment(assessment)
    response = step(client_for("org_admin"), "plan_submit")
    assert response.status_code == 409
    assert "แผนยังไม่มีมาตรการ จึงยังเสนอผู้บริหารไม่ได้" in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "other_staff", "org_admin"])
def test_only_an_executive_approves(plan, client_for, persona):
    step(client_for("org_admin"), "plan_submit")
    response = step(client_for(persona), "plan_approve", SIGNED)
    assert response.status_code == 403
    assert "เฉพาะผู้บริหารของหน่วยงานเท่านั้นที่อนุมัติแผนได้" in response.content.decode()
    assert state_of(plan) == "submitted"


@pytest.mark.parametrize("name", ["plan_submit", "plan_report", "plan_reopen"])
@pytest.mark.parametrize("persona", ["staff", "executive"])
def test_submitting_reporting_and_reopening_are_for_admins(plan, client_for, name, persona):
    response = step(client_for(persona), name, {"comment": "เหตุผล"})
    assert response.status_code == 403
    assert "เฉพาะผู้ดูแลระบบเท่านั้น" in response.content.decode()


def test_an_executive_of_another_organisation_gets_404_and_changes_nothing(plan, client_for, other_org):
    step(client_for("org_admin"), "plan_submit")
    foreign = client_for("anonymous")
    foreign.force_login(make_user("foreign_exec", other_org, Membership.Role.EXECUTIVE))
    assert foreign.get(reverse("measures:plan_approve", args=[2569])).status_code == 404
    assert step(foreign, "plan_approve", SIGNED).status_code == 404
    assert state_of(plan) == "submitted"


def test_the_executive_signs_with_a_name_and_position_typed_and_a_date_not_in_the_future(plan, client_for, personas):
    personas["executive"].first_name, personas["executive"].last_name = "สมชาย", "ใจดี"
    personas["executive"].save()
    step(client_for("org_admin"), "plan_submit")
    executive = client_for("executive")
    form = executive.get(reverse("measures:plan_approve", args=[2569])).context["form"]
    assert form.initial["signer_name"] == "สมชาย ใจดี"  # prefilled from the account
    assert form.initial["signed_on"] == timezone.localdate()

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = step(executive, "plan_approve", {"signer_name": " ", "signer_position": "", "signed_on": tomorrow})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["signer_name"] == ["กรุณาพิมพ์ชื่อผู้อนุมัติ"]
    assert errors["signer_position"] == ["กรุณาพิมพ์ตำแหน่งผู้อนุมัติ"]
    assert errors["signed_on"] == ["วันที่อนุมัติต้องไม่เป็นวันในอนาคต"]
    assert state_of(plan) == "submitted"


def test_the_position_is_prefilled_from_the_executives_last_signature(plan, client_for):
    admin, executive = client_for("org_admin"), client_for("executive")
    step(admin, "plan_submit")
    step(executive, "plan_approve", SIGNED)
    step(admin, "plan_reopen", {"comment": "แก้ไขระยะเวลา"})
    step(admin, "plan_submit")
    form = executive.get(reverse("measures:plan_approve", args=[2569])).context["form"]
    assert form.initial["signer_position"] == "นายกองค์การบริหารส่วนตำบลทดสอบ"


def test_reopening_needs_an_admin_and_a_reason_keeps_the_old_approval_in_the_record_and_needs_a_new_one(
    plan, client_for
):
    admin, executive = client_for("org_admin"), client_for("executive")
    step(admin, "plan_submit")
    step(executive, "plan_approve", SIGNED)

    response = step(admin, "plan_reopen", {"comment": "  "})
    assert response.status_code == 422
    assert "กรุณาระบุเหตุผล" in response.content.decode()
    assert state_of(plan) == "approved"

    assert step(admin, "plan_reopen", {"comment": "ต้องเพิ่มมาตรการตามข้อสั่งการ"}).status_code == 302
    assert state_of(plan) == "draft"
    assert (plan.approver_name, plan.approved_on, plan.approved_by) == ("", None, None)
    reopened = plan.events.get(kind="reopened")
    assert reopened.comment == "ต้องเพิ่มมาตรการตามข้อสั่งการ" and reopened.by.username == "org_admin"
    old = plan.events.get(kind="approved")
    assert (old.signer_name, old.signer_position, old.signed_on) == (
        "นายสมชาย ใจดี", "นายกองค์การบริหารส่วนตำบลทดสอบ", date(2025, 10, 20))
    html = admin.get(reverse("measures:plan", args=[2569])).content.decode()
    assert "ต้องเพิ่มมาตรการตามข้อสั่งการ" in html and "ลงชื่อ นายสมชาย ใจดี" in html

    # A new approval is needed: it starts from a new submission.
    assert step(executive, "plan_approve", SIGNED).status_code == 409
    step(admin, "plan_submit")
    step(executive, "plan_approve", {**SIGNED, "signed_on": "2026-01-15"})
    assert state_of(plan) == "approved" and plan.approved_on == date(2026, 1, 15)
    assert list(plan.events.values_list("kind", flat=True)) == [
        "submitted", "approved", "reopened", "submitted", "approved"]


def test_a_reported_plan_can_be_reopened_too(plan, client_for):
    admin = client_for("org_admin")
    step(admin, "plan_submit")
    step(client_for("executive"), "plan_approve", SIGNED)
    step(admin, "plan_report")
    assert step(admin, "plan_reopen", {"comment": "รายงานผิด ต้องแก้แผน"}).status_code == 302
    assert state_of(plan) == "draft"


@pytest.mark.parametrize("persona", ["executive", "org_admin"])
def test_a_submitted_plan_is_sent_back_with_a_reason(plan, client_for, persona):
    step(client_for("org_admin"), "plan_submit")
    client = client_for(persona)
    assert step(client, "plan_return", {"comment": ""}).status_code == 422
    assert step(client, "plan_return", {"comment": "ระยะเวลาไม่ชัดเจน"}).status_code == 302
    assert state_of(plan) == "draft"
    assert plan.events.last().comment == "ระยะเวลาไม่ชัดเจน"
    assert step(client_for("staff"), "plan_return", {"comment": "x"}).status_code == 403


def test_the_database_keeps_an_approved_plan_signed_and_a_reopening_reasoned(plan, personas):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(state="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanEvent.objects.create(plan=plan, kind="reopened", by=personas["org_admin"], comment="")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanEvent.objects.create(plan=plan, kind="approved", by=personas["executive"], signer_name="x")


def test_plan_page_query_count_does_not_grow_with_the_record(plan, assessment, palad, client_for,
                                                              django_assert_num_queries):
    """Guards an N+1 on the record's people: each event's user comes with the events."""
    admin, executive = client_for("org_admin"), client_for("executive")
    url = reverse("measures:plan", args=[2569])
    step(admin, "plan_submit")
    admin.get(url)
    # as the plan page's own test counts for staff (11), less the member's units an admin needs not
    with django_assert_num_queries(8):
        assert admin.get(url).status_code == 200
    for _ in range(3):
        step(admin, "plan_return", {"comment": "แก้"})
        step(admin, "plan_submit")
    step(executive, "plan_approve", SIGNED)
    make_measure(assessment, [palad])
    with django_assert_num_queries(8):
        response = admin.get(url)
    assert len(response.context["events"]) == 8


def test_the_approval_forms_example_position_names_the_organisation_itself(plan, client_for, org):
    step(client_for("org_admin"), "plan_submit")
    html = client_for("executive").get(reverse("measures:plan_approve", args=[2569])).content.decode()
    assert "เช่น นายกองค์การบริหารส่วนตำบลทดสอบ" in html
    assert "วังหมี" not in html
    org.name = "เทศบาลตำบลหนองบัว"
    org.save(update_fields=["name"])
    html = client_for("executive").get(reverse("measures:plan_approve", args=[2569])).content.decode()
    assert "เช่น นายกเทศมนตรีตำบลหนองบัว" in html
