from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import FiscalYear, ResultsVersion
from audit.log import record
from audit.models import Entry
from jobs.tasks import start_job
from lib.spreadsheets import UnreadableFile

from .access import PROVINCE, get_scope_for_user
from .charts import below_chart, levels_chart, spread_chart
from .exports import area_xlsx
from .forms import AreaReportsForm, ResultsImportForm
from .jobs import AREA_REPORTS, AREA_XLSX
from .results import apply_results, lines_of_upload, read_results
from .summary import area_summary, filtered_area_rows
from .table import rows_html

PAGE_SIZE = 50
SCOPE_KEYS = ("region", "province", "district")


def _query(request, drop=("page",)):
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


@login_required
def area(request):
    """An area's summary (figures, charts, the areas below) and its organisations: latest
    result, change, weakest point, plan progress; sorted, filtered and paged in SQL."""
    scope = get_scope_for_user(request)
    summary = area_summary(scope)
    districts = [g.label for g in summary.below if g.params.get("district")] if scope.kind == PROVINCE else None
    form, rows = filtered_area_rows(scope, request.GET, districts, total=summary.organisations,
                                    results=summary.results)
    page_number = form.cleaned_data.get("page") if form.is_valid() else None
    page = Paginator(rows, PAGE_SIZE).get_page(page_number or 1)
    return render(
        request,
        "oversight/area.html",
        {
            "scope": scope, "summary": summary, "form": form, "page": page, "total": page.paginator.count,
            "summary_html": _summary_html(scope, summary),
            "rows_html": rows_html(page.object_list),
            "query": _query(request), "scope_query": urlencode(scope.params()),
            "reports_form": AreaReportsForm(years=summary.years),
        },
    )


def _summary_html(scope, summary):
    """The figures, tables and charts drawn from the summary, kept in the cache beside it (the
    same results version, scope and language): a reader of unchanged results gets them as
    they were drawn."""
    def draw():
        for group in summary.below:
            group.url = f"?{urlencode(group.params)}" if group.params else ""
        return render_to_string("oversight/_summary.html", {
            "scope": scope, "summary": summary,
            "spread_chart": spread_chart(summary.spread, _pass_mark(summary.years)),
            "levels_chart": levels_chart(summary.levels),
            "below_chart": below_chart(summary.below) if summary.below else None,
        })

    html = cache.get_or_set(f"{summary.cache_key}:html", draw, ResultsVersion.KEPT_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by the template above, escaped there)


def _pass_mark(years):
    """The pass mark of the newest year among the latest results (85 in every year so far)."""
    marks = dict(FiscalYear.objects.filter(year__in=years).values_list("year", "pass_mark"))
    return marks[max(marks)] if marks else None


def _area_job(request, scope, kind, **params):
    """Start a job over the rows the page's filters (the query string) select, in the scope."""
    return start_job(
        kind=kind, user=request.user, province=scope.province, district=scope.district,
        params={"query": _query(request), "scope": scope.params(), **params},
    )


@login_required
def area_export(request):
    """The filtered rows as .xlsx; more than JOBS_EXPORT_MIN_ROWS are written by a job (POST)."""
    scope = get_scope_for_user(request)
    if request.method == "POST":
        return redirect(_area_job(request, scope, AREA_XLSX))
    _form, rows = filtered_area_rows(scope, request.GET)
    count = rows.count()
    if count > settings.JOBS_EXPORT_MIN_ROWS:
        return render(request, "jobs/start.html", {
            "title": _("ภาพรวมหน่วยงานในพื้นที่ (Excel)"), "rows": count, "limit": settings.JOBS_EXPORT_MIN_ROWS,
            "action": request.get_full_path(), "back": f"{reverse('oversight:area')}?{_query(request)}",
        })
    # An area's export belongs to no organisation: platform staff read it in the admin.
    record(Entry.Kind.EXPORT, getattr(request.user, "oversight", None) or request.user,
           data={"file_name": "ita-oversight.xlsx", "area": str(scope.title)})
    response = HttpResponse(
        area_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="ita-oversight.xlsx"'
    return response


@require_POST
@login_required
def area_reports(request):
    """Start the job that zips the ITA report PDF of every filtered organisation for one year."""
    scope = get_scope_for_user(request)
    form = AreaReportsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["year"]))
        return redirect(f"{reverse('oversight:area')}?{request.GET.urlencode()}")
    return redirect(_area_job(request, scope, AREA_REPORTS, year=form.cleaned_data["year"]))


@login_required
def results_import(request):
    """Load many organisations' results of the user's area as the NACC publishes them: a
    preview of every row first (its match, or why it will not be saved), then the complete
    rows saved in one transaction."""
    scope = get_scope_for_user(request)
    form = ResultsImportForm(request.POST or None, request.FILES or None)
    context = {"scope": scope, "form": form, "scope_query": urlencode(scope.params())}
    if request.method != "POST" or not form.is_valid():
        return render(request, "oversight/import.html", context, status=422 if form.is_bound else 200)
    upload = form.cleaned_data["file"]
    try:
        lines = lines_of_upload(upload.read(), upload.name) if upload else form.cleaned_data["text"].splitlines()
    except UnreadableFile as error:
        form.add_error("file", str(error))
        return render(request, "oversight/import.html", context, status=422)
    preview = read_results(lines, scope.organisations())
    if request.POST.get("action") == "apply" and not upload:
        saved = apply_results(preview)
        messages.success(request, _("บันทึกผลการประเมินแล้ว %(saved)s แถว (ไม่บันทึก %(refused)s แถว)") % {
            "saved": saved, "refused": len(preview.refused)})
        return redirect(f"{reverse('oversight:area')}?{urlencode(scope.params())}")
    context.update(preview=preview, lines="\n".join(lines))
    return render(request, "oversight/import.html", context)
