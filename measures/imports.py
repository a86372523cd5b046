"""Import a plan from an .xlsx file: read and check everything first, write all of it or nothing.

`read_plan` turns the file into a `Preview` (rows to add, rows that change and how, every faulty
row with its reason in Thai) without writing anything. `apply_plan` writes a preview that has no
error in one transaction, through simple_history's bulk helpers so that every row keeps its
history, and bumps each changed row's `version` so that an editor's form opened before the
import is refused instead of overwriting it.

What the reader tolerates: a title above the header row, the columns in any order under the
names the official table and hand-made files use (a column it does not recognise is named in
the preview as ignored), Thai or Arabic digits, merged cells (the value fills the whole range),
blank rows, and the apostrophe the export puts before text that starts like a formula. A date
cell in a text column (ระยะเวลา) becomes a Thai date ("๑ ตุลาคม ๒๕๖๘"); a formula cell whose
value was never calculated (a file written by a program, not saved by Excel) is an error with
its cell address, never empty text. A column that the file leaves out is left as it is; a blank
cell in a column that is there means empty text or no date, and keeps the current status and
percent.

A row's status and progress follow the row's own rules (Measure.tracking_errors: done means
100 %, not started means 0 %, the end not before the start), as in the forms: a row that breaks
them is an error of the file. A row given progress but no status that was not started becomes
in progress.

The responsible text is mapped to the organisation's units by assessments.responsible, the
function the seed's loader uses: a new row gets the units it names (or every unit), a changed
responsible text re-files its row where the new text names units; what names no unit is listed
in the preview and leaves the units as they are.
"""

import copy
import datetime
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lib.i18n import display_date
from assessments.models import FiscalYear
from assessments.responsible import match_units
from audit.log import record_changes
from lib import thai
from lib.formulas import FORMULA_STARTS
from lib.names import label_number
from lib.spreadsheets import UnreadableFile, sheet_rows_and_formulas
from lib.spreadsheets import blank as _blank

from .models import Measure, Plan
from .notices import units_assigned_by_import

HEADER_SEARCH_ROWS = 30
BATCH = 1000

MAX_LENGTHS = {"indicator_label": 300, "period": 200, "responsible": 300} | {
    name: Measure.LONG_TEXT_MAX_LENGTH for name in ("analysis", "activity", "method")
}
# (field, Thai header, column width in characters). The import finds columns by these names, which
# the export (reports/exports.py) writes, so they are fixed Thai, not translated: a file keeps
# importing whatever the reader's language.
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
HEADERS = {field: title for field, title, _ in PLAN_COLUMNS}
# Other names the official table and hand-made files use for the same columns.
ALIASES = {
    "id": ["รหัสมาตรการ", "id"],
    "indicator_label": ["ตัวชี้วัดที่"],
    "analysis": ["ผลการวิเคราะห์ผลการประเมิน", "ผลการวิเคราะห์ผลการประเมิน ITA", "ผลการวิเคราะห์ข้อมูล"],
    "activity": ["มาตรการ", "มาตรการ/แนวทาง", "โครงการ/กิจกรรม", "มาตรการ/โครงการ", "โครงการ/กิจกรรม/มาตรการ"],
    "method": ["วิธีดำเนินการ", "วิธีการดำเนินงาน", "วิธีการ"],
    "period": ["ระยะเวลาดำเนินการ", "ระยะเวลาดำเนินงาน", "ระยะเวลาการดำเนินการ", "ระยะเวลาการดำเนินงาน"],
    "responsible": ["หน่วยงานที่รับผิดชอบ", "หน่วยงานรับผิดชอบ", "หน่วยงานผู้รับผิดชอบ", "ผู้รับผิดชอบหลัก"],
    "progress": ["ความก้าวหน้า", "ร้อยละความก้าวหน้า"],
    "start_date": ["วันเริ่ม", "วันที่เริ่ม"],
    "end_date": ["วันสิ้นสุด", "วันที่สิ้นสุด"],
}
STATUSES = {str(label): value for value, label in Measure.Status.choices} | {
    value: value for value in Measure.Status.values
}


def _key(text):
    return re.sub(r"\s+", "", str(text)).lower()


HEADER_KEYS = {_key(title): field for field, title in HEADERS.items()} | {
    _key(alias): field for field, names in ALIASES.items() for alias in names
}


class RowError(ValueError):
    """A cell that cannot be read; the message says why in Thai."""


