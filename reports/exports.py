"""Downloads of an assessment's scores and plan: Excel, CSV and JSON.

Plain functions over an assessment; the views only call them. The Excel export streams: it
writes with XlsxWriter's constant_memory mode into a file object, so a plan of 100,000 rows
never stands in memory as a workbook (openpyxl stays the reader, in imports.py; its writer
took 3x as long, bench/floor.py). Text that a spreadsheet would run as a formula is neutralised in Excel
and CSV with a leading apostrophe, which the import takes off again.
"""

import csv
import datetime
import io
import json

import xlsxwriter
from django.utils.translation import gettext as _

from assessments.scoring import round2
from lib.formulas import neutralise
from measures.imports import PLAN_COLUMNS
from measures.models import Measure

PLAN_FIELDS = [field for field, _, _ in PLAN_COLUMNS]
CHUNK = 2000
HEADER_FILL = "#E9ECEF"
DIGIT_PIXELS = 7


def plan_queryset(assessment):
    return (
        Measure.objects.filter(assessment=assessment)
        .order_by("block", "position", "id")
        .values_list(*PLAN_FIELDS)
    )


def plan_values(assessment):
    """Each plan row as a list in PLAN_COLUMNS order, the status as its label in the active
    language (translated once per export, not once per row)."""
    status = PLAN_FIELDS.index("status")
    labels = {value: str(label) for value, label in Measure.Status.choices}
    for row in plan_queryset(assessment).iterator(chunk_size=CHUNK):
        row = list(row)
        row[status] = labels.get(row[status], row[status])
        yield row


def plan_xlsx(assessment, out):
    """Write the plan (first sheet) and the scores (second sheet) as .xlsx into `out`."""
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    header = workbook.add_format(
        {"bold": True, "font_name": "Sarabun", "bg_color": HEADER_FILL, "pattern": 1}
    )
    wrapped_header = workbook.add_format(
        {"bold": True, "font_name": "Sarabun", "bg_color": HEADER_FILL, "pattern": 1,
         "text_wrap": True, "valign": "top"}
    )
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})

    sheet = workbook.add_worksheet(_("แผนพัฒนา"))
    _widths(sheet, [width for _field, _title, width in PLAN_COLUMNS])
    sheet.freeze_panes(1, 0)
    for column, (_field, title, _width) in enumerate(PLAN_COLUMNS):
        sheet.write_string(0, column, title, wrapped_header)
    # Typed writes, no per-cell guessing: constant_memory writes each row out as soon as the
    # next one starts, with the text inline, so 100,000 rows never stand in memory.
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for row, values in enumerate(plan_values(assessment), start=1):
        for column, value in enumerate(values):
            if value == "":
                # An empty cell with the wrap format, as openpyxl wrote it; XlsxWriter would
                # write an empty string, which reads back as "" instead of nothing.
                sheet.write_blank(row, column, None, wrap)
            elif isinstance(value, str):
                write_string(row, column, neutralise(value), wrap)
            elif isinstance(value, datetime.date):
                write_datetime(row, column, value, day)
            elif value is not None:
                write_number(row, column, value)

    scores = workbook.add_worksheet(_("คะแนน"))
    _widths(scores, (12, 36, 10, 12))
    scores.freeze_panes(1, 0)
    for column, title in enumerate((_("ตัวชี้วัดที่"), _("ตัวชี้วัด"), _("เครื่องมือ"), _("คะแนน"))):
        scores.write_string(0, column, title, header)
    rows = [
        [row["number"], neutralise(row["name"]), row["tool"], _number(row["score"])]
        for row in score_rows(assessment)
    ]
    for tool, mean in assessment.result.means_display.items():
        rows.append(["", _("ค่าเฉลี่ย %(tool)s") % {"tool": tool}, tool, _number(mean)])
    rows.append(["", _("คะแนนภาพรวม"), "", _number(assessment.overall_shown)])
    rows.append(["", _("ระดับ"), "", assessment.level_name])
    for row, values in enumerate(rows, start=1):
        for column, value in enumerate(values):
            # An empty string is no cell at all, as openpyxl wrote it before.
            if isinstance(value, str) and value:
                scores.write_string(row, column, value)
            elif isinstance(value, (int, float)):
                scores.write_number(row, column, value)
    workbook.close()


def _widths(sheet, widths):
    """Column widths in characters, stored as given. XlsxWriter's set_column adds the cell
    padding (48 would be stored as 48.71); in pixels of Calibri 11's 7-pixel digits it does not."""
    for column, width in enumerate(widths):
        sheet.set_column_pixels(column, column, width * DIGIT_PIXELS)


def _number(value):
    return None if value is None else float(value)


def score_rows(assessment):
    """The ten indicators with their scores (prefetched with `Assessment.objects.with_scores`)."""
    scores = {s.indicator_id: s.score for s in assessment.scores.all()}
    return [
        {
            "number": indicator.number,
            "name": indicator.name,
            "tool": indicator.tool,
            "score": scores.get(indicator.pk),
        }
        for indicator in assessment.fiscal_year.indicators.all()
    ]


def _text(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _csv(header, rows):
    # UTF-8 with a byte order mark, so that Excel opens the Thai text as Thai.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(_text(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def plan_csv(assessment):
    return _csv([title for _, title, _ in PLAN_COLUMNS], plan_values(assessment))


def scores_csv(assessment):
    header = [_("ตัวชี้วัดที่"), _("ตัวชี้วัด"), _("เครื่องมือ"), _("คะแนน")]
    rows = [
        [row["number"], row["name"], row["tool"], round2(row["score"])]
        for row in score_rows(assessment)
    ]
    return _csv(header, rows)


def _about(assessment):
    return {
        "organisation": assessment.organisation.name,
        "fiscal_year": assessment.fiscal_year_id,
    }


def _json(data):
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def plan_json(assessment):
    rows = [
        {
            field: value.isoformat() if hasattr(value, "isoformat") else value
            for field, value in zip(PLAN_FIELDS, values)
        }
        for values in plan_queryset(assessment).iterator(chunk_size=CHUNK)
    ]
    return _json({**_about(assessment), "measures": rows})


def scores_json(assessment):
    result = assessment.result

    def decimal(value):
        return None if value is None else str(round2(value))

    return _json({
        **_about(assessment),
        "overall": decimal(assessment.overall_shown),
        "level": assessment.level_name or None,
        "tool_means": {tool: decimal(mean) for tool, mean in result.means_display.items()},
        "indicators": [{**row, "score": decimal(row["score"])} for row in score_rows(assessment)],
    })


DATASETS = {
    ("plan", "csv"): (plan_csv, "text/csv; charset=utf-8"),
    ("plan", "json"): (plan_json, "application/json"),
    ("scores", "csv"): (scores_csv, "text/csv; charset=utf-8"),
    ("scores", "json"): (scores_json, "application/json"),
}
