from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """Django's admin app with the portal's admin site, which admits platform staff only."""

    default_site = "ita_portal.admin.PlatformAdminSite"
