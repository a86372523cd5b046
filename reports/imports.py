"""Import a plan from an .xlsx file: read and check everything first, write all of it or nothing.

`read_plan` turns the file into a `Preview` (rows to add, rows that change and how, every faulty
row with its reason in Thai) without writing anything. `apply_plan` writes a preview that has no
error in one transaction, through simple_history's bulk helpers so that every row keeps its
history, and bumps each changed row's `version` so that an editor's form opened before the
import is refused instead of overwriting it.

What the reader tolerates: a title above the header row, the columns in any order (unknown
columns are ignored), Thai or Arabic digits, merged cells (the value fills the whole range),
blank rows, and the apostrophe the export puts before text that starts like a formula. A column
that the file leaves out is left as it is; a blank cell in a column that is there means empty
text or no date, and keeps the current status and percent.
"""

import datetime
import hashlib
import io
import re
import zipfile
from xml.etree import ElementTree
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.worksheet.cell_range import CellRange
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments import thai
from assessments.display import display_date
from assessments.models import FiscalYear
from measures.models import Measure, Plan

from .exports import FORMULA_STARTS, PLAN_COLUMNS

HEADER_SEARCH_ROWS = 30
MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
BATCH = 1000
# A small .xlsx can unpack to gigabytes of XML; refuse before openpyxl tries.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024

MAX_LENGTHS = {"indicator_label": 300, "period": 200, "responsible": 300} | {
    name: Measure.LONG_TEXT_MAX_LENGTH for name in ("analysis", "activity", "method")
}
HEADERS = {field: title for field, title, _ in PLAN_COLUMNS}
# Other names the official table and hand-made files use for the same columns.
ALIASES = {
    "id": ["รหัสมาตรการ", "id"],
    "activity": ["มาตรการ", "มาตรการ/แนวทาง", "โครงการ/กิจกรรม"],
    "method": ["วิธีดำเนินการ", "วิธีการดำเนินงาน"],
    "period": ["ระยะเวลาดำเนินการ"],
    "progress": ["ความก้าวหน้า", "ร้อยละความก้าวหน้า"],
    "start_date": ["วันเริ่ม", "วันที่เริ่ม"],
    "end_date": ["วันสิ้นสุด", "วันที่สิ้นสุด"],
}
STATUSES = {str(label): value for value, label in Measure.Status.choices} | {
    value: value for value in Measure.Status.values
}
INDICATOR_NUMBER = re.compile(r"ตัวชี้วัดที่\s*([0-9๐-๙]{1,2})")
MONTHS = {name: number for number, name in enumerate(thai.THAI_MONTHS, start=1)} | {
    name: number for number, name in enumerate(thai.THAI_MONTHS_SHORT, start=1)
}
THAI_DATE = re.compile(r"(\d{1,2})\s+(\S+)\s+(\d{4})")
SLASH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _key(text):
    return re.sub(r"\s+", "", str(text)).lower()


HEADER_KEYS = {_key(title): field for field, title in HEADERS.items()} | {
    _key(alias): field for field, names in ALIASES.items() for alias in names
}


class RowError(ValueError):
    """A cell that cannot be read; the message says why in Thai."""


@dataclass
class Change:
    row: int
    measure: Measure
    values: dict
    diffs: list  # (Thai column name, old text, new text)


@dataclass
class Preview:
    added: list = field(default_factory=list)  # (Excel row number, values)
    changed: list = field(default_factory=list)  # Change
    errors: list = field(default_factory=list)  # (Excel row number or None for the file, message)
    unchanged: int = 0
    versions: str = ""  # digest of the version of every existing row the file names

    @property
    def can_apply(self):
        return not self.errors and bool(self.added or self.changed)


