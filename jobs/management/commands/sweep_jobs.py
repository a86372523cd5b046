"""Mark lost jobs failed and delete expired jobs with their files: from cron every 5 minutes.

    */5 * * * * cd /srv/ita-portal && set -a && . /etc/ita-portal.env && .venv/bin/python manage.py sweep_jobs

A running job that has not reported progress for JOBS_STALE_MINUTES, and a queued job that no
worker took within JOBS_STALE_MINUTES, are marked failed with a Thai message saying what to do; jobs past
their expiry (JOBS_KEEP_DAYS after they were asked for) are deleted with their files, and so are
files under MEDIA_ROOT/jobs that no job names any more.
"""

from django.core.management.base import BaseCommand

from jobs.runner import sweep


class Command(BaseCommand):
    help = "Fail jobs whose worker died, delete expired jobs and their files (run from cron)."

    def handle(self, *args, **options):
        counts = sweep()
        self.stdout.write(
            "lost running jobs failed: {stale}, never started failed: {never_started}, "
            "expired jobs deleted: {expired}, stray files deleted: {stray_files}".format(**counts)
        )
