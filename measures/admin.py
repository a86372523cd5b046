from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BinnedEvidence, Measure, Plan, PlanEvent, ProgressNote


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
    raw_id_fields = ["plan", "carried_from"]
    inlines = [ProgressNoteInline]
    readonly_fields = ["deleted_at", "deleted_by"]

    def get_queryset(self, request):
        # Platform staff see the rows in the organisations' bins too (filter "in the bin").
        return Measure.all_objects.all()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.plan.refresh_progress()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        obj.plan.refresh_progress()


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


class PlanEventInline(admin.TabularInline):
    """The plan's record, as the portal wrote it: read only."""

    model = PlanEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "kind", "by", "comment", "signer_name", "signer_position", "signed_on"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """Plans for platform staff. Steps (submit, approve, reopen ...) are taken in the portal,
    where they are recorded, so the state and the approval are only shown here."""

    list_display = ["assessment", "fiscal_year", "state", "approver_name", "approved_on"]
    list_filter = ["state", "fiscal_year"]
    list_select_related = ["assessment__organisation"]
    search_fields = ["assessment__organisation__name", "approver_name"]
    readonly_fields = ["state", "approved_by", "approver_name", "approver_position", "approved_on", "approval_comment"]
    inlines = [PlanEventInline]

    def get_readonly_fields(self, request, obj=None):
        # The plan's key is its assessment: it is chosen once, when the plan is made.
        return [*self.readonly_fields, "assessment"] if obj else self.readonly_fields