UNITS_COLUMN = "สำนัก/กองที่รับผิดชอบ"


@dataclass
class Change:
    row: int
    measure: Measure
    values: dict
    diffs: list  # (Thai column name, old text, new text)
    units: object = None  # a UnitMatch when the new responsible text re-files the row


@dataclass
class Preview:
    added: list = field(default_factory=list)  # (Excel row number, values)
    changed: list = field(default_factory=list)  # Change
    errors: list = field(default_factory=list)  # (Excel row number or None for the file, message)
    unchanged: int = 0
    versions: str = ""  # digest of the version of every existing row the file names
    columns: list = field(default_factory=list)  # (field, Thai name) of every column written
    ignored: list = field(default_factory=list)  # headers not recognised, with their column letter
    units: dict = field(default_factory=dict)  # Excel row number -> UnitMatch, for the new rows
    unmapped: list = field(default_factory=list)  # (Excel row number, responsible text naming no unit)

    @property
    def can_apply(self):
        return not self.errors and bool(self.added or self.changed)

    def added_rows(self):
        """Each new row as the preview shows it: (Excel row, [(column title, text) of every
        column written], the units it will be filed under)."""
        for number, values in self.added:
            cells = [(title, _shown(name, values.get(name))) for name, title in self.columns]
            yield number, cells, _units_text(self.units.get(number))


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
        rows, uncalculated = sheet_rows_and_formulas(data)
    except UnreadableFile as error:
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
    preview.columns = [(name, HEADERS[name]) for name in HEADERS if name in fields and name != "id"]
    preview.ignored = [
        _("%(header)s (คอลัมน์ %(column)s)") % {"header": str(value).strip(), "column": get_column_letter(index + 1)}
        for index, value in enumerate(rows[header_at])
        if index not in columns and not _blank(value)
    ]
    existing = {
        m.pk: m for m in Measure.objects.filter(assessment=assessment).only(
            "id", "version", "status", "progress", "start_date", "end_date", "for_all_units",
            *Measure.OFFICIAL_COLUMNS
        )
    }
    # A retired unit takes no new rows (it has left the pickers too): its name is listed as unmapped.
    units = list(assessment.organisation.units.active())
    seen = {}
    named = []
    for number, cells in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {f: cells[index] if index < len(cells) else None for f, index in fields.items()}
        if all(_blank(value) for value in cells.values()):
            continue
        try:
            for name, index in fields.items():
                if (number, index + 1) in uncalculated:
                    raise RowError(_(
                        "ช่อง %(cell)s (คอลัมน์ \"%(column)s\") เป็นสูตรที่ไม่มีค่าที่คำนวณไว้: "
                        "เปิดไฟล์ใน Excel แล้วบันทึกใหม่ หรือพิมพ์ค่าแทนสูตร"
                    ) % {"cell": f"{get_column_letter(index + 1)}{number}", "column": HEADERS[name]})
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
                _started_by_progress(values, existing[pk])
                _check_tracking(values, existing[pk])
                if locked and (columns := _content_changes(existing[pk], values)):
                    raise RowError(_("แผนอนุมัติแล้ว แก้ไขได้เฉพาะสถานะและความก้าวหน้า แต่แถวนี้เปลี่ยน %(columns)s") % {
                        "columns": ", ".join(columns)})
                diffs = _diffs(existing[pk], values)
                if diffs:
                    change = Change(number, existing[pk], values, diffs)
                    if values.get("responsible", existing[pk].responsible) != existing[pk].responsible:
                        change.units = _match(preview, number, values["responsible"], units)
                    preview.changed.append(change)
                else:
                    preview.unchanged += 1
            else:
                if locked:
                    raise RowError(_("แผนอนุมัติแล้ว จึงเพิ่มแถวใหม่ไม่ได้"))
                _check_required(values, new=True)
                _started_by_progress(values, None)
                _check_tracking(values, None)
                preview.added.append((number, values))
                preview.units[number] = _match(preview, number, values.get("responsible", ""), units)
        except RowError as error:
            preview.errors.append((number, str(error)))
    if locked and preview.errors:
        preview.errors.insert(0, (None, locked))
    if preview.added and not FiscalYear.objects.filter(year=assessment.fiscal_year_id + 1).exists():
        preview.errors.append((None, _("ยังไม่มีปีงบประมาณ %(year)s ในข้อมูลอ้างอิง จึงเพิ่มแถวใหม่ไม่ได้") % {
            "year": assessment.fiscal_year_id + 1}))
    if not (preview.added or preview.changed or preview.unchanged or preview.errors):
        preview.errors.append((None, _("ไม่มีแถวข้อมูลใต้หัวตาราง")))
    _show_unit_changes(preview.changed)
    preview.versions = _digest(named)
    return preview