def read_plan(data, assessment):
    """Check an uploaded .xlsx (bytes) against the assessment's plan; writes nothing.

    The plan's state decides what a file may do (Plan.refusal): nothing to a plan of a past
    year; to an approved plan, only status and progress of its rows."""
    preview = Preview()
    plan = Plan.objects.filter(assessment=assessment).first() or Plan(
        assessment=assessment, fiscal_year_id=assessment.fiscal_year_id + 1
    )
    if plan.refusal(Plan.TRACKING):
        preview.errors.append((None, plan.refusal(Plan.TRACKING)))
        return preview
    locked = plan.refusal(Plan.CONTENT)
    try:
        rows = _sheet_rows(data)
    except RowError as error:
        preview.errors.append((None, str(error)))
        return preview
    header_at, columns = _find_header(rows)
    if header_at is None:
        preview.errors.append((None, _(
            "ไม่พบแถวหัวตาราง: ต้องมีคอลัมน์ \"ตัวชี้วัด\" และ \"มาตรการ/โครงการ/กิจกรรม\" "
            "ในแผ่นงานแรก (ภายใน %(rows)s แถวแรก)"
        ) % {"rows": HEADER_SEARCH_ROWS}))
        return preview
    duplicates = sorted({HEADERS[f] for f in columns.values() if list(columns.values()).count(f) > 1})
    if duplicates:
        preview.errors.append((None, _("คอลัมน์ซ้ำกัน: %(names)s") % {"names": ", ".join(duplicates)}))
        return preview
    fields = {f: index for index, f in columns.items()}
    existing = {
        m.pk: m for m in Measure.objects.filter(assessment=assessment).only(
            "id", "version", "status", "progress", "start_date", "end_date", *Measure.OFFICIAL_COLUMNS
        )
    }
    seen = {}
    named = []
    for number, cells in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {f: cells[index] if index < len(cells) else None for f, index in fields.items()}
        if all(_blank(value) for value in cells.values()):
            continue
        try:
            values = _read_row(cells)
            pk = values.pop("id", None)
            if pk is not None:
                if pk in seen:
                    raise RowError(_("รหัส %(id)s ซ้ำกับแถวที่ %(row)s") % {"id": pk, "row": seen[pk]})
                if pk not in existing:
                    raise RowError(_("รหัส %(id)s ไม่ใช่มาตรการในแผนนี้") % {"id": pk})
                seen[pk] = number
                named.append(existing[pk])
                _check_required(values, new=False)
                _check_dates(values, existing[pk])
                if locked and (columns := _content_changes(existing[pk], values)):
                    raise RowError(_("แผนอนุมัติแล้ว แก้ไขได้เฉพาะสถานะและความก้าวหน้า แต่แถวนี้เปลี่ยน %(columns)s") % {
                        "columns": ", ".join(columns)})
                diffs = _diffs(existing[pk], values)
                if diffs:
                    preview.changed.append(Change(number, existing[pk], values, diffs))
                else:
                    preview.unchanged += 1
            else:
                if locked:
                    raise RowError(_("แผนอนุมัติแล้ว จึงเพิ่มแถวใหม่ไม่ได้"))
                _check_required(values, new=True)
                _check_dates(values, None)
                preview.added.append((number, values))
        except RowError as error:
            preview.errors.append((number, str(error)))
    if locked and preview.errors:
        preview.errors.insert(0, (None, locked))
    if preview.added and not FiscalYear.objects.filter(year=assessment.fiscal_year_id + 1).exists():
        preview.errors.append((None, _("ยังไม่มีปีงบประมาณ %(year)s ในข้อมูลอ้างอิง จึงเพิ่มแถวใหม่ไม่ได้") % {
            "year": assessment.fiscal_year_id + 1}))
    if not (preview.added or preview.changed or preview.unchanged or preview.errors):
        preview.errors.append((None, _("ไม่มีแถวข้อมูลใต้หัวตาราง")))
    preview.versions = _digest(named)
    return preview


