"""The scheduled scans of the plan's rows (Celery beat, see CELERY_BEAT_SCHEDULE):

- `weekly_digest`: each staff member gets, in one notification, the open rows of their units
  that are late or due within 14 days; each organisation's admins get the summary by unit.
- `no_progress_scan`: a row of an approved plan whose last progress note (or, without one, the
  plan's approval) is 30 days old today is told to its units' staff, once, on that day.

Who receives what is notifications' rule (active members of the organisation who have set their
password, of the kind's role, whose units own the row: notifications/digests.py); these
functions only choose the rows and write the texts. The texts are Thai, as the e-mails are.
"""

from datetime import timedelta

from django.db.models import Max, Q
from django.urls import reverse

from lib.thai import thai_date
from notifications import kinds
from notifications.delivery import notify
from notifications.digests import to_unit_members

from .models import Measure, Plan

DUE_DAYS = 14
QUIET_DAYS = 30


def _line(row):
    label = f"ตัวชี้วัดที่ {row.indicator.number}" if row.indicator else row.indicator_label
    end = f", สิ้นสุด {thai_date(row.end_date, short=True)}" if row.end_date else ""
    return f"- [{label}] {' '.join(row.activity.split())} ({row.get_status_display()} {row.progress}%{end})"


def due_rows(today):
    """Open rows late or due within DUE_DAYS, with their units, by organisation."""
    rows = (
        Measure.objects.unfinished().filter(end_date__lte=today + timedelta(days=DUE_DAYS))
        .select_related("indicator", "assessment__organisation").prefetch_related("units")
        .order_by("end_date", "position", "id")
    )
    return _by_organisation(rows)


def _by_organisation(rows):
    """{organisation: [(row, its unit ids, whether it is every unit's)]}, as notifications'
    digests take them."""
    by_organisation = {}
    for row in rows:
        by_organisation.setdefault(row.assessment.organisation, []).append(
            (row, {unit.pk for unit in row.units.all()}, row.for_all_units)
        )
    return by_organisation


def weekly_digest(today):
    """Send the week's digests; returns the number of notifications made."""
    by_organisation = due_rows(today)
    plan_link = reverse("measures:current") + "?mine=on"

    def compose(user, mine):
        late = [row for row in mine if row.end_date < today]
        due = [row for row in mine if row.end_date >= today]
        text = f"มาตรการที่ต้องติดตาม ({thai_date(today)}): ล่าช้า {len(late)} ครบกำหนดภายใน {DUE_DAYS} วัน {len(due)}"
        body = [f"มาตรการในแผนพัฒนาองค์กรที่ท่านรับผิดชอบและควรติดตาม ณ วันที่ {thai_date(today)}:"]
        for title, part in ((f"ล่าช้า (เลยวันสิ้นสุดตามแผน): {len(late)} มาตรการ", late),
                            (f"ครบกำหนดภายใน {DUE_DAYS} วัน: {len(due)} มาตรการ", due)):
            if part:
                body += ["", title, *[_line(row) for row in part]]
        return text, "\n".join(body), plan_link

    made = to_unit_members(kind=kinds.DUE_DIGEST, groups=by_organisation, compose=compose)
    for organisation, rows in by_organisation.items():
        late = sum(1 for row, *_rest in rows if row.end_date < today)
        made += len(notify(
            kind=kinds.DUE_SUMMARY, organisation=organisation, link=reverse("measures:current"),
            text=f"สรุปรายสัปดาห์ของหน่วยงาน ({thai_date(today)}): มาตรการล่าช้า {late} "
                 f"ครบกำหนดภายใน {DUE_DAYS} วัน {len(rows) - late}",
            body=_summary_body(rows, today),
        ))
    return made


def _summary_body(rows, today):
    by_unit = {}
    for row, *_rest in rows:
        names = ["ทุกสำนัก/กอง"] if row.for_all_units else [unit.name for unit in row.units.all()] or ["ยังไม่ระบุสำนัก/กอง"]
        for name in names:
            counts = by_unit.setdefault(name, [0, 0])
            counts[0 if row.end_date < today else 1] += 1
    lines = [f"มาตรการที่ล่าช้าและครบกำหนดภายใน {DUE_DAYS} วัน แยกตามสำนัก/กอง ณ วันที่ {thai_date(today)}:", ""]
    lines += [f"- {name}: ล่าช้า {late} ครบกำหนด {due}" for name, (late, due) in sorted(by_unit.items())]
    return "\n".join(lines)


def quiet_rows(today):
    """Open rows of approved plans whose last progress note (or the plan's approval, when the
    row has none) was QUIET_DAYS days ago today, by organisation."""
    quiet_day = today - timedelta(days=QUIET_DAYS)
    rows = (
        Measure.objects.unfinished().filter(plan__state=Plan.State.APPROVED)
        .annotate(last_note=Max("notes__date", filter=Q(notes__deleted_at__isnull=True)))
        .filter(Q(last_note=quiet_day) | Q(last_note__isnull=True, plan__approved_on=quiet_day))
        .select_related("indicator", "assessment__organisation").prefetch_related("units")
        .order_by("position", "id")
    )
    return _by_organisation(rows)


def no_progress_scan(today):
    """Tell each staff member, in one notification, their rows that went quiet today."""

    def compose(user, mine):
        if len(mine) == 1:
            text = f"มาตรการไม่มีบันทึกความคืบหน้ามา {QUIET_DAYS} วัน: {' '.join(mine[0].activity.split())[:200]}"
            link = reverse("measures:detail", args=[mine[0].pk])
        else:
            text = f"มาตรการ {len(mine)} รายการไม่มีบันทึกความคืบหน้ามา {QUIET_DAYS} วัน"
            link = reverse("measures:current") + "?mine=on"
        return text, "\n".join([text, "", *[_line(row) for row in mine]]), link

    return to_unit_members(kind=kinds.NO_PROGRESS, groups=quiet_rows(today), compose=compose)
