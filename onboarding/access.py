"""Who onboards which organisations.

Platform staff (Django staff who belong to no organisation) add organisations of any province;
an area office adds organisations of its own province, or of its district when it has one.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import is_platform_staff
from accounts.models import Membership
from assessments.models import Organisation
from lib import places


@dataclass(frozen=True)
class OnboardingArea:
    """Where a user onboards organisations: every province ("" for platform staff), or one
    province, or one district of it."""

    province: str = ""
    district: str = ""

    def organisations(self):
        found = Organisation.objects.all()
        if self.province:
            found = found.filter(province=self.province)
        if self.district:
            found = found.filter(district=self.district)
        return found


def get_onboarding_area(request):
    """The user's onboarding area; 403 for anyone but platform staff and area offices."""
    if is_platform_staff(request.user):
        return OnboardingArea()
    oversight = getattr(request.user, "oversight", None)
    if oversight is None or not oversight.province or getattr(request.user, "membership", None) is not None:
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ดูแลแพลตฟอร์มและสำนักงานระดับพื้นที่เท่านั้น"))
    # The area as the onboarding pages write it (the official province name, no prefixes), so
    # that what an office adds is what its own list shows.
    province = places.province_name(oversight.province) or oversight.province.strip()
    return OnboardingArea(province, places.district_name(oversight.district))


def get_onboarded_organisation(request, pk):
    """(area, an organisation of the user's onboarding area); 404 for one outside it."""
    area = get_onboarding_area(request)
    return area, get_object_or_404(area.organisations(), pk=pk)


def get_onboarded_admin(request, pk, member):
    """(organisation, one of its admins) for the user's onboarding area; 404 otherwise."""
    _area, organisation = get_onboarded_organisation(request, pk)
    admins = organisation.memberships.filter(role=Membership.Role.ADMIN).select_related("user", "organisation")
    return organisation, get_object_or_404(admins, pk=member)
