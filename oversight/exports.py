"""The oversight list as an .xlsx workbook (streamed rows, so size does not grow memory)."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from assessments.scoring import round2

HEADER = [
    "หน่วยงาน", "ประเภท", "อำเภอ", "จังหวัด", "ปีงบประมาณ", "คะแนนภาพรวม", "ระดับ",
    "ปีก่อนหน้า", "เปลี่ยนแปลง", "ตัวชี้วัดที่อ่อนที่สุด", "คะแนนตัวชี้วัดนั้น",
    "จำนวนมาตรการ", "เสร็จสิ้น", "ความก้าวหน้าเฉลี่ย (%)",
]


def _safe(value):
    # A name such as "=HYPERLINK(...)" must stay text, never become a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def area_xlsx(rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("หน่วยงานในพื้นที่")
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKLMN", [40, 12, 16, 16, 10, 12, 18, 10, 10, 30, 12, 10, 10, 14]):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    header = []
    for title in HEADER:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        org = row.organisation
        weakest = row.weakest
        sheet.append([
            _safe(org.name), org.kind, _safe(org.district), _safe(org.province), row.year,
            None if row.overall_shown is None else float(row.overall_shown),
            row.level or None, row.previous_year,
            None if row.change is None else float(round2(row.change)),
            f"{weakest.indicator.number} {weakest.indicator.name}" if weakest else None,
            float(weakest.score) if weakest else None,
            row.measures, row.done, None if row.progress is None else float(row.progress),
        ])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
