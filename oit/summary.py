"""OIT readiness for the upper floors: the dashboard's card and the oversight view's column."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .estimate import Estimate, estimate, latest_scored_assessment
from .models import Item, Workspace


@dataclass
class Card:
    workspace: Workspace
    estimate: Estimate
    mine: list  # for staff, their units' items not passed yet


def card(membership):
    """The dashboard's OIT card: the organisation's newest workspace with its estimate, or None
    before any. A fixed number of queries, whatever the number of items."""
    workspace = (
        Workspace.objects.filter(organisation_id=membership.organisation_id)
        .select_related("fiscal_year").prefetch_related("fiscal_year__indicators", "fiscal_year__levels")
        .order_by("-fiscal_year_id").first()
    )
    if workspace is None:
        return None
    items = list(Item.objects.filter(workspace=workspace).select_related("question__indicator")
                 .prefetch_related("units").in_order())
    found = estimate(workspace.fiscal_year,
                     items, latest_scored_assessment(workspace.organisation_id, workspace.fiscal_year_id))
    mine = []
    if membership.is_staff_member:
        mine = [item for item in items if not item.passed
                and any(unit.id in membership.unit_ids for unit in item.units.all())]
    return Card(workspace, found, mine)


@dataclass(frozen=True)
class Readiness:
    year: int
    passed: int
    items: int


def readiness_by_organisation(organisation_ids):
    """{organisation id: Readiness of its newest workspace} in one query."""
    found = {}
    counts = (
        Item.objects.filter(workspace__organisation_id__in=organisation_ids)
        .values("workspace__organisation_id", "workspace__fiscal_year_id")
        .annotate(items=Count("id"), passed=Count("id", filter=Q(review=Item.Review.PASSED)))
        .order_by("workspace__fiscal_year_id")
    )
    for entry in counts:  # the newest year last, so it stays
        found[entry["workspace__organisation_id"]] = Readiness(
            entry["workspace__fiscal_year_id"], entry["passed"], entry["items"])
    return found
