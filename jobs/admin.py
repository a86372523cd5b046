from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by the portal's pages and ended by the workers and the sweep."""

    list_display = ["pk", "kind", "user", "organisation", "area", "state", "done", "total", "created_at", "worker"]
    list_filter = ["state", "kind"]
    search_fields = ["user__username", "organisation__name", "province", "district"]
    list_select_related = ["user", "organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
