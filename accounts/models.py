"""Who a user is in the portal: their organisation, their role and, for staff, their units.

A member's units are always units of the member's own organisation. The forms (the portal's
and the Django admin's) check it with `Membership.check_units` and say so in Thai; the database
refuses any other pair whatever code writes it (see migration 0004: triggers on the membership
-unit table, the membership's organisation and the unit's organisation). The database is the
only place that sees every path: `units.add()`, `units.set()`, `through.objects.bulk_create()`,
`loaddata` and raw SQL all end as rows of that table, and Django's own validation
(`full_clean`, `m2m_changed`) runs for none of the bulk ones.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


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
        "assessments.Organisation", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("หน่วยงาน")
    )
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices, default=Role.STAFF)
    units = models.ManyToManyField(
        "assessments.Unit", blank=True, related_name="memberships", verbose_name=_("สำนัก/กองที่สังกัด")
    )
    # When the last invitation e-mail was sent; the invitation is pending while the user has no
    # password of their own (accounts/invitations.py).
    invited_at = models.DateTimeField(_("ส่งคำเชิญล่าสุดเมื่อ"), null=True, blank=True)
    # Who sent that invitation: they are told when it is accepted.
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ผู้ส่งคำเชิญ"),
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

    @property
    def invitation_pending(self):
        return self.invited_at is not None and not self.user.has_usable_password()

    @staticmethod
    def check_units(organisation, units):
        """Refuse (ValidationError, in Thai) units that are not the organisation's own."""
        foreign = [unit.name for unit in units if unit.organisation_id != organisation.pk]
        if foreign:
            raise ValidationError(
                _("สำนัก/กองต่อไปนี้ไม่ใช่ของ %(organisation)s: %(units)s"),
                code="unit_of_another_organisation",
                params={"organisation": organisation, "units": ", ".join(foreign)},
            )

    @classmethod
    def unit_model(cls):
        """assessments' Unit. accounts sits below the apps that build on its roles, so its models
        name the organisation and its units by label and reach the classes through the relation."""
        return cls._meta.get_field("units").related_model

    @cached_property
    def unit_ids(self):
        """The ids of the member's units, read once per request."""
        return set(self.units.order_by().values_list("id", flat=True))  # a set: no ORDER BY, no join
