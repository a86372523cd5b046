"""An organisation's audit log as .xlsx, with the page's filters: streamed (openpyxl write-only,
entries read a chunk at a time), so a long log never stands in memory."""

from itertools import islice

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lib.formulas import neutralise

from .display import readable

CHUNK = 2000


def log_xlsx(entries, out):
    """Write the entries (a queryset, in the order to print) as one sheet into `out`."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("บันทึกการใช้งาน"))
    columns = [
        (_("เมื่อ"), 18), (_("ผู้ใช้"), 22), (_("ที่อยู่ IP"), 16), (_("ประเภท"), 18),
        (_("ข้อมูล"), 20), (_("รายการ"), 40), (_("รายละเอียด"), 28), (_("การเปลี่ยนแปลง (ค่าเดิม → ค่าใหม่)"), 70),
    ]
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, fill = Font(name="Sarabun", bold=True), PatternFill("solid", fgColor="E9ECEF")
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for title, _width in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill = bold, fill
        header.append(cell)
    sheet.append(header)
    rows = entries.select_related("actor", "content_type").iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        for row in readable(chunk):
            changes = "\n".join(f"{c.label}: {c.old} → {c.new}" for c in row.changes)
            values = [row.when.replace(tzinfo=None), row.who, row.entry.remote_addr, row.kind, row.what,
                      row.item, row.details, changes]
            cells = []
            for value in values:
                cell = WriteOnlyCell(sheet, value=neutralise(value))
                if isinstance(value, str):
                    cell.alignment = wrap
                elif hasattr(value, "hour"):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
                cells.append(cell)
            sheet.append(cells)
    workbook.save(out)
