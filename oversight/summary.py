"""An area's organisations and summary figures, read from the stored results in SQL.

Each assessment stores its overall, level, pass, weakest indicator and change from the year
before, and each plan its progress (`Assessment.refresh_results`, `Plan.refresh_progress`),
so an area of any size is a few aggregate queries and one page of rows: the nation's 8,000
organisations cost what a district's ten do.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, Q, Sum
from django.db.models.functions import Floor
from django.utils.translation import gettext as _

from assessments.display import indicator_name
from assessments.models import Assessment, Organisation, ResultsVersion
from oit.summary import readiness_by_organisation

from .access import DISTRICT, NATION, PROVINCE, REGION
from .forms import AreaFilterForm
from .models import RegionProvince

SPREAD_STEP = 5  # the spread of overall scores is drawn in bands of 5 points


def latest_result():
    """The latest result of each organisation, joined once (LEFT JOIN: organisations without
    one stay). A new one each time: a query takes the relation over."""
    return FilteredRelation("assessments", condition=Q(assessments__is_latest_result=True))


ROW_FIELDS = {
    "overall": F("latest__result_overall"),
    "level": F("latest__result_level"),
    "passed": F("latest__result_passed"),
    "year": F("latest__fiscal_year_id"),
    "previous_year": F("latest__previous_year"),
    "change": F("latest__result_change"),
    "weakest_score": F("latest__weakest_score"),
    "weakest_number": F("latest__weakest_indicator__number"),
    "weakest_name": F("latest__weakest_indicator__name"),
    "measures": F("latest__plan__rows_count"),
    "done": F("latest__plan__rows_done"),
    "progress": F("latest__plan__progress"),
    "assessment_id": F("latest__pk"),
}
SORTS = {
    "overall": "overall", "change": "change", "progress": "progress", "weakest": "weakest_score", "name": "name",
}


@dataclass(frozen=True)
class WeakestIndicator:
    """What the list shows of a row's weakest indicator (an Indicator instance per row would
    cost more than the rest of the row)."""

    number: int
    name: str

    @property
    def display_name(self):
        """The name in the reader's language, as Indicator.display_name."""
        return indicator_name(self.name)


@dataclass
class Weakest:
    indicator: WeakestIndicator
    score: Decimal


@dataclass
class AreaRow:
    """One organisation of the list: its latest result, change, weakest point and plan progress."""

    organisation: Organisation
    year: int | None = None
    overall: Decimal | None = None
    level: str = ""
    passed: bool | None = None
    previous_year: int | None = None
    change: Decimal | None = None
    weakest: Weakest | None = None
    measures: int = 0
    done: int = 0
    progress: Decimal | None = None
    oit: object = None  # oit.summary.Readiness of its newest OIT workspace

    @property
    def overall_shown(self):
        return self.overall


def _row(org):
    weakest = None
    if org.weakest_number is not None:
        weakest = Weakest(WeakestIndicator(org.weakest_number, org.weakest_name), org.weakest_score)
    return AreaRow(
        organisation=org, year=org.year, overall=org.overall, level=org.level or "", passed=org.passed,
        previous_year=org.previous_year, change=org.change, weakest=weakest,
        measures=org.measures or 0, done=org.done or 0, progress=org.progress,
    )


class AreaRows:
    """The filtered, sorted rows of an area as a lazy sequence for a paginator. A page is three
    queries: the page's organisations in order (PostgreSQL then leaves out the joins that only
    the shown columns need), those organisations' rows, and their OIT readiness. `total`, when the filters select
    the whole area, is its count already known from the summary; iterating reads every row.
    `ranked` (see `ranked_by_overall`), when given, serves the ids of a page that lies among the
    organisations with a result."""

    def __init__(self, queryset, total=None, ranked=None):
        self.queryset = queryset
        self.total = total
        self.ranked = ranked

    def count(self):
        return self.total if self.total is not None else self.queryset.count()

    def __len__(self):
        return self.count()

    def _ids(self, index):
        if self.ranked is not None:
            ids, count = self.ranked
            if index.stop is not None and index.stop <= count:
                return list(ids[index])
        return list(self.queryset.values_list("pk", flat=True)[index])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        ids = self._ids(index)
        found = {org.pk: org for org in self.queryset.order_by().filter(pk__in=ids)}
        readiness = readiness_by_organisation(ids)  # the page's OIT column, one query more
        rows = [_row(found[pk]) for pk in ids]
        for row in rows:
            row.oit = readiness.get(row.organisation.pk)
        return rows

    def __iter__(self):
        return (_row(org) for org in self.queryset.iterator(chunk_size=2000))


