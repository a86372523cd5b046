"""The role basics every app's access rules are built on, and the rules of accounts' own pages.

Rules: a user sees only their own organisation. Executives and admins read everything of it;
staff read it too. Another organisation's object is a 404 (its existence is not confirmed);
an action the user's role may not take is a 403 (PermissionDenied). Each app's own rules sit
beside its views (assessments/access.py, measures/access.py, reports/access.py, ...).

People and units: an organisation's admins manage its members and its units; nobody else.

Platform staff (Django staff who belong to no organisation) alone use Django's admin site
(ita_portal/admin.py).

This module imports no other app: accounts sits below the apps whose rules use it.
"""

from axes.models import AccessFailureLog, AccessLog
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Membership


def get_membership(request):
    """The signed-in user's membership; users without one may not use the portal (403)."""
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise PermissionDenied(_("ผู้ใช้นี้ยังไม่ได้สังกัดหน่วยงาน"))
    return membership


def require_admin(request):
    membership = get_membership(request)
    if not membership.is_admin:
        raise PermissionDenied(_("เฉพาะผู้ดูแลระบบเท่านั้น"))
    return membership


def require_executive_or_admin(request):
    membership = get_membership(request)
    if not (membership.is_admin or membership.is_executive):
        raise PermissionDenied(_("เฉพาะผู้บริหารและผู้ดูแลระบบเท่านั้น"))
    return membership


def is_platform_staff(user):
    """Django staff who belong to no organisation: they alone use Django's admin site and
    onboard organisations anywhere. A member of an organisation never is, whatever its flags."""
    return bool(
        user.is_authenticated and user.is_active and user.is_staff
        and getattr(user, "membership", None) is None
    )


def sign_ins_for_admin(request):
    """(sign-ins, failed sign-ins) of the users of the admin's own organisation, as two
    querysets of django-axes' records; 403 for anyone but an organisation admin.

    Records are matched by the username typed, so a failure under a name that is nobody's
    belongs to no organisation and shows only in the Django admin."""
    membership = require_admin(request)
    usernames = Membership.objects.filter(organisation_id=membership.organisation_id).values("user__username")
    return (
        AccessLog.objects.filter(username__in=usernames),
        AccessFailureLog.objects.filter(username__in=usernames),
    )


def people_for_admin(request):
    """(the admin's membership, every membership of their organisation); 403 for anyone but
    an organisation admin."""
    membership = require_admin(request)
    return membership, Membership.objects.filter(organisation_id=membership.organisation_id)


def get_person_for_admin(request, pk):
    """One member of the user's own organisation, with their user: 404 for anyone else's, then
    403 for anyone but its admins."""
    membership = get_membership(request)
    person = get_object_or_404(
        Membership.objects.select_related("user", "organisation").filter(organisation_id=membership.organisation_id),
        pk=pk,
    )
    require_admin(request)
    return person


def get_unit_for_admin(request, pk):
    """One unit of the user's own organisation: 404 for anyone else's, then 403 for anyone but
    its admins."""
    membership = get_membership(request)
    unit = get_object_or_404(Membership.unit_model().objects.filter(organisation_id=membership.organisation_id), pk=pk)
    require_admin(request)
    return unit
