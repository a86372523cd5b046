"""One row per organisation of an area: latest result, change, weakest indicator, progress.

Computed with the score engine over the area's assessments in a fixed number of queries,
whatever the number of organisations or years.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Q

from assessments.models import Assessment
from measures.models import Measure
from oit.summary import readiness_by_organisation

from .forms import AreaFilterForm


@dataclass
class AreaRow:
    organisation: object
    assessment: object = None
    overall: Decimal | None = None
    overall_shown: Decimal | None = None  # as every page prints it, under the year's rounding rule
    level: str = ""
    passed: bool | None = None
    previous_year: int | None = None
    change: Decimal | None = None
    weakest: object = None  # the IndicatorScore with the lowest score
    measures: int = 0
    done: int = 0
    progress: Decimal | None = None
    oit: object = None  # oit.summary.Readiness of its newest OIT workspace

    @property
    def year(self):
        return self.assessment.fiscal_year_id if self.assessment else None


def area_rows(organisations):
    """Rows for the given organisations (a queryset), in no particular order."""
    rows = {org.pk: AreaRow(org) for org in organisations}
    history = {}
    for assessment in Assessment.objects.filter(organisation__in=rows).with_scores().order_by("fiscal_year_id"):
        if assessment.overall is not None:
            history.setdefault(assessment.organisation_id, []).append(assessment)
    for org_id, assessments in history.items():
        row = rows[org_id]
        latest = assessments[-1]
        row.assessment, row.overall = latest, latest.overall
        row.overall_shown = latest.overall_shown
        row.level = latest.level_name
        row.passed = latest.result.passed
        scores = list(latest.scores.all())
        if scores:
            row.weakest = min(scores, key=lambda s: (s.score, s.indicator.number))
        if len(assessments) > 1:
            previous = assessments[-2]
            row.previous_year = previous.fiscal_year_id
            row.change = latest.overall - previous.overall
    latest_ids = [row.assessment.pk for row in rows.values() if row.assessment]
    progress = (
        Measure.objects.filter(assessment_id__in=latest_ids)
        .exclude(status=Measure.Status.CANCELLED)
        .values("assessment__organisation_id")
        .annotate(n=Count("id"), done=Count("id", filter=Q(status=Measure.Status.DONE)), mean=Avg("progress"))
    )
    for entry in progress:
        row = rows[entry["assessment__organisation_id"]]
        row.measures, row.done = entry["n"], entry["done"]
        row.progress = Decimal(entry["mean"]).quantize(Decimal("0.1")) if entry["mean"] is not None else None
    for org_id, readiness in readiness_by_organisation(list(rows)).items():
        rows[org_id].oit = readiness
    return list(rows.values())


SORTS = {
    "name": lambda r: r.organisation.name,
    "overall": lambda r: r.overall,
    "change": lambda r: r.change,
    "progress": lambda r: r.progress,
    "weakest": lambda r: r.weakest.score if r.weakest else None,
}


def filtered_area_rows(oversight, data):
    """(filter form, rows) of the area's organisations that the filters in `data` (the oversight
    page's query string, as a QueryDict or dict) select, sorted as they ask. Invalid filters
    show the whole area, best first, with the form's errors. Used by the page, its Excel export
    and the jobs that export or zip the same rows later."""
    organisations = oversight.organisations()
    districts = [
        d for d in organisations.order_by("district").values_list("district", flat=True).distinct() if d
    ]
    form = AreaFilterForm(data, districts)
    if form.is_valid():
        rows = form.filter_rows(area_rows(form.filter_organisations(organisations)))
        sort = form.cleaned_data["sort"] or "-overall"
    else:
        rows, sort = area_rows(organisations), "-overall"
    return form, sort_rows(rows, sort)


def sort_rows(rows, key):
    """Sort by one of SORTS, ascending, or descending with a leading "-" ("-overall");
    rows without the value come last either way, by name."""
    getter = SORTS[key.lstrip("-")]
    known = sorted((r for r in rows if getter(r) is not None), key=lambda r: r.organisation.name)
    known.sort(key=getter, reverse=key.startswith("-"))
    unknown = sorted((r for r in rows if getter(r) is None), key=lambda r: r.organisation.name)
    return known + unknown
