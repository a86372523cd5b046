"""The organisation's audit log for its admins: read, filter, page, export. Nothing here (or
anywhere in the portal) changes or deletes an entry."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .access import audit_log_for_admin
from lib.i18n import in_thai

from .display import readable
from .exports import log_xlsx
from .forms import LogFilterForm
from .log import record
from .models import Entry

PER_PAGE = 50


@require_safe
@login_required
def log(request):
    membership, entries = audit_log_for_admin(request)
    form = LogFilterForm(request.GET, organisation_id=membership.organisation_id)
    entries = form.filter(entries.select_related("actor", "content_type"))
    page = Paginator(entries, PER_PAGE).get_page(form.page_number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {
        "form": form, "page": page, "rows": readable(page.object_list), "query": query.urlencode(),
    })


@require_safe
@login_required
@in_thai
def export(request):
    """The log as .xlsx with the page's filters (every matching entry, not one page)."""
    membership, entries = audit_log_for_admin(request)
    form = LogFilterForm(request.GET, organisation_id=membership.organisation_id)
    if not form.is_valid():
        text = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
    name = f"audit-log-{membership.organisation_id}-{timezone.localdate():%Y-%m-%d}.xlsx"
    out = tempfile.TemporaryFile()
    log_xlsx(form.filter(entries), out)
    out.seek(0)
    record(Entry.Kind.EXPORT, membership.organisation, data={"file_name": name})
    return FileResponse(out, as_attachment=True, filename=name)
