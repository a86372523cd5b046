"""The plan rows' due dates for the person's calendar feed (notifications.calendar): a staff
member's open rows of their units (and those for every unit), an admin's every open row of the
organisation; an executive has no rows of their own."""

from django.db.models import Q
from django.urls import reverse

from notifications.calendar import Due

from .models import Measure


def rows_due(user):
    membership = getattr(user, "membership", None)  # read once for every source of the feed
    if membership is None or membership.is_executive:
        return []
    rows = Measure.objects.unfinished().filter(
        assessment__organisation_id=membership.organisation_id, end_date__isnull=False
    )
    if membership.is_staff_member:
        rows = rows.filter(Q(for_all_units=True) | Q(units__in=membership.unit_ids)).distinct()
    return [
        Due(
            uid=f"measure-{row.pk}", day=row.end_date,
            summary=f"ครบกำหนด: {' '.join(row.activity.split())[:150]}",
            link=reverse("measures:detail", args=[row.pk]),
            description=f"แผนพัฒนาองค์กรปี {row.fiscal_year_id} · {row.get_status_display()} {row.progress}%",
        )
        for row in rows.order_by("end_date", "id")
    ]
