"""The plan table's rows, written in Python rather than in a template.

A row is nine cells, their labels for a phone's card layout and up to five links and buttons.
Django's template engine spends about 40 function calls on each value it writes, which made
the rows more than half of the plan page's time. They are written here, with the markup a
template wrote before, for the plan page and for the row alone (HTMX: the row put back after
Cancel or a save); the table's head stays in `templates/measures/plan.html`.
`tests/test_plan_rows.py` checks the cells, the controls each reader is offered and the
escaping. Every value is escaped.
"""

from functools import cached_property
from html import escape

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.templatetags.ita import thai_date

from . import access


def labels():
    """The column names and link texts, translated once for a whole table and escaped."""
    return {key: escape(text) for key, text in {
        "indicator": _("ตัวชี้วัด"), "analysis": _("ผลการวิเคราะห์"), "activity": _("มาตรการ/โครงการ/กิจกรรม"),
        "method": _("วิธีการดำเนินการ"), "period": _("ระยะเวลา"), "responsible": _("ผู้รับผิดชอบ"),
        "status": _("สถานะ"), "progress": _("ความก้าวหน้า"), "detail": _("ความก้าวหน้า/หลักฐาน"),
        "history": _("ประวัติ"), "carried": _("ยกมาจากแผนก่อน"), "late": _("ล่าช้า"), "edit": _("แก้ไข"),
        "track": _("ปรับสถานะ/ความก้าวหน้า"), "up": _("เลื่อนขึ้น"), "down": _("เลื่อนลง"), "delete": _("ลบ"),
    }.items()}


class RowWriter:
    """Writes rows of one plan for one request: what the plan accepts now (its state), the
    reader's rights, the form token and the labels are worked out once for all rows."""

    def __init__(self, request, plan, membership, query=""):
        self.request = request
        self.membership = membership
        self.tracking_open = plan.tracking_open
        self.content_open = self.tracking_open and plan.content_open
        self.query = escape(query)
        self.label = labels()

    @cached_property
    def csrf(self):
        """The form token, asked for (which sets its cookie) only when a row has a form."""
        return escape(get_token(self.request))

    def row(self, m, saved=False):
        """One <tr>, as a safe string."""
        label, pk = self.label, m.pk
        late = m.is_late()
        history_url = reverse("measures:history", args=[pk])
        carried = (f' <a class="badge text-bg-light border text-decoration-none" href="{history_url}" '
                   f'data-testid="carried">{label["carried"]}</a>') if m.carried_from_id else ""
        dates = ""
        if m.start_date or m.end_date:
            dates = (f'<div class="small text-muted text-nowrap">{_short_date(m.start_date)} – '
                     f"{_short_date(m.end_date)}</div>")
        late_badge = f' <span class="badge text-bg-danger">{label["late"]}</span>' if late else ""
        return mark_safe(
            f'<tr id="measure-{pk}" class="plan-row{" table-danger is-late" if late else ""}'
            f'{" just-saved" if saved else ""}" data-version="{m.version}">\n'
            f'  <td data-label="{label["indicator"]}">{escape(m.indicator_label)}</td>\n'
            f'  <td data-label="{label["analysis"]}" class="cell-long">{escape(m.analysis)}</td>\n'
            f'  <td data-label="{label["activity"]}">{escape(m.activity)}{carried}</td>\n'
            f'  <td data-label="{label["method"]}" class="cell-long">{escape(m.method)}</td>\n'
            f'  <td data-label="{label["period"]}">{escape(m.period)}{dates}</td>\n'
            f'  <td data-label="{label["responsible"]}">{escape(m.responsible)}</td>\n'
            f'  <td data-label="{label["status"]}"><span class="badge status-{escape(m.status)}" '
            f'data-testid="status">{escape(str(m.status_label))}</span>{late_badge}</td>\n'
            f'  <td data-label="{label["progress"]}" class="text-nowrap"><progress max="100" value="{m.progress}" '
            f'aria-label="{label["progress"]}"></progress> <span data-testid="progress">{m.progress}%</span></td>\n'
            '  <td class="row-actions">\n'
            f'    <a class="btn btn-sm btn-link px-1" href="{reverse("measures:detail", args=[pk])}">{label["detail"]}</a>\n'
            f'    <a class="btn btn-sm btn-link px-1" href="{history_url}">{label["history"]}</a>\n'
            f"    \n    {self._controls(m)}\n"
            "  </td>\n"
            "</tr>\n"
        )

    def _controls(self, m):
        """What the plan accepts now (plan.tracking_open, plan.content_open) and the reader's
        rights decide which controls show."""
        if not (self.tracking_open and access.can_change_measure(self.membership, m)):
            return ""
        label, pk = self.label, m.pk
        edit_url = reverse("measures:edit", args=[pk])
        edit = (f'\n    <a class="btn btn-sm btn-outline-primary" href="{edit_url}" hx-get="{edit_url}" '
                f'hx-target="closest tr" hx-swap="outerHTML" data-testid="edit">'
                f'{label["edit"] if self.content_open else label["track"]}</a>\n    ')
        if not self.content_open:
            return edit + "\n    "
        return edit + (
            f'\n    <form method="post" action="{reverse("measures:move", args=[pk])}" class="d-inline">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">'
            f'<input type="hidden" name="query" value="{self.query}">\n'
            f'      <button class="btn btn-sm btn-outline-secondary" name="direction" value="up" title="{label["up"]}">'
            f'<i class="bi bi-arrow-up" aria-hidden="true"></i><span class="visually-hidden">{label["up"]}</span></button>\n'
            f'      <button class="btn btn-sm btn-outline-secondary" name="direction" value="down" title="{label["down"]}">'
            f'<i class="bi bi-arrow-down" aria-hidden="true"></i><span class="visually-hidden">{label["down"]}</span></button>\n'
            "    </form>\n"
            f'    <a class="btn btn-sm btn-outline-danger" href="{reverse("measures:delete", args=[pk])}">{label["delete"]}</a>\n'
            "    \n    "
        )


def _short_date(value):
    """As the templates' thai_date:"short" filter writes it, escaped."""
    return escape(thai_date(value, "short"))
