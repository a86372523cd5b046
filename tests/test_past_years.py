"""Past years stay readable and change no more.

A year is past once the organisation has started a later one: the assessment of year Y when
it has an assessment of a year after Y, the plan carried out in year Y when it has an
assessment of a year after Y. So starting 2569 freezes the 2568 results while the 2569 plan
(made from them, being carried out) stays open; starting 2570 freezes that plan too."""

import pytest
from django.urls import reverse

from assessments.checks import check_assessment
from assessments.models import Assessment, CheckReview, Finding, IndicatorScore
from measures.models import Measure, Plan, ProgressNote

from .conftest import SEED_SCORES, make_assessment, make_measure
from .plan_helpers import edit_data
from .test_import_plan import HEADER, upload, xlsx

PAST_RESULTS = "ผลการประเมินปี 2568 เป็นของปีที่ผ่านมาแล้ว (หน่วยงานเริ่มปีงบประมาณ 2569 แล้ว) จึงอ่านได้อย่างเดียว"
PAST_PLAN = "แผนปี 2569 เป็นของปีที่ผ่านมาแล้ว (หน่วยงานเริ่มปีงบประมาณ 2570 แล้ว) จึงอ่านได้อย่างเดียว"


@pytest.fixture
def row(assessment, palad, personas):
    row = make_measure(assessment, [palad], analysis="ได้รับคะแนน ๘๐.๐๐ คะแนน", number=4)
    ProgressNote.objects.create(measure=row, text="บันทึกเดิม", author=personas["staff"])
    return row


@pytest.fixture
def finding(assessment):
    return Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=9),
                                  kind=Finding.Kind.IMPROVE, text="ควรเปิดเผยข้อมูล")


@pytest.fixture
def year_2569_started(org, row, finding):
    return make_assessment(org, 2569)


@pytest.fixture
def year_2570_started(org, year_2569_started):
    return make_assessment(org, 2570)


def snapshot():
    return (
        list(IndicatorScore.objects.order_by("pk").values_list("pk", "score")),
        list(Assessment.objects.order_by("pk").values_list("pk", "published_overall")),
        list(Finding.objects.order_by("pk").values_list("pk", "text")),
        list(CheckReview.objects.order_by("pk").values_list("pk", "comment")),
        list(Measure.objects.order_by("pk").values_list("pk", "version", "activity", "status", "position")),
        list(ProgressNote.objects.order_by("pk").values_list("pk", "text")),
    )


