"""Years and levels as they were: fiscal year 2563 in the reference data, levels kept as the
document wrote them and reported by the check, and a year of published figures alone checked
against the year's thresholds."""

from decimal import Decimal

from django.urls import reverse

from assessments.checks import check_assessment
from assessments.models import Assessment, FiscalYear

from .conftest import SEED_SCORES, make_assessment


def levels_of(year):
    return [(lv.rank, lv.name, lv.min_overall, lv.min_tool_mean, lv.passed) for lv in year.levels.all()]


def test_2563_has_the_rule_of_2564(reference):
    """The same ten indicators and tools, 30/30/40 weights and AA-F bands as 2564."""
    y2563, y2564 = FiscalYear.objects.get(year=2563), FiscalYear.objects.get(year=2564)
    assert y2563.weights() == y2564.weights() == {"IIT": Decimal("0.30"), "EIT": Decimal("0.30"), "OIT": Decimal("0.40")}
    assert levels_of(y2563) == levels_of(y2564)
    indicators = [[(i.number, i.name, i.tool) for i in y.indicators.all()] for y in (y2563, y2564)]
    assert indicators[0] == indicators[1] and len(indicators[0]) == 10
    assert "2564" in y2563.notes and "ความเชื่อมั่น" in y2563.notes


def test_a_2563_result_is_scored_to_the_hundredth_by_that_rule(org):
    """The seed's scores under 2563: 0.3 x 92.944 + 0.3 x 96.78 + 0.4 x 83.75 = 90.4172 -> 90.42, A (85-94.99)."""
    assessment = make_assessment(org, 2563, SEED_SCORES, published_overall=Decimal("90.42"), published_level="A")
    assert (assessment.result_overall, assessment.result_level, assessment.result_passed) == (Decimal("90.42"), "A", True)
    issues = check_assessment(Assessment.objects.with_scores().get(pk=assessment.pk))
    assert not [i for i in issues if i.key.startswith(("overall:", "level", "published-level"))]


def test_a_2566_level_written_as_aa_is_recorded_and_reported(client_for, org):
    """2566 published ผ่าน/ไม่ผ่าน; a document that wrote "AA" is recorded as it was written."""
    data = {"action": "save", "published_overall": "96.12", "published_level": "AA"}
    response = client_for("org_admin").post(reverse("assessment_new", args=[2566]), data)
    assert response.status_code == 302
    assessment = Assessment.objects.with_scores().get(organisation=org, fiscal_year=2566)
    assert assessment.published_level == "AA" and assessment.result_level == "AA"
    assert assessment.result_passed is True  # 96.12 reaches 2566's ผ่าน (85)
    [issue] = [i for i in check_assessment(assessment) if i.key.startswith("level-unknown")]
    assert "“AA”" in issue.problem and "2566" in issue.problem
    page = client_for("org_admin").get(reverse("assessment_check", args=[assessment.pk]))
    assert "“AA”" in page.content.decode()


def test_a_published_level_that_its_overall_contradicts_is_reported(org):
    """2564, 94.73 with AA: AA needs 95, so it is reported; 95.10 with AA is not; 96 with A is
    reported too (AA is reached)."""
    wrong = make_assessment(org, 2564, published_overall=Decimal("94.73"), published_level="AA")
    issues = check_assessment(Assessment.objects.with_scores().get(pk=wrong.pk))
    assert any("94.73" in i.problem and "“AA”" in i.problem for i in issues)
    right = make_assessment(org, 2565, published_overall=Decimal("95.10"), published_level="AA")
    assert not [i for i in check_assessment(Assessment.objects.with_scores().get(pk=right.pk))
                if i.key.startswith("published-level")]
    low = make_assessment(org, 2563, published_overall=Decimal("96.00"), published_level="A")
    [issue] = [i for i in check_assessment(Assessment.objects.with_scores().get(pk=low.pk))
               if i.key.startswith("published-level")]
    assert "“AA”" in issue.problem


def test_a_gated_level_is_judged_on_its_overall_alone_when_only_figures_are_published(org):
    """2568 ผ่านดีเยี่ยม needs 95 and every tool mean 95: with the means unknown, 96.00 is not
    contradicted, 90.00 is (below 95)."""
    fine = make_assessment(org, 2568, published_overall=Decimal("96.00"), published_level="ผ่านดีเยี่ยม")
    assert not [i for i in check_assessment(Assessment.objects.with_scores().get(pk=fine.pk))
                if i.key.startswith("published-level")]
    fine.delete()
    wrong = make_assessment(org, 2568, published_overall=Decimal("90.00"), published_level="ผ่านดีเยี่ยม")
    assert [i for i in check_assessment(Assessment.objects.with_scores().get(pk=wrong.pk))
            if i.key.startswith("published-level")]