def _match(preview, number, text, units):
    """The units a row's responsible text names, noting in the preview what names none."""
    match = match_units(text, units)
    preview.unmapped += [(number, part) for part in match.unmapped]
    return match


def _units_text(match):
    if match is None or not match.mapped:
        return "–"
    return str(Measure._meta.get_field("for_all_units").verbose_name) if match.for_all_units else ", ".join(
        unit.name for unit in match.units)


def _show_unit_changes(changes):
    """Add "สำนัก/กองที่รับผิดชอบ: old -> new" to the changes whose responsible text re-files the
    row; one query for all of them, and none when there is none."""
    refiled = [change for change in changes if change.units is not None and change.units.mapped]
    if not refiled:
        return
    current = {}
    for measure_id, name in Measure.units.through.objects.filter(
        measure_id__in=[change.measure.pk for change in refiled]
    ).order_by("unit__position", "unit__name").values_list("measure_id", "unit__name"):
        current.setdefault(measure_id, []).append(name)
    for change in refiled:
        measure = change.measure
        old = str(Measure._meta.get_field("for_all_units").verbose_name) if measure.for_all_units else (
            ", ".join(current.get(measure.pk, [])) or "–")
        new = _units_text(change.units)
        if old != new:
            change.diffs.append((UNITS_COLUMN, old, new))


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
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        # A date typed in ระยะเวลา: the plan's text, as Thai documents write a date.
        value = thai.thai_date(value, thai_digits=True)
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
    """A date cell, or text as 24/11/2569, 2026-11-24 or 24 พฤศจิกายน 2569 (thai.parse_date)."""
    try:
        return thai.parse_date(value)
    except thai.DateError as error:
        message = {
            "format": _("%(column)s \"%(value)s\" อ่านไม่ได้: ใช้รูปแบบ 24/11/2569 หรือ 2026-11-24"),
            "calendar": _("%(column)s \"%(value)s\" ไม่มีวันนี้ในปฏิทิน"),
            "range": _("%(column)s \"%(value)s\" อยู่นอกช่วงปี พ.ศ. 2500 ถึง 2700"),
        }[error.code]
        raise RowError(message % {"column": column, "value": value}) from None


def _check_required(values, new):
    for name in ("indicator_label", "activity"):
        if name in values and not values[name]:
            raise RowError(_("คอลัมน์ \"%(column)s\" ว่างไม่ได้") % {"column": HEADERS[name]})
        if new and name not in values:
            raise RowError(_("แถวใหม่ต้องมีคอลัมน์ \"%(column)s\"") % {"column": HEADERS[name]})


def _started_by_progress(values, measure):
    """A row the file gives progress but no status (no status column, or a blank cell): a row
    not started that has progress has started, so it becomes in progress. Any other status
    stays, and the row's rules below judge it with its new progress."""
    current = measure.status if measure else Measure.Status.NOT_STARTED
    if "status" not in values and values.get("progress") and current == Measure.Status.NOT_STARTED:
        values["status"] = Measure.Status.IN_PROGRESS


