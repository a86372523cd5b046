"""What keeps a job from leaving half of anything: its progress, its file, and lost jobs.

- A work function writes its file through `Progress.result_file()`, into `jobs/job-<id>.part`,
  which `Progress.complete()` renames to a random name only as the job becomes done. Whatever
  happens otherwise, the part file is deleted; imports write inside one transaction.
- `Progress.advance()` records a step and the heartbeat in one UPDATE that matches nothing once
  a cancel has been asked for: the job then stops at its next step and keeps nothing.
- `fail_lost` ends jobs whose worker died: called from the worker's main process when the
  process running a job is killed (jobs/tasks.py), and by `sweep` for running jobs without a
  heartbeat for JOBS_STALE_MINUTES (the whole worker gone) and queued jobs no worker took
  within JOBS_STALE_MINUTES (the broker or every worker gone).
"""

import os
import secrets
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone

from .models import Job

# A file in MEDIA_ROOT/jobs that no job names is left alone this long: a job may be about to
# record it (an upload saved just before its job, a result renamed just before its update).
STRAY_FILE_AGE = timedelta(hours=1)


class Cancelled(Exception):
    """A cancel was asked for: the job stops where it is and keeps nothing."""


class JobFailed(Exception):
    """A failure the user can act on: an outcome of jobs.models.OUTCOMES with its parameters."""

    def __init__(self, outcome, **params):
        super().__init__(outcome)
        self.outcome, self.params = outcome, params


class Progress:
    """What a work function reports through: steps, its file, and the end."""

    def __init__(self, job):
        self.job = job
        self.part = job.part_path()

    def start(self, total):
        self._update(total=total, done=0)

    def advance(self, steps=1):
        self._update(done=F("done") + steps)

    def _update(self, **fields):
        rows = Job.objects.filter(pk=self.job.pk, state=Job.State.RUNNING, cancel_requested=False).update(
            heartbeat_at=timezone.now(), **fields
        )
        if not rows:
            raise Cancelled

    @contextmanager
    def result_file(self):
        self.part.parent.mkdir(parents=True, exist_ok=True)
        with open(self.part, "wb") as out:
            yield out

    def complete(self, outcome, *, result_name="", report_html="", **params):
        """End the job done with the file written through `result_file` (if any). Raises
        Cancelled, keeping nothing, if a cancel came first. Inside a transaction the job is
        done exactly when the transaction commits (the import's commit uses that)."""
        result = ""
        if self.part.exists():
            result = f"jobs/{secrets.token_urlsafe(16)}{Path(result_name).suffix}"
            os.replace(self.part, default_storage.path(result))
        now = timezone.now()
        rows = Job.objects.filter(pk=self.job.pk, state=Job.State.RUNNING, cancel_requested=False).update(
            state=Job.State.DONE, done=F("total"), finished_at=now, heartbeat_at=now,
            outcome=outcome, outcome_params=params, result=result, result_name=result_name,
            report_html=report_html,
        )
        if not rows:
            if result:
                default_storage.delete(result)
            raise Cancelled


def discard_leftovers(job):
    """Delete what a job that did not end done leaves: its part file and its uploaded file."""
    job.part_path().unlink(missing_ok=True)
    if job.upload:
        default_storage.delete(job.upload.name)
        Job.objects.filter(pk=job.pk).update(upload="")


def fail_lost(jobs, outcome, params=None):
    """Mark these running (or never started) jobs failed and delete their leftovers; returns
    how many. Safe against a job finishing meanwhile: only unfinished ones change."""
    count = 0
    for job in jobs.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING]):
        if Job.objects.filter(pk=job.pk, state=job.state).update(
            state=Job.State.FAILED, finished_at=timezone.now(), outcome=outcome, outcome_params=params or {}
        ):
            discard_leftovers(job)
            count += 1
    return count


def stale_jobs(now=None):
    """Running jobs whose heartbeat is older than JOBS_STALE_MINUTES."""
    now = now or timezone.now()
    return Job.objects.filter(
        state=Job.State.RUNNING, heartbeat_at__lt=now - timedelta(minutes=settings.JOBS_STALE_MINUTES)
    )


def sweep(now=None):
    """Fail lost jobs, delete expired jobs with their files, and delete stray files; returns
    the counts (`manage.py sweep_jobs`, from cron every few minutes)."""
    now = now or timezone.now()
    stale = fail_lost(stale_jobs(now), "stale", {"minutes": settings.JOBS_STALE_MINUTES})
    never = fail_lost(
        Job.objects.filter(state=Job.State.QUEUED,
                           created_at__lt=now - timedelta(minutes=settings.JOBS_STALE_MINUTES)),
        "not_taken", {"minutes": settings.JOBS_STALE_MINUTES},
    )
    expired = 0
    for job in Job.objects.filter(expires_at__lt=now):
        for name in (job.result.name, job.upload.name):
            if name:
                default_storage.delete(name)
        job.part_path().unlink(missing_ok=True)
        job.delete()
        expired += 1
    return {"stale": stale, "never_started": never, "expired": expired, "stray_files": _delete_stray_files(now)}


def _delete_stray_files(now):
    """Files under MEDIA_ROOT/jobs that no job names (a worker killed between writing and
    recording, a job deleted with its user), once they are STRAY_FILE_AGE old."""
    folder = Path(settings.MEDIA_ROOT) / "jobs"
    if not folder.exists():
        return 0
    known = set()
    for result, upload in Job.objects.values_list("result", "upload"):
        known.update(name for name in (result, upload) if name)
    running = {job.part_path() for job in Job.objects.filter(state=Job.State.RUNNING).only("pk")}
    cutoff = (now - STRAY_FILE_AGE).timestamp()
    deleted = 0
    for path in folder.rglob("*"):
        if not path.is_file() or path in running:
            continue
        if path.relative_to(settings.MEDIA_ROOT).as_posix() in known or path.stat().st_mtime > cutoff:
            continue
        path.unlink(missing_ok=True)
        deleted += 1
    return deleted
