"""The worker's side of notifications: e-mail to each recipient who has not turned the kind off,
and one LINE push per event to the organisation's channel."""

import logging

from celery import shared_task
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation

from lib.http import portal_base_url

from . import line
from .kinds import KINDS
from .models import LineChannel, Notification, Preference

log = logging.getLogger(__name__)


@shared_task(name="notifications.deliver")
def deliver(notification_ids):
    notifications = list(
        Notification.objects.filter(pk__in=notification_ids).select_related("recipient").order_by("pk")
    )
    with translation.override("th"):
        send_emails(notifications)
        push_to_line(notifications)


def _url(link):
    return portal_base_url() + link if link.startswith("/") else link


def _email(notification):
    user = notification.recipient
    lines = [f"เรียน {user.get_full_name() or user.username}", "", notification.body or notification.text]
    if notification.link:
        lines += ["", _url(notification.link)]
    lines += ["", "ตั้งค่าการแจ้งเตือนทางอีเมลได้ที่ " + _url(reverse("notifications:preferences")), "", "ITA Portal"]
    return EmailMessage(f"ITA Portal: {notification.text}"[:200], "\n".join(lines), to=[user.email])


def send_emails(notifications):
    """One e-mail per notification, in one connection, except to people without an address and
    to those who turned the kind off."""
    off = set(
        Preference.objects.filter(user__in={n.recipient_id for n in notifications}, email=False)
        .values_list("user_id", "kind")
    )
    messages = [_email(n) for n in notifications if n.recipient.email and (n.recipient_id, n.kind) not in off]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages)
    except Exception:
        log.exception("notification e-mails (%s) could not be sent", len(messages))
        return 0


def push_to_line(notifications):
    """One push per event (the same text and link to several people is one message) to the
    channel of each organisation that has one; a failure is logged, never raised."""
    events = {}
    for n in notifications:
        if KINDS.get(n.kind) and KINDS[n.kind].line:
            events.setdefault(n.organisation_id, {}).setdefault((n.text, n.link), None)
    if not events:
        return
    for channel in LineChannel.objects.filter(organisation_id__in=events, enabled=True):
        for text, link in events[channel.organisation_id]:
            message = f"{text}\n{_url(link)}" if link else text
            try:
                line.push(channel.access_token, channel.target_id, message)
            except Exception:
                log.exception("LINE push to organisation %s failed", channel.organisation_id)
