"""Who may read and change an organisation's assessments (scores, findings, check reviews,
drafts), built on the role basics of accounts/access.py.

The results of a past year (scores, findings, check reviews) change no more
(`Assessment.change_refusal`): the helpers ask it and raise ChangeRefused (a 403 with the
reason) for a change the record does not accept.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import get_membership, require_admin, require_executive_or_admin

from .models import Assessment, ChangeRefused


def assessments_for_user(request):
    """The assessments the user may read: those of their own organisation."""
    membership = get_membership(request)
    return Assessment.objects.filter(organisation_id=membership.organisation_id)


def get_assessment_for_user(request, pk):
    """One readable assessment with its scores prefetched; 404 for any other organisation's."""
    return get_object_or_404(assessments_for_user(request).with_scores(), pk=pk)


def get_assessment_for_admin(request, pk, for_change=False):
    """An assessment to change (scores, findings, check reviews, drafts): 404 for another
    organisation's, then 403 for anyone but its admins. With `for_change`, the results of a
    past year are refused too (ChangeRefused, with the reason)."""
    assessment = get_assessment_for_user(request, pk)
    require_admin(request)
    if for_change and assessment.change_refusal():
        raise ChangeRefused(assessment.change_refusal())
    return assessment


def get_assessment_for_executive_or_admin(request, pk):
    """An assessment whose data-quality check the user may read: its organisation's admins and
    executives; 404 for another organisation's, 403 for staff."""
    assessment = get_assessment_for_user(request, pk)
    require_executive_or_admin(request)
    return assessment


def latest_assessment_for_user(request):
    """The newest assessment of the user's organisation that has indicator scores, or 404."""
    assessment = (
        assessments_for_user(request).with_scores().filter(scores__isnull=False)
        .order_by("-fiscal_year_id").distinct().first()
    )
    if assessment is None:
        raise Http404("ยังไม่มีผลการประเมิน")
    return assessment