def _sheet_rows(data):
    """The first sheet's cell values, row by row, with merged ranges filled in."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise RowError(_("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx)")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise RowError(_("ไฟล์นี้ใหญ่เกินไปเมื่อแตกออก จึงไม่อ่าน"))
    try:
        # Read-only mode streams the sheet: a 100,000-row plan takes a fraction of the memory
        # of a full workbook of cell objects.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        merged = _merged_ranges(sheet)
        workbook.close()
    except Exception:  # openpyxl raises many kinds of error for a damaged or foreign file
        raise RowError(_("อ่านไฟล์ Excel ไม่ได้: ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .xlsx")) from None
    # A blank row stays blank even where a merged cell from the row above spans it.
    blank = [i for i, row in enumerate(rows) if all(_blank(value) for value in row)]
    for cells in merged:
        if cells.min_row > len(rows) or cells.min_col > len(rows[cells.min_row - 1]):
            continue
        value = rows[cells.min_row - 1][cells.min_col - 1]
        for r in range(cells.min_row - 1, min(cells.max_row, len(rows))):
            for c in range(cells.min_col - 1, min(cells.max_col, len(rows[r]))):
                rows[r][c] = value
    for index in blank:
        rows[index] = []
    return rows


def _merged_ranges(sheet):
    """The sheet's merged ranges. openpyxl's read-only sheets skip them; they stand after the
    cells in the sheet's XML, read here as a stream (through `_get_source`, openpyxl 3.1.5)."""
    ranges = []
    with sheet._get_source() as source:
        for _event, element in ElementTree.iterparse(source):
            if element.tag == MERGE_CELL:
                ranges.append(CellRange(element.get("ref")))
            element.clear()
    return ranges


def _find_header(rows):
    """(index of the header row, {column index: field}) or (None, None)."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {
            position: HEADER_KEYS[_key(value)]
            for position, value in enumerate(cells)
            if value is not None and _key(value) in HEADER_KEYS
        }
        found = set(columns.values())
        if {"indicator_label", "activity"} <= found:
            return index, columns
    return None, None


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _read_row(cells):
    values = {}
    for name, value in cells.items():
        if name == "id":
            if not _blank(value):
                values["id"] = _whole_number(value, _("รหัส"))
        elif name in Measure.OFFICIAL_COLUMNS:
            values[name] = _text(value, name)
        elif name == "status":
            if not _blank(value):
                values["status"] = _status(value)
        elif name == "progress":
            if not _blank(value):
                values["progress"] = _progress(value)
        else:
            values[name] = None if _blank(value) else _date(value, HEADERS[name])
    return values


def _text(value, name):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    if not text.strip():
        return ""
    limit = MAX_LENGTHS.get(name)
    if limit and len(text) > limit:
        raise RowError(_("ข้อความในคอลัมน์ \"%(column)s\" ยาวเกิน %(limit)s ตัวอักษร") % {
            "column": HEADERS[name], "limit": limit})
    return text


def _whole_number(value, column):
    text = thai.to_arabic(str(value)).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value():
        raise RowError(_("%(column)s \"%(value)s\" ไม่ใช่จำนวนเต็ม") % {"column": column, "value": value})
    return int(number)


def _status(value):
    status = STATUSES.get(str(value).strip())
    if status is None:
        raise RowError(_("สถานะ \"%(value)s\" ไม่ถูกต้อง: ใช้ %(choices)s") % {
            "value": value, "choices": ", ".join(str(label) for label in Measure.Status.labels)})
    return status


def _progress(value):
    text = str(value).strip().rstrip("%").strip()
    number = _whole_number(text, _("ความก้าวหน้า"))
    if not 0 <= number <= 100:
        raise RowError(_("ความก้าวหน้า %(value)s อยู่นอกช่วง 0 ถึง 100") % {"value": number})
    return number


def _date(value, column):
    """A date cell, or text as 24/11/2569, 2026-11-24 or 24 พฤศจิกายน 2569 (BE or CE)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        day, month, year = value.day, value.month, value.year
    else:
        text = thai.to_arabic(str(value)).strip()
        if match := ISO_DATE.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
        elif match := SLASH_DATE.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
        elif (match := THAI_DATE.fullmatch(text)) and match.group(2) in MONTHS:
            day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
        else:
            raise RowError(_("%(column)s \"%(value)s\" อ่านไม่ได้: ใช้รูปแบบ 24/11/2569 หรือ 2026-11-24") % {
                "column": column, "value": value})
    # Thai documents write the Buddhist Era year; no plan is dated before 1857 CE.
    if year > 2400:
        year -= thai.BE_OFFSET
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise RowError(_("%(column)s \"%(value)s\" ไม่มีวันนี้ในปฏิทิน") % {"column": column, "value": value}) from None


def _check_required(values, new):
    for name in ("indicator_label", "activity"):
        if name in values and not values[name]:
            raise RowError(_("คอลัมน์ \"%(column)s\" ว่างไม่ได้") % {"column": HEADERS[name]})
        if new and name not in values:
            raise RowError(_("แถวใหม่ต้องมีคอลัมน์ \"%(column)s\"") % {"column": HEADERS[name]})


