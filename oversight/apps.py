from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "ภาพรวมหลายหน่วยงาน"
