"""The rows of the area's list, written in Python rather than in the template.

A page of the list is 50 organisations of ten columns, about 1,300 values. Django's template
engine spends about 40 function calls on each value it writes, which made these rows half of
the page's time, the nation's as well as a province's. They are written here with the same markup
the template wrote, column for column: the table's head stays in `templates/oversight/area.html`,
and `tests/test_oversight.py` checks the cells. Every value is escaped; numbers are written
unlocalised, as the template wrote them under `{% localize off %}`.
"""

from decimal import Decimal
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.display import level_label
from assessments.templatetags.ita import score as _score

DASH = "–"


def _plain(value):
    """A value as the template wrote it with localisation off: 45.50, 2568, None."""
    if isinstance(value, Decimal):
        return escape(format(value, "f"))
    return escape(str(value))


def rows_html(rows):
    """The <tr> of each AreaRow, as one safe string for the list's <tbody>."""
    labels = {
        "province": _("จังหวัด"), "district": _("อำเภอ"), "year": _("ปี"), "overall": _("คะแนนภาพรวม"),
        "level": _("ระดับ"), "change": _("เปลี่ยนแปลง"), "weakest": _("ตัวชี้วัดที่อ่อนที่สุด"),
        "progress": _("ความก้าวหน้าแผน"), "oit": _("ความพร้อม OIT"),
    }
    label = {key: escape(text) for key, text in labels.items()}
    done, from_ = escape(_("เสร็จ")), escape(_("จาก"))
    out = []
    for row in rows:
        org = row.organisation
        if row.level:
            badge = "text-bg-success" if row.passed else "text-bg-danger"
            level = f'<span class="badge {badge}">{escape(level_label(row.level))}</span>'
        else:
            level = DASH
        if row.change is not None:
            sign = "+" if row.change > 0 else ""
            change = (f'{sign}{_score(row.change)} <span class="text-muted small">'
                      f"({from_} {_plain(row.previous_year)})</span>")
        else:
            change = DASH
        if row.weakest:
            indicator = row.weakest.indicator
            weakest = (f"{_plain(indicator.number)} {escape(indicator.display_name)} "
                       f'<span class="score">{_score(row.weakest.score)}</span>')
        else:
            weakest = DASH
        if row.measures:
            progress = (f'{_plain(row.progress)}% <span class="text-muted small">'
                        f"({_plain(row.done)}/{_plain(row.measures)} {done})</span>")
        else:
            progress = DASH
        if row.oit:
            oit = _('ผ่าน %(passed)s/%(items)s ข้อ <span class="text-muted small">(ปี %(year)s)</span>') % {
                "passed": _plain(row.oit.passed), "items": _plain(row.oit.items), "year": _plain(row.oit.year),
            }
        else:
            oit = DASH
        out.append(
            "\n    <tr>\n"
            f'      <th scope="row" class="fw-normal">{escape(org.name)}</th>\n'
            f'      <td data-label="{label["province"]}">{escape(org.province)}</td>\n'
            f'      <td data-label="{label["district"]}">{escape(org.district)}</td>\n'
            f'      <td data-label="{label["year"]}">{_plain(row.year) if row.year else DASH}</td>\n'
            f'      <td class="score" data-label="{label["overall"]}">{_score(row.overall)}</td>\n'
            f'      <td data-label="{label["level"]}">{level}</td>\n'
            f'      <td class="score" data-label="{label["change"]}">{change}</td>\n'
            f'      <td data-label="{label["weakest"]}">{weakest}</td>\n'
            f'      <td class="score" data-label="{label["progress"]}">{progress}</td>\n'
            f'      <td class="score" data-label="{label["oit"]}" data-testid="oit-readiness">{oit}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(out))