def _check_tracking(values, measure):
    """The row's own rules (Measure.tracking_errors) on the row as the file would leave it: a
    column the file lacks keeps the row's value, and a new row starts not started at 0 %."""
    row = copy.copy(measure) if measure else Measure()
    for name in ("status", "progress", "start_date", "end_date"):
        if name in values:
            setattr(row, name, values[name])
    errors = row.tracking_errors()
    if "end_date" in errors:
        raise RowError(_("วันเริ่มตามแผน (%(start)s) อยู่หลังวันสิ้นสุดตามแผน (%(end)s)") % {
            "start": display_date(row.start_date), "end": display_date(row.end_date)})
    if errors:
        raise RowError(" ".join(error.messages[0] for error in errors.values()))


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
    """The indicator a label names by number ("ตัวชี้วัดที่ ๙ ...", "ตัวชี้วัด ๙"), or None, read by
    lib.names.label_number as the data-quality check reads it.

    `indicators` maps number -> Indicator of the assessment's year."""
    number = label_number(label)
    return indicators.get(number) if number is not None else None


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
        if change.units is not None and change.units.mapped:
            fields.add("for_all_units")
    newly_given = Counter()  # unit: rows the file gives it that it did not have
    for start in range(0, len(preview.changed), BATCH):
        changes = preview.changed[start:start + BATCH]
        # Locked until the end of the transaction: a row someone saved since the preview stops it.
        versions = dict(
            Measure.objects.select_for_update()
            .filter(pk__in=[change.measure.pk for change in changes]).values_list("pk", "version")
        )
        refiled = {}
        before = []
        for change in changes:
            measure = change.measure
            if versions.get(measure.pk) != measure.version:
                raise StaleImport
            before.append(copy.copy(measure))
            for name, value in change.values.items():
                setattr(measure, name, value)
            if "indicator_label" in change.values:
                measure.indicator = indicator_for(measure.indicator_label, indicators)
            if change.units is not None and change.units.mapped:
                measure.for_all_units = change.units.for_all_units
                refiled[measure.pk] = change.units.units
            measure.version += 1
            measure.updated_at = now
        bulk_update_with_history([c.measure for c in changes], Measure, sorted(fields), **history)
        had = set(Measure.units.through.objects.filter(measure_id__in=refiled).values_list("measure_id", "unit_id"))
        newly_given.update(unit for pk, units in refiled.items() for unit in units if (pk, unit.pk) not in had)
        Measure.units.through.objects.filter(measure_id__in=refiled).delete()
        _add_units(refiled)
        _record_units([c.measure.pk for c in changes])
        # Bulk writes send no model signals: the audit log gets its entries here.
        record_changes(zip(before, [c.measure for c in changes]), actor=user,
                       organisation_id=assessment.organisation_id, fields=sorted(fields))
    # After the last row, binned ones included (they come back to their place when restored);
    # the plan's lock above keeps a simultaneous add from taking the same positions.
    last = Measure.all_objects.filter(assessment=assessment).aggregate(
        block=Max("block"), position=Max("position")
    )
    position = last["position"] or 0
    for start in range(0, len(preview.added), BATCH):
        batch, units = [], []
        for row, values in preview.added[start:start + BATCH]:
            position += 1
            match = preview.units.get(row)
            batch.append(Measure(
                plan=plan,
                assessment=assessment,
                fiscal_year_id=assessment.fiscal_year_id + 1,
                indicator=indicator_for(values["indicator_label"], indicators),
                block=last["block"] or 1,
                position=position,
                updated_at=now,
                for_all_units=bool(match and match.for_all_units),
                **values,
            ))
            units.append(match.units if match else [])
        created = bulk_create_with_history(batch, Measure, **history)
        record_changes(((None, measure) for measure in created), actor=user,
                       organisation_id=assessment.organisation_id)
        _add_units({measure.pk: found for measure, found in zip(created, units) if found})
        newly_given.update(unit for found in units for unit in found)
        _record_units([measure.pk for measure in created])
    plan.refresh_progress()
    units_assigned_by_import(plan, newly_given, by=user)
    return len(preview.added), len(preview.changed)


def _add_units(units_of):
    """Link each measure ({pk: [Unit, ...]}) to its units, in one query."""
    through = Measure.units.through
    through.objects.bulk_create(
        through(measure_id=pk, unit_id=unit.pk) for pk, units in units_of.items() for unit in units
    )


def _record_units(pks):
    """Keep each measure's units with the history record the import just wrote for it, as
    every save through the portal does (measures.models.UnitsWithTheRow): simple_history's bulk
    helpers write no units, and the row's history would then show its units as removed."""
    if not pks:
        return
    latest = {}
    for history_id, pk in Measure.history.filter(id__in=pks).order_by("id", "-history_id").values_list(
        "history_id", "id"
    ):
        latest.setdefault(pk, history_id)
    links = Measure.units.through.objects.filter(measure_id__in=pks).values_list("id", "measure_id", "unit_id")
    UnitsHistory = Measure.history.model._meta.get_field("historicalmeasure_units").related_model
    UnitsHistory.objects.bulk_create(
        UnitsHistory(history_id=latest[measure_id], id=link_id, measure_id=measure_id, unit_id=unit_id)
        for link_id, measure_id, unit_id in links
    )
