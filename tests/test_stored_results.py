"""Stored results: what the assessment and the plan store is what the score engine computes,
written in the same transaction as the change that moves it, and rebuilt by one command."""

from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment
from measures.models import Measure, Plan

from .conftest import SEED_SCORES, make_assessment, make_measure
from .plan_helpers import edit_data

HTMX = {"HTTP_HX_REQUEST": "true"}


def engine_view(assessment):
    """The results as the pages compute them from the score rows (assessments.models' engine
    properties), in the stored fields' terms."""
    fresh = Assessment.objects.with_scores().get(pk=assessment.pk)
    result = fresh.result
    scores = list(fresh.scores.all())
    weakest = min(scores, key=lambda s: (s.score, s.indicator.number)) if scores else None
    overall = fresh.overall_shown
    return {
        "result_overall": None if overall is None else overall.quantize(Decimal("0.01")),
        "result_level": fresh.level_name,
        "result_passed": result.passed if result.level else fresh.passes(),
        "iit_mean": result.means_display["IIT"], "eit_mean": result.means_display["EIT"],
        "oit_mean": result.means_display["OIT"],
        "weakest_indicator_id": weakest.indicator_id if weakest else None,
        "weakest_score": weakest.score if weakest else None,
    }


def stored(assessment):
    return Assessment.objects.values(*engine_view(assessment)).get(pk=assessment.pk)


def assert_every_assessment_stores_the_engines_results():
    assessments = list(Assessment.objects.all())
    assert assessments
    for assessment in assessments:
        assert stored(assessment) == engine_view(assessment), assessment


def test_the_seed_stores_what_the_engine_computes(seed):
    """อบต.วังหมี 2568: 90.4172 -> 90.42 ผ่าน; IIT 92.944 -> 92.94, EIT 96.78, OIT 83.75; weakest
    indicator 9 at 82.50; 2567 holds only its published 94.67, so 2568 changed by
    90.42 - 94.67 = -4.25 and is the latest result; its plan has ten rows, none done, 0 %."""
    assert_every_assessment_stores_the_engines_results()
    a2568 = Assessment.objects.get(organisation__short_name="อบต.วังหมี", fiscal_year=2568)
    assert (a2568.result_overall, a2568.result_level, a2568.result_passed) == (Decimal("90.42"), "ผ่าน", True)
    assert (a2568.iit_mean, a2568.eit_mean, a2568.oit_mean) == (Decimal("92.94"), Decimal("96.78"), Decimal("83.75"))
    assert (a2568.weakest_indicator.number, a2568.weakest_score) == (9, Decimal("82.50"))
    assert (a2568.previous_year, a2568.result_change, a2568.is_latest_result) == (2567, Decimal("-4.25"), True)
    assert Assessment.objects.filter(organisation=a2568.organisation, is_latest_result=True).count() == 1
    plan = Plan.objects.get(assessment=a2568)
    assert (plan.rows_count, plan.rows_done, plan.progress) == (10, 0, Decimal("0.0"))


def test_the_test_data_stores_what_the_engine_computes(assessment, other_org):
    """The conftest's organisation (the seed's scores, 2568) and years of every kind: full
    scores, a published overall alone, a level written as the document wrote it."""
    make_assessment(assessment.organisation, 2567, published_overall=Decimal("94.67"), published_level="ผ่านดี")
    make_assessment(other_org, 2564, {n: "96" for n in range(1, 11)})
    make_assessment(other_org, 2566, published_overall=Decimal("86.10"), published_level="AA")
    make_assessment(other_org, 2565, published_overall=Decimal("94.73"), published_level="AA")
    assert_every_assessment_stores_the_engines_results()
    latest = Assessment.objects.get(organisation=other_org, is_latest_result=True)
    # 2566 published only: 86.10 reaches ผ่าน (85) in that year's rule; the level stays "AA".
    assert (latest.fiscal_year_id, latest.result_level, latest.result_passed) == (2566, "AA", True)
    assert (latest.previous_year, latest.result_change) == (2565, Decimal("-8.63"))


def test_saving_scores_in_the_form_stores_the_new_result_at_once(client_for, assessment):
    """Indicator 9 from 82.50 to 100: OIT (100 + 85) / 2 = 92.5, overall
    0.3 x 92.944 + 0.3 x 96.78 + 0.4 x 92.5 = 93.9172 -> 93.92, weakest now indicator 4 at 83.87."""
    data = {f"score_{n}": s for n, s in {**SEED_SCORES, 9: "100"}.items()}
    data.update({"action": "save", "published_overall": "90.42", "published_level": "ผ่าน"})
    response = client_for("org_admin").post(reverse("assessment_edit", args=[assessment.pk]), data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.result_overall == Decimal("93.92")
    assert (assessment.weakest_indicator.number, assessment.weakest_score) == (4, Decimal("83.87"))
    assert stored(assessment) == engine_view(assessment)


def test_editing_a_rows_progress_stores_the_plans_progress(client_for, assessment, palad):
    """Two rows at 0 %; one set to 40 %: mean (40 + 0) / 2 = 20.0 %; cancelling the other
    leaves one row counted at 40.0 %."""
    first, second = make_measure(assessment, units=[palad]), make_measure(assessment, units=[palad])
    staff = client_for("staff")
    response = staff.post(reverse("measures:edit", args=[first.pk]),
                          edit_data(first, status="in_progress", progress=40), **HTMX)
    assert response.status_code == 200
    plan = Plan.objects.get(assessment=assessment)
    assert (plan.rows_count, plan.rows_done, plan.progress) == (2, 0, Decimal("20.0"))
    staff.post(reverse("measures:edit", args=[second.pk]), edit_data(second, status="cancelled"), **HTMX)
    plan.refresh_from_db()
    assert Measure.objects.get(pk=second.pk).status == "cancelled"
    assert (plan.rows_count, plan.progress) == (1, Decimal("40.0"))


def test_the_command_rebuilds_results_that_went_stale(seed):
    """A stored figure overwritten behind the engine's back is put right by refresh_results."""
    Assessment.objects.update(result_overall=None, result_level="", is_latest_result=False)
    Plan.objects.update(rows_count=0, progress=None)
    call_command("refresh_results", stdout=open("/dev/null", "w"))
    assert_every_assessment_stores_the_engines_results()
    assert Plan.objects.get().rows_count == 10


def test_a_years_rule_changed_in_the_admin_is_stored_again(seed, admin_client):
    """The 2568 pass mark lifted to 91 in the admin: 90.42 no longer passes, and is stored so."""
    from assessments.models import Level

    level = Level.objects.get(fiscal_year=2568, name="ผ่าน")
    response = admin_client.post(reverse("admin:assessments_level_change", args=[level.pk]), {
        "fiscal_year": 2568, "rank": level.rank, "name": "ผ่าน", "min_overall": "91.00", "min_tool_mean": "",
    })
    assert response.status_code == 302
    a2568 = Assessment.objects.get(fiscal_year=2568)
    assert a2568.result_passed is False and a2568.result_level == "ต้องปรับปรุง"
