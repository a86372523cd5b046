from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "รายงานและการส่งออกข้อมูล"

    def ready(self):
        # Every PDF the process writes keeps its Thai text extractable (see pdf_text.py).
        from . import pdf_text

        pdf_text.install()
