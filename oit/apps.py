from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OitConfig(AppConfig):
    name = "oit"
    verbose_name = _("ความพร้อม OIT")

    def ready(self):
        # The app's kind of job (jobs/registry.py), its kinds of notification (notices.py), the
        # due dates of its items in the personal calendar feeds (notifications/calendar.py) and
        # its weekly digest for the send_digests command (notifications/digests.py).
        from notifications import calendar, digests

        from . import jobs, notices  # noqa: F401
        from .digests import weekly_digest
        from .due_dates import items_due

        calendar.register(items_due)
        digests.register_scan("oit-weekly", weekly_digest)
