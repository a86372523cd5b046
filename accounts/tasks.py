"""E-mail sent after the answer, by the jobs' Celery worker.

A password-reset mail goes only to an address that is someone's: sent inside the request, the
time to the answer would tell an unknown address from a known one (the SMTP exchange takes far
longer than anything else on the page). The request renders the message and queues it; the
worker sends it, retrying while the mail server is unreachable. Without a broker (`make run`)
Celery runs it at once, in the request.
"""

import logging

from celery import shared_task
from django.core.mail import EmailMessage

log = logging.getLogger(__name__)


@shared_task(name="accounts.send_mail", autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_mail(subject, body, from_email, to):
    EmailMessage(subject, body, from_email, to).send()


def send_mail_later(message):
    """Queue `message` (a plain-text EmailMessage) for the worker. If the broker cannot be
    reached the mail is sent here instead: late is better than never for a mail someone asked for."""
    try:
        send_mail.delay(message.subject, message.body, message.from_email, message.to)
    except Exception:  # kombu raises several kinds of errors when the broker is down
        log.exception("could not queue an e-mail; sending it in the request")
        message.send()
