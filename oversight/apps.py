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
        from django.db.models.signals import post_delete, post_save

        from assessments.signals import results_changed

        from .models import Region, RegionProvince
        for model in (Region, RegionProvince):
            for signal in (post_save, post_delete):
                signal.connect(results_changed, sender=model, dispatch_uid=f"results-version-{model.__name__}-{signal}")
