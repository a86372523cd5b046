from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OitConfig(AppConfig):
    name = "oit"
    verbose_name = _("ความพร้อม OIT")

    def ready(self):
        # The app's kind of job (jobs/registry.py).
        from . import jobs  # noqa: F401
