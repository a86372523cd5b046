import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_membership
from assessments.access import assessments_for_user, get_assessment_for_admin, get_assessment_for_user
from lib.http import portal_base_url
from audit.log import record
from audit.models import Entry
from jobs.tasks import start_job
from lib.i18n import in_thai
from measures.models import Measure

from . import exports, reports
from .access import get_public_assessment
from .forms import (
    PdfOptionsForm,
    ProgressOptionsForm,
    ProgressPdfOptionsForm,
    PublishForm,
    ReportOptionsForm,
)
from .jobs import PLAN_XLSX

def _bad_request(form):
    text = " ".join(str(error) for errors in form.errors.values() for error in errors)
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def _download(content, content_type, filename):
    return HttpResponse(
        content, content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _name(assessment, kind, extension):
    return f"{kind}-{assessment.organisation_id}-{assessment.fiscal_year_id}.{extension}"


def _pdf_name(assessment, kind, form):
    """ita-report-1-2568.pdf, and ita-report-1-2568-pdfa.pdf for the archival copy."""
    suffix = "-pdfa" if form.archive() else ""
    return f"{kind}-{assessment.organisation_id}-{assessment.fiscal_year_id}{suffix}.pdf"


@login_required
def index(request):
    """The organisation's assessments with their reports, downloads and (for admins) import
    and the public page switch."""
    membership = get_membership(request)
    assessments = assessments_for_user(request).select_related("fiscal_year").order_by("-fiscal_year_id")
    return render(request, "reports/index.html", {
        "assessments": assessments, "is_admin": membership.is_admin,
        # The public page's address as the organisation's website links to it (OIT evidence).
        "portal": portal_base_url(request),
    })


@login_required
@in_thai
def ita_print(request, pk):
    """The ITA report as a page to read and print: every member of the organisation."""
    membership = get_membership(request)
    assessment = get_assessment_for_user(request, pk)
    form = ReportOptionsForm(request.GET)
    if not form.is_valid():
        return _bad_request(form)
    context = reports.ita_report_context(assessment, thai_digits=form.thai_digits())
    return render(request, "reports/ita_report.html", {**context, "can_export": membership.is_admin})


@login_required
@in_thai
def ita_pdf(request, pk):
    assessment = get_assessment_for_admin(request, pk)
    form = PdfOptionsForm(request.GET)
    if not form.is_valid():
        return _bad_request(form)
    pdf = reports.ita_report_pdf(assessment, thai_digits=form.thai_digits(), archive=form.archive())
    name = _pdf_name(assessment, "ita-report", form)
    return _recorded_download(Entry.Kind.PDF, assessment, pdf, "application/pdf", name)


@login_required
@in_thai
def progress_print(request, pk):
    membership = get_membership(request)
    assessment = get_assessment_for_user(request, pk)
    form = ProgressOptionsForm(request.GET)
    if not form.is_valid():
        return _bad_request(form)
    context = reports.progress_report_context(
        assessment, form.as_of_date(), thai_digits=form.thai_digits()
    )
    return render(request, "reports/progress_report.html", {**context, "can_export": membership.is_admin})


@login_required
@in_thai
def progress_pdf(request, pk):
    assessment = get_assessment_for_admin(request, pk)
    form = ProgressPdfOptionsForm(request.GET)
    if not form.is_valid():
        return _bad_request(form)
    pdf = reports.progress_report_pdf(
        assessment, form.as_of_date(), thai_digits=form.thai_digits(), archive=form.archive()
    )
    name = _pdf_name(assessment, "progress-report", form)
    return _recorded_download(Entry.Kind.PDF, assessment, pdf, "application/pdf", name)


@login_required
def plan_xlsx(request, pk):
    """The plan as .xlsx for editing and importing back: admins only. Up to
    JOBS_EXPORT_MIN_ROWS rows it is a download; a larger plan is written by a job (started by
    POST from the page this shows, or from any POST)."""
    assessment = get_assessment_for_admin(request, pk)
    if request.method == "POST":
        return redirect(start_job(
            kind=PLAN_XLSX, user=request.user, organisation=assessment.organisation, assessment=assessment,
        ))
    rows = Measure.objects.filter(assessment=assessment).count()
    if rows > settings.JOBS_EXPORT_MIN_ROWS:
        return render(request, "jobs/start.html", {
            "title": _("ส่งออกแผนพัฒนา (Excel)"), "rows": rows, "limit": settings.JOBS_EXPORT_MIN_ROWS,
            "action": request.path, "back": reverse("reports:index"),
        })
    return _plan_xlsx_download(request, assessment)


@in_thai
def _plan_xlsx_download(request, assessment):
    """Streamed from a temporary file, never built in memory."""
    out = tempfile.TemporaryFile()
    exports.plan_xlsx(assessment, out)
    out.seek(0)
    name = _name(assessment, "plan", "xlsx")
    record(Entry.Kind.EXPORT, assessment, data={"file_name": name})
    return FileResponse(out, as_attachment=True, filename=name)


def _recorded_download(kind, assessment, content, content_type, filename):
    """A download by a member of the organisation, in its audit log."""
    record(kind, assessment, data={"file_name": filename})
    return _download(content, content_type, filename)


def _dataset(dataset, fmt):
    try:
        return exports.DATASETS[(dataset, fmt)]
    except KeyError:
        raise Http404 from None


@login_required
@in_thai
def data(request, pk, dataset, fmt):
    """Scores or plan as CSV or JSON for every member of the organisation."""
    assessment = get_assessment_for_user(request, pk)
    function, content_type = _dataset(dataset, fmt)
    name = _name(assessment, dataset, fmt)
    return _recorded_download(Entry.Kind.EXPORT, assessment, function(assessment), content_type, name)


@require_POST
@login_required
def publish(request, pk):
    """Turn the public page of one assessment on or off: admins only."""
    assessment = get_assessment_for_admin(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _bad_request(form)
    assessment.is_public = form.cleaned_data["is_public"]
    assessment.save(update_fields=["is_public", "updated_at"])
    if assessment.is_public:
        messages.success(request, _("เปิดหน้าสาธารณะของปี %(year)s แล้ว") % {"year": assessment.fiscal_year_id})
    else:
        messages.success(request, _("ปิดหน้าสาธารณะของปี %(year)s แล้ว") % {"year": assessment.fiscal_year_id})
    return redirect("reports:index")


def public_page(request, organisation, year):
    """Scores, plan and progress of a published year, without sign-in; nothing internal."""
    assessment = get_public_assessment(organisation, year)
    return render(request, "reports/public.html", {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "result": assessment.result,
        "scores": exports.score_rows(assessment),
        "measures": reports.plan_of(assessment),
    })


@in_thai
def public_data(request, organisation, year, dataset, fmt):
    """A published year's data for anyone. Not in the audit log: the data is public, and anyone
    could fill the log by downloading it."""
    assessment = get_public_assessment(organisation, year)
    function, content_type = _dataset(dataset, fmt)
    return _download(function(assessment), content_type, _name(assessment, dataset, fmt))
