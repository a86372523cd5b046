"""The OIT items' due dates for the person's calendar feed (notifications.calendar): a staff
member's items of their units, an admin's every item of the organisation, as for the plan's
rows; only items not passed yet, of the newest workspace. An executive has no items of their own."""

from django.urls import reverse

from notifications.calendar import Due

from .models import Item


def items_due(user):
    membership = getattr(user, "membership", None)  # read once for every source of the feed
    if membership is None or membership.is_executive:
        return []
    items = Item.objects.current().unpassed().filter(
        workspace__organisation_id=membership.organisation_id, due_date__isnull=False
    )
    if membership.is_staff_member:
        items = items.filter(units__in=membership.unit_ids).distinct()
    return [
        Due(
            uid=f"oit-item-{item.pk}", day=item.due_date,
            summary=f"ครบกำหนดข้อ OIT: {item}"[:200],
            link=reverse("oit:item", args=[item.pk]),
            description=f"เตรียม OIT ปี {item.workspace.fiscal_year_id} · {item.get_status_display()}"
                        + (" · ไม่ผ่านการตรวจภายใน" if item.failed else ""),
        )
        for item in items.select_related("question", "workspace").order_by("due_date", "id")
    ]
