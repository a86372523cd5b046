"""Writes that span several models of a year's results."""

from dataclasses import dataclass

from django.db import transaction

from .models import Finding, IndicatorScore


@dataclass
class ScoreDifference:
    indicator: int
    heading: object  # Decimal: the score the analysis heading gives
    saved: object  # Decimal: the score the year holds


def score_differences(analysis, assessment):
    """Where the analysis headings' scores differ from the scores the year holds."""
    saved = {row.indicator.number: row.score for row in assessment.scores.select_related("indicator")}
    return [
        ScoreDifference(number, score, saved[number])
        for number, score in sorted(analysis.scores.items())
        if number in saved and saved[number] != score
    ]


def fills_scores(analysis, assessment):
    """Whether saving the analysis gives the year its scores: it has none, and the headings give
    one for every indicator of the year."""
    numbers = {i.number for i in assessment.fiscal_year.indicators.all()}
    return not assessment.scores.exists() and numbers <= set(analysis.scores)


@transaction.atomic
def analysis_save(*, assessment, analysis):
    """Replace the year's findings by the points read from its pasted analysis, and fill the
    year's scores from the headings when it has none (else keep its scores and record each
    heading as written). Returns the findings created."""
    assessment.lock()
    indicators = {i.number: i for i in assessment.fiscal_year.indicators.all()}
    if fills_scores(analysis, assessment):
        IndicatorScore.objects.bulk_create(
            IndicatorScore(assessment=assessment, indicator=indicators[number],
                           score=heading.score, heading_as_written=heading.text)
            for number, heading in analysis.headings.items()
        )
    else:
        for row in assessment.scores.select_related("indicator"):
            heading = analysis.headings.get(row.indicator.number)
            if heading is not None and row.heading_as_written != heading.text:
                row.heading_as_written = heading.text
                row.save(update_fields=["heading_as_written"])
    assessment.findings.all().delete()
    return Finding.objects.bulk_create(
        Finding(
            assessment=assessment,
            indicator=indicators[point.indicator],
            kind=point.kind,
            code=point.code,
            score=point.score,
            text=point.text,
            recommendation=point.recommendation,
            oit_refs=point.oit_refs,
            sub_indicator_refs=point.sub_indicator_refs,
            position=position,
        )
        for position, point in enumerate(analysis.points, start=1)
    )
