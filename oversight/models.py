"""Oversight users: a province or district office that reads every organisation of its area."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OversightMembership(models.Model):
    """Reads the organisations of one province (or one district of it) and changes nothing.

    Such a user has no organisation Membership, so every organisation page refuses them; they
    see their area only through the oversight view.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oversight",
        verbose_name=_("ผู้ใช้"),
    )
    province = models.CharField(_("จังหวัด"), max_length=100)
    district = models.CharField(
        _("อำเภอ"), max_length=100, blank=True, help_text=_("เว้นว่างเพื่อดูทั้งจังหวัด")
    )

    class Meta:
        verbose_name = _("ผู้กำกับดูแลระดับพื้นที่")
        verbose_name_plural = _("ผู้กำกับดูแลระดับพื้นที่")
        ordering = ["province", "district"]

    def __str__(self):
        area = f"{self.province} {self.district}".strip()
        return f"{self.user} ({area})"

    def organisations(self):
        from assessments.models import Organisation

        found = Organisation.objects.filter(province=self.province)
        return found.filter(district=self.district) if self.district else found
