from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("ภาพรวมหลายหน่วยงาน")

    def ready(self):
        # The app's kinds of job (jobs/registry.py).
        from . import jobs  # noqa: F401
