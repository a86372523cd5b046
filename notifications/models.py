"""What a person is told (Notification), what they do not want by e-mail (Preference), their
calendar feed's secret (CalendarFeed) and an organisation's LINE channel (LineChannel).

The organisation is referred to by name ("assessments.Organisation"): notifications is
infrastructure that the domain apps call, and imports none of them.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self):
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("ผู้รับ"),
    )
    organisation = models.ForeignKey(
        "assessments.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("หน่วยงาน"),
    )
    kind = models.CharField(_("ประเภท"), max_length=40)
    text = models.CharField(_("ข้อความ"), max_length=500)
    # The e-mail's body when it says more than the line in the list (a digest's rows).
    body = models.TextField(_("รายละเอียด"), blank=True)
    link = models.CharField(_("ลิงก์"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("เมื่อ"), default=timezone.now)
    read_at = models.DateTimeField(_("อ่านเมื่อ"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text

    @property
    def read(self):
        return self.read_at is not None

    @property
    def kind_label(self):
        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind


class Preference(models.Model):
    """One person's choice for one kind. Without a row, e-mail is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences",
        verbose_name=_("ผู้ใช้"),
    )
    kind = models.CharField(_("ประเภท"), max_length=40)
    email = models.BooleanField(_("ส่งทางอีเมล"), default=True)

    class Meta:
        verbose_name = _("การตั้งค่าการแจ้งเตือน")
        verbose_name_plural = _("การตั้งค่าการแจ้งเตือน")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.user} {self.kind}: {self.email}"


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's calendar feed. The address carries `<id>-<secret>`; only the secret's SHA-256
    is stored, so the address is shown once, when it is made, and a new one voids the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("ผู้ใช้"),
    )
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("ปฏิทินส่วนตัว")
        verbose_name_plural = _("ปฏิทินส่วนตัว")

    def __str__(self):
        return str(self.user)

    @classmethod
    def reset(cls, user):
        """A new secret for `user` (the old address stops working); returns the address's token."""
        secret = secrets.token_urlsafe(32)
        feed, _created = cls.objects.update_or_create(
            user=user, defaults={"secret_hash": _digest(secret), "created_at": timezone.now()}
        )
        return f"{feed.pk}-{secret}"

    @classmethod
    def find(cls, token):
        """The feed whose token this is, of an active user, or None. The secret is compared in
        constant time, after the row is found by its id."""
        feed_id, _sep, secret = token.partition("-")
        if not feed_id.isdigit() or not secret or len(feed_id) > 18:
            return None
        feed = cls.objects.select_related("user").filter(pk=int(feed_id), user__is_active=True).first()
        if feed is None or not hmac.compare_digest(feed.secret_hash, _digest(secret)):
            return None
        return feed


class LineChannel(models.Model):
    """An organisation's LINE Official Account: the channel access token and the group or user id
    that the notifications are pushed to. The token is written, never shown back."""

    organisation = models.OneToOneField(
        "assessments.Organisation", on_delete=models.CASCADE, related_name="line_channel",
        verbose_name=_("หน่วยงาน"),
    )
    access_token = models.TextField(_("Channel access token"))
    target_id = models.CharField(_("รหัสกลุ่มหรือผู้ใช้ที่รับข้อความ"), max_length=100)
    enabled = models.BooleanField(_("ส่งการแจ้งเตือนไปที่ LINE"), default=True)
    updated_at = models.DateTimeField(_("ตั้งค่าล่าสุดเมื่อ"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ตั้งค่าโดย"),
    )

    class Meta:
        verbose_name = _("ช่องทาง LINE")
        verbose_name_plural = _("ช่องทาง LINE")

    def __str__(self):
        return str(self.organisation)
