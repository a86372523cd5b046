"""The benchmark dataset generator creates what it says, repeatably, and clears only its own."""

from assessments.models import Assessment, Finding, IndicatorScore, Organisation
from measures.models import Measure, ProgressNote
from bench.dataset import NAME_PREFIX
from bench.national_dataset import build


def test_generator_creates_the_requested_scale(seed):
    build(organisations=6, years=3, measures=40, log=lambda line: None)
    generated = Organisation.objects.filter(name__startswith=NAME_PREFIX)
    assert generated.count() == 6
    assert Assessment.objects.filter(organisation__in=generated).count() == 18
    assert IndicatorScore.objects.filter(assessment__organisation__in=generated).count() == 180
    assert Finding.objects.filter(assessment__organisation__in=generated).count() == 18 * 3
    measures = Measure.objects.filter(assessment__organisation__in=generated)
    assert measures.count() == 40
    assert set(measures.values_list("fiscal_year_id", flat=True)) == {2567}
    assert ProgressNote.objects.filter(measure__in=measures).count() == 40
    assert Measure.history.filter(assessment__organisation__in=generated).count() == 40
    assert all(0 <= s <= 100 for s in IndicatorScore.objects.values_list("score", flat=True))


def test_generator_is_repeatable_and_clear_keeps_real_data(seed):
    quiet = lambda line: None  # noqa: E731
    build(organisations=3, years=1, measures=5, log=quiet)
    first = list(IndicatorScore.objects.filter(assessment__organisation__name__startswith=NAME_PREFIX)
                 .order_by("assessment__organisation__name", "indicator__number").values_list("score", flat=True))
    build(organisations=3, years=1, measures=5, log=quiet)
    again = list(IndicatorScore.objects.filter(assessment__organisation__name__startswith=NAME_PREFIX)
                 .order_by("assessment__organisation__name", "indicator__number").values_list("score", flat=True))
    assert first == again and len(first) == 30
    build(clear=True, log=quiet)
    assert not Organisation.objects.filter(name__startswith=NAME_PREFIX).exists()
    assert Organisation.objects.filter(short_name="อบต.วังหมี").exists()
    assert Measure.objects.count() == 10
