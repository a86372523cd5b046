from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("ภาพรวมหลายหน่วยงาน")

    def ready(self):
        # The app's kinds of job (jobs/registry.py).
        from . import jobs  # noqa: F401

        # A region's provinces and number shape the nation's summary, cached under the
        # results version: a change to them makes a new one.
        from assessments import signals

        from .models import Region, RegionProvince
        signals.follow(Region, RegionProvince)
