import secrets
import tempfile
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    assessments_for_user,
    get_assessment_for_admin,
    get_assessment_for_user,
    get_membership,
    get_public_assessment,
)
from accounts.invitations import portal_base_url
from audit.log import record
from audit.models import Entry
from jobs.models import Job
from jobs.tasks import start_job
from measures.models import Measure

from . import exports, imports, reports
from .forms import (
    ImportConfirmForm,
    PdfOptionsForm,
    PlanUploadForm,
    ProgressOptionsForm,
    ProgressPdfOptionsForm,
    PublishForm,
    ReportOptionsForm,
)
from .pending import PendingUpload

# An uploaded plan waits between its preview and its confirmation (see pending.py).
PLAN_UPLOADS = PendingUpload("pending-imports", "plan_import")


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


def in_thai(view):
    """Renders the view in Thai whatever the reader's language: the printed reports and the
    downloads are the organisation's Thai documents, and the import reads the plan's Thai
    column names and status labels back."""

    @wraps(view)
    def thai_view(request, *args, **kwargs):
        with translation.override("th"):
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = "th"
        return response

    return thai_view


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
            kind=Job.Kind.PLAN_XLSX, user=request.user, organisation=assessment.organisation, assessment=assessment,
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


@login_required
def import_plan(request, pk):
    """Upload a plan file and see what it would do; nothing is written here."""
    assessment = get_assessment_for_admin(request, pk)
    preview = token = None
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["file"].size > settings.JOBS_IMPORT_MIN_BYTES:
            return redirect(_start_import_preview(request, assessment, form.cleaned_data["file"]))
        data = form.cleaned_data["file"].read()
        preview = imports.read_plan(data, assessment)
        PLAN_UPLOADS.discard(request)
        if preview.can_apply:
            token = PLAN_UPLOADS.keep(request, data, ".xlsx", assessment=assessment.pk, versions=preview.versions)
    return render(request, "reports/import.html", {
        "assessment": assessment, "form": form, "preview": preview,
        "confirm_form": ImportConfirmForm(initial={"token": token}) if token else None,
        "job_min_bytes": settings.JOBS_IMPORT_MIN_BYTES,
    })


def _start_import_preview(request, assessment, file):
    """A large file is checked by a job, whose page shows the same preview and the confirmation
    (jobs:import_confirm): the file waits with the job, not in the session."""
    PLAN_UPLOADS.discard(request)
    upload = default_storage.save(f"jobs/uploads/{secrets.token_urlsafe(16)}.xlsx", file)
    return start_job(
        kind=Job.Kind.IMPORT_PREVIEW, user=request.user, organisation=assessment.organisation,
        assessment=assessment, upload=upload,
    )


@require_POST
@login_required
def import_confirm(request, pk):
    """Write the previewed file: all of it in one transaction, or nothing."""
    assessment = get_assessment_for_admin(request, pk)
    form = ImportConfirmForm(request.POST)
    taken = form.is_valid() and PLAN_UPLOADS.take(request, form.cleaned_data["token"], assessment=assessment.pk)
    if not taken:
        messages.error(request, _("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาอัปโหลดไฟล์อีกครั้ง"))
        return redirect("reports:import", assessment.pk)
    data, pending = taken
    preview = imports.read_plan(data, assessment)
    try:
        if not preview.can_apply or preview.versions != pending["versions"]:
            raise imports.StaleImport
        added, changed = imports.apply_plan(preview, assessment, request.user)
    except imports.StaleImport:
        messages.error(request, _(
            "แผนถูกแก้ไขหลังจากที่ตรวจสอบไฟล์ จึงยังไม่ได้บันทึกสิ่งใด กรุณาอัปโหลดไฟล์อีกครั้งเพื่อดูตัวอย่างใหม่"
        ))
        return redirect("reports:import", assessment.pk)
    messages.success(request, _("นำเข้าแผนแล้ว: เพิ่ม %(added)s มาตรการ แก้ไข %(changed)s มาตรการ") % {
        "added": added, "changed": changed})
    return redirect("reports:index")


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
