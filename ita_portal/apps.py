from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """Django's admin app with the portal's admin site, which admits platform staff only."""

    default_site = "ita_portal.admin.PlatformAdminSite"


class ProjectConfig(AppConfig):
    """The project as an app, above every other: it holds what spans several apps (the seed and
    demo commands, ita_portal/management/commands/), and no app imports it."""

    name = "ita_portal"
    verbose_name = "ITA Portal"
