"""The database itself refuses scores out of range and duplicate rows."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assessments.models import Assessment, Finding, IndicatorScore
from measures.models import Measure

from .conftest import make_measure


@pytest.mark.parametrize("value", ["100.01", "-0.01"])
def test_score_out_of_range_is_refused(assessment, value):
    row = assessment.scores.get(indicator__number=1)
    row.score = Decimal(value)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    row.refresh_from_db()
    assert row.score == Decimal("93.33")


def test_second_score_for_one_indicator_is_refused(assessment):
    indicator = assessment.fiscal_year.indicators.get(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorScore.objects.create(assessment=assessment, indicator=indicator, score=Decimal(50))
    assert assessment.scores.count() == 10


def test_second_assessment_for_the_same_year_is_refused(assessment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(organisation=assessment.organisation, fiscal_year_id=2568)


def test_published_overall_out_of_range_is_refused(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(organisation=org, fiscal_year_id=2567, published_overall=Decimal("100.5"))


def test_finding_score_out_of_range_is_refused(assessment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.first(),
                               kind="strength", text="x", score=Decimal(101))


def test_measure_progress_over_100_and_reversed_dates_are_refused(assessment):
    from datetime import date

    measure = make_measure(assessment)
    Measure.objects.filter(pk=measure.pk).update(status="in_progress", progress=50)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(progress=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(start_date=date(2026, 5, 1), end_date=date(2026, 4, 1))
    measure.refresh_from_db()
    assert measure.progress == 50 and measure.start_date is None
