from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("แผนพัฒนาองค์กร")

    def ready(self):
        # The app's kinds of job (jobs/registry.py), the due dates of its rows in the personal
        # calendar feeds (notifications/calendar.py) and its scans for the send_digests command
        # (notifications/digests.py).
        from notifications import calendar, digests

        from . import jobs  # noqa: F401
        from .digests import no_progress_scan, weekly_digest
        from .due_dates import rows_due

        calendar.register(rows_due)
        digests.register_scan("weekly", weekly_digest)
        digests.register_scan("no-progress", no_progress_scan)
