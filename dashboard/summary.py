"""What the dashboard says about loaded objects: the history, the change, the weakest
indicators and the plan's progress. No queries here: the views load, these functions read.

Scores always come from the score engine: the year shown's from its scores (`Assessment.result`),
the other years' from the results the engine stored (`Assessment.refresh_results`).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.scoring import TOOLS, round2
from measures.models import Measure

STALE_DAYS = 30
CLOSED = (Measure.Status.DONE, Measure.Status.CANCELLED)


def history_points(assessments):
    """(fiscal year, overall or None) for every assessment, oldest first, for history_chart:
    the stored overall, as every page prints it (`Assessment.refresh_results`)."""
    return sorted((a.fiscal_year_id, a.result_overall) for a in assessments)


def history_rows(assessments):
    """(fiscal year, assessment or None) for every year from the first to the last, so that a
    year without an assessment is listed as a gap in the table as in the chart."""
    by_year = {a.fiscal_year_id: a for a in assessments}
    if not by_year:
        return []
    return [(year, by_year.get(year)) for year in range(min(by_year), max(by_year) + 1)]


def with_complaints(assessments):
    """The assessments whose complaint results were recorded, oldest first."""
    return [
        a for a in sorted(assessments, key=lambda a: a.fiscal_year_id)
        if a.complaint_count is not None or a.complaint_deduction is not None
    ]


def previous_with_data(assessments, current):
    """The latest assessment before `current` that has an overall score (stored), or None."""
    earlier = [
        a for a in assessments
        if a.fiscal_year_id < current.fiscal_year_id and a.result_overall is not None
    ]
    return max(earlier, key=lambda a: a.fiscal_year_id, default=None)


def change(current, previous):
    """The change of the overall score, as the difference of the two scores shown (each
    rounded half up to 0.01), so that the page's own figures add up: 90.42 - 94.67 = -4.25."""
    if previous is None:
        return None
    return _difference(previous.result_overall, current.overall_shown)


@dataclass
class PassMark:
    """The overall score shown against the year's pass mark: whether it is reached and by how
    much it is missed or beaten, as the difference of the two figures shown (90.42 - 85 = 5.42).
    A criterion of its own, beside the NACC's level: the level looks at the tool means too."""

    mark: Decimal
    reached: bool
    gap: Decimal


def pass_mark(assessment):
    """The PassMark of an assessment's overall score, or None when it has no overall."""
    shown = assessment.overall_shown
    if shown is None:
        return None
    mark = assessment.fiscal_year.pass_mark
    difference = shown - mark
    return PassMark(mark=mark, reached=difference >= 0, gap=abs(difference))


@dataclass
class IndicatorRow:
    indicator: object
    score: Decimal
    gap: Decimal
    below_pass: bool
    findings: int
    measures: list


def weakest_first(assessment, improve_counts, measures):
    """The year's scored indicators, lowest score first (ties by number), each with its number
    of points to improve and its plan rows. `improve_counts` maps indicator number -> count."""
    pass_mark = assessment.fiscal_year.pass_mark
    rows = [
        IndicatorRow(
            indicator=row.indicator,
            score=row.score,
            gap=row.score - pass_mark,
            below_pass=row.score < pass_mark,
            findings=improve_counts.get(row.indicator.number, 0),
            measures=[m for m in measures if m.indicator and m.indicator.number == row.indicator.number],
        )
        for row in assessment.scores.all()
    ]
    return sorted(rows, key=lambda r: (r.score, r.indicator.number))


@dataclass
class Progress:
    """How far a set of plan rows has come. `percent` is the mean completion of the rows that
    are not cancelled, a finished row counting as 100; None when there is no such row."""

    rows: int = 0
    done: int = 0
    late: int = 0
    stale: int = 0
    percent: Decimal | None = None


@dataclass
class PlanProgress:
    total: Progress
    by_status: list
    late: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    units: list = field(default_factory=list)


