"""Oversight users and the NACC's regions: who reads the organisations of which area.

The scopes, from the widest: the nation, a regional office of the NACC (ภาค 1-9, a group of
provinces kept as data with its source: oversight/regions.json, editable in the admin site), a
province, a district of it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Confidence


class Region(models.Model):
    """A regional office of the NACC (สำนักงาน ป.ป.ช. ประจำภาค) and the provinces it follows."""

    number = models.PositiveSmallIntegerField(_("ภาค"), unique=True)
    office = models.CharField(_("ที่ตั้งสำนักงาน (จังหวัด)"), max_length=100)
    source = models.TextField(_("แหล่งที่มา"), blank=True)
    confidence = models.CharField(_("ความเชื่อมั่น"), max_length=10, choices=Confidence.choices)

    class Meta:
        verbose_name = _("สำนักงาน ป.ป.ช. ประจำภาค")
        verbose_name_plural = _("สำนักงาน ป.ป.ช. ประจำภาค")
        ordering = ["number"]

    def __str__(self):
        return _("ภาค %(number)s") % {"number": self.number}


class RegionProvince(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="provinces", verbose_name=_("ภาค"))
    province = models.CharField(_("จังหวัด"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("จังหวัดในภาค")
        verbose_name_plural = _("จังหวัดในภาค")
        ordering = ["region", "province"]

    def __str__(self):
        return f"{self.region} {self.province}"


class OversightMembership(models.Model):
    """Reads the organisations of one area and changes nothing: the whole nation (a national
    officer), a region, one province, or one district of it.

    Such a user has no organisation Membership, so every organisation page refuses them; they
    see their area only through the oversight view.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oversight",
        verbose_name=_("ผู้ใช้"),
    )
    national = models.BooleanField(_("ระดับประเทศ"), default=False, help_text=_("ดูทุกหน่วยงานทั่วประเทศ"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="offices", verbose_name=_("ภาค"),
        help_text=_("ดูทุกจังหวัดของภาค (เว้นจังหวัดและอำเภอว่าง)"),
    )
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    district = models.CharField(
        _("อำเภอ"), max_length=100, blank=True, help_text=_("เว้นว่างเพื่อดูทั้งจังหวัด")
    )

    class Meta:
        verbose_name = _("ผู้กำกับดูแลระดับพื้นที่")
        verbose_name_plural = _("ผู้กำกับดูแลระดับพื้นที่")
        ordering = ["province", "district"]
        constraints = [
            # Exactly one area: the nation, a region, or a province (with or without a district).
            models.CheckConstraint(
                condition=(
                    Q(national=True, region__isnull=True, province="", district="")
                    | Q(national=False, region__isnull=False, province="", district="")
                    | (Q(national=False, region__isnull=True) & ~Q(province=""))
                ),
                name="oversight_one_area",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.area_name})"

    @property
    def area_name(self):
        if self.national:
            return str(_("ทั่วประเทศ"))
        if self.region_id:
            return str(self.region)
        return f"{self.province} {self.district}".strip()

    def scope(self):
        """The office's area as the oversight pages read it (oversight/access.py)."""
        from .access import DISTRICT, NATION, PROVINCE, REGION, Scope

        if self.national:
            return Scope(NATION)
        if self.region_id:
            return Scope(REGION, region=self.region)
        return Scope(DISTRICT if self.district else PROVINCE, province=self.province, district=self.district)

    def organisations(self):
        """The organisations of the office's area (what waits for it is read from these)."""
        return self.scope().organisations()
