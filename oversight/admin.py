from django.contrib import admin

from .models import OversightMembership, Region, RegionProvince


@admin.register(OversightMembership)
class OversightMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "national", "region", "province", "district"]
    list_filter = ["national", "region", "province"]
    list_select_related = ["user", "region"]
    search_fields = ["user__username", "province", "district"]


class RegionProvinceInline(admin.TabularInline):
    model = RegionProvince
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["number", "office", "confidence"]
    inlines = [RegionProvinceInline]
