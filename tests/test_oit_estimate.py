"""The OIT estimate: item verdicts through the portal's score engine (weights, rounding, levels, gates)."""

from decimal import Decimal

import pytest

from assessments.models import FiscalYear
from oit.estimate import estimate, latest_scored_assessment
from oit.models import Item

from .conftest import make_assessment
from .oit_helpers import pass_items, start_workspace

NINETY = {n: "90.00" for n in range(1, 9)}


def estimate_of(workspace):
    year = FiscalYear.objects.prefetch_related("indicators", "levels").get(pk=workspace.fiscal_year_id)
    items = Item.objects.filter(workspace=workspace).select_related("question__indicator")
    return estimate(year, items, latest_scored_assessment(workspace.organisation_id, year.pk))


@pytest.fixture
def workspace(org):
    make_assessment(org, 2568, {**NINETY, 9: "50.00", 10: "50.00"})
    return start_workspace(org, 2568)


def test_the_estimate_with_the_oit_gate_and_the_next_level(workspace):
    """FY2568: indicator 9 has 20 items (o1-o20), indicator 10 has 6 (o21-o26); IIT and EIT
    indicators all 90.00 (the assessment's own 9 and 10 are replaced by the estimate).

    13 of 20 items of 9 pass: 9 = 13 x 100 / 20 = 65.00; all 6 of 10 pass: 10 = 100.00.
    OIT mean = (65 + 100) / 2 = 82.50; IIT = EIT = 90.00.
    overall = 0.3 x 90 + 0.3 x 90 + 0.4 x 82.50 = 27 + 27 + 33 = 87.00 -> ผ่าน (>= 85), and not
    ผ่านดี because OIT 82.50 < 85 (the tool gate).

    One item of 9 is worth 100 / 20 = 5.00 points of indicator 9, so 0.4 x 5 / 2 = 1.00 point of
    the overall; one item of 10 is worth 100 / 6 = 16.67 of 10 and 0.4 x 16.67 / 2 = 3.33 overall.
    One more item of 9: 9 = 70, OIT = 85.00, overall = 27 + 27 + 34 = 88.00 -> ผ่านดี.
    No item of 10 is left, so the smallest set is one item of 9."""
    pass_items(workspace, 9, 13)
    pass_items(workspace, 10, 6)
    found = estimate_of(workspace)
    nine, ten = found.indicators
    assert (nine.number, nine.items, nine.passed, nine.score) == (9, 20, 13, Decimal(65))
    assert (ten.number, ten.items, ten.passed, ten.score) == (10, 6, 6, Decimal(100))
    assert found.result.tool_means["OIT"] == Decimal("82.5")
    assert found.result.overall_display == Decimal("87.00")
    assert found.level_name == "ผ่าน"
    assert [(gate.level, gate.tool) for gate in found.result.gates] == [("ผ่านดี", "OIT")]
    assert nine.item_worth == Decimal(5) and nine.overall_worth == Decimal("1.0")
    assert round(ten.overall_worth, 2) == Decimal("3.33")
    assert found.next_level == "ผ่านดี" and found.next_step == {9: 1, 10: 0}
    assert found.next_step_text() == "ผ่านอีก 1 ข้อของตัวชี้วัดที่ 9 ได้ระดับ ผ่านดี"


def test_the_next_level_may_need_items_of_both_indicators(workspace):
    """Nothing passed: 9 = 0, 10 = 0, OIT = 0; overall = 27 + 27 + 0 = 54.00 -> ต้องปรับปรุงโดยด่วน.
    The next level, ต้องปรับปรุง, needs overall >= 70: OIT mean >= (70 - 54) / 0.4 = 40.
    Items of 10 are worth 16.67 of 10 each, 8.33 of the OIT mean; of 9, 5 of 9 and 2.5 of OIT.
    Fewest items: 5 of 10 give 10 = 83.33, OIT 41.67 (5 items); any set with fewer items gives
    at most 4 x 8.33 = 33.33. So: 5 items of indicator 10, overall 27 + 27 + 16.67 = 70.67."""
    found = estimate_of(workspace)
    assert found.level_name == "ต้องปรับปรุงโดยด่วน"
    assert found.result.overall_display == Decimal("54.00")
    assert found.next_level == "ต้องปรับปรุง"
    assert found.next_step == {9: 0, 10: 5}
    assert found.next_step_text() == "ผ่านอีก 5 ข้อของตัวชี้วัดที่ 10 ได้ระดับ ต้องปรับปรุง"


def test_a_failed_review_counts_as_zero_and_without_iit_and_eit_only_the_oit_indicators_are_estimated(org):
    """No assessment with scores: no overall. 1 of 6 items of 10 passed, one failed: 10 = 100 / 6."""
    workspace = start_workspace(org, 2568)
    [passed] = pass_items(workspace, 10, 1)
    Item.objects.filter(workspace=workspace, question__code="o22").update(review=Item.Review.FAILED)
    found = estimate_of(workspace)
    assert found.result.overall is None and found.next_level == "" and found.basis is None
    assert round(found.indicators[1].score, 2) == Decimal("16.67")
    assert found.indicators[1].overall_worth is None
    assert passed.code == "o21"


def test_the_items_come_from_the_reference_data_of_the_year(org):
    """2569 renumbers: o1-o19 under indicator 9, o20-o26 under 10 (fixtures/reference.json)."""
    workspace = start_workspace(org, 2569)
    codes = list(Item.objects.filter(workspace=workspace).in_order().values_list("question__code",
                                                                                 "question__indicator__number"))
    assert [code for code, _ in codes] == [f"o{n}" for n in range(1, 27)]
    assert {code for code, number in codes if number == 10} == {f"o{n}" for n in range(20, 27)}
