from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("ผลการประเมิน ITA")

    def ready(self):
        from . import signals

        signals.connect(self)
