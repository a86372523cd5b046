from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import record
from audit.models import Entry
from jobs.tasks import start_job

from .access import get_oversight_for_user
from .exports import area_xlsx
from .forms import AreaReportsForm
from .jobs import AREA_REPORTS, AREA_XLSX
from .summary import filtered_area_rows

PAGE_SIZE = 50


@login_required
def area(request):
    """Every organisation of the user's area: latest result, change, weakest point, progress."""
    oversight = get_oversight_for_user(request)
    form, rows = filtered_area_rows(oversight, request.GET)
    page_number = form.cleaned_data.get("page") if form.is_valid() else None
    page = Paginator(rows, PAGE_SIZE).get_page(page_number or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "oversight/area.html",
        {
            "oversight": oversight, "form": form, "page": page, "total": len(rows), "query": query.urlencode(),
            "reports_form": AreaReportsForm(years=sorted({row.year for row in rows if row.year}, reverse=True)),
        },
    )


def _area_job(request, oversight, kind, **params):
    """Start a job over the rows the page's filters (the query string) select."""
    query = request.GET.copy()
    query.pop("page", None)
    return start_job(
        kind=kind, user=request.user, province=oversight.province, district=oversight.district,
        params={"query": query.urlencode(), **params},
    )


@login_required
def area_export(request):
    """The filtered rows as .xlsx; more than JOBS_EXPORT_MIN_ROWS are written by a job (POST)."""
    oversight = get_oversight_for_user(request)
    if request.method == "POST":
        return redirect(_area_job(request, oversight, AREA_XLSX))
    _form, rows = filtered_area_rows(oversight, request.GET)
    if len(rows) > settings.JOBS_EXPORT_MIN_ROWS:
        return render(request, "jobs/start.html", {
            "title": _("ภาพรวมหน่วยงานในพื้นที่ (Excel)"), "rows": len(rows), "limit": settings.JOBS_EXPORT_MIN_ROWS,
            "action": request.get_full_path(), "back": reverse("oversight:area"),
        })
    # An area office's export belongs to no organisation: platform staff read it in the admin.
    record(Entry.Kind.EXPORT, oversight, data={"file_name": "ita-oversight.xlsx"})
    response = HttpResponse(
        area_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="ita-oversight.xlsx"'
    return response


@require_POST
@login_required
def area_reports(request):
    """Start the job that zips the ITA report PDF of every filtered organisation for one year."""
    oversight = get_oversight_for_user(request)
    form = AreaReportsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["year"]))
        return redirect(f"{reverse('oversight:area')}?{request.GET.urlencode()}")
    return redirect(_area_job(request, oversight, AREA_REPORTS, year=form.cleaned_data["year"]))