def _progress(measures, late, stale):
    counted = [m for m in measures if m.status != Measure.Status.CANCELLED]
    percent = None
    if counted:
        completion = sum(100 if m.status == Measure.Status.DONE else m.progress for m in counted)
        percent = Decimal(completion) / len(counted)
    return Progress(
        rows=len(measures),
        done=sum(m.status == Measure.Status.DONE for m in measures),
        late=sum(m.pk in late for m in measures),
        stale=sum(m.pk in stale for m in measures),
        percent=percent,
    )


def plan_progress(measures, units, now):
    """The plan's progress overall, by status and per unit.

    A row is late when its end date has passed and it is neither done nor cancelled (the
    model's `is_late`); it is stale when it is still open and nobody has saved it for
    STALE_DAYS days. A row counts for every unit it names, or for every unit when it is for
    all units; rows naming none are gathered under "ไม่ระบุสำนัก/กอง".
    """
    # The portal's own day (Asia/Bangkok), as the plan's dates are: UTC's date is the day
    # before from 17:00 UTC, when a row due yesterday would not yet count as late.
    today = timezone.localtime(now).date()
    late = [m for m in measures if m.is_late(today)]
    stale_before = now - timedelta(days=STALE_DAYS)
    stale = [m for m in measures if m.status not in CLOSED and m.updated_at < stale_before]
    late_ids, stale_ids = {m.pk for m in late}, {m.pk for m in stale}

    by_unit = {unit.pk: [] for unit in units}
    unassigned = []
    for measure in measures:
        targets = units if measure.for_all_units else measure.units.all()
        for unit in targets:
            if unit.pk in by_unit:
                by_unit[unit.pk].append(measure)
        if not targets:
            unassigned.append(measure)
    unit_rows = [(unit.name, _progress(by_unit[unit.pk], late_ids, stale_ids)) for unit in units]
    if unassigned:
        unit_rows.append((_("ไม่ระบุสำนัก/กอง"), _progress(unassigned, late_ids, stale_ids)))

    by_status = [
        (status, label, sum(m.status == status for m in measures))
        for status, label in Measure.Status.choices
    ]
    return PlanProgress(
        total=_progress(measures, late_ids, stale_ids),
        by_status=by_status,
        late=late,
        stale=sorted(stale, key=lambda m: m.updated_at),
        units=unit_rows,
    )


@dataclass
class CompareRow:
    """One line of the two-year comparison: a value in each year (None shows as "–") and
    the later minus the earlier when both exist."""

    label: str
    values: list
    difference: Decimal | None
    measures: list = field(default_factory=list)


def _difference(first, second):
    # Differences of the figures shown, rounded half up to 0.01, as in `change`.
    if first is None or second is None:
        return None
    return round2(second) - round2(first)


def compare_totals(pair):
    """The overall score and the tool means of two assessments, earlier first."""
    rows = [CompareRow(_("คะแนนภาพรวม"), [a.overall_shown for a in pair], _difference(*(a.overall_shown for a in pair)))]
    for tool in TOOLS:
        means = [a.result.means_display.get(tool) for a in pair]
        rows.append(CompareRow(_("ค่าเฉลี่ย %(tool)s") % {"tool": tool}, means, _difference(*means)))
    return rows


def side_by_side(pair, measures):
    """Every indicator number of either year with its score in both, the difference and, per
    year, the plan rows made from that year's results for it."""
    indicators = {}
    for assessment in pair:
        for indicator in assessment.fiscal_year.indicators.all():
            indicators[indicator.number] = indicator  # the later year's name wins
    score_maps = [a.score_map() for a in pair]
    rows = []
    for number, indicator in sorted(indicators.items()):
        scores = [scores.get(number) for scores in score_maps]
        planned = [
            [m for m in measures if m.assessment_id == a.pk and m.indicator and m.indicator.number == number]
            for a in pair
        ]
        rows.append(CompareRow(f"{number} {indicator.display_name}", scores, _difference(*scores), planned))
    return rows
