"""Charts as server-rendered SVG: the same drawing in the browser, in print and in the PDF.

Every chart is one complete <svg> element returned as a SafeString: a viewBox (no fixed size,
so the page or the PDF decides the width), role="img", a Thai <title> and a <desc> that carries
every number, the Sarabun font, and SVG presentation attributes only. No style attribute and no
class is needed to draw it right, so WeasyPrint and a printer render it unstyled and a
Content-Security-Policy without 'unsafe-inline' allows it. All text is escaped here.

Each chart has a phone drawing too (`phone=True`): the same data drawn for a 320-unit-wide
viewBox, which a 360-414 px phone shows at about one pixel per unit, as horizontal bars with
their labels on a line of their own and no text under 13 units, rather than the desktop drawing
scaled down until its labels are 5 px high. `for_screens` returns both; the page's stylesheet
shows the one that fits (`dashboard/_chart.html`), print and PDF use the wide one.

The functions read only what they are given (an assessment with its scores and its year's
indicators and levels prefetched, or plain tuples): no request and no queries of their own.
Scores come from the score engine and are rounded half up only for display.
"""

import html
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.display import level_label, level_reason
from assessments.models import Tool
from assessments.scoring import TOOLS, round2
from measures.models import Measure

FONT = "Sarabun, sans-serif"
INK = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
ABOVE = "#3d7cc9"  # a score at or above the pass mark
BELOW = "#c8413a"  # a score below it
MEAN_ABOVE = "#1d3f6e"
MEAN_BELOW = "#8e241d"
PROGRESS = "#2e8b57"
TRACK = "#f1f3f5"  # the empty part of a bar that runs to 100 or to the largest value
WHITE = "#ffffff"
STATUS_COLOURS = {
    Measure.Status.NOT_STARTED: "#adb5bd",
    Measure.Status.IN_PROGRESS: "#3d7cc9",
    Measure.Status.DONE: "#2e8b57",
    Measure.Status.CANCELLED: "#6c757d",
}


PHONE_WIDTH = 320  # viewBox units of a phone drawing: a 296-350 px wide chart on a 360-414 px phone


@dataclass(frozen=True)
class Drawing:
    """One chart drawn for a wide screen and for a phone; a page puts both in its markup and its
    stylesheet shows one (`dashboard/_chart.html`), so nothing is drawn by scaling down."""

    wide: str
    phone: str


def for_screens(chart, *args, **kwargs):
    """`chart(*args, **kwargs)` drawn both ways: for_screens(history_chart, points, pass_mark)."""
    return Drawing(chart(*args, **kwargs), chart(*args, phone=True, **kwargs))


def _base_width(text):
    """Letters that take room on a line: Thai vowel and tone marks above or below take none."""
    return sum(unicodedata.category(char) != "Mn" for char in text)


