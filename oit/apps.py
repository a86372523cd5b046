from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OitConfig(AppConfig):
    name = "oit"
    verbose_name = _("ความพร้อม OIT")

    def ready(self):
        # The link check is a kind of job: the jobs app runs the work registered for a kind and
        # knows nothing of this app.
        from jobs.work import WORK

        from .links import link_check_job
        from .models import LINK_CHECK_KIND

        WORK[LINK_CHECK_KIND] = link_check_job
