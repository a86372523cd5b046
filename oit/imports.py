"""Import an OIT checklist that an organisation already keeps (.xlsx or .csv), as the plan import
does: find the header row wherever it is, read the columns under the words organisations use,
show what the file would do, then write all of it or nothing.

Columns (any order, any header row among the first 30): the item's code (ข้อ, รหัส), its title
(หัวข้อ, รายการ: shown, not stored: the title is the reference data's), its URL(s) (URL, ลิงก์;
trimmed, several in one cell separated by spaces or lines), the responsible unit (หน่วยงาน,
ผู้รับผิดชอบ: matched to the organisation's units by assessments.responsible) and the internal
verdict (ผลตรวจ, ผลการตรวจสอบ, สถานะ: ผ่าน or ไม่ผ่าน, or a status ยังไม่เริ่ม, กำลังจัดทำ,
เผยแพร่แล้ว). Codes are read as written in the wild: o1, O1, o๑, ๐๑ (a PDF's o turned into ๐).
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter

from lib import thai
from assessments.responsible import match_units
from lib.spreadsheets import UnreadableFile, blank, table_rows

from .forms import URL_MAX_LENGTH
from .models import Item, Link

HEADER_SEARCH_ROWS = 30
COLUMNS = {
    "code": ["ข้อ", "รหัส", "รหัสข้อ", "ข้อที่", "code"],
    "title": ["หัวข้อ", "รายการ", "ชื่อข้อ", "ชื่อรายการ"],
    "url": ["url", "ลิงก์", "ลิงค์", "link", "ลิงก์ที่เผยแพร่"],
    "unit": ["หน่วยงาน", "ผู้รับผิดชอบ", "หน่วยงานที่รับผิดชอบ", "หน่วยงานผู้รับผิดชอบ", "สำนัก/กองที่รับผิดชอบ"],
    "verdict": ["ผลตรวจ", "ผลการตรวจสอบ", "ผลการตรวจ", "สถานะ"],
}
COLUMN_TITLES = {"code": "ข้อ", "title": "หัวข้อ", "url": "URL", "unit": "หน่วยงาน", "verdict": "ผลตรวจ"}
CODE = re.compile(r"^(?:[oO]\s*|0)0*(\d{1,3})$")  # after Thai digits are read: ๐๘ is 08
SEPARATORS = re.compile(r"[\s,]+")
IMPORT_COMMENT = "นำเข้าจากไฟล์รายการ OIT"  # stored, so not in the reader's language


def _key(text):
    return re.sub(r"\s+", "", str(text)).lower()


HEADER_KEYS = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
VERDICTS = {str(label): value for value, label in Item.Review.choices}
STATUSES = {str(label): value for value, label in Item.Status.choices}


class RowError(ValueError):
    pass


@dataclass
class Row:
    number: int  # the row in the file
    item: Item
    title: str = ""
    urls: list = field(default_factory=list)  # the URLs the item does not have yet
    units: object = None  # a UnitMatch, when the file names units
    review: str = ""
    status: str = ""

    @property
    def verdict_text(self):
        """The review or status the row sets, in words."""
        if self.review:
            return Item.Review(self.review).label
        return Item.Status(self.status).label if self.status else ""

    @property
    def units_text(self):
        return ", ".join(unit.name for unit in self.units.units) if self.units and self.units.mapped else ""


@dataclass
class Preview:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number or None for the file, message)
    columns: list = field(default_factory=list)  # the Thai titles of the columns read
    ignored: list = field(default_factory=list)  # headers not recognised, with their column letter
    unmapped: list = field(default_factory=list)  # (row, unit text naming no unit)

    @property
    def can_apply(self):
        return not self.errors and bool(self.rows)


def normalise_code(value):
    """"o1", "O1", "o๑", "๐๑", "O 01" -> "o1"; None for anything else."""
    match = CODE.match(thai.to_arabic(str(value)).strip())
    return f"o{int(match.group(1))}" if match else None


def _find_header(rows):
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {position: HEADER_KEYS[_key(value)] for position, value in enumerate(cells)
                   if not blank(value) and _key(value) in HEADER_KEYS}
        found = list(columns.values())
        if "code" in found and len(set(found)) > 1:
            return index, columns
    return None, None


def read_checklist(data, filename, workspace, user=None):
    """What the file would do to the workspace; writes nothing. `user` is who would write it:
    a verdict on an item they prepared themselves is refused (the review is someone else's)."""
    preview = Preview()
    try:
        rows, header_at, columns = table_rows(data, filename, _find_header)
    except UnreadableFile as error:
        preview.errors.append((None, str(error)))
        return preview
    if header_at is None:
        preview.errors.append((None, _(
            "ไม่พบแถวหัวตาราง: ต้องมีคอลัมน์ %(code)s และอย่างน้อยหนึ่งคอลัมน์ของ %(others)s ภายใน %(rows)s แถวแรก"
        ) % {"code": "ข้อ/รหัส", "others": "หัวข้อ, URL, หน่วยงาน, ผลตรวจ", "rows": HEADER_SEARCH_ROWS}))
        return preview
    names = list(columns.values())
    duplicates = sorted({COLUMN_TITLES[name] for name in names if names.count(name) > 1})
    if duplicates:
        preview.errors.append((None, _("คอลัมน์ซ้ำกัน: %(names)s") % {"names": ", ".join(duplicates)}))
        return preview
    fields = {name: index for index, name in columns.items()}
    preview.columns = [COLUMN_TITLES[name] for name in COLUMNS if name in fields]
    preview.ignored = [
        _("%(header)s (คอลัมน์ %(column)s)") % {"header": str(value).strip(), "column": get_column_letter(index + 1)}
        for index, value in enumerate(rows[header_at]) if index not in columns and not blank(value)
    ]
    items = {item.code: item for item in workspace.items.select_related("question").prefetch_related("links")}
    units = list(workspace.organisation.units.active())
    seen = {}
    for number, cells in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {name: cells[index] if index < len(cells) else None for name, index in fields.items()}
        if all(blank(value) for value in values.values()):
            continue
        try:
            preview.rows.append(_read_row(number, values, items, units, seen, preview, user))
        except RowError as error:
            preview.errors.append((number, str(error)))
    if not (preview.rows or preview.errors):
        preview.errors.append((None, _("ไม่มีแถวข้อมูลใต้หัวตาราง")))
    return preview


def _read_row(number, values, items, units, seen, preview, user):
    code = normalise_code(values["code"]) if not blank(values["code"]) else None
    if code is None:
        raise RowError(_("ข้อ \"%(value)s\" อ่านไม่ได้: เขียนเป็น %(examples)s") % {
            "value": values["code"] or "", "examples": "o1, O1, o๑"})
    item = items.get(code)
    if item is None:
        raise RowError(_("ไม่มีข้อ %(code)s ในรายการ OIT ของปีนี้") % {"code": code.upper()})
    if code in seen:
        raise RowError(_("ข้อ %(code)s ซ้ำกับแถวที่ %(row)s") % {"code": code.upper(), "row": seen[code]})
    seen[code] = number
    row = Row(number, item, title="" if blank(values.get("title")) else str(values["title"]).strip())
    if not blank(values.get("url")):
        have = {link.url for link in item.links.all()}
        for url in SEPARATORS.split(str(values["url"]).strip()):
            if len(url) > URL_MAX_LENGTH:
                raise RowError(_("ลิงก์ยาวเกิน %(limit)s ตัวอักษร") % {"limit": URL_MAX_LENGTH})
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise RowError(_("ลิงก์ \"%(url)s\" ไม่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://)") % {
                    "url": url[:120]}) from None
            if url not in have and url not in row.urls:
                row.urls.append(url)
    if not blank(values.get("unit")):
        row.units = match_units(str(values["unit"]), units)
        preview.unmapped += [(number, part) for part in row.units.unmapped]
    if not blank(values.get("verdict")):
        verdict = str(values["verdict"]).strip()
        if verdict in VERDICTS:
            row.review = VERDICTS[verdict]
        elif verdict in STATUSES:
            row.status = STATUSES[verdict]
        else:
            raise RowError(_("ผลตรวจ \"%(value)s\" อ่านไม่ได้: ใช้ %(choices)s") % {
                "value": verdict, "choices": ", ".join([*VERDICTS, *STATUSES])})
        if row.review and user is not None and item.prepared_by_id == user.pk:
            raise RowError(_("ข้อ %(code)s จัดทำโดยผู้นำเข้าเอง จึงบันทึกผลตรวจของข้อนี้ไม่ได้") % {
                "code": code.upper()})
    return row


@transaction.atomic
def apply_checklist(preview, workspace, user=None):
    """Write a preview without errors, all of it or nothing; returns the number of items changed.
    Each item is saved on its own, so every change is in the audit log and the item's history."""
    assert preview.can_apply
    changed = 0
    now = timezone.now()
    for row in preview.rows:
        item = Item.objects.select_for_update().get(pk=row.item.pk)
        fields = []
        for url in row.urls:
            Link.objects.create(item=item, url=url, added_by=user)
        if row.units is not None and row.units.mapped:
            item.units.set(row.units.units)
        if row.status and row.status != item.status:
            item.status = row.status
            fields.append("status")
        if row.review:
            item.review, item.review_comment, item.reviewed_by, item.reviewed_at = row.review, IMPORT_COMMENT, user, now
            fields += ["review", "review_comment", "reviewed_by", "reviewed_at"]
        if fields:
            item.save(update_fields=[*fields, "updated_at"])
        changed += bool(fields or row.urls or (row.units is not None and row.units.mapped))
    return changed
