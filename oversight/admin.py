from django.contrib import admin

from .models import OversightMembership


@admin.register(OversightMembership)
class OversightMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "province", "district"]
    list_filter = ["province"]
    list_select_related = ["user"]
    search_fields = ["user__username", "province", "district"]