def _wrap(text, limit):
    """Lines of at most `limit` letters, broken at spaces, for text SVG cannot wrap itself."""
    lines = []
    for word in text.split(" "):
        if lines and _base_width(lines[-1]) + 1 + _base_width(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _shorten(text, limit):
    """Cut a label that would run into the bars; Thai vowel and tone marks take no width."""
    width = 0
    for index, char in enumerate(text):
        width += unicodedata.category(char) != "Mn"
        if width > limit:
            return text[:index].rstrip() + "…"
    return text


def score_text(value):
    """90.417 -> '90.42': half up to two places, as every page shows a score."""
    return f"{round2(value):.2f}"


def mark_text(value):
    """85.00 -> '85', for thresholds."""
    return f"{Decimal(value).normalize():f}"


def escape(text):
    """What django.utils.html.escape writes, without its check for lazy strings on every call:
    a chart escapes each of its hundreds of attributes."""
    return html.escape(str(text))


def _coordinate(value):
    if type(value) is int:
        return str(value)
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _attribute(value):
    # Numbers are written short; everything else is escaped.
    if isinstance(value, (int, float, Decimal)):
        return _coordinate(value)
    return escape(value)


class _Svg:
    """The elements of one chart, in drawing order (later ones on top)."""

    def __init__(self, width):
        self.width = width
        self.parts = []

    def add(self, tag, text=None, **attributes):
        # font_size -> font-size
        rendered = "".join(f' {name.replace("_", "-")}="{_attribute(value)}"' for name, value in attributes.items())
        if text is None:
            self.parts.append(f"<{tag}{rendered}/>")
        else:
            self.parts.append(f"<{tag}{rendered}>{escape(text)}</{tag}>")

    def text(self, x, y, content, size=13, anchor="start", fill=INK, weight=None, halo=False):
        # Written out rather than through add(): a chart has a hundred of them. The same markup
        # as add("text", content, x=x, y=y, font_size=size, text_anchor=anchor, fill=fill, ...).
        extra = f' font-weight="{weight}"' if weight else ""
        if halo:
            # A white outline under the letters keeps a line drawn behind them out of the text.
            extra += f' stroke="{WHITE}" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
        self.parts.append(
            f'<text x="{_coordinate(x)}" y="{_coordinate(y)}" font-size="{_coordinate(size)}"'
            f' text-anchor="{anchor}" fill="{fill}"{extra}>{escape(content)}</text>'
        )

    def render(self, height, title, desc):
        return mark_safe(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {_coordinate(height)}"'
            f' role="img" font-family="{FONT}" font-size="13" fill="{INK}">'
            f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
            + "".join(self.parts)
            + "</svg>"
        )


def indicator_chart(assessment, scores=None, *, phone=False):
    """The year's indicators as bars against the pass mark, grouped by tool (IIT, EIT, OIT),
    each group closed by its tool mean, with the overall score, the level and the reason for
    the level in words underneath.

    `scores` (indicator number -> Decimal) draws a what-if instead of the recorded scores;
    `phone` draws it for a phone.
    """
    year = assessment.fiscal_year
    projected = scores is not None
    if projected:
        result = assessment.evaluate(scores)
    else:
        scores, result = assessment.score_map(), assessment.result
    groups = [(tool, [i for i in year.indicators.all() if i.tool == tool]) for tool in TOOLS]
    groups = [(tool, indicators) for tool, indicators in groups if indicators]
    draw = _indicator_phone if phone else _indicator_wide
    svg, height = draw(year, groups, scores, result)
    if projected:
        title = _("คะแนนรายตัวชี้วัดตามที่ลองกำหนด ปีงบประมาณ พ.ศ. %(year)s เทียบกับเกณฑ์ผ่าน %(mark)s")
    else:
        title = _("คะแนนรายตัวชี้วัด ปีงบประมาณ พ.ศ. %(year)s เทียบกับเกณฑ์ผ่าน %(mark)s")
    title = title % {"year": year.year, "mark": mark_text(year.pass_mark)}
    return svg.render(height, title, _indicator_desc(groups, scores, result))


def _group_label(tool, weights):
    return _("%(tool)s · น้ำหนัก %(weight)s%%") % {"tool": Tool(tool).label, "weight": f"{weights[tool] * 100:.0f}"}


def _mean_label(tool):
    return _("ค่าเฉลี่ย %(tool)s") % {"tool": tool}


def _legend(mark):
    return [
        (ABOVE, _("ตั้งแต่ %(mark)s ขึ้นไป") % {"mark": mark}),
        (BELOW, _("ต่ำกว่า %(mark)s") % {"mark": mark}),
        (MEAN_ABOVE, _("ค่าเฉลี่ยรายเครื่องมือ (ใช้กำหนดระดับ)")),
    ]


def _indicator_wide(year, groups, scores, result):
    pass_mark = year.pass_mark
    weights = year.weights()
    # Values stand in a column of their own right of the bars, clear of the pass line.
    width, label_x, bar_x, bar_w = 760, 8, 270, 400
    value_x = bar_x + bar_w + 12
    header_h, row_h, mean_h, gap = 26, 26, 30, 8
    top = 44
    bottom = top + sum(header_h + row_h * len(i) + mean_h + gap for _, i in groups)

    def x_of(value):
        return bar_x + float(value) * bar_w / 100

    svg = _Svg(width)
    for tick in (0, 25, 50, 75, 100):
        svg.add("line", x1=x_of(tick), y1=top, x2=x_of(tick), y2=bottom, stroke=GRID, stroke_width=1)
        svg.text(x_of(tick), top - 8, str(tick), size=11, anchor="middle", fill=MUTED)

    y = top
    for tool, indicators in groups:
        svg.text(label_x, y + 18, _group_label(tool, weights), weight="bold")
        y += header_h
        for indicator in indicators:
            value = scores.get(indicator.number)
            svg.text(label_x + 12, y + 18, _shorten(f"{indicator.number} {indicator.display_name}", 34))
            if value is None:
                svg.text(bar_x + 6, y + 18, _("ไม่มีคะแนน"), fill=MUTED)
            else:
                colour = BELOW if value < pass_mark else ABOVE
                svg.add("rect", x=bar_x, y=y + 5, width=x_of(value) - bar_x, height=16, fill=colour)
                svg.text(value_x, y + 18, score_text(value))
            y += row_h
        mean = result.means_display.get(tool)
        svg.text(label_x + 12, y + 20, _mean_label(tool), weight="bold")
        if mean is None:
            svg.text(bar_x + 6, y + 20, _("คำนวณไม่ได้"), fill=MUTED)
        else:
            colour = MEAN_BELOW if mean < pass_mark else MEAN_ABOVE
            svg.add("rect", x=bar_x, y=y + 5, width=x_of(mean) - bar_x, height=20, fill=colour)
            svg.text(value_x, y + 20, score_text(mean), weight="bold")
        y += mean_h + gap

    # The pass line goes over the bars so that it reads across every one of them.
    mark = mark_text(pass_mark)
    svg.add("line", x1=x_of(pass_mark), y1=top - 20, x2=x_of(pass_mark), y2=bottom,
            stroke=INK, stroke_width=2, stroke_dasharray="6 4")
    svg.text(x_of(pass_mark), top - 28, _("เกณฑ์ผ่าน %(mark)s") % {"mark": mark}, size=12,
             anchor="middle", weight="bold")

    y = bottom + 14
    for x, (colour, text) in zip((label_x, 150, 270), _legend(mark)):
        svg.add("rect", x=x, y=y, width=12, height=12, fill=colour)
        svg.text(x + 18, y + 11, text, size=12)
    x = 530
    svg.add("line", x1=x, y1=y + 6, x2=x + 24, y2=y + 6, stroke=INK, stroke_width=2, stroke_dasharray="6 4")
    svg.text(x + 30, y + 11, _("เกณฑ์ผ่าน"), size=12)

    y += 40
    svg.text(label_x, y, _indicator_summary(result), size=14, weight="bold")
    reason = level_reason(result)
    if reason:
        y += 22
        svg.text(label_x, y, reason, size=14, fill=MEAN_BELOW)
    return svg, y + 12


def _indicator_phone(year, groups, scores, result):
    """Each indicator on two lines: its name and score, then a bar across the whole width."""
    pass_mark = year.pass_mark
    weights = year.weights()
    width = PHONE_WIDTH
    svg = _Svg(width)
    texts = []  # drawn last, over the pass line, each with a white halo

    def x_of(value):
        return float(value) * width / 100

    def bar_row(y, label, value, below, above, bold=False, bar_h=13):
        weight = "bold" if bold else None
        limit = 40 - (6 if value is not None else 12)
        texts.append((0, y + 15, _shorten(label, limit), "start", INK, weight))
        svg.add("rect", x=0, y=y + 21, width=width, height=bar_h, fill=TRACK)
        if value is None:
            texts.append((width, y + 15, _("ไม่มีคะแนน"), "end", MUTED, None))
        else:
            svg.add("rect", x=0, y=y + 21, width=x_of(value), height=bar_h, fill=below if value < pass_mark else above)
            texts.append((width, y + 15, score_text(value), "end", INK, weight))

    top = 26
    y = top
    for tool, indicators in groups:
        # The tool and its weight, then its long name on a line of its own.
        texts.append((0, y + 18, _("%(tool)s · น้ำหนัก %(weight)s%%") % {
            "tool": tool, "weight": f"{weights[tool] * 100:.0f}"}, "start", INK, "bold"))
        svg.text(0, y + 36, _shorten(Tool(tool).label.removeprefix(tool).strip(), 42), fill=MUTED)
        y += 44
        for indicator in indicators:
            bar_row(y, f"{indicator.number} {indicator.display_name}", scores.get(indicator.number), BELOW, ABOVE)
            y += 40
        bar_row(y, _mean_label(tool), result.means_display.get(tool), MEAN_BELOW, MEAN_ABOVE, bold=True, bar_h=15)
        y += 50
    bottom = y - 8

    mark = mark_text(pass_mark)
    line_x = x_of(pass_mark)
    svg.add("line", x1=line_x, y1=top - 6, x2=line_x, y2=bottom,
            stroke=INK, stroke_width=2, stroke_dasharray="6 4")
    label_x = min(max(line_x, 48), width - 48)
    texts.append((label_x, top - 12, _("เกณฑ์ผ่าน %(mark)s") % {"mark": mark}, "middle", INK, "bold"))
    for x, y_text, content, anchor, fill, weight in texts:
        svg.text(x, y_text, content, size=14, anchor=anchor, fill=fill, weight=weight, halo=True)

    y = bottom + 14
    (above, above_text), (below, below_text), (mean, mean_text) = _legend(mark)
    for x, colour, text in ((0, above, above_text), (160, below, below_text)):
        svg.add("rect", x=x, y=y, width=12, height=12, fill=colour)
        svg.text(x + 18, y + 11, text)
    y += 22
    svg.add("rect", x=0, y=y, width=12, height=12, fill=mean)
    svg.text(18, y + 11, mean_text)
    y += 22
    svg.add("line", x1=0, y1=y + 6, x2=24, y2=y + 6, stroke=INK, stroke_width=2, stroke_dasharray="6 4")
    svg.text(30, y + 11, _("เกณฑ์ผ่าน"))

    y += 26
    for line in _wrap(_indicator_summary(result), 34):
        y += 22
        svg.text(0, y, line, size=15, weight="bold")
    reason = level_reason(result)
    for line in _wrap(reason, 38) if reason else ():
        y += 21
        svg.text(0, y, line, size=14, fill=MEAN_BELOW)
    return svg, y + 10


def _indicator_desc(groups, scores, result):
    """Every number of the chart in words, for screen readers: the summary, the reason for the
    level, then each tool's indicators and mean."""
    desc = [_indicator_summary(result)]
    reason = level_reason(result)
    if reason:
        desc.append(reason)
    for tool, indicators in groups:
        parts = []
        for indicator in indicators:
            value = scores.get(indicator.number)
            if value is None:
                parts.append(_("%(number)s %(name)s ไม่มีคะแนน") % {"number": indicator.number, "name": indicator.display_name})
            else:
                parts.append(f"{indicator.number} {indicator.display_name} {score_text(value)}")
        mean = result.means_display.get(tool)
        label = _mean_label(tool)
        if mean is None:
            parts.append(_("%(label)s คำนวณไม่ได้") % {"label": label})
        else:
            parts.append(f"{label} {score_text(mean)}")
        desc.append(f"{tool}: " + ", ".join(parts))
    return ". ".join(desc)


def _indicator_summary(result):
    if result.overall is None:
        missing = ", ".join(str(n) for n in result.missing)
        return _("ยังคำนวณคะแนนภาพรวมไม่ได้: ไม่มีคะแนนตัวชี้วัดที่ %(missing)s") % {"missing": missing}
    level = level_label(result.level.name) if result.level else "–"
    return _("คะแนนภาพรวม %(overall)s · ระดับ %(level)s") % {
        "overall": score_text(result.overall_display), "level": level,
    }


def history_chart(points, pass_mark=None, *, phone=False):
    """The overall score of every fiscal year from the first to the last in `points`, a list of
    (fiscal_year, overall or None). A year without a score, or missing from `points`, is drawn
    as a gap marked "ไม่มีข้อมูล", never as a zero. `pass_mark` adds the pass line. `phone`
    draws one bar per line, so that any number of years fits a phone."""
    values = {year: value for year, value in points}
    if not any(v is not None for v in values.values()):
        width = PHONE_WIDTH if phone else 520
        svg = _Svg(width)
        svg.text(width / 2, 60, _("ยังไม่มีข้อมูล"), anchor="middle", fill=MUTED)
        return svg.render(90, _("ผลการประเมินภาพรวมย้อนหลัง"), _("ยังไม่มีข้อมูล"))
    years = list(range(min(values), max(values) + 1))
    svg, height = (_history_phone if phone else _history_wide)(years, values, pass_mark)
    desc = [
        _("%(year)s ไม่มีข้อมูล") % {"year": year} if values.get(year) is None
        else f"{year} {score_text(values[year])}"
        for year in years
    ]
    title = _("ผลการประเมินภาพรวมย้อนหลัง ปีงบประมาณ พ.ศ. %(first)s–%(last)s") % {
        "first": years[0], "last": years[-1],
    }
    return svg.render(height, title, "; ".join(desc))


def _history_wide(years, values, pass_mark):
    width, left, right, top, plot_h = 520, 44, 12, 30, 170
    bottom = top + plot_h
    svg = _Svg(width)
    slot = (width - left - right) / len(years)
    bar_w = min(56, slot * 0.6)

    def y_of(value):
        return bottom - float(value) * plot_h / 100

    for tick in (0, 25, 50, 75, 100):
        svg.add("line", x1=left, y1=y_of(tick), x2=width - right, y2=y_of(tick), stroke=GRID, stroke_width=1)
        svg.text(left - 6, y_of(tick) + 4, str(tick), size=11, anchor="end", fill=MUTED)

    for index, year in enumerate(years):
        centre = left + slot * (index + 0.5)
        value = values.get(year)
        svg.text(centre, bottom + 20, str(year), anchor="middle")
        if value is None:
            # Wide enough slots say it in words; narrow ones show a dash.
            gap_text = _("ไม่มีข้อมูล") if slot >= 70 else "–"
            svg.text(centre, bottom - 8, gap_text, size=12, anchor="middle", fill=MUTED)
        else:
            svg.add("rect", x=centre - bar_w / 2, y=y_of(value), width=bar_w, height=bottom - y_of(value), fill=ABOVE)
            # A white ground under the value keeps it readable where the pass line crosses it.
            svg.add("rect", x=centre - 24, y=y_of(value) - 20, width=48, height=17, fill="#ffffff")
            svg.text(centre, y_of(value) - 6, score_text(value), anchor="middle", weight="bold")
    svg.add("line", x1=left, y1=bottom, x2=width - right, y2=bottom, stroke=MUTED, stroke_width=1)
    svg.text(left, bottom + 44, _("ปีงบประมาณ (พ.ศ.)"), size=12, fill=MUTED)
    if pass_mark is not None:
        mark = mark_text(pass_mark)
        svg.add("line", x1=left, y1=y_of(pass_mark), x2=width - right, y2=y_of(pass_mark),
                stroke=INK, stroke_width=1.5, stroke_dasharray="6 4")
        legend_x = width - right - 110
        svg.add("line", x1=legend_x, y1=bottom + 40, x2=legend_x + 24, y2=bottom + 40,
                stroke=INK, stroke_width=1.5, stroke_dasharray="6 4")
        svg.text(legend_x + 30, bottom + 44, _("เกณฑ์ผ่าน %(mark)s") % {"mark": mark}, size=12)
    return svg, bottom + 56


def _history_phone(years, values, pass_mark):
    """One line per year: the year, a bar from 0 to 100 and the score at the right."""
    width, bar_x, value_w, row_h = PHONE_WIDTH, 46, 54, 30
    bar_w = width - bar_x - value_w
    svg = _Svg(width)

    def x_of(value):
        return bar_x + float(value) * bar_w / 100

    top = 24
    svg.text(0, 14, _("ปีงบประมาณ"), fill=MUTED)
    y = top
    for year in years:
        value = values.get(year)
        svg.text(0, y + 19, str(year), size=14)
        if value is None:
            svg.text(bar_x, y + 19, _("ไม่มีข้อมูล"), size=14, fill=MUTED)
        else:
            svg.add("rect", x=bar_x, y=y + 7, width=bar_w, height=16, fill=TRACK)
            svg.add("rect", x=bar_x, y=y + 7, width=x_of(value) - bar_x, height=16, fill=ABOVE)
            svg.text(width, y + 19, score_text(value), size=14, anchor="end", weight="bold")
        y += row_h
    if pass_mark is None:
        return svg, y + 4
    mark = mark_text(pass_mark)
    svg.add("line", x1=x_of(pass_mark), y1=top, x2=x_of(pass_mark), y2=y,
            stroke=INK, stroke_width=1.5, stroke_dasharray="6 4")
    svg.text(x_of(pass_mark), 14, _("เกณฑ์ผ่าน %(mark)s") % {"mark": mark}, anchor="middle", weight="bold")
    return svg, y + 4


def bar_rows(title, rows, maximum, empty_text, phone=False):
    """Horizontal bars, one per row of (label, value or None, value text, colour). On a phone
    the label and the value share a line above a bar as wide as the drawing. Public: the
    oversight view draws its area charts with it too."""
    svg = _Svg(PHONE_WIDTH if phone else 600)
    desc = []
    y = 4
    for label, value, value_text, colour in rows:
        desc.append(f"{label} {empty_text if value is None else value_text}")
        length = float(value) / maximum if value is not None and maximum else 0
        if phone:
            shown = empty_text if value is None else value_text
            svg.text(0, y + 15, _shorten(label, 38 - _base_width(shown)), size=14)
            svg.text(PHONE_WIDTH, y + 15, shown, size=14, anchor="end", fill=MUTED if value is None else INK)
            if value is not None:
                svg.add("rect", x=0, y=y + 21, width=PHONE_WIDTH, height=13, fill=TRACK)
                svg.add("rect", x=0, y=y + 21, width=length * PHONE_WIDTH, height=13, fill=colour)
            y += 40
            continue
        label_x, bar_x, bar_w = 4, 210, 220
        svg.text(label_x, y + 19, _shorten(label, 28), size=14)
        if value is None:
            svg.text(bar_x + 4, y + 19, empty_text, size=14, fill=MUTED)
        else:
            svg.add("rect", x=bar_x, y=y + 6, width=bar_w, height=16, fill=TRACK)
            svg.add("rect", x=bar_x, y=y + 6, width=length * bar_w, height=16, fill=colour)
            svg.text(bar_x + bar_w + 8, y + 19, value_text, size=14)
        y += 28
    return svg.render(y + 4, title, "; ".join(desc) or empty_text)


def status_chart(rows, *, phone=False):
    """Plan rows by status: `rows` is a list of (status value, label, count)."""
    maximum = max((row[2] for row in rows), default=0)
    bars = [
        (label, count, ngettext("%(count)s มาตรการ", "%(count)s มาตรการ", count) % {"count": count},
         STATUS_COLOURS.get(status, MUTED))
        for status, label, count in rows
    ]
    return bar_rows(_("จำนวนมาตรการตามสถานะ"), bars, maximum, _("ไม่มีมาตรการ"), phone)


def progress_chart(rows, *, phone=False):
    """Percent complete per unit: `rows` is a list of (unit name, percent or None, number of
    measures); None (a unit without measures) is written out, not drawn as 0%."""
    bars = [
        (name, percent, None if percent is None else ngettext(
            "%(percent)s%% (%(count)s มาตรการ)", "%(percent)s%% (%(count)s มาตรการ)", count,
        ) % {"percent": percent_text(percent), "count": count}, PROGRESS)
        for name, percent, count in rows
    ]
    return bar_rows(_("ความก้าวหน้าของแผนรายสำนัก/กอง (ร้อยละ)"), bars, 100, _("ไม่มีมาตรการ"), phone)


def percent_text(value):
    """28.333 -> '28.3': percent complete, half up to one place."""
    return f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):.1f}"
