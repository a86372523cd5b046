"""Downloads of an assessment's scores and plan: Excel, CSV and JSON.

Plain functions over an assessment; the views only call them. The Excel export streams: it
uses openpyxl's write-only mode into a file object, so a plan of 100,000 rows never stands in
memory as a workbook. Text that a spreadsheet would run as a formula is neutralised in Excel
and CSV with a leading apostrophe, which the import takes off again.
"""

import csv
import io
import json

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.scoring import round2
from measures.models import Measure

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# (field, Thai header, column width in characters). The import finds columns by these names,
# so they are fixed Thai, not translated: a file keeps importing whatever the reader's language.
PLAN_COLUMNS = [
    ("id", "รหัส", 8),
    ("indicator_label", "ตัวชี้วัด", 24),
    ("analysis", "ผลการวิเคราะห์", 40),
    ("activity", "มาตรการ/โครงการ/กิจกรรม", 36),
    ("method", "วิธีการดำเนินการ", 48),
    ("period", "ระยะเวลา", 18),
    ("responsible", "ผู้รับผิดชอบ", 22),
    ("status", "สถานะ", 14),
    ("progress", "ความก้าวหน้า (%)", 10),
    ("start_date", "วันเริ่มตามแผน", 14),
    ("end_date", "วันสิ้นสุดตามแผน", 14),
]
PLAN_FIELDS = [field for field, _, _ in PLAN_COLUMNS]
STATUS_LABELS = dict(Measure.Status.choices)
CHUNK = 2000


def neutralise(value):
    """'=1+1' -> "'=1+1", so that a spreadsheet shows the text instead of running it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def plan_queryset(assessment):
    return (
        Measure.objects.filter(assessment=assessment)
        .order_by("block", "position", "id")
        .values_list(*PLAN_FIELDS)
    )


def plan_values(assessment):
    """Each plan row as a list in PLAN_COLUMNS order, the status as its Thai label."""
    status = PLAN_FIELDS.index("status")
    for row in plan_queryset(assessment).iterator(chunk_size=CHUNK):
        row = list(row)
        row[status] = str(STATUS_LABELS.get(row[status], row[status]))
        yield row


def plan_xlsx(assessment, out):
    """Write the plan (first sheet) and the scores (second sheet) as .xlsx into `out`."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("แผนพัฒนา"))
    bold = Font(name="Sarabun", bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="E9ECEF")
    for index, (_field, _header, width) in enumerate(PLAN_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for _field, title, _width in PLAN_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.alignment, cell.fill = bold, wrap, header_fill
        header.append(cell)
    sheet.append(header)
    # One shared style object: openpyxl then stores it once for every wrapped cell.
    for values in plan_values(assessment):
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, str):
                cell.alignment = wrap
            elif value is not None and hasattr(value, "isoformat"):
                cell.number_format = "dd/mm/yyyy"
            row.append(cell)
        sheet.append(row)

    scores = workbook.create_sheet(_("คะแนน"))
    for index, width in enumerate((12, 36, 10, 12), start=1):
        scores.column_dimensions[get_column_letter(index)].width = width
    scores.freeze_panes = "A2"
    header = []
    for title in (_("ตัวชี้วัดที่"), _("ตัวชี้วัด"), _("เครื่องมือ"), _("คะแนน")):
        cell = WriteOnlyCell(scores, value=title)
        cell.font, cell.fill = bold, header_fill
        header.append(cell)
    scores.append(header)
    for row in score_rows(assessment):
        scores.append([row["number"], neutralise(row["name"]), row["tool"], _number(row["score"])])
    result = assessment.result
    for tool, mean in result.means_display.items():
        scores.append(["", _("ค่าเฉลี่ย %(tool)s") % {"tool": tool}, tool, _number(mean)])
    scores.append(["", _("คะแนนภาพรวม"), "", _number(assessment.overall_shown)])
    scores.append(["", _("ระดับ"), "", assessment.level_name])
    workbook.save(out)


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
