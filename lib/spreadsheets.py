"""Reading an uploaded table (.xlsx or .csv) into rows of cell values, safely.

Shared by every import of the portal (the plan import in `imports.py`, the onboarding of
organisations). Whatever the file, the reader either returns the rows of its first sheet or
raises `UnreadableFile` with a Thai message; it never lets a hostile file cost more than the
caps below:

- an .xlsx is a zip: its directory is checked against the limits on packaged uploads
  (lib/packages.py: unpacked size, compression ratio, members) before anything is
  unpacked (a 400 KB file can unpack to GBs);
- openpyxl reads in read-only mode, streaming the sheet, and its XML parser (expat) refuses
  entity expansion bombs;
- a .csv is decoded as UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode Text"),
  or Windows Thai (cp874, a superset of TIS-620), the encodings Thai offices' files come in.
"""

import codecs
import csv
import io
import zipfile
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.cell_range import CellRange

from lib.packages import PackageRefused, check_package

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MERGE_CELL = f"{SHEET_NS}mergeCell"
CELL, FORMULA, VALUE = f"{SHEET_NS}c", f"{SHEET_NS}f", f"{SHEET_NS}v"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container
CSV_DELIMITERS = (",", "\t", ";")


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message says why in Thai."""


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def sheet_rows(data):
    """The first sheet's cell values of an .xlsx (bytes), row by row, with merged ranges filled
    in (the value of a merged cell stands in every cell of its range)."""
    return sheet_rows_and_formulas(data)[0]


def sheet_rows_and_formulas(data):
    """(the rows of `sheet_rows`, the (row, column) of every formula cell that holds no
    calculated value, 1-based as Excel counts): such a cell reads as empty, which the caller
    must not take for an empty cell."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile(_("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx)"))
    try:
        check_package(data)
    except PackageRefused as refused:
        raise UnreadableFile(refused.message) from None
    try:
        # Read-only mode streams the sheet: a 100,000-row plan takes a fraction of the memory
        # of a full workbook of cell objects.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        merged, uncalculated = _merges_and_formulas(sheet)
        workbook.close()
    except Exception:  # openpyxl raises many kinds of error for a damaged or foreign file
        raise UnreadableFile(_("อ่านไฟล์ Excel ไม่ได้: ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .xlsx")) from None
    # A blank row stays blank even where a merged cell from the row above spans it.
    blanks = [i for i, row in enumerate(rows) if all(blank(value) for value in row)]
    for cells in merged:
        if cells.min_row > len(rows) or cells.min_col > len(rows[cells.min_row - 1]):
            continue
        value = rows[cells.min_row - 1][cells.min_col - 1]
        spread = (cells.min_row, cells.min_col) in uncalculated
        for r in range(cells.min_row - 1, min(cells.max_row, len(rows))):
            for c in range(cells.min_col - 1, min(cells.max_col, len(rows[r]))):
                rows[r][c] = value
                if spread:
                    uncalculated.add((r + 1, c + 1))
    for index in blanks:
        rows[index] = []
    return rows, uncalculated


def _merges_and_formulas(sheet):
    """The sheet's merged ranges, and the cells holding a formula but no calculated value.

    openpyxl's read-only sheets skip merged ranges (they stand after the cells in the sheet's
    XML), and with data_only a formula cell without a cached value reads as None, which would
    pass for an empty cell. Both are read here from the sheet's XML as a stream (through
    `_get_source`, openpyxl 3.1.5); a cell's <f> and <v> are looked at when the cell ends."""
    ranges, uncalculated = [], set()
    with sheet._get_source() as source:
        for _event, element in ElementTree.iterparse(source):
            if element.tag in (FORMULA, VALUE):
                continue  # read with their cell below
            if element.tag == CELL:
                value = element.find(VALUE)
                # An empty <v> is a calculated empty string only in a cell typed t="str".
                empty = (value is None or not value.text) and element.get("t") != "str"
                if element.find(FORMULA) is not None and empty and element.get("r"):
                    uncalculated.add(coordinate_to_tuple(element.get("r")))
            elif element.tag == MERGE_CELL:
                ranges.append(CellRange(element.get("ref")))
            element.clear()
    return ranges, uncalculated


def decode_text(data):
    """The text of a CSV file in whichever encoding a Thai office saved it."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(_("อ่านไฟล์ CSV ไม่ได้: รหัสอักขระของไฟล์ไม่ถูกต้อง")) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Excel on a Thai Windows saves "CSV (Comma delimited)" in Windows-874.
    try:
        return data.decode("cp874")
    except UnicodeDecodeError:
        raise UnreadableFile(_(
            "อ่านไฟล์ CSV ไม่ได้: ไม่ใช่รหัสอักขระ UTF-8 หรือ Windows-874 (TIS-620) "
            "กรุณาบันทึกไฟล์ใหม่เป็น CSV UTF-8"
        )) from None


def csv_rows(data, delimiter=","):
    """The records of a CSV file (bytes) as lists of strings; a record may span several lines
    (a quoted cell with line breaks), as a spreadsheet shows it as one row."""
    text = decode_text(data)
    if "\x00" in text:
        raise UnreadableFile(_("อ่านไฟล์ CSV ไม่ได้: ไฟล์นี้ไม่ใช่ไฟล์ข้อความ"))
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise UnreadableFile(_("อ่านไฟล์ CSV ไม่ได้: เครื่องหมายคำพูดหรือตัวคั่นไม่ถูกต้อง")) from None


def table_rows(data, filename, find_header):
    """The rows of an uploaded .xlsx or .csv, and where its header row is.

    `find_header(rows)` returns the header's (index, columns) or (None, None); a CSV is tried
    with a comma, then a tab, then a semicolon, and read with the first that yields a header.
    Returns (rows, index, columns)."""
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(_("ไฟล์ Excel รุ่นเก่า (.xls) อ่านไม่ได้: กรุณาบันทึกเป็น .xlsx หรือ .csv แล้วอัปโหลดใหม่"))
    if zipfile.is_zipfile(io.BytesIO(data)) or filename.lower().endswith(".xlsx"):
        rows = sheet_rows(data)
        return (rows, *find_header(rows))
    rows = None
    for delimiter in CSV_DELIMITERS:
        candidate = csv_rows(data, delimiter)
        found = find_header(candidate)
        if found[0] is not None:
            return (candidate, *found)
        rows = rows if rows is not None else candidate
    return rows, None, None
