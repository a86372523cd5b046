"""Who may read an organisation's audit log: its admins.

The audit log is infrastructure that the other apps record into, so it imports none of them:
the role is read from the user's membership (accounts' `Membership`, reached as
`user.membership`) as accounts/access.py reads it.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Entry


def audit_log_for_admin(request):
    """(membership, the organisation's audit entries newest first) for an organisation admin;
    403 for anyone else. Platform staff read every entry in the Django admin."""
    membership = getattr(request.user, "membership", None)
    if membership is None or not membership.is_admin:
        raise PermissionDenied(_("เฉพาะผู้ดูแลระบบเท่านั้น"))
    return membership, Entry.objects.filter(organisation_id=membership.organisation_id).order_by("-timestamp", "-id")
