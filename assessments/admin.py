from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Assessment,
    CheckReview,
    FiscalYear,
    Finding,
    Indicator,
    IndicatorScore,
    Level,
    Organisation,
    QuestionCode,
    Recommendation,
    SubIndicator,
    Unit,
)

admin.site.site_header = _("ITA Portal: ผู้ดูแลระบบ")
admin.site.site_title = "ITA Portal"
admin.site.index_title = _("จัดการข้อมูล")


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "district", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "short_name", "district", "province"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "position", "retired_at"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name"]

    def get_readonly_fields(self, request, obj=None):
        # Its plan rows and members belong to its organisation: a unit never moves to another.
        return ["organisation"] if obj is not None else []


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "iit_weight", "eit_weight", "oit_weight", "pass_mark", "rounding", "oit_list_complete"]
    search_fields = ["year", "notes"]
    inlines = [LevelInline]

    def save_related(self, request, form, formsets, change):
        # A year's weights, rounding and levels decide its results: store them again.
        super().save_related(request, form, formsets, change)
        Assessment.objects.filter(fiscal_year=form.instance).refresh_results()


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "rank", "name", "min_overall", "min_tool_mean", "passed"]
    list_filter = ["fiscal_year", "passed"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Assessment.objects.filter(fiscal_year_id=obj.fiscal_year_id).refresh_results()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        Assessment.objects.filter(fiscal_year_id=obj.fiscal_year_id).refresh_results()


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "number", "name", "tool"]
    list_filter = ["fiscal_year", "tool"]
    search_fields = ["name", "variant_names", "misspellings"]


@admin.register(SubIndicator)
class SubIndicatorAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "code", "name", "indicator", "confidence"]
    list_filter = ["fiscal_year", "confidence"]
    search_fields = ["code", "name"]


@admin.register(QuestionCode)
class QuestionCodeAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "code", "tool", "indicator", "sub_indicator", "title", "confidence"]
    list_filter = ["fiscal_year", "tool", "confidence"]
    list_select_related = ["indicator", "sub_indicator"]
    search_fields = ["code", "title", "source"]


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "fiscal_year", "published_overall", "published_level", "is_public"]
    list_filter = ["fiscal_year", "organisation__province", "is_public"]
    list_select_related = ["organisation", "fiscal_year"]
    search_fields = ["organisation__name", "organisation__short_name"]
    inlines = [IndicatorScoreInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_results()


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(admin.ModelAdmin):
    list_display = ["assessment", "indicator", "score", "name_as_written"]
    list_filter = ["assessment__fiscal_year", "indicator__tool"]
    list_select_related = ["assessment__organisation", "indicator"]
    search_fields = ["assessment__organisation__name", "indicator__name", "name_as_written"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.assessment.refresh_results()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        obj.assessment.refresh_results()


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["assessment", "indicator", "kind", "code", "score", "position"]
    list_filter = ["kind", "assessment__fiscal_year", "indicator__number"]
    list_select_related = ["assessment__organisation", "indicator"]
    search_fields = ["code", "text", "assessment__organisation__name"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["question", "activity", "responsible", "for_all_units"]
    list_filter = ["question__fiscal_year", "question__tool", "for_all_units"]
    list_select_related = ["question"]
    search_fields = ["question__code", "activity", "analysis", "method", "responsible"]
    autocomplete_fields = ["question"]


@admin.register(CheckReview)
class CheckReviewAdmin(admin.ModelAdmin):
    list_display = ["assessment", "key", "reviewed_by", "reviewed_at"]
    list_filter = ["assessment__fiscal_year"]
    list_select_related = ["assessment__organisation", "reviewed_by"]
    search_fields = ["key", "comment", "assessment__organisation__name"]
