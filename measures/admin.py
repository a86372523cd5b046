from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BinnedEvidence, Measure, ProgressNote


class ProgressNoteInline(admin.TabularInline):
    model = ProgressNote
    extra = 0
    fields = ["date", "text", "author", "link", "file"]
    raw_id_fields = ["author"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["indicator_label", "activity", "fiscal_year", "status", "progress", "end_date"]
    list_filter = [("deleted_at", admin.EmptyFieldListFilter), "fiscal_year", "status", "indicator__number", "units",
                   "assessment__organisation"]
    list_select_related = ["fiscal_year", "indicator"]
    search_fields = ["indicator_label", "analysis", "activity", "method", "responsible"]
    filter_horizontal = ["units"]
    inlines = [ProgressNoteInline]
    readonly_fields = ["deleted_at", "deleted_by"]

    def get_queryset(self, request):
        # Platform staff see the rows in the organisations' bins too (filter "in the bin").
        return Measure.all_objects.all()


@admin.register(ProgressNote)
class ProgressNoteAdmin(admin.ModelAdmin):
    list_display = ["measure", "date", "author", "created_at"]
    list_filter = [("deleted_at", admin.EmptyFieldListFilter), "date"]
    list_select_related = ["measure", "author"]
    search_fields = ["text", "measure__activity"]
    raw_id_fields = ["measure", "author"]
    readonly_fields = ["deleted_at", "deleted_by"]

    def get_queryset(self, request):
        return ProgressNote.all_objects.all()


@admin.register(BinnedEvidence)
class BinnedEvidenceAdmin(admin.ModelAdmin):
    list_display = ["file_name", "note", "deleted_by", "deleted_at"]
    list_select_related = ["note", "deleted_by"]
    search_fields = ["file_name"]
    raw_id_fields = ["note", "deleted_by"]
