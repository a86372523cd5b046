"""The score engine: tool means, the 30/30/40 overall, and each year's level rule."""

from decimal import Decimal as D

import pytest

from assessments import scoring
from assessments.display import level_reason
from assessments.models import Assessment

from .conftest import SEED_SCORES, make_assessment

TOOLS = {n: "IIT" if n <= 5 else "EIT" if n <= 8 else "OIT" for n in range(1, 11)}
WEIGHTS = {"IIT": D("0.30"), "EIT": D("0.30"), "OIT": D("0.40")}
RULE_2568 = [
    scoring.LevelRule("ผ่านดีเยี่ยม", D(95), D(95), True),
    scoring.LevelRule("ผ่านดี", D(85), D(85), True),
    scoring.LevelRule("ผ่าน", D(85), None, True),
    scoring.LevelRule("ต้องปรับปรุง", D(70), None, False),
    scoring.LevelRule("ต้องปรับปรุงโดยด่วน", D(0), None, False),
]


def scores(iit, eit, oit):
    return {n: D(iit) if n <= 5 else D(eit) if n <= 8 else D(oit) for n in range(1, 11)}


def evaluate(values, rules=RULE_2568):
    return scoring.evaluate(values, TOOLS, WEIGHTS, rules)


def test_seed_scores_give_90_42_and_pass_not_pass_good():
    """IIT (93.33+96.13+98.06+83.87+93.33)/5 = 464.72/5 = 92.944;
    EIT (97.13+97.47+95.74)/3 = 290.34/3 = 96.78; OIT (82.50+85.00)/2 = 83.75.
    0.3*92.944 + 0.3*96.78 + 0.4*83.75 = 27.8832 + 29.034 + 33.5 = 90.4172 -> 90.42.
    90.4172 >= 85 but OIT 83.75 < 85, so ผ่าน and not ผ่านดี."""
    result = evaluate({n: D(s) for n, s in SEED_SCORES.items()})
    assert result.tool_means == {"IIT": D("92.944"), "EIT": D("96.78"), "OIT": D("83.75")}
    assert result.overall == D("90.4172")
    assert result.overall_display == D("90.42")
    assert result.level.name == "ผ่าน"
    assert result.passed is True
    assert [(g.level, g.tool, g.mean, g.minimum) for g in result.gates] == [("ผ่านดี", "OIT", D("83.75"), D(85))]
    assert level_reason(result) == "ไม่ถึงระดับผ่านดี เพราะ OIT 83.75 ต่ำกว่า 85"


def test_rounding_is_half_up_for_display_only():
    """87.985 must show as 87.99 (half up), where banker's rounding would give 87.98."""
    assert scoring.round2(D("87.995")) == D("88.00")
    assert scoring.round2(D("87.985")) == D("87.99")
    assert scoring.round2(D("90.4172")) == D("90.42")
    assert scoring.round2(None) is None


@pytest.mark.parametrize(
    "value, level",
    [("84.99", "ต้องปรับปรุง"), ("85.00", "ผ่านดี"), ("94.99", "ผ่านดี"), ("95.00", "ผ่านดีเยี่ยม"),
     ("69.99", "ต้องปรับปรุงโดยด่วน"), ("70.00", "ต้องปรับปรุง")],
)
def test_level_boundaries_with_equal_scores(value, level):
    """All ten indicators at x give tool means x and overall 0.3x + 0.3x + 0.4x = x, so the
    overall sits exactly on the boundary: 84.99 < 85 fails, 85.00 reaches ผ่านดี, and so on."""
    result = evaluate(scores(value, value, value))
    assert result.overall == D(value)
    assert result.level.name == level


