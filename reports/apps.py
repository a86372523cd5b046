from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("รายงานและการส่งออกข้อมูล")

    def ready(self):
        # Every PDF the process writes keeps its Thai text extractable (see pdf_text.py).
        from . import jobs, pdf_text  # noqa: F401 (jobs: the app's kinds of job, jobs/registry.py)

        pdf_text.install()
