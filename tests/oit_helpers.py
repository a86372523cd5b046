"""Shared test data for the OIT workspace."""

from assessments.models import FiscalYear
from oit.models import Item
from oit.services import workspace_start


def start_workspace(organisation, year=2568):
    return workspace_start(organisation=organisation, fiscal_year=FiscalYear.objects.get(year=year))


def pass_items(workspace, indicator, count, reviewer=None):
    """Mark the first `count` items (in the NACC's order) of an indicator ผ่าน."""
    items = list(Item.objects.filter(workspace=workspace, question__indicator__number=indicator).in_order()[:count])
    for item in items:
        item.review, item.reviewed_by = Item.Review.PASSED, reviewer
        item.save(update_fields=["review", "reviewed_by"])
    return items
