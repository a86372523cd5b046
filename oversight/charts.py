"""An area's charts, drawn as the dashboard draws its own (dashboard.charts: server-rendered SVG,
a wide and a phone drawing, every number in the <desc>); each page shows a table beside them."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.display import level_label
from dashboard.charts import ABOVE, BELOW, MUTED, bar_rows, for_screens, score_text

from .summary import SPREAD_STEP


def _count(n):
    return ngettext("%(count)s หน่วยงาน", "%(count)s หน่วยงาน", n) % {"count": n}


def _spread(spread, pass_mark, phone=False):
    used = [band for band, n in spread if n]
    low = min(used, default=0)
    bars = [
        (f"{band}-{band + SPREAD_STEP - 0.01:.2f}", n, _count(n),
         ABOVE if pass_mark is not None and band >= pass_mark else BELOW)
        for band, n in spread if band >= low
    ]
    title = _("การกระจายของคะแนนภาพรวม (สีน้ำเงิน: ถึงเกณฑ์ผ่าน %(mark)s)") % {"mark": pass_mark or "–"}
    return bar_rows(title, bars, max((n for _band, n in spread), default=0), _("ไม่มีผล"), phone)


def spread_chart(spread, pass_mark):
    """Organisations per band of 5 points of overall score, against the pass mark."""
    return for_screens(_spread, spread, pass_mark)


def _levels(levels, phone=False):
    bars = [(level_label(name), n, _count(n), MUTED) for name, n in levels]
    return bar_rows(_("จำนวนหน่วยงานตามระดับผลการประเมิน"), bars, max((n for _name, n in levels), default=0),
                    _("ไม่มีผล"), phone)


def levels_chart(levels):
    """Organisations per level (as each year's rule or document names it)."""
    return for_screens(_levels, levels)


def _below(groups, phone=False):
    figures = _("%(mean)s (ผ่าน %(rate)s%%)")
    bars = [
        (group.label, group.mean, None if group.mean is None else figures % {
            "mean": score_text(group.mean), "rate": group.pass_rate}, ABOVE)
        for group in groups
    ]
    return bar_rows(_("คะแนนภาพรวมเฉลี่ยและร้อยละที่ผ่าน เรียงจากมากไปน้อย"), bars, 100, _("ไม่มีผล"), phone)


def below_chart(groups):
    """The scopes below ranked by mean overall score, with their pass rate."""
    return for_screens(_below, groups)
