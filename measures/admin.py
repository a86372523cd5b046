from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Measure, ProgressNote


class ProgressNoteInline(admin.TabularInline):
    model = ProgressNote
    extra = 0
    fields = ["date", "text", "author", "link", "file"]
    raw_id_fields = ["author"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["indicator_label", "activity", "fiscal_year", "status", "progress", "end_date"]
    list_filter = ["fiscal_year", "status", "indicator__number", "units", "assessment__organisation"]
    list_select_related = ["fiscal_year", "indicator"]
    search_fields = ["indicator_label", "analysis", "activity", "method", "responsible"]
    filter_horizontal = ["units"]
    inlines = [ProgressNoteInline]


@admin.register(ProgressNote)
class ProgressNoteAdmin(admin.ModelAdmin):
    list_display = ["measure", "date", "author", "created_at"]
    list_filter = ["date"]
    list_select_related = ["measure", "author"]
    search_fields = ["text", "measure__activity"]
    raw_id_fields = ["measure", "author"]
