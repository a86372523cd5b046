"""The daily reminder: each staff member gets, in one Thai e-mail, the open rows of their units
that are late, due within 14 days, or not updated for 30 days. Only people who can sign in get
one: not a deactivated account, and not someone invited who has not yet set a password (their
mail is the invitation; a reminder's links would lead them to a sign-in they cannot pass)."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from accounts.invitations import portal_base_url
from accounts.models import Membership
from lib.thai import thai_date

from .models import Measure

DUE_DAYS = 14
STALE_DAYS = 30


@dataclass
class Reminder:
    membership: Membership
    late: list = field(default_factory=list)
    due: list = field(default_factory=list)
    stale: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.late) + len(self.due) + len(self.stale)


def reminders_for(today):
    """One Reminder per staff member who wants them, can sign in (active, with a password of
    their own), has an e-mail address and has rows to act on; a row is listed once, under the first of late, due, not updated that fits it."""
    stale_before = timezone.make_aware(datetime.combine(today - timedelta(days=STALE_DAYS), time.min))
    rows = list(
        Measure.objects.exclude(status__in=[Measure.Status.DONE, Measure.Status.CANCELLED])
        .filter(Q(end_date__lte=today + timedelta(days=DUE_DAYS)) | Q(updated_at__lt=stale_before))
        .select_related("indicator", "assessment")
        .prefetch_related("units")
        .order_by("end_date", "position", "id")
    )
    members = (
        Membership.objects.filter(role=Membership.Role.STAFF, reminders_enabled=True, user__is_active=True)
        .exclude(user__email="")
        .exclude(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .select_related("user")
        .prefetch_related("units")
    )
    # Each member looks only at their own organisation's rows, with each row's units read once.
    by_organisation = {}
    for row in rows:
        row_units = {unit.pk for unit in row.units.all()}
        by_organisation.setdefault(row.assessment.organisation_id, []).append((row, row_units))
    reminders = []
    for membership in members:
        units = {unit.pk for unit in membership.units.all()}
        reminder = Reminder(membership)
        for row, row_units in by_organisation.get(membership.organisation_id, []):
            if not (row.for_all_units or units & row_units):
                continue
            if row.end_date and row.end_date < today:
                reminder.late.append(row)
            elif row.end_date and row.end_date <= today + timedelta(days=DUE_DAYS):
                reminder.due.append(row)
            else:
                reminder.stale.append(row)
        if reminder.count:
            reminders.append(reminder)
    return reminders


def _line(row):
    label = f"ตัวชี้วัดที่ {row.indicator.number}" if row.indicator else row.indicator_label
    end = f", สิ้นสุด {thai_date(row.end_date, short=True)}" if row.end_date else ""
    url = portal_base_url() + reverse("measures:detail", args=[row.pk])
    return f"- [{label}] {row.activity} ({row.get_status_display()} {row.progress}%{end})\n  {url}"


def compose(reminder, today):
    sections = [
        ("ล่าช้า (เลยวันสิ้นสุดตามแผน)", reminder.late),
        (f"ครบกำหนดภายใน {DUE_DAYS} วัน", reminder.due),
        (f"ไม่ได้ปรับปรุงมาแล้ว {STALE_DAYS} วันขึ้นไป", reminder.stale),
    ]
    user = reminder.membership.user
    lines = [f"เรียน {user.get_full_name() or user.username}", "",
             f"มาตรการในแผนพัฒนาองค์กรที่ท่านรับผิดชอบและควรติดตาม ณ วันที่ {thai_date(today)}:"]
    for title, rows in sections:
        if rows:
            lines += ["", f"{title}: {len(rows)} มาตรการ"] + [_line(row) for row in rows]
    lines += ["", "ปิดการแจ้งเตือนนี้ได้ที่ " + portal_base_url() + reverse("reminder_settings"),
              "", "ITA Portal"]
    subject = f"ITA Portal: มาตรการที่ต้องติดตาม {reminder.count} มาตรการ ({thai_date(today)})"
    return EmailMessage(subject, "\n".join(lines), to=[user.email])


def send_reminders(today):
    """Send today's reminders in one connection; returns the number of e-mails sent."""
    with translation.override("th"):
        messages = [compose(reminder, today) for reminder in reminders_for(today)]
    if not messages:
        return 0
    return get_connection().send_messages(messages)
