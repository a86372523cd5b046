"""Who a user is in the portal: their organisation, their role and, for staff, their units."""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation, Unit


class Membership(models.Model):
    class Role(models.TextChoices):
        STAFF = "staff", _("เจ้าหน้าที่")
        EXECUTIVE = "executive", _("ผู้บริหาร")
        ADMIN = "admin", _("ผู้ดูแลระบบ")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership",
        verbose_name=_("ผู้ใช้"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("หน่วยงาน")
    )
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices, default=Role.STAFF)
    units = models.ManyToManyField(
        Unit, blank=True, related_name="memberships", verbose_name=_("สำนัก/กองที่สังกัด")
    )
    reminders_enabled = models.BooleanField(
        _("รับอีเมลแจ้งเตือน"), default=True,
        help_text=_("อีเมลรายวันถึงเจ้าหน้าที่: มาตรการที่ครบกำหนดใน 14 วัน ล่าช้า หรือไม่ได้ปรับปรุง 30 วัน"),
    )

    class Meta:
        verbose_name = _("สมาชิกภาพ")
        verbose_name_plural = _("สมาชิกภาพ")
        ordering = ["organisation", "role", "user__username"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN

    @property
    def is_executive(self):
        return self.role == self.Role.EXECUTIVE

    @property
    def is_staff_member(self):
        return self.role == self.Role.STAFF

    @cached_property
    def unit_ids(self):
        """The ids of the member's units, read once per request."""
        return set(self.units.values_list("id", flat=True))