def area_queryset(organisations, form=None, sort="-overall"):
    """The organisations annotated with their latest result, filtered by a valid form, sorted."""
    found = organisations.annotate(latest=latest_result()).annotate(**ROW_FIELDS)
    if form is not None:
        found = form.filter_organisations(found)
    column = SORTS[sort.lstrip("-")]
    # Rows without the value come last either way, by name.
    order = F(column).desc(nulls_last=True) if sort.startswith("-") else F(column).asc(nulls_last=True)
    return found.order_by(order, "name", "pk")


def ranked_by_overall(scope, sort, results):
    """(ids, `results`) for a list of the whole area sorted by overall score (`sort`): the ids
    of the area's organisations that have a result, in the list's order, and their count (the
    summary's). Those come first in the list (organisations without a result come last), and
    read from the results' side a page of them follows the index on (is_latest_result,
    result_overall) instead of sorting every organisation joined to its result: 1 ms instead
    of 20 for the nation's first page. None for any other sort. Every latest result has an
    overall score (`Assessment.refresh_results`)."""
    if sort.lstrip("-") != "overall":
        return None
    latest = Assessment.objects.filter(is_latest_result=True, result_overall__isnull=False)
    if scope.kind != NATION:
        latest = latest.filter(organisation__in=scope.organisations())
    order = "-result_overall" if sort.startswith("-") else "result_overall"
    ids = latest.order_by(order, "organisation__name", "organisation_id").values_list("organisation_id", flat=True)
    return ids, results


def filtered_area_rows(scope, data, districts=None, total=None, results=None):
    """(filter form, rows) of the area's organisations that the filters in `data` (the page's
    query string, as a QueryDict or dict) select, sorted as they ask. Invalid filters show the
    whole area, best first, with the form's errors. Used by the page, its Excel export and the
    jobs that export or zip the same rows later. `districts` (the district filter's choices)
    are read when not given; `total` and `results`, the area's counts of organisations and of
    latest results known from the summary, save counting them again and let a page of the
    best (or worst) be read by overall score alone when no filter narrows the list."""
    organisations = scope.organisations()
    if districts is None:
        districts = [
            d for d in organisations.order_by("district").values_list("district", flat=True).distinct() if d
        ] if scope.kind in (PROVINCE, DISTRICT) else []
    form = AreaFilterForm(data, districts)
    valid = form.is_valid()
    sort = (form.cleaned_data["sort"] if valid else "") or "-overall"
    rows = area_queryset(organisations, form if valid else None, sort)
    if valid and any(form.cleaned_data[key] for key in ("q", "district", "kind", "passed")):
        return form, AreaRows(rows)
    return form, AreaRows(rows, total, None if results is None else ranked_by_overall(scope, sort, results))


