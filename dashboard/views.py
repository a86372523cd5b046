from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from accounts.access import get_membership
from assessments.access import assessments_for_user, get_assessment_for_user
from assessments.models import Finding, IndicatorScore, ResultsVersion
from assessments.scoring import TOOLS
from measures.models import Measure
from oit.summary import card as oit_card

from . import charts, summary
from .waiting import waiting_for
from .forms import CompareForm, WhatIfForm


@login_required
def dashboard(request, pk=None):
    """One organisation's results for one year at a glance: the newest scored year by default."""
    # Every year of the organisation is read once with its stored results (the history and the
    # change read those); the year shown gets its scores (the weakest-first table needs them).
    years = list(
        assessments_for_user(request).select_related("organisation", "fiscal_year").order_by("fiscal_year_id")
    )
    assessment = _shown_year(years, pk)
    # The year's scores, each with its number of points to improve that the findings name.
    improve = Finding.objects.filter(
        assessment=OuterRef("assessment"), indicator=OuterRef("indicator"), kind=Finding.Kind.IMPROVE
    ).order_by().values("indicator").annotate(n=Count("*")).values("n")
    prefetch_related_objects([assessment], Prefetch(
        "scores", IndicatorScore.objects.select_related("indicator").annotate(improve=Coalesce(Subquery(improve), 0))
    ))
    improve_counts = {score.indicator.number: score.improve for score in assessment.scores.all()}
    measures = list(Measure.objects.filter(assessment=assessment).for_table())
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "assessment": assessment,
            "years": years,
            "results_html": _results_html(assessment, years),
            "weakest": summary.weakest_first(assessment, improve_counts, measures),
            "plan_year": assessment.fiscal_year_id + 1,
            "plan": _plan_context(assessment, measures),
            "oit": oit_card(get_membership(request)),
        },
    )


def _results_html(assessment, years):
    """The year's overall, level and change, its indicator scores, every year's overall and
    complaints, as HTML (dashboard/_kpis.html, _indicators.html, _history.html). They change
    only with the results, so they are kept in the cache under the results version (ResultsVersion, renewed
    by every change to a score, a published figure, a year's rules or an organisation's
    assessments): a reader of unchanged results skips the year's rules and the drawing."""

    def draw():
        prefetch_related_objects([assessment], "fiscal_year__indicators", "fiscal_year__levels")
        previous = summary.previous_with_data(years, assessment)
        history = summary.history_points(years)
        context = {
            "assessment": assessment,
            "result": assessment.result,
            "previous": previous,
            "change": summary.change(assessment, previous),
            "pass_mark": summary.pass_mark(assessment),
            "history": summary.history_rows(years),
            "complaints": summary.with_complaints(years),
            "history_chart": charts.for_screens(charts.history_chart, history, assessment.fiscal_year.pass_mark),
            "indicator_chart": charts.for_screens(charts.indicator_chart, assessment) if assessment.has_scores else None,
        }
        return {name: render_to_string(f"dashboard/_{name}.html", context) for name in ("kpis", "indicators", "history")}

    parts = cache.get_or_set(ResultsVersion.key("dashboard-results", assessment.pk), draw, ResultsVersion.KEPT_SECONDS)
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 (escaped by the templates)


def _shown_year(years, pk):
    """The year asked for (`pk`, one of the user's own: 404 otherwise), or the newest year with
    indicator scores (404 without any)."""
    if pk:
        found = [a for a in years if a.pk == pk]
        if not found:
            raise Http404
        return found[0]
    scored = [a for a in years if a.weakest_indicator_id is not None]  # stored: it has indicator scores
    if not scored:
        raise Http404("ยังไม่มีผลการประเมิน")
    return scored[-1]


def _plan_context(assessment, measures):
    plan = summary.plan_progress(measures, list(assessment.organisation.units.all()), timezone.now())
    return {
        "progress": plan,
        "status_chart": charts.for_screens(charts.status_chart, plan.by_status),
        "unit_chart": charts.for_screens(charts.progress_chart, [(name, p.percent, p.rows) for name, p in plan.units]),
    }


@login_required
def indicator(request, pk, number):
    """One indicator of one year: its score, the NACC's findings and the plan rows for it."""
    assessment = get_assessment_for_user(request, pk)
    found = [i for i in assessment.fiscal_year.indicators.all() if i.number == number]
    if not found:
        raise Http404("ไม่มีตัวชี้วัดนี้ในปีงบประมาณนี้")
    findings = Finding.objects.filter(assessment=assessment, indicator__number=number)
    measures = Measure.objects.filter(assessment=assessment, indicator__number=number).for_table()
    return render(
        request,
        "dashboard/indicator.html",
        {
            "assessment": assessment,
            "indicator": found[0],
            "score": assessment.score_map().get(number),
            "pass_mark": assessment.fiscal_year.pass_mark,
            "strengths": [f for f in findings if f.kind == Finding.Kind.STRENGTH],
            "improvements": [f for f in findings if f.kind == Finding.Kind.IMPROVE],
            "measures": measures,
        },
    )


@login_required
def what_if(request, pk):
    """Projected overall score and level for typed target scores, from the score engine.
    Nothing is saved. An HTMX request gets only the result panel."""
    assessment = get_assessment_for_user(request, pk)
    form = WhatIfForm(request.GET or None, assessment=assessment)
    context = {"assessment": assessment, "form": form, "actual": assessment.result}
    if form.is_valid() and form.targets():
        projected = assessment.evaluate(form.scores())
        context.update(
            projected=projected,
            means=[(tool, assessment.result.means_display[tool], projected.means_display[tool]) for tool in TOOLS],
            chart=charts.for_screens(charts.indicator_chart, assessment, form.scores()),
        )
    template = "dashboard/_what_if_result.html" if request.htmx else "dashboard/what_if.html"
    return render(request, template, context)


@login_required
def compare(request):
    """Two years side by side: every indicator's score in both, the difference and the plan
    rows made for it from each year's results. Years without indicator scores show "–"."""
    assessments = {a.fiscal_year_id: a for a in assessments_for_user(request).with_scores()}
    form = CompareForm(request.GET or _default_years(assessments), years=sorted(assessments))
    context = {"form": form}
    if form.is_valid():
        first, second = sorted((form.cleaned_data["first"], form.cleaned_data["second"]))
        pair = [assessments[first], assessments[second]]
        measures = list(Measure.objects.filter(assessment__in=pair).select_related("indicator"))
        context.update(
            pair=pair, totals=summary.compare_totals(pair), rows=summary.side_by_side(pair, measures)
        )
    return render(request, "dashboard/compare.html", context)


def _default_years(assessments):
    """The newest scored year and the year with data before it, when there are two."""
    scored = [a for a in assessments.values() if a.has_scores]
    if not scored:
        return None
    latest = max(scored, key=lambda a: a.fiscal_year_id)
    previous = summary.previous_with_data(assessments.values(), latest)
    if previous is None:
        return None
    return {"first": previous.fiscal_year_id, "second": latest.fiscal_year_id}


@require_safe
@login_required
def waiting(request):
    """What waits for the person: the box at the top of their landing page, asked for once the
    page has loaded (HTMX), so the page itself never waits for it; without HTMX, a page of its own."""
    template = "dashboard/_waiting.html" if request.htmx else "dashboard/waiting.html"
    return render(request, template, {"items": waiting_for(request.user)})
