"""The printed reports: plain functions over an assessment that return the page or the PDF.

Each report is one context function and one template, used both by the HTML print view and by
the PDF, so the two never drift apart. Numbers come from the score engine (`Assessment.result`)
and are only formatted here; the organisation's own text (findings, plan rows) is printed as
written. Digits are Thai or Arabic by choice for everything the portal writes; the text the
organisation wrote keeps its own digits.
"""

import datetime
import re
import threading
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from assessments.models import Assessment, Finding
from lib.thai import to_thai
from dashboard.charts import Drawing, for_screens, history_chart, indicator_chart, progress_chart
from measures.models import Measure, Plan, ProgressNote

from .fetcher import StaticFilesOnly, static_base

STYLESHEET = "css/report.css"
# Every PDF is tagged for screen readers and reflow (PDF/UA-1: structure tree, /Lang th, the
# title shown as the window title, Sarabun embedded); the archival copy is PDF/A-3b, tagged as
# well, with its XMP identification and sRGB output intent. WeasyPrint writes one variant's
# identification per file, so the archival copy does not claim PDF/UA too.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}
ARCHIVE_PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}
_renderer = threading.local()


def plan_of(assessment):
    """The plan made from this assessment's results, in the document's order."""
    return Measure.objects.filter(assessment=assessment).select_related("indicator").order_by(
        "block", "position", "id"
    )


def approval_of(assessment, moment):
    """(plan, approval in force at `moment`) for the signature block: the plan made from the
    assessment (None without one) and its PlanEvent of approval (None when not approved)."""
    plan = Plan.objects.filter(assessment=assessment).first()
    return plan, plan.approval_at(moment) if plan else None


def history_points(assessment):
    """(fiscal year, overall as shown) of this organisation's assessments up to this one's year."""
    history = Assessment.objects.with_scores().filter(
        organisation_id=assessment.organisation_id, fiscal_year_id__lte=assessment.fiscal_year_id
    ).order_by("fiscal_year_id")
    return [(a.fiscal_year_id, a.overall_shown) for a in history]


SVG_TEXT = re.compile(r">([^<]+)<")
ENTITY = re.compile(r"(&#?\w+;)")


def thai_svg(svg):
    """A chart with the digits of its text (labels, scores, years, its title and description)
    in Thai, as the report's tables write them; coordinates and entities stay as they are."""
    def text(match):
        parts = ENTITY.split(match.group(1))
        return ">" + "".join(part if ENTITY.fullmatch(part) else to_thai(part) for part in parts) + "<"

    return mark_safe(SVG_TEXT.sub(text, str(svg)))


def with_digits(drawing, thai_digits):
    """The chart drawing with the report's digits."""
    if not thai_digits:
        return drawing
    return Drawing(thai_svg(drawing.wide), thai_svg(drawing.phone))


def ita_report_context(assessment, *, thai_digits=True, today=None):
    """Everything the ITA report prints, for the template `reports/ita_report.html`."""
    today = today or timezone.localdate()
    year = assessment.fiscal_year
    findings = defaultdict(lambda: {"strengths": [], "improve": []})
    for finding in Finding.objects.filter(assessment=assessment).order_by("position", "id"):
        key = "strengths" if finding.kind == Finding.Kind.STRENGTH else "improve"
        findings[finding.indicator_id][key].append(finding)
    has_findings = bool(findings)  # before the indicators below add an empty entry for each
    scores = {s.indicator_id: s for s in assessment.scores.all()}
    indicators = [
        {
            "indicator": indicator,
            "score": scores[indicator.pk].score if indicator.pk in scores else None,
            "below_pass": indicator.pk in scores and scores[indicator.pk].score < year.pass_mark,
            **findings[indicator.pk],
        }
        for indicator in year.indicators.all()
    ]
    points = history_points(assessment)
    measures = list(plan_of(assessment))
    plan, approval = approval_of(assessment, timezone.now())
    return {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "result": assessment.result,
        "indicators": indicators,
        "has_findings": has_findings,
        "history": [(y, overall) for y, overall in points if overall is not None],
        "history_chart": with_digits(for_screens(history_chart, points, year.pass_mark), thai_digits),
        "indicator_chart": (with_digits(for_screens(indicator_chart, assessment), thai_digits)
                            if assessment.has_scores else None),
        "measures": measures,
        "plan_year": measures[0].fiscal_year_id if measures else assessment.fiscal_year_id + 1,
        "plan": plan,
        "approval": approval,
        "thai_digits": thai_digits,
        "date_fmt": "thai" if thai_digits else "",
        "today": today,
    }


def _percent(value):
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _totals(rows):
    """Number of measures, how many are done, and the mean percent complete."""
    done = sum(1 for row in rows if row.status == Measure.Status.DONE)
    mean = _percent(sum(row.progress for row in rows) / Decimal(len(rows))) if rows else None
    return {"count": len(rows), "done": done, "mean": mean}


