from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("บันทึกการใช้งาน")

    def ready(self):
        from . import registry, signins

        registry.register_all()
        signins.connect()
