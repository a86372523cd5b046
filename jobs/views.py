from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .access import get_job_for_user, jobs_for_user
from .models import Job
from .registry import KINDS
from .runner import discard_leftovers, fail_lost, stale_jobs

PAGE_SIZE = 50


@require_safe
@login_required
def job_list(request):
    """งานของฉัน: the user's recent jobs (and, for an organisation's admins, its jobs)."""
    jobs = jobs_for_user(request).select_related("user", "organisation", "assessment")
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page, "query": "", "keep_days": settings.JOBS_KEEP_DAYS})


def _current(request, pk):
    """The job, marked failed first if its worker stopped reporting (so that a page never
    shows a dead job as running, even before the next sweep)."""
    job = get_job_for_user(request, pk)
    if job.state == Job.State.RUNNING and fail_lost(
        stale_jobs().filter(pk=job.pk), "stale", {"minutes": settings.JOBS_STALE_MINUTES}
    ):
        job.refresh_from_db()
    return job


@require_safe
@login_required
def detail(request, pk):
    return render(request, "jobs/detail.html", {"job": _current(request, pk)})


@require_safe
@login_required
def status(request, pk):
    """The job page's status block, which the page polls (HTMX) until the job ends."""
    return render(request, "jobs/_status.html", {"job": _current(request, pk)})


@require_safe
@login_required
def download(request, pk):
    """The job's file, only to those who may see the job, always as a download."""
    job = get_job_for_user(request, pk)
    if not job.downloadable:
        raise Http404(_("งานนี้ไม่มีไฟล์ให้ดาวน์โหลด"))
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404(_("ไม่พบไฟล์")) from None
    downloaded = KINDS[job.kind].downloaded
    if downloaded:
        downloaded(job)
    response = FileResponse(handle, as_attachment=True, filename=job.result_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def cancel(request, pk):
    """A queued job is cancelled at once; a running one stops at its next step."""
    job = get_job_for_user(request, pk)
    if Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
        state=Job.State.CANCELLED, cancel_requested=True, finished_at=timezone.now(), outcome="cancelled"
    ):
        discard_leftovers(job)
        messages.success(request, _("ยกเลิกงานแล้ว"))
    elif Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(cancel_requested=True):
        messages.info(request, _("ขอยกเลิกงานแล้ว งานจะหยุดเมื่อจบขั้นตอนที่กำลังทำ และไม่เก็บสิ่งใดไว้"))
    else:
        messages.info(request, _("งานนี้จบไปแล้ว จึงยกเลิกไม่ได้"))
    return redirect(job)
