"""Who may see a job and its file.

Jobs are infrastructure that the other apps register their work with, so this imports none of
them: the user's organisation and role are read from `user.membership` (accounts) and their
area from `user.oversight` (oversight), as those apps' own rules read them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job


def jobs_for_user(request):
    """The jobs (and so the files) the user may see: an organisation job to whoever asked for it
    while a member of that organisation, and to its admins; an area job to whoever asked for it
    while the office of that same area, or platform staff (their exports of any scope). Nobody sees a job past its expiry."""
    user = request.user
    membership = getattr(user, "membership", None)
    oversight = None if membership else getattr(user, "oversight", None)
    visible = Q(pk__in=[])
    if membership:
        own = Q() if membership.is_admin else Q(user=user)
        visible |= Q(organisation_id=membership.organisation_id) & own
    if oversight:
        visible |= Q(user=user, organisation__isnull=True, province=oversight.province,
                     district=oversight.district)
    elif not membership and user.is_active and user.is_staff:
        visible |= Q(user=user, organisation__isnull=True)  # platform staff's oversight exports
    return Job.objects.filter(visible, expires_at__gt=timezone.now())


def get_job_for_user(request, pk):
    """One job the user may see (its page, progress, file, cancel). A job of the user's own
    organisation that they may not see is a 403; any other is a 404."""
    job = jobs_for_user(request).select_related("user", "organisation", "assessment").filter(pk=pk).first()
    if job is not None:
        return job
    membership = getattr(request.user, "membership", None)
    if membership and Job.objects.filter(
        pk=pk, organisation_id=membership.organisation_id, expires_at__gt=timezone.now()
    ).exists():
        raise PermissionDenied(_("เฉพาะผู้สั่งงานและผู้ดูแลระบบของหน่วยงานเท่านั้น"))
    raise Http404