def test_results_of_a_past_year_refuse_every_change_with_the_reason(year_2569_started, assessment, finding,
                                                                     client_for):
    admin = client_for("org_admin")
    key = check_assessment(Assessment.objects.with_scores().get(pk=assessment.pk))[0].key
    CheckReview.objects.create(assessment=assessment, key=key, comment="ตรวจแล้ว")
    before = snapshot()
    nine = assessment.fiscal_year.indicators.get(number=9).pk
    attempts = [
        admin.get(reverse("assessment_edit", args=[assessment.pk])),
        admin.post(reverse("assessment_edit", args=[assessment.pk]),
                   {"published_overall": "99.00", **{f"score_{n}": s for n, s in SEED_SCORES.items()}}),
        admin.post(reverse("finding_add", args=[assessment.pk, 9]), {"indicator": nine, "kind": "improve", "text": "ใหม่"}),
        admin.post(reverse("finding_edit", args=[assessment.pk, finding.pk]),
                   {"indicator": nine, "kind": "improve", "text": "แก้"}),
        admin.post(reverse("finding_delete", args=[assessment.pk, finding.pk])),
        admin.post(reverse("check_review", args=[assessment.pk]), {"key": key, "comment": "แก้ความเห็น"}),
        admin.post(reverse("check_unreview", args=[assessment.pk]), {"key": key}),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert PAST_RESULTS in response.content.decode()
    assert snapshot() == before


def test_a_past_years_results_stay_readable_with_a_banner_saying_why(year_2569_started, assessment, client_for):
    admin = client_for("org_admin")
    for name in ("assessment_findings", "assessment_check"):
        response = admin.get(reverse(name, args=[assessment.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert PAST_RESULTS in html
        assert reverse("assessment_edit", args=[assessment.pk]) not in html
    findings = admin.get(reverse("assessment_findings", args=[assessment.pk])).content.decode()
    assert reverse("finding_add", args=[assessment.pk, 9]) not in findings
    assert reverse("check_review", args=[assessment.pk]) not in admin.get(
        reverse("assessment_check", args=[assessment.pk])).content.decode()
    listing = admin.get(reverse("assessment_list")).content.decode()
    assert "ปีที่ผ่านมาแล้ว (อ่านอย่างเดียว)" in listing
    for name in ("dashboard:year", "reports:ita", "reports:ita_pdf"):
        assert admin.get(reverse(name, args=[assessment.pk])).status_code == 200


def test_the_plan_being_carried_out_stays_open_while_the_next_year_is_started(year_2569_started, row, client_for):
    """Starting 2569 makes the 2568 results past, not the 2569 plan made from them."""
    staff = client_for("staff")
    assert staff.post(reverse("measures:edit", args=[row.pk]), edit_data(row, progress=30, status="in_progress"),
                      HTTP_HX_REQUEST="true").status_code == 200
    assert staff.post(reverse("measures:add_note", args=[row.pk]), {"date": "2026-05-01", "text": "ต่อ"}).status_code == 302


def test_a_past_plan_refuses_row_and_note_changes_with_the_reason(year_2570_started, row, client_for):
    admin, staff = client_for("org_admin"), client_for("staff")
    before = snapshot()
    attempts = [
        staff.get(reverse("measures:edit", args=[row.pk]), HTTP_HX_REQUEST="true"),
        staff.post(reverse("measures:edit", args=[row.pk]), {"status": "done", "progress": 100, "version": row.version}),
        staff.post(reverse("measures:add_note", args=[row.pk]), {"date": "2026-05-01", "text": "ใหม่"}),
        admin.get(reverse("measures:add", args=[2569])),
        admin.post(reverse("measures:delete", args=[row.pk]), {"version": row.version}),
        admin.post(reverse("measures:move", args=[row.pk]), {"direction": "down"}),
        admin.post(reverse("measures:plan_submit", args=[2569])),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert PAST_PLAN in response.content.decode()
    assert snapshot() == before


def test_a_past_plan_stays_readable_with_a_banner_and_no_controls(year_2570_started, row, client_for):
    staff = client_for("staff")
    html = staff.get(reverse("measures:plan", args=[2569])).content.decode()
    assert PAST_PLAN in html
    assert reverse("measures:edit", args=[row.pk]) not in html
    detail = staff.get(reverse("measures:detail", args=[row.pk])).content.decode()
    assert PAST_PLAN in detail and "บันทึกเดิม" in detail
    assert reverse("measures:add_note", args=[row.pk]) not in detail
    assert staff.get(reverse("measures:history", args=[row.pk])).status_code == 200


def test_the_import_into_a_past_plan_is_refused(year_2570_started, row, assessment, client_for):
    response = upload(client_for("org_admin"), assessment, xlsx([HEADER[:4], [row.pk, row.indicator_label, "", "แก้"]]))
    assert response.context["preview"].errors == [(None, PAST_PLAN)]
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None


def test_a_missing_earlier_year_may_still_be_entered_and_is_then_read_only(year_2569_started, client_for, org):
    admin = client_for("org_admin")
    page = admin.get(reverse("assessment_new", args=[2566])).content.decode()
    assert "ปี 2566 เก่ากว่าปีล่าสุดที่เริ่มแล้ว (2569) เมื่อบันทึกแล้วจะเป็นปีที่ผ่านมาแล้ว" in page
    response = admin.post(reverse("assessment_new", args=[2566]), {"published_overall": "70.10"})
    assert response.status_code == 302
    entered = Assessment.objects.get(organisation=org, fiscal_year=2566)
    assert admin.get(reverse("assessment_edit", args=[entered.pk])).status_code == 403
    assert not Plan.objects.filter(assessment=entered).exists()


def test_a_past_year_without_a_plan_offers_no_first_row(assessment, org, client_for):
    make_assessment(org, 2566, published_overall="70.00")  # history: the plan for 2567 would be past
    admin = client_for("org_admin")
    assert admin.get(reverse("measures:plan", args=[2567])).context["can_add"] is False
    response = admin.get(reverse("measures:add", args=[2567]))
    assert response.status_code == 403
    assert "แผนปี 2567 เป็นของปีที่ผ่านมาแล้ว (หน่วยงานเริ่มปีงบประมาณ 2568 แล้ว)" in response.content.decode()
    assert not Plan.objects.filter(fiscal_year=2567).exists()
