"""The Celery side of jobs: starting one, the task that runs it, and a dead worker's jobs.

`start_job` creates the Job and hands its id to Celery when the transaction commits: the worker
must find the row. Without a broker (CELERY_BROKER_URL unset) Celery runs the task eagerly, in
the same process, before the view answers. A job that cannot be handed over (the broker is
unreachable) is failed at once with a Thai outcome: the view then sends the user to a job page
that says the job system is unavailable, and no job waits queued that nobody will run.
"""

import logging
import os
from functools import partial

from celery import shared_task, signals
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .models import Job
from .registry import KINDS
from .runner import Cancelled, JobFailed, Progress, discard_leftovers, fail_lost

log = logging.getLogger(__name__)


def start_job(*, kind, user, organisation=None, assessment=None, province="", district="", params=None,
              upload=""):
    """Queue a job for `user` in the current language; `upload` names a file already saved
    in the media storage that the job reads (and owns from then on)."""
    job = Job.objects.create(
        kind=kind, user=user, organisation=organisation, assessment=assessment, province=province,
        district=district, params=params or {}, upload=upload, language=translation.get_language() or "th",
    )
    transaction.on_commit(partial(send, job.pk))
    return job


def send(job_id):
    """Hand the job to the broker (or, without one, run it); a job that cannot be sent fails at
    once, as no worker would ever take it."""
    try:
        run_job.apply_async((job_id,))
    except Exception:  # the broker's client raises many kinds (refused, timed out, unknown host)
        log.exception("job %s could not be sent to the broker", job_id)
        fail_lost(Job.objects.filter(pk=job_id), "unsendable")


@shared_task(bind=True, name="jobs.run")
def run_job(task, job_id):
    run(job_id, worker=f"{task.request.hostname or 'eager'}:{os.getpid()}")


def run(job_id, worker=""):
    """Do one job, if it is still queued (a second delivery, or a job cancelled while queued,
    does nothing). Every way out of the work leaves the job finished."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, worker=worker
    )
    if not claimed:
        return
    job = Job.objects.select_related("user", "organisation", "assessment").get(pk=job_id)
    try:
        with translation.override(job.language):
            KINDS[job.kind].run(job, Progress(job))
    except Cancelled:
        _end(job, Job.State.CANCELLED, "cancelled")
    except JobFailed as failure:
        _end(job, Job.State.FAILED, failure.outcome, failure.params)
    except SoftTimeLimitExceeded:
        _end(job, Job.State.FAILED, "time_limit", {"minutes": settings.JOBS_TIME_LIMIT // 60})
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _end(job, Job.State.FAILED, "error")
    finally:
        job.part_path().unlink(missing_ok=True)


def _end(job, state, outcome, params=None):
    if Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
        state=state, finished_at=timezone.now(), outcome=outcome, outcome_params=params or {}
    ):
        discard_leftovers(job)


@signals.task_failure.connect
def job_lost(sender=None, exception=None, args=None, **kwargs):
    """In the worker's main process: the process running a job died (killed, out of memory,
    past the hard time limit), so the job's own code could not end it. `run` catches every
    error of the work itself, so this is the only way a job's task fails."""
    if getattr(sender, "name", None) != run_job.name or not args:
        return
    if isinstance(exception, TimeLimitExceeded):
        outcome, params = "time_limit", {"minutes": settings.JOBS_TIME_LIMIT // 60}
    else:
        outcome, params = "lost", {}
    log.error("job %s lost: %r", args[0], exception)
    fail_lost(Job.objects.filter(pk=args[0]), outcome, params)
