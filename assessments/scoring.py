"""The ITA score engine: tool means, the weighted overall score and the level.

Plain Python over `Decimal`, knowing nothing of Django, so that every page, report, check and
what-if computes a score the same way. Means and the overall are computed exactly; a year's
rounding rule (`FiscalYear.rounding`) says which figure the levels and gates are decided on,
and `shown` gives the two-decimal figure every page prints, chosen so that a page never shows
a figure that contradicts its own level or reason:

- PUBLISHED (the default): the NACC publishes two-decimal figures, so levels and gates are
  decided on the figures rounded half up to two decimals, and those are the figures shown.
  An overall of 84.995 is 85.00 and reaches ผ่าน; an OIT mean of 84.995 is 85.00 and no gate.
- EXACT: levels and gates are decided on the unrounded figures. A figure is shown rounded half
  up, except where that would lift it onto or over a threshold it does not reach: then it is
  cut to two decimals instead (84.995 is shown as 84.99, beside ต้องปรับปรุง and "OIT 84.99
  ต่ำกว่า 85"). Thresholds have at most two decimals, so the cut figure is never below one
  the value does reach.
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

TOOLS = ("IIT", "EIT", "OIT")
TWO_PLACES = Decimal("0.01")
PUBLISHED = "published"
EXACT = "exact"
ROUNDINGS = (PUBLISHED, EXACT)


def round2(value):
    """Round half up to two decimals, the way the NACC prints scores (90.417 -> 90.42)."""
    if value is None:
        return None
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def cut2(value):
    """Cut to two decimals, toward zero (84.995 -> 84.99); scores are never negative."""
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_DOWN)


def decided(value, rounding=PUBLISHED):
    """The figure a level or a gate is decided on under the rounding rule."""
    if value is None or rounding == EXACT:
        return value
    return round2(value)


def shown(value, rounding=PUBLISHED, thresholds=()):
    """The two-decimal figure to print for `value`, consistent with what was decided on it.

    >>> from decimal import Decimal as D
    >>> shown(D("84.995")), shown(D("84.995"), EXACT, [D(85)]), shown(D("90.4172"), EXACT, [D(85)])
    (Decimal('85.00'), Decimal('84.99'), Decimal('90.42'))
    """
    if value is None:
        return None
    rounded = round2(value)
    if rounding == EXACT and any(value < mark <= rounded for mark in thresholds):
        return cut2(value)
    return rounded


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
    `assessments.display.level_reason` words it in the reader's language with `mean_shown`,
    the mean as the rounding rule prints it."""

    level: str
    tool: str
    mean: Decimal | None
    minimum: Decimal
    mean_shown: Decimal | None = None


@dataclass
class Result:
    tool_means: dict
    overall: Decimal | None
    level: LevelRule | None
    missing: list = field(default_factory=list)
    gates: list = field(default_factory=list)
    rounding: str = PUBLISHED
    overall_marks: tuple = ()  # the thresholds the overall is held against
    mean_marks: tuple = ()  # the thresholds the tool means are held against

    @property
    def overall_display(self):
        """The overall as every page prints it (see `shown`)."""
        return shown(self.overall, self.rounding, self.overall_marks)

    @property
    def means_display(self):
        """Each tool mean as every page prints it: {"IIT": Decimal or None, ...}."""
        return {tool: shown(mean, self.rounding, self.mean_marks) for tool, mean in self.tool_means.items()}

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


def find_level(overall, means, rules, rounding=PUBLISHED):
    """The best level in `rules` (ordered best first) that the scores reach, and the gates that
    kept them from better levels whose overall threshold they did reach. Thresholds are held
    against the figures the rounding rule decides on (see the module's docstring)."""
    if overall is None:
        return None, []
    overall = decided(overall, rounding)
    mean_marks = [rule.min_tool_mean for rule in rules if rule.min_tool_mean is not None]
    gates = []
    for rule in rules:
        if overall < rule.min_overall:
            continue
        if rule.min_tool_mean is not None:
            low = [
                Gate(rule.name, tool, means[tool], rule.min_tool_mean,
                     shown(means[tool], rounding, mean_marks))
                for tool in TOOLS
                if means.get(tool) is None or decided(means[tool], rounding) < rule.min_tool_mean
            ]
            if low:
                if not gates:
                    gates = low
                continue
        return rule, gates
    return None, gates


def evaluate(scores, indicator_tools, weights, rules, rounding=PUBLISHED):
    """Everything the pages show about one set of scores, levels decided under `rounding`.

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
    level, gates = find_level(overall, means, rules, rounding)
    return Result(
        tool_means=means, overall=overall, level=level, missing=missing, gates=gates,
        rounding=rounding,
        overall_marks=tuple(rule.min_overall for rule in rules),
        mean_marks=tuple(rule.min_tool_mean for rule in rules if rule.min_tool_mean is not None),
    )
