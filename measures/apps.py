from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("แผนพัฒนาองค์กร")

    def ready(self):
        from notifications import calendar

        from .due_dates import rows_due

        calendar.register(rows_due)
