"""Who reads which area in the oversight view, built on accounts' role basics.

Scopes, widest first: the nation, a region of the NACC (ภาค 1-9), a province, a district of it.
Platform staff and national officers read the nation; a regional office its region; a
province or district office its own area. Each may narrow the page to any scope inside their
own (the query string's region, province, district); a scope outside it is a 404, so an area
office never learns what lies beyond its area. Organisation members are refused (403): their
portal is their own organisation's.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import is_platform_staff
from assessments.models import Organisation

from .models import Region, RegionProvince

NATION, REGION, PROVINCE, DISTRICT = "nation", "region", "province", "district"
BELOW = {NATION: REGION, REGION: PROVINCE, PROVINCE: DISTRICT, DISTRICT: None}


@dataclass(frozen=True)
class Scope:
    """One area of the oversight view."""

    kind: str
    region: Region | None = None
    province: str = ""
    district: str = ""

    def organisations(self):
        if self.kind == NATION:
            return Organisation.objects.all()
        if self.kind == REGION:
            return Organisation.objects.filter(province__in=RegionProvince.objects.filter(
                region=self.region).values("province"))
        found = Organisation.objects.filter(province=self.province)
        return found.filter(district=self.district) if self.kind == DISTRICT else found

    @property
    def below(self):
        """The kind of the scopes one level down (None for a district)."""
        return BELOW[self.kind]

    @property
    def title(self):
        if self.kind == NATION:
            return _("ทั่วประเทศ")
        if self.kind == REGION:
            return _("สำนักงาน ป.ป.ช. ประจำภาค %(number)s") % {"number": self.region.number}
        if self.kind == DISTRICT:
            return _("จังหวัด%(province)s อำเภอ%(district)s") % {"province": self.province, "district": self.district}
        return _("จังหวัด%(province)s") % {"province": self.province}

    def params(self):
        """The query string that names this scope (also kept by the jobs it starts)."""
        if self.kind == REGION:
            return {"region": self.region.number}
        if self.kind in (PROVINCE, DISTRICT):
            return {"province": self.province, **({"district": self.district} if self.district else {})}
        return {}

    def contains(self, other):
        """Whether `other` lies inside this scope (or is it)."""
        if self.kind == NATION:
            return True
        if self.kind == REGION:
            if other.kind == REGION:
                return other.region.pk == self.region.pk
            return other.kind != NATION and RegionProvince.objects.filter(
                region=self.region, province=other.province).exists()
        if self.kind == PROVINCE:
            return other.kind in (PROVINCE, DISTRICT) and other.province == self.province
        return other.kind == DISTRICT and (other.province, other.district) == (self.province, self.district)


class ScopeForm(forms.Form):
    region = forms.IntegerField(required=False, min_value=1, max_value=99)
    province = forms.CharField(required=False, max_length=100)
    district = forms.CharField(required=False, max_length=100)


def scope_from(data):
    """The scope a query string (or a job's parameters) names, or None when it names none;
    404 for one that cannot exist (an unknown region, a malformed value)."""
    form = ScopeForm({key: data.get(key, "") for key in ScopeForm.base_fields})
    if not form.is_valid():
        raise Http404
    region, province, district = (form.cleaned_data[key] for key in ("region", "province", "district"))
    province, district = province.strip(), district.strip()
    # A district without its province is the list's district filter, not a scope.
    if province:
        return Scope(DISTRICT if district else PROVINCE, province=province, district=district)
    if region:
        found = Region.objects.filter(number=region).first()
        if found is None:
            raise Http404
        return Scope(REGION, region=found)
    return None


def own_scope(request):
    """The widest scope the user reads; 403 for anyone but platform staff and oversight users."""
    user = request.user
    if getattr(user, "membership", None) is None and is_platform_staff(user):
        return Scope(NATION)
    oversight = None if getattr(user, "membership", None) else getattr(user, "oversight", None)
    if oversight is None:
        raise PermissionDenied(_("เฉพาะสำนักงานระดับพื้นที่ ระดับภาค ระดับประเทศ และเจ้าหน้าที่ดูแลแพลตฟอร์มเท่านั้น"))
    return oversight.scope()


def get_scope_for_user(request, data=None):
    """The scope the page asks for (`data`: the query string), inside the user's own; the user's
    own scope when it asks for none; 404 for a scope outside it."""
    own = own_scope(request)
    asked = scope_from(data if data is not None else request.GET)
    if asked is None:
        return own
    if not own.contains(asked):
        raise Http404
    return asked