def end_of_day(day):
    """The last moment of a day in the portal's time zone, for `history.as_of`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def progress_report_context(assessment, as_of, *, thai_digits=True, today=None):
    """The plan as it stood at the end of `as_of`: each measure's status and percent from its
    historical records, the progress notes dated up to that day, and totals per indicator and
    per unit. The rows are historical records (their `id` is the measure's).

    Only the rows of the plan as it is now are shown: a row in the bin, or removed for good, is
    in no report of any date. Units are the measure's current ones; a measure for every unit
    (on that day) counts for each unit.
    """
    today = today or timezone.localdate()
    moment = end_of_day(as_of)
    current = Measure.objects.filter(assessment=assessment).prefetch_related(
        "units",
        Prefetch("notes", queryset=ProgressNote.objects.filter(date__lte=as_of).order_by("date", "pk")),
    )
    current = {measure.pk: measure for measure in current}
    # The newest historical record of each row up to that moment, for the rows of the plan:
    # a row deleted by then, in the bin or removed for good since is left out. Ordering by
    # history_id too settles records saved in the same microsecond.
    records = Measure.history.filter(
        assessment_id=assessment.pk, history_date__lte=moment
    ).order_by("id", "-history_date", "-history_id")
    latest = {}
    for record in records:
        latest.setdefault(record.id, record)
    # The records themselves are the rows: `record.instance` would load the fields the history
    # leaves out (updated_at) with one query per row.
    rows = sorted(
        (record for record in latest.values() if record.history_type != "-" and record.id in current),
        key=lambda row: (row.block, row.position, row.id),
    )
    indicators = {i.pk: i for i in assessment.fiscal_year.indicators.all()}
    units = list(assessment.organisation.units.all())
    plan, approval = approval_of(assessment, moment)
    for row in rows:
        row.indicator_obj = indicators.get(row.indicator_id)
        measure = current[row.id]
        row.current_units = list(measure.units.all())
        row.progress_notes = list(measure.notes.all())
    by_indicator = [
        {"indicator": indicator, **_totals([r for r in rows if r.indicator_id == indicator.pk])}
        for indicator in indicators.values()
        if any(r.indicator_id == indicator.pk for r in rows)
    ]
    unfiled = [r for r in rows if r.indicator_id is None]
    if unfiled:
        by_indicator.append({"indicator": None, **_totals(unfiled)})
    by_unit = [
        {"unit": unit, **_totals([r for r in rows if r.for_all_units or unit in r.current_units])}
        for unit in units
    ]
    return {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "as_of": as_of,
        "measures": rows,
        "totals": _totals(rows),
        "by_indicator": by_indicator,
        "by_unit": by_unit,
        "progress_chart": with_digits(for_screens(
            progress_chart, [(u["unit"].name, u["mean"], u["count"]) for u in by_unit]
        ), thai_digits),
        "plan_year": rows[0].fiscal_year_id if rows else assessment.fiscal_year_id + 1,
        "plan": plan,
        "approval": approval,
        "thai_digits": thai_digits,
        "date_fmt": "thai" if thai_digits else "",
        "today": today,
    }


def _stylesheet():
    """The report stylesheet and its fonts, parsed and loaded once per thread instead of once
    per PDF (the same bytes come out). One per thread: Pango's font map is not thread-safe.
    Fonts are fetched while the stylesheet is parsed, so it gets the static-only fetcher too."""
    if not hasattr(_renderer, "stylesheet"):
        _renderer.font_config = FontConfiguration()
        _renderer.stylesheet = CSS(
            url=static_base() + STYLESHEET, url_fetcher=StaticFilesOnly(), font_config=_renderer.font_config
        )
    return _renderer.stylesheet, _renderer.font_config


def render_pdf(template, context, *, archive=False):
    """The template rendered to a tagged PDF (PDF/A-3b with `archive`) with the report
    stylesheet and the Sarabun font embedded; title, language and author come from the
    template's <title>, <html lang> and <meta name="author">."""
    return html_to_pdf(render_to_string(template, {**context, "for_pdf": True}), archive=archive)


def html_to_pdf(html, *, archive=False):
    """PDF bytes of a page, which may read the portal's static files and nothing else
    (see fetcher.py)."""
    stylesheet, font_config = _stylesheet()
    page = HTML(string=html, base_url=static_base(), url_fetcher=StaticFilesOnly())
    options = ARCHIVE_PDF_OPTIONS if archive else PDF_OPTIONS
    return page.write_pdf(stylesheets=[stylesheet], font_config=font_config, **options)


def ita_report_pdf(assessment, *, thai_digits=True, today=None, archive=False):
    """The report "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" as PDF bytes."""
    context = ita_report_context(assessment, thai_digits=thai_digits, today=today)
    return render_pdf("reports/ita_report.html", context, archive=archive)


def progress_report_pdf(assessment, as_of, *, thai_digits=True, today=None, archive=False):
    """The progress report at the end of `as_of` as PDF bytes."""
    context = progress_report_context(assessment, as_of, thai_digits=thai_digits, today=today)
    return render_pdf("reports/progress_report.html", context, archive=archive)