def _mean(total, count):
    if not count or total is None:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _rate(part, count):
    return None if not count else (Decimal(100) * part / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Group:
    """Figures of a group of organisations (a scope below, or a type of organisation)."""

    key: str
    label: str
    organisations: int = 0
    results: int = 0
    total: Decimal = Decimal(0)
    passed: int = 0
    params: dict = field(default_factory=dict)  # the query string of the scope it is, if any

    # Read once the figures are summed (area_summary): the page reads each a few times.
    @cached_property
    def mean(self):
        return _mean(self.total, self.results)

    @cached_property
    def pass_rate(self):
        return _rate(self.passed, self.results)


@dataclass
class Summary:
    organisations: int = 0
    results: int = 0
    total: Decimal = Decimal(0)
    passed: int = 0
    levels: list = field(default_factory=list)  # (level name, count), most frequent first
    spread: list = field(default_factory=list)  # (band start, count) for every band 0..95
    years: list = field(default_factory=list)  # fiscal years of the latest results, newest first
    kinds: list = field(default_factory=list)  # Group per type of organisation
    below: list = field(default_factory=list)  # Group per scope below, best mean first
    cache_key: str = ""  # where area_summary keeps it: what is drawn from it is kept beside it

    @property
    def mean(self):
        return _mean(self.total, self.results)

    @property
    def pass_rate(self):
        return _rate(self.passed, self.results)


def area_summary(scope):
    """The scope's figures, kept in the cache under the results version (one query): read
    afresh after any change to a result, an organisation or a region (see ResultsVersion),
    so the nation's page does not aggregate 8,000 organisations on every request."""
    area = hashlib.sha256(urlencode(scope.params()).encode()).hexdigest()[:20]  # Thai names, short key
    key = ResultsVersion.key("oversight-summary", scope.kind, area)

    def compute():
        summary = compute_area_summary(scope)
        summary.cache_key = key
        return summary

    return cache.get_or_set(key, compute, ResultsVersion.KEPT_SECONDS)


def compute_area_summary(scope):
    """The scope's figures in two aggregate queries (three for the nation, which reads the
    provinces of each region): latest results by level, band and year; organisations and
    their latest results by the scope below and type, which add up to the scope's figures."""
    summary = Summary()
    latest = Assessment.objects.filter(is_latest_result=True)
    if scope.kind != NATION:
        latest = latest.filter(organisation__in=scope.organisations())
    levels, spread, years = defaultdict(int), defaultdict(int), set()
    for row in (
        latest.annotate(band=Floor(F("result_overall") / SPREAD_STEP))
        .values("result_level", "band", "fiscal_year_id").order_by()
        .annotate(n=Count("*"))
    ):
        levels[row["result_level"] or "–"] += row["n"]
        spread[min(int(row["band"]), 100 // SPREAD_STEP - 1) * SPREAD_STEP] += row["n"]
        years.add(row["fiscal_year_id"])
    summary.levels = sorted(levels.items(), key=lambda item: (-item[1], item[0]))
    summary.spread = [(band, spread.get(band, 0)) for band in range(0, 100, SPREAD_STEP)]
    summary.years = sorted(years, reverse=True)

    child = {NATION: "province", REGION: "province", PROVINCE: "district", DISTRICT: None}[scope.kind]
    region_of = {}
    if scope.kind == NATION:
        region_of = dict(RegionProvince.objects.values_list("province", "region__number"))
    kind_labels = dict(Organisation.Kind.choices)
    below, kinds = {}, {}
    # The area's own figures are the sums of its groups'. Counting latest's organisation_id
    # rather than its id lets PostgreSQL read the latest results from the index
    # assessment_latest_by_org alone, as it does above with COUNT(*).
    for row in (
        scope.organisations().annotate(latest=latest_result())
        .values(*([child] if child else []), "kind").order_by()
        .annotate(n=Count("*"), results=Count("latest__organisation"), total=Sum("latest__result_overall"),
                  passed=Count("latest__organisation", filter=Q(latest__result_passed=True)))
    ):
        kind = row["kind"]
        if kind not in kinds:
            kinds[kind] = Group(kind, str(kind_labels.get(kind, kind)))
        groups = [kinds[kind]]
        if child:
            groups.append(_below_group(below, scope, row[child], region_of))
        for group in (*groups, summary):
            group.organisations += row["n"]
            group.results += row["results"]
            group.total += row["total"] or 0
            group.passed += row["passed"]
    summary.kinds = sorted(kinds.values(), key=lambda g: -g.organisations)
    summary.below = sorted(below.values(), key=lambda g: (g.mean is None, -(g.mean or 0), g.label))
    return summary


def _below_group(below, scope, value, region_of):
    """The group of the scope below that `value` (a province or a district) falls in, made
    (label and query string) the first time only."""
    if scope.kind == NATION:
        number = region_of.get(value)
        key = f"region:{number}" if number else "central"
    else:
        key = f"{scope.below}:{value}"
    if key in below:
        return below[key]
    if scope.kind == NATION:
        label = _("ภาค %(number)s") % {"number": number} if number else _("ส่วนกลาง (ไม่อยู่ในภาคใด)")
        params = {"region": number} if number else {}
    elif scope.kind == REGION:
        label, params = value or "–", {"province": value} if value else {}
    else:
        label, params = value or "–", {"province": scope.province, "district": value} if value else {}
    below[key] = Group(key, label, params=params)
    return below[key]
