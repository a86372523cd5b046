"""The plan's scheduled scans as Celery tasks, for beat (CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task
from django.utils import timezone

from . import digests


@shared_task(name="measures.weekly_digest")
def weekly_digest():
    return digests.weekly_digest(timezone.localdate())


@shared_task(name="measures.no_progress_scan")
def no_progress_scan():
    return digests.no_progress_scan(timezone.localdate())