def _check_dates(values, measure):
    start = values.get("start_date", measure.start_date if measure else None)
    end = values.get("end_date", measure.end_date if measure else None)
    if start and end and start > end:
        raise RowError(_("วันเริ่มตามแผน (%(start)s) อยู่หลังวันสิ้นสุดตามแผน (%(end)s)") % {
            "start": display_date(start), "end": display_date(end)})


def _content_changes(measure, values):
    """The columns (Thai names) a file row changes beyond its row's status and progress."""
    return [HEADERS[name] for name, value in values.items()
            if name not in Measure.TRACKING_FIELDS and getattr(measure, name) != value]


def _shown(name, value):
    if name == "status":
        return str(Measure.Status(value).label)
    if isinstance(value, datetime.date):
        return display_date(value)
    return "" if value is None else str(value)


def _diffs(measure, values):
    return [
        (HEADERS[name], _shown(name, getattr(measure, name)), _shown(name, value))
        for name, value in values.items()
        if getattr(measure, name) != value
    ]


def _digest(measures):
    text = ",".join(f"{m.pk}:{m.version}" for m in sorted(measures, key=lambda m: m.pk))
    return hashlib.sha256(text.encode()).hexdigest()


def indicator_for(label, indicators):
    """The indicator a label names by number ("ตัวชี้วัดที่ ๙ ..."), or None.

    `indicators` maps number -> Indicator of the assessment's year."""
    match = INDICATOR_NUMBER.search(label)
    return indicators.get(int(thai.to_arabic(match.group(1)))) if match else None


class StaleImport(Exception):
    """A row of the file was changed by someone else after the preview was made."""


@transaction.atomic
def apply_plan(preview, assessment, user):
    """Write a preview without errors: its new rows and its changes, all or nothing.
    ChangeRefused when the plan no longer accepts them (approved or past since the preview)."""
    assert preview.can_apply
    tracking_only = not preview.added and not any(_content_changes(c.measure, c.values) for c in preview.changed)
    plan = Plan.objects.of_assessment(assessment)
    Plan.objects.lock(plan.pk, Plan.TRACKING if tracking_only else Plan.CONTENT)
    indicators = {i.number: i for i in assessment.fiscal_year.indicators.all()}
    now = timezone.now()
    reason = "นำเข้าจากไฟล์ Excel"  # stored with the history rows, so not in the reader's language
    history = {"batch_size": BATCH, "default_user": user, "default_change_reason": reason}
    # Written a batch at a time so that a 100,000-row file never holds every model object
    # and its history record in memory at once.
    fields = {"version", "updated_at"}
    for change in preview.changed:
        fields.update(change.values)
        if "indicator_label" in change.values:
            fields.add("indicator")
    for start in range(0, len(preview.changed), BATCH):
        changes = preview.changed[start:start + BATCH]
        # Locked until the end of the transaction: a row someone saved since the preview stops it.
        versions = dict(
            Measure.objects.select_for_update()
            .filter(pk__in=[change.measure.pk for change in changes]).values_list("pk", "version")
        )
        for change in changes:
            measure = change.measure
            if versions.get(measure.pk) != measure.version:
                raise StaleImport
            for name, value in change.values.items():
                setattr(measure, name, value)
            if "indicator_label" in change.values:
                measure.indicator = indicator_for(measure.indicator_label, indicators)
            measure.version += 1
            measure.updated_at = now
        bulk_update_with_history([c.measure for c in changes], Measure, sorted(fields), **history)
    last = Measure.objects.filter(assessment=assessment).aggregate(
        block=Max("block"), position=Max("position")
    )
    position = last["position"] or 0
    for start in range(0, len(preview.added), BATCH):
        batch = []
        for _row, values in preview.added[start:start + BATCH]:
            position += 1
            batch.append(Measure(
                plan=plan,
                assessment=assessment,
                fiscal_year_id=assessment.fiscal_year_id + 1,
                indicator=indicator_for(values["indicator_label"], indicators),
                block=last["block"] or 1,
                position=position,
                updated_at=now,
                **values,
            ))
        bulk_create_with_history(batch, Measure, **history)
    return len(preview.added), len(preview.changed)
