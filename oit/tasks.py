"""The OIT workspace's scheduled scan as a Celery task, for beat (CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task
from django.utils import timezone

from . import digests


@shared_task(name="oit.weekly_digest")
def weekly_digest():
    return digests.weekly_digest(timezone.localdate())
