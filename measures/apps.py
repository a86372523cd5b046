from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("แผนพัฒนาองค์กร")

    def ready(self):
        # The app's kinds of job (jobs/registry.py) and the due dates of its rows in the
        # personal calendar feeds (notifications/calendar.py).
        from notifications import calendar

        from . import jobs  # noqa: F401
        from .due_dates import rows_due

        calendar.register(rows_due)
