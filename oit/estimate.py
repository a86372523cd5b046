"""The estimate of what the workspace's items are worth, through the portal's score engine.

The rule (an estimate, and said to be one: the NACC's assessors may weigh components inside an
item, so a published indicator score is not always a plain mean of 100/0 items):

- an item scores 100 when its internal review is ผ่าน, else 0;
- each OIT indicator's estimate is the mean of its items' scores;
- the overall estimate puts those beside the latest IIT and EIT indicator scores the
  organisation has, under the year's weights, rounding rule, levels and tool gates
  (`assessments.scoring.evaluate`: nothing of the rule is computed here).

What a missing item is worth, and the smallest set of items that reaches the next level, are
found by asking the same engine about the scores with more items passed.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from django.utils.translation import gettext as _

from assessments import scoring
from assessments.display import level_label
from assessments.models import Assessment


@dataclass
class IndicatorEstimate:
    number: int
    name: str
    items: int
    passed: int
    score: Decimal | None  # None for an indicator without items
    item_worth: Decimal | None = None  # points of this indicator one more passed item adds
    overall_worth: Decimal | None = None  # points of the overall estimate it adds

    @property
    def missing(self):
        return self.items - self.passed


@dataclass
class Estimate:
    indicators: list
    result: scoring.Result
    basis: Assessment | None  # where the IIT and EIT scores come from
    next_level: str = ""  # the level above the estimated one ("" at the best, or without an overall)
    next_step: dict = field(default_factory=dict)  # indicator number -> more items to pass
    next_step_reachable: bool = False

    @property
    def passed(self):
        return sum(indicator.passed for indicator in self.indicators)

    @property
    def items(self):
        return sum(indicator.items for indicator in self.indicators)

    @property
    def oit_mean(self):
        return self.result.means_display.get("OIT")

    @property
    def level_name(self):
        return self.result.level.name if self.result.level else ""

    def next_step_text(self):
        """"ผ่านอีก 1 ข้อของตัวชี้วัดที่ 9 ได้ระดับ ผ่านดี", or why there is no such step."""
        if not self.next_level:
            return ""
        if not self.next_step_reachable:
            return _("แม้ทุกข้อผ่าน ก็ยังไม่ถึงระดับ %(level)s (ขึ้นกับคะแนน IIT และ EIT ด้วย)") % {
                "level": level_label(self.next_level)}
        parts = [
            _("%(count)s ข้อของตัวชี้วัดที่ %(number)s") % {"count": count, "number": number}
            for number, count in sorted(self.next_step.items()) if count
        ]
        return _("ผ่านอีก %(items)s ได้ระดับ %(level)s") % {
            "items": _(" และ ").join(parts), "level": level_label(self.next_level)}


def latest_scored_assessment(organisation_id, year):
    """The newest assessment of the organisation up to `year` that has indicator scores."""
    return (
        Assessment.objects.prefetch_related("scores__indicator")
        .filter(organisation_id=organisation_id, fiscal_year_id__lte=year, scores__isnull=False)
        .order_by("-fiscal_year_id").distinct().first()
    )


def estimate(fiscal_year, items, basis):
    """The estimate for the items (with `question__indicator`) of one year's workspace.

    `fiscal_year` has its indicators and levels prefetched; `basis` is the assessment whose IIT
    and EIT scores stand beside the items (None: the overall cannot be estimated)."""
    tools = {indicator.number: indicator.tool for indicator in fiscal_year.indicators.all()}
    names = {indicator.number: indicator.display_name for indicator in fiscal_year.indicators.all()}
    rules = [level.as_rule() for level in fiscal_year.levels.all()]
    oit_numbers = sorted(number for number, tool in tools.items() if tool == "OIT")
    counts = {number: [0, 0] for number in oit_numbers}
    for item in items:
        number = item.question.indicator.number
        if number in counts:
            counts[number][0] += 1
            counts[number][1] += item.passed
    known = basis.score_map() if basis else {}
    others = {number: known.get(number) for number in tools if number not in counts}

    def evaluate(extra):
        scores = dict(others)
        for number, (total, passed) in counts.items():
            if total:
                scores[number] = Decimal(100) * (passed + extra.get(number, 0)) / total
        return scoring.evaluate(scores, tools, fiscal_year.weights(), rules, fiscal_year.rounding)

    result = evaluate({})
    indicators = []
    for number, (total, passed) in counts.items():
        indicator = IndicatorEstimate(number, names[number], total, passed,
                                      Decimal(100) * passed / total if total else None)
        if total:
            indicator.item_worth = Decimal(100) / total
            # The engine is linear in an item: the worth of one more is the same for each.
            lower, higher = evaluate({number: -passed}), evaluate({number: 1 - passed})
            if lower.overall is not None:
                indicator.overall_worth = higher.overall - lower.overall
        indicators.append(indicator)
    found = Estimate(indicators, result, basis)
    _find_next_step(found, rules, counts, evaluate)
    return found


def _find_next_step(found, rules, counts, evaluate):
    """The fewest more passed items that reach the level above the estimated one; among sets
    of the same size, the one with the highest overall."""
    level = found.result.level
    if level is None:
        return
    ranks = [rule.name for rule in rules]
    index = ranks.index(level.name)
    if index == 0:
        return
    target = rules[index - 1]
    found.next_level = target.name
    numbers = [number for number, (total, _passed) in counts.items() if total]
    ranges = [range(counts[number][0] - counts[number][1] + 1) for number in numbers]
    best = None
    for more in product(*ranges):
        extra = dict(zip(numbers, more))
        outcome = evaluate(extra)
        if outcome.level is None or ranks.index(outcome.level.name) > index - 1:
            continue
        key = (sum(more), -outcome.overall)
        if best is None or key < best[0]:
            best = (key, extra)
    if best is not None:
        found.next_step, found.next_step_reachable = best[1], True
