from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Criteria


@admin.register(Criteria)
class CriteriaAdmin(admin.ModelAdmin):
    """What the NACC asks for under each OIT item, per year: platform staff edit it here."""

    list_display = ["question", "fiscal_year", "confidence", "portal_document", "has_text"]
    list_filter = ["question__fiscal_year", "confidence", "portal_document"]
    search_fields = ["question__code", "question__title", "text"]
    list_select_related = ["question"]
    readonly_fields = ["question"]
    fields = ["question", "text", "confidence", "source", "portal_document"]

    @admin.display(description=_("ปีงบประมาณ"), ordering="question__fiscal_year")
    def fiscal_year(self, criteria):
        return criteria.question.fiscal_year_id

    @admin.display(description=_("มีเกณฑ์"), boolean=True)
    def has_text(self, criteria):
        return bool(criteria.text)

    def has_add_permission(self, request):
        return False  # one per OIT code of the reference data (oit/loaders.py)
