"""The ITA score engine: tool means, the weighted overall score and the level.

Plain Python over `Decimal`, knowing nothing of Django, so that every page, report, check and
what-if computes a score the same way. Rounding happens only for display (`round2`); all
comparisons use the exact values.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TOOLS = ("IIT", "EIT", "OIT")
TWO_PLACES = Decimal("0.01")


def round2(value):
    """Round half up to two decimals, the way the NACC prints scores (90.417 -> 90.42)."""
    if value is None:
        return None
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LevelRule:
    """One level of a year's rule: reached when the overall score is at least `min_overall`
    and, where `min_tool_mean` is set, every tool mean is at least that too."""

    name: str
    min_overall: Decimal
    min_tool_mean: Decimal | None = None
    passed: bool = False


@dataclass(frozen=True)
class Gate:
    """A tool mean that kept the score from a higher level: OIT 83.75 below 85 for ผ่านดี.
    `assessments.display.level_reason` words it in the reader's language."""

    level: str
    tool: str
    mean: Decimal
    minimum: Decimal


@dataclass
class Result:
    tool_means: dict
    overall: Decimal | None
    level: LevelRule | None
    missing: list = field(default_factory=list)
    gates: list = field(default_factory=list)

    @property
    def overall_display(self):
        return round2(self.overall)

    @property
    def passed(self):
        return None if self.level is None else self.level.passed


def tool_means(scores, indicator_tools):
    """Mean of each tool's indicator scores, or None for a tool with any score missing.

    `scores` maps indicator number -> Decimal (or None); `indicator_tools` maps every indicator
    number of the year -> "IIT" | "EIT" | "OIT".
    """
    means = {}
    for tool in TOOLS:
        numbers = [n for n, t in indicator_tools.items() if t == tool]
        values = [scores.get(n) for n in numbers]
        if not numbers or any(v is None for v in values):
            means[tool] = None
        else:
            means[tool] = sum((Decimal(v) for v in values), Decimal(0)) / len(values)
    return means


def overall_score(means, weights):
    """Weighted sum of the tool means (0.3 IIT + 0.3 EIT + 0.4 OIT), None if any mean is missing."""
    if any(means.get(tool) is None for tool in TOOLS):
        return None
    return sum((means[tool] * Decimal(weights[tool]) for tool in TOOLS), Decimal(0))


def find_level(overall, means, rules):
    """The best level in `rules` (ordered best first) that the scores reach, and the gates that
    kept them from better levels whose overall threshold they did reach."""
    if overall is None:
        return None, []
    gates = []
    for rule in rules:
        if overall < rule.min_overall:
            continue
        if rule.min_tool_mean is not None:
            low = [
                Gate(rule.name, tool, means[tool], rule.min_tool_mean)
                for tool in TOOLS
                if means.get(tool) is None or means[tool] < rule.min_tool_mean
            ]
            if low:
                if not gates:
                    gates = low
                continue
        return rule, gates
    return None, gates


def evaluate(scores, indicator_tools, weights, rules):
    """Everything the pages show about one set of scores.

    >>> from decimal import Decimal as D
    >>> tools = {n: "IIT" if n <= 5 else "EIT" if n <= 8 else "OIT" for n in range(1, 11)}
    >>> r = evaluate({n: D(90) for n in range(1, 11)}, tools,
    ...              {"IIT": D("0.3"), "EIT": D("0.3"), "OIT": D("0.4")},
    ...              [LevelRule("ผ่าน", D(85), passed=True), LevelRule("ไม่ผ่าน", D(0))])
    >>> r.overall_display, r.level.name
    (Decimal('90.00'), 'ผ่าน')
    """
    missing = sorted(n for n in indicator_tools if scores.get(n) is None)
    means = tool_means(scores, indicator_tools)
    overall = overall_score(means, weights)
    level, gates = find_level(overall, means, rules)
    return Result(tool_means=means, overall=overall, level=level, missing=missing, gates=gates)
