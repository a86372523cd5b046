"""Who may use the area offices' pages."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def get_oversight_for_user(request):
    """The signed-in user's oversight area (province/district office), or 403 for anyone else."""
    oversight = getattr(request.user, "oversight", None)
    if oversight is None:
        raise PermissionDenied(_("เฉพาะผู้กำกับดูแลระดับพื้นที่เท่านั้น"))
    return oversight
