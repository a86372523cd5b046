from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Membership


class MembershipAdminForm(forms.ModelForm):
    """Offers only the units of the membership's own organisation, and refuses any other (the
    database refuses them too: see accounts/models.py); refuses platform staff as members, since
    a member of an organisation must never see the admin site's rows of the others."""

    class Meta:
        model = Membership
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "units" in self.fields:
            self.fields["units"].queryset = Membership.unit_model().objects.filter(organisation_id=self.instance.organisation_id)

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
        if organisation is not None and cleaned.get("units") is not None:
            try:
                Membership.check_units(organisation, cleaned["units"])
            except ValidationError as error:
                self.add_error("units", error)
        user = cleaned.get("user")
        if user is not None and (user.is_staff or user.is_superuser):
            self.add_error("user", ValidationError(
                _("ผู้ใช้นี้เป็นเจ้าหน้าที่ดูแลแพลตฟอร์ม (staff/superuser) จึงสังกัดหน่วยงานไม่ได้"), code="platform_staff"))
        return cleaned


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "organisation", "role", "invited_at"]
    list_filter = ["role", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    filter_horizontal = ["units"]

    def get_fields(self, request, obj=None):
        # The units can be chosen once the organisation is saved, among its own units only.
        fields = super().get_fields(request, obj)
        return fields if obj is not None else [name for name in fields if name != "units"]

    def get_readonly_fields(self, request, obj=None):
        # A person moving to another organisation gets a new membership; moving this one would
        # carry units of the old organisation along. Who sent the invitation is the portal's record.
        return ["organisation", "invited_by"] if obj is not None else ["invited_by"]
