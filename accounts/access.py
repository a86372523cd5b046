"""Who may read what. Views call these helpers and never check rights on their own.

Rules: a user sees only their own organisation. Executives and admins read everything of it;
staff read it too. Another organisation's object is a 404 (its existence is not confirmed);
an action the user's role may not take is a 403 (PermissionDenied).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Assessment


def get_membership(request):
    """The signed-in user's membership; users without one may not use the portal (403)."""
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise PermissionDenied("ผู้ใช้นี้ยังไม่ได้สังกัดหน่วยงาน")
    return membership


def require_admin(request):
    membership = get_membership(request)
    if not membership.is_admin:
        raise PermissionDenied("เฉพาะผู้ดูแลระบบเท่านั้น")
    return membership


def assessments_for_user(request):
    """The assessments the user may read: those of their own organisation."""
    membership = get_membership(request)
    return Assessment.objects.filter(organisation_id=membership.organisation_id)


def get_assessment_for_user(request, pk):
    """One readable assessment with its scores prefetched; 404 for any other organisation's."""
    return get_object_or_404(assessments_for_user(request).with_scores(), pk=pk)


def latest_assessment_for_user(request):
    """The newest assessment of the user's organisation that has indicator scores, or 404."""
    assessment = (
        assessments_for_user(request).with_scores().filter(scores__isnull=False)
        .order_by("-fiscal_year_id").distinct().first()
    )
    if assessment is None:
        raise Http404("ยังไม่มีผลการประเมิน")
    return assessment


def get_public_assessment(organisation_id, year):
    """The public page's assessment, with its scores; 404 unless an admin has published it.

    Needs no sign-in: the page is for linking from the organisation's website."""
    return get_object_or_404(
        Assessment.objects.with_scores().filter(is_public=True),
        organisation_id=organisation_id, fiscal_year_id=year,
    )