@pytest.mark.parametrize("low_tool", ["IIT", "EIT", "OIT"])
def test_each_tool_gates_pass_excellent(low_tool):
    """Two tools at 100 and one at 94.99: overall is at least 0.3*94.99 + 0.7*100 = 98.497 >= 95
    but one tool mean is below 95, so the level stops at ผ่านดี and names that tool."""
    means = {"IIT": "100", "EIT": "100", "OIT": "100", low_tool: "94.99"}
    result = evaluate(scores(means["IIT"], means["EIT"], means["OIT"]))
    assert result.overall >= D(95)
    assert result.level.name == "ผ่านดี"
    assert [(g.level, g.tool) for g in result.gates] == [("ผ่านดีเยี่ยม", low_tool)]


@pytest.mark.parametrize("low_tool", ["IIT", "EIT", "OIT"])
def test_each_tool_gates_pass_good(low_tool):
    """Two tools at 100 and one at 84.99: overall >= 0.3*84.99 + 0.7*100 = 95.497 but the tool
    is below 85 (so also below 95): ผ่านดีเยี่ยม and ผ่านดี are both closed, the level is ผ่าน."""
    means = {"IIT": "100", "EIT": "100", "OIT": "100", low_tool: "84.99"}
    result = evaluate(scores(means["IIT"], means["EIT"], means["OIT"]))
    assert result.level.name == "ผ่าน"
    assert {g.tool for g in result.gates} == {low_tool}


def test_missing_score_gives_no_overall_and_names_the_indicator():
    """Without indicator 7 the EIT mean is unknown, so no overall and no level are claimed."""
    values = {n: D(90) for n in range(1, 11) if n != 7}
    result = evaluate(values)
    assert result.missing == [7]
    assert result.tool_means["EIT"] is None
    assert result.tool_means["IIT"] == D(90)
    assert result.overall is None and result.level is None and result.passed is None


def test_grade_rule_up_to_2565():
    """AA-F: 95 AA, 85 A, 75 B, 65 C, 55 D, 50 E, below F."""
    rules = [scoring.LevelRule(n, D(m)) for n, m in
             [("AA", 95), ("A", 85), ("B", 75), ("C", 65), ("D", 55), ("E", 50), ("F", 0)]]
    assert evaluate(scores(54.25, 54.25, 54.25), rules).level.name == "E"
    assert evaluate(scores(49.99, 49.99, 49.99), rules).level.name == "F"
    assert evaluate(scores(95, 95, 95), rules).level.name == "AA"
    assert evaluate(scores("84.99", "84.99", "84.99"), rules).level.name == "B"


@pytest.mark.parametrize(
    "year, values, level",
    [
        (2564, ("54.25",) * 3, "E"),
        (2565, ("85.00",) * 3, "A"),
        (2566, ("84.99",) * 3, "ไม่ผ่าน"),
        (2566, ("85.00",) * 3, "ผ่าน"),
        (2567, ("96", "96", "94"), "ผ่านดี"),
        (2568, ("96", "96", "96"), "ผ่านดีเยี่ยม"),
        (2569, ("90", "90", "80"), "ผ่าน"),
    ],
)
def test_each_years_rule_from_the_reference_data(org, year, values, level):
    """The rule comes from the year's Level rows; e.g. 2567 with 96/96/94: overall
    0.3*96 + 0.3*96 + 0.4*94 = 95.2 >= 95 but OIT 94 < 95, so ผ่านดี."""
    assessment = make_assessment(org, year, scores(*values))
    assessment = Assessment.objects.with_scores().get(pk=assessment.pk)
    assert assessment.result.level.name == level


def test_published_values_are_compared_with_computed(org):
    """Seed scores compute to 90.42 ผ่าน; a published 90.43 or ผ่านดี is reported as different."""
    same = make_assessment(org, 2568, SEED_SCORES, published_overall=D("90.42"), published_level="ผ่าน")
    assert not same.overall_differs and not same.level_differs
    same.published_overall, same.published_level = D("90.43"), "ผ่านดี"
    assert same.overall_differs and same.level_differs


def test_history_year_shows_published_overall(org):
    history = make_assessment(org, 2564, published_overall=D("54.25"))
    assert history.result.overall is None
    assert history.overall == D("54.25")
    assert not history.has_scores
