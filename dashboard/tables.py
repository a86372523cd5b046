"""Rows of the dashboard's tables that list plan rows, written in Python rather than in the
template: the indicators weakest first (each with its plan rows) and the lists of plan rows
(late, not updated, an indicator's).

Django's template engine spends about 40 function calls on each value it writes; these rows
were a third of the dashboard's time. They are written with the markup the templates wrote,
and the tables' heads stay in the templates (`dashboard/dashboard.html`,
`dashboard/_measure_rows.html`); `tests/test_dashboard_rows.py` checks the cells. Every value
is escaped.
"""

from html import escape

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.templatetags.ita import score, thai_date

DASH = "–"


def measure_link(measure):
    """A plan row's activity, linked to the row's page in the plan when the plan's pages are
    installed (the dashboard does not need them)."""
    try:
        url = reverse("measures:detail", args=[measure.pk])
    except NoReverseMatch:
        return escape(measure.activity)
    return f'<a href="{url}">{escape(measure.activity)}</a>'


def signed_score(value):
    """A change of score with its sign: 1.5 -> '+1.50', -4.25 -> '-4.25', 0 -> '0.00'; None -> '–'."""
    if value is None:
        return DASH
    return "0.00" if value == 0 else f"{value:+.2f}"


def weakest_rows(rows, assessment, pass_mark_label):
    """The <tr> of each indicator (dashboard.summary.IndicatorRow), lowest score first."""
    label = {key: escape(text) for key, text in {
        "tool": _("เครื่องมือ"), "score": _("คะแนน"), "findings": _("จุดที่ควรพัฒนา"), "measures": _("มาตรการในแผน"),
    }.items()}
    gap_label = conditional_escape(pass_mark_label)  # the template's own text, maybe safe already
    no_measures = f'<span class="text-muted">{escape(_("ไม่มีมาตรการ"))}</span>'
    out = []
    for row in rows:
        indicator = row.indicator
        url = reverse("dashboard:indicator", args=[assessment.pk, indicator.number])
        below = " below-pass" if row.below_pass else ""
        findings = ngettext("%(counter)s ข้อ", "%(counter)s ข้อ", row.findings) % {"counter": row.findings}
        measures = "".join(
            f'<div class="measure-line">{measure_link(m)} <span class="badge status-{escape(m.status)}">'
            f"{escape(str(m.status_label))}</span></div>"
            for m in row.measures
        ) or no_measures
        out.append(
            "\n      <tr>\n"
            f'        <th scope="row" class="fw-normal"><a href="{url}">{indicator.number} '
            f"{escape(indicator.display_name)}</a></th>\n"
            f'        <td data-label="{label["tool"]}">{escape(indicator.tool)}</td>\n'
            f'        <td class="score{below}" data-label="{label["score"]}">{score(row.score)}</td>\n'
            f'        <td class="score{below}" data-label="{gap_label}">{signed_score(row.gap)}</td>\n'
            f'        <td class="score" data-label="{label["findings"]}">{escape(findings)}</td>\n'
            f'        <td class="cell-wide" data-label="{label["measures"]}">{measures}</td>\n'
            "      </tr>\n    "
        )
    return "".join(out)


def measure_rows(measures):
    """The <tr> of each plan row with its tracking: indicator, activity, units, end date,
    status, progress, last change."""
    label = {key: escape(text) for key, text in {
        "indicator": _("ตัวชี้วัด"), "responsible": _("ผู้รับผิดชอบ"), "end": _("สิ้นสุดตามแผน"),
        "status": _("สถานะ"), "progress": _("ความก้าวหน้า"), "updated": _("แก้ไขล่าสุด"),
    }.items()}
    every_unit = escape(_("ทุกสำนัก/กอง"))
    out = []
    for m in measures:
        if m.for_all_units:
            responsible = every_unit
        else:
            responsible = ", ".join(escape(str(unit)) for unit in m.units.all()) or escape(m.responsible)
        out.append(
            "\n    <tr>\n"
            f'      <td data-label="{label["indicator"]}">{m.indicator.number if m.indicator else DASH}</td>\n'
            f'      <td class="cell-wide cell-lead">{measure_link(m)}</td>\n'
            f'      <td data-label="{label["responsible"]}">{responsible}</td>\n'
            f'      <td class="text-nowrap" data-label="{label["end"]}">{_short_date(m.end_date)}</td>\n'
            f'      <td data-label="{label["status"]}"><span class="badge status-{escape(m.status)}">'
            f"{escape(str(m.status_label))}</span></td>\n"
            f'      <td class="score" data-label="{label["progress"]}">{m.progress}%</td>\n'
            f'      <td class="text-nowrap" data-label="{label["updated"]}">'
            f"{_short_date(timezone.localtime(m.updated_at) if m.updated_at else None)}</td>\n"
            "    </tr>\n  "
        )
    return "".join(out)


def _short_date(value):
    """As the templates' thai_date:"short" filter writes it, escaped."""
    return escape(thai_date(value, "short"))
