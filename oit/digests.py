"""The weekly digest of the OIT items to follow (Celery beat, see CELERY_BEAT_SCHEDULE; the
`send_digests oit-weekly` command without beat): each staff member gets, in one notification,
the items of their units not passed yet that are late or due within 14 days, of the
organisation's newest workspace. Who receives it is notifications' rule (notifications/digests.py);
this only chooses the items and writes the text, in Thai as the e-mails are."""

from datetime import timedelta

from lib.thai import thai_date
from notifications.digests import to_unit_members

from .models import Item
from .notices import DUE_DIGEST

DUE_DAYS = 14


def due_items(today):
    """{organisation: [(item, its unit ids, False)]} of the items late or due within DUE_DAYS."""
    items = (
        Item.objects.current().unpassed().filter(due_date__lte=today + timedelta(days=DUE_DAYS))
        .select_related("question", "workspace__organisation").prefetch_related("units")
        .in_order().order_by("due_date", "code_number")
    )
    found = {}
    for item in items:
        found.setdefault(item.workspace.organisation, []).append((item, {unit.pk for unit in item.units.all()}, False))
    return found


def _line(item):
    review = ", ไม่ผ่านการตรวจภายใน" if item.failed else ""
    return f"- {item} (กำหนดเสร็จ {thai_date(item.due_date, short=True)}, {item.get_status_display()}{review})"


def weekly_digest(today):
    """Send the week's OIT digests; returns the number of notifications made."""

    def compose(user, mine):
        late = [item for item in mine if item.due_date < today]
        due = [item for item in mine if item.due_date >= today]
        text = f"ข้อ OIT ที่ต้องติดตาม ({thai_date(today)}): ล่าช้า {len(late)} ครบกำหนดภายใน {DUE_DAYS} วัน {len(due)}"
        body = [f"ข้อ OIT ที่สำนัก/กองของท่านรับผิดชอบและยังไม่ผ่านการตรวจภายใน ณ วันที่ {thai_date(today)}:"]
        for title, part in ((f"ล่าช้า (เลยกำหนดเสร็จ): {len(late)} ข้อ", late),
                            (f"ครบกำหนดภายใน {DUE_DAYS} วัน: {len(due)} ข้อ", due)):
            if part:
                body += ["", title, *[_line(item) for item in part]]
        return text, "\n".join(body), mine[0].workspace.get_absolute_url()

    return to_unit_members(kind=DUE_DIGEST, groups=due_items(today), compose=compose)
