from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("แผนพัฒนาองค์กร")

    def ready(self):
        # The app's kinds of job (jobs/registry.py).
        from . import jobs  # noqa: F401
