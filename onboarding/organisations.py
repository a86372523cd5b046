"""New organisations, one from a form or many from a file, with the same checks for both.

`check_entries(entries, area)` checks what would be created and writes every problem beside
the line (in Thai); `read_file(data, filename, area)` reads a file as a province would type it
into such entries; `organisations_create(entries)` writes them, all in one transaction.

What a file may look like: an .xlsx or .csv (UTF-8 with or without BOM, UTF-16, Windows-874 /
TIS-620), a title above the header row (found within the first 30 rows), the columns in any
order under their Thai names or a few variants, with stray spaces, unknown columns ignored,
blank lines skipped, units in one cell separated by commas, semicolons or line breaks
(numbered "1." or "๑)" or not), Thai or Arabic digits, "อบต." or "องค์การบริหารส่วนตำบล"
written either way.
"""

import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.models import Membership
from accounts.services import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, NewPerson, emails_in_use, people_create
from assessments.models import Organisation, ResultsVersion, Unit
from lib import places, thai
from lib.spreadsheets import UnreadableFile, blank, table_rows

HEADER_SEARCH_ROWS = 30
MAX_LINES = 2000
Kind = Organisation.Kind

# The file's columns by their Thai names (the file is Thai whatever the reader's language).
COLUMNS = {
    "name": "ชื่อหน่วยงาน",
    "short_name": "ชื่อย่อ",
    "kind": "ประเภท",
    "district": "อำเภอ",
    "province": "จังหวัด",
    "units": "สำนัก/กอง",
    "admin_name": "ชื่อผู้ดูแลระบบ",
    "admin_email": "อีเมลผู้ดูแลระบบ",
}
# The same columns as messages name them, in the reader's language.
LABELS = {
    "name": gettext_lazy("ชื่อหน่วยงาน"),
    "short_name": gettext_lazy("ชื่อย่อ"),
    "kind": gettext_lazy("ประเภท"),
    "district": gettext_lazy("อำเภอ"),
    "province": gettext_lazy("จังหวัด"),
    "units": gettext_lazy("สำนัก/กอง"),
    "admin_name": gettext_lazy("ชื่อผู้ดูแลระบบ"),
    "admin_email": gettext_lazy("อีเมลผู้ดูแลระบบ"),
}
# Other names hand-made files give the same columns.
ALIASES = {
    "name": ["หน่วยงาน", "ชื่อองค์กรปกครองส่วนท้องถิ่น", "องค์กรปกครองส่วนท้องถิ่น", "ชื่อ อปท.", "อปท.",
             "ชื่อองค์กร", "ชื่อหน่วยงานเต็ม"],
    "short_name": ["ชื่อย่อหน่วยงาน", "ชื่อหน่วยงาน (ย่อ)", "ชื่อย่อ อปท."],
    "kind": ["ประเภทหน่วยงาน", "ประเภท อปท.", "ประเภทองค์กรปกครองส่วนท้องถิ่น", "รูปแบบ"],
    "district": ["อำเภอ/เขต", "เขต"],
    "province": ["จังหวัด/กรุงเทพมหานคร"],
    "units": ["สำนัก/กองงาน", "กอง/สำนัก", "ส่วนราชการ", "หน่วยงานย่อย", "สำนักและกอง"],
    "admin_name": ["ผู้ดูแลระบบ", "ชื่อ-นามสกุลผู้ดูแลระบบ", "ชื่อ-สกุลผู้ดูแลระบบ", "ชื่อผู้ดูแล", "ผู้ดูแล",
                   "ชื่อ-นามสกุล", "ชื่อ-สกุล", "ชื่อผู้รับผิดชอบ"],
    "admin_email": ["อีเมล", "อีเมล์", "อีเมล์ผู้ดูแลระบบ", "อีเมลผู้ดูแล", "e-mail", "email",
                    "e-mail ผู้ดูแลระบบ", "email ผู้ดูแลระบบ", "อีเมลผู้รับผิดชอบ"],
}
REQUIRED = ["name", "admin_name", "admin_email"]
KINDS = {
    "อบต": Kind.SAO, "องค์การบริหารส่วนตำบล": Kind.SAO,
    "เทศบาล": Kind.MUNICIPALITY, "ทต": Kind.MUNICIPALITY, "ทม": Kind.MUNICIPALITY, "ทน": Kind.MUNICIPALITY,
    "เทศบาลตำบล": Kind.MUNICIPALITY, "เทศบาลเมือง": Kind.MUNICIPALITY, "เทศบาลนคร": Kind.MUNICIPALITY,
    "อบจ": Kind.PAO, "องค์การบริหารส่วนจังหวัด": Kind.PAO,
    "อื่นๆ": Kind.OTHER, "อื่น": Kind.OTHER, "หน่วยงานอื่น": Kind.OTHER,
}
# (abbreviation as names are written, full prefix, kind); a name is stored with its full prefix.
PREFIXES = [
    ("อบต.", "องค์การบริหารส่วนตำบล", Kind.SAO),
    ("อบจ.", "องค์การบริหารส่วนจังหวัด", Kind.PAO),
    ("ทต.", "เทศบาลตำบล", Kind.MUNICIPALITY),
    ("ทม.", "เทศบาลเมือง", Kind.MUNICIPALITY),
    ("ทน.", "เทศบาลนคร", Kind.MUNICIPALITY),
]
UNIT_SEPARATORS = re.compile(r"[,;\n\r]+")
LIST_MARK = re.compile(r"^(?:[0-9๐-๙]{1,3}\s*[.)]|[-•*])\s*")
SPACES = re.compile(r"\s+")
MAX_LENGTHS = {"name": 200, "short_name": 100, "district": 100, "admin_name": NAME_MAX_LENGTH,
               "admin_email": EMAIL_MAX_LENGTH}


def _key(text):
    return re.sub(r"[\s.\-_:*()\[\]/\u200b]+", "", str(text)).lower()


HEADER_KEYS = {_key(title): name for name, title in COLUMNS.items()} | {
    _key(alias): name for name, aliases in ALIASES.items() for alias in aliases
}


def squeeze(text):
    return SPACES.sub(" ", str(text or "")).strip()


def full_name(name):
    """ "อบต.วังหมี" -> "องค์การบริหารส่วนตำบลวังหมี"; other names as they are."""
    for short, full, _kind in PREFIXES:
        for written in (short, short.rstrip(".")) if short in ("อบต.", "อบจ.") else (short,):
            if name.startswith(written):
                return full + name[len(written):].lstrip()
    return name


def short_name_of(name):
    """ "องค์การบริหารส่วนตำบลวังหมี" -> "อบต.วังหมี"; "" for a name without a known prefix."""
    for short, full, _kind in PREFIXES:
        if name.startswith(full) and len(name) > len(full):
            return short + name[len(full):].lstrip()
    return ""


def kind_of_name(name):
    if name.startswith("เทศบาล"):
        return Kind.MUNICIPALITY
    for _short, full, kind in PREFIXES:
        if name.startswith(full):
            return kind
    return None


def name_key(name):
    """What makes two names the same organisation: spaces and the digit system do not count."""
    return thai.to_arabic(re.sub(r"\s+", "", full_name(name)))


def split_units(text):
    """ "1. สำนักปลัด\\n2. กองคลัง; กองช่าง" -> ["สำนักปลัด", "กองคลัง", "กองช่าง"]."""
    units = []
    for part in UNIT_SEPARATORS.split(str(text or "")):
        part = squeeze(LIST_MARK.sub("", part.strip()))
        if part:
            units.append(part)
    return units


@dataclass
class Entry:
    """One organisation to create, with its first admin, as read from a line or a form."""

    line: int = 0
    name: str = ""
    short_name: str = ""
    kind: str = ""
    district: str = ""
    province: str = ""
    units: list = field(default_factory=list)
    admin_name: str = ""
    admin_email: str = ""
    errors: list = field(default_factory=list)  # (column, message)

    def error(self, column, message):
        self.errors.append((column, message))

    @property
    def messages(self):
        return [message for _column, message in self.errors]

    @property
    def kind_label(self):
        return Kind(self.kind).label if self.kind else ""


def entry_from(values, area, line=0):
    """An Entry from the raw text of each column ({column: text}), every problem noted."""
    entry = Entry(line=line)
    raw = _read_texts(entry, values, [name for name in COLUMNS if name != "units"])
    raw["units"] = values.get("units")  # its line breaks separate the units
    _read_name_and_kind(entry, raw)
    _read_place(entry, raw, area)
    _read_units(entry, raw["units"])
    _read_admin(entry, raw)
    return entry


def _read_texts(entry, values, names):
    """The columns `names` of `values`, their spaces squeezed, each cut to its length limit with
    an error that says so."""
    raw = {name: squeeze(values.get(name)) for name in names}
    for name in names:
        limit = MAX_LENGTHS.get(name)
        if limit and len(raw[name]) > limit:
            entry.error(name, _("%(column)s ยาวเกิน %(limit)s ตัวอักษร") % {"column": LABELS[name], "limit": limit})
            raw[name] = raw[name][:limit]
    return raw


def _read_name_and_kind(entry, raw):
    if not raw["name"]:
        entry.error("name", _("ต้องมีชื่อหน่วยงาน"))
    entry.name = full_name(raw["name"])
    limit = MAX_LENGTHS["name"]
    if len(entry.name) > limit >= len(raw["name"]):  # "อบต." written out made it too long
        entry.error("name", _("%(column)s ยาวเกิน %(limit)s ตัวอักษร") % {"column": LABELS["name"], "limit": limit})
    derived = short_name_of(entry.name)
    entry.short_name = raw["short_name"] or (derived if len(derived) <= MAX_LENGTHS["short_name"] else "")
    from_name = kind_of_name(entry.name)
    written = raw["kind"]
    if written:
        kind = KINDS.get(re.sub(r"[\s.]+", "", written))
        if kind is None:
            entry.error("kind", _(
                "ไม่รู้จักประเภท \"%(kind)s\": ใช้ อบต. (องค์การบริหารส่วนตำบล), เทศบาล (ทต./ทม./ทน.), "
                "อบจ. (องค์การบริหารส่วนจังหวัด) หรือ อื่น ๆ") % {"kind": written})
        elif from_name and kind != from_name:
            entry.error("kind", _("ประเภท \"%(kind)s\" ไม่ตรงกับชื่อหน่วยงาน ซึ่งเป็น%(named)s") % {
                "kind": written, "named": Kind(from_name).label})
        entry.kind = kind or ""
    elif from_name:
        entry.kind = from_name
    elif raw["name"]:
        entry.error("kind", _("บอกประเภทจากชื่อไม่ได้: กรุณากรอกประเภท (อบต. เทศบาล อบจ. หรือ อื่น ๆ)"))


def _read_place(entry, raw, area):
    written = raw["province"]
    province = places.province_name(written)
    if province is None:
        suggestion = places.province_suggestion(written)
        message = _("ไม่รู้จักจังหวัด \"%(province)s\"") % {"province": written}
        if suggestion:
            message += " " + _("(หรือหมายถึง %(suggestion)s?)") % {"suggestion": suggestion}
        entry.error("province", message)
    elif area.province and province and province != area.province:
        entry.error("province", _("จังหวัด%(province)s อยู่นอกพื้นที่ของท่าน (จังหวัด%(area)s)") % {
            "province": province, "area": area.province})
    elif not province and not area.province:
        entry.error("province", _("ต้องระบุจังหวัด"))
    if province is not None:
        entry.province = province or area.province
    district = places.district_name(raw["district"])
    if area.district and district and district != area.district:
        entry.error("district", _("อำเภอ%(district)s อยู่นอกพื้นที่ของท่าน (อำเภอ%(area)s)") % {
            "district": district, "area": area.district})
    entry.district = district or area.district
    if not entry.district and entry.kind in (Kind.SAO, Kind.MUNICIPALITY):
        entry.error("district", _("ต้องระบุอำเภอ (เว้นว่างได้เฉพาะ อบจ. และหน่วยงานอื่น)"))


def _read_units(entry, text):
    seen = set()
    for unit in split_units(text):
        if len(unit) > 200:
            entry.error("units", _("ชื่อสำนัก/กองยาวเกิน 200 ตัวอักษร: \"%(unit)s...\"") % {"unit": unit[:40]})
        elif unit in seen:
            entry.error("units", _("สำนัก/กอง \"%(unit)s\" ซ้ำในแถวเดียวกัน") % {"unit": unit})
        else:
            seen.add(unit)
            entry.units.append(unit)


def _read_admin(entry, raw):
    entry.admin_name = raw["admin_name"]
    if not entry.admin_name:
        entry.error("admin_name", _("ต้องมีชื่อผู้ดูแลระบบ"))
    entry.admin_email = raw["admin_email"].lower()
    if not entry.admin_email:
        entry.error("admin_email", _("ต้องมีอีเมลผู้ดูแลระบบ (ใช้ส่งคำเชิญ)"))
        return
    try:
        EmailValidator()(entry.admin_email)
    except ValidationError:
        entry.error("admin_email", _("อีเมล \"%(email)s\" ไม่ถูกต้อง") % {"email": raw["admin_email"]})


def check_entries(entries):
    """Problems between the entries and with what the portal holds: the same organisation (in
    the same district) twice, or already there; the same admin e-mail twice, or already a user's.
    Reads the database in a fixed number of queries however many entries there are."""
    provinces = {entry.province for entry in entries if entry.province}
    existing = {
        (province, district, name_key(name))
        for name, district, province in Organisation.objects.filter(province__in=provinces)
        .values_list("name", "district", "province")
    }
    used = emails_in_use([entry.admin_email for entry in entries if entry.admin_email])
    names, emails = {}, {}
    for entry in entries:
        if entry.name:
            key = (entry.province, entry.district, name_key(entry.name))
            if key in names:
                entry.error("name", _("หน่วยงานนี้ซ้ำกับแถวที่ %(line)s") % {"line": names[key]})
            elif key in existing:
                entry.error("name", _("มี%(name)s (อำเภอ%(district)s จังหวัด%(province)s) ในระบบแล้ว") % {
                    "name": entry.name, "district": entry.district or "–", "province": entry.province})
            names.setdefault(key, entry.line)
        if entry.admin_email:
            if entry.admin_email in emails:
                entry.error("admin_email", _("อีเมลนี้ซ้ำกับแถวที่ %(line)s") % {"line": emails[entry.admin_email]})
            elif entry.admin_email in used:
                entry.error("admin_email", _("อีเมล %(email)s มีผู้ใช้ในระบบแล้ว") % {"email": entry.admin_email})
            emails.setdefault(entry.admin_email, entry.line)
    return entries


# What an onboarder may correct after the organisation was created.
EDITABLE = ["name", "short_name", "kind", "district", "province"]


def organisation_changes(values, area, organisation):
    """An Entry with an existing organisation's new name, short name, type, district and
    province ({column: text}), checked as a new organisation's are: the area (an area office
    cannot move one out of its own), the type against the name, and the name unique within its
    province and district, the organisation itself aside."""
    entry = Entry()
    raw = _read_texts(entry, values, EDITABLE)
    _read_name_and_kind(entry, raw)
    _read_place(entry, raw, area)
    if entry.name and entry.province:
        neighbours = Organisation.objects.filter(province=entry.province, district=entry.district).exclude(
            pk=organisation.pk)
        if any(name_key(name) == name_key(entry.name) for name in neighbours.values_list("name", flat=True)):
            entry.error("name", _("มี%(name)s (อำเภอ%(district)s จังหวัด%(province)s) ในระบบแล้ว") % {
                "name": entry.name, "district": entry.district or "–", "province": entry.province})
    return entry


@transaction.atomic
def organisation_update(organisation, entry):
    """Write a checked Entry's name, short name, type and place to the organisation (the audit
    log records each field's old and new value)."""
    for name in EDITABLE:
        setattr(organisation, name, getattr(entry, name))
    organisation.save(update_fields=EDITABLE)


@dataclass
class Preview:
    entries: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # about the whole file

    @property
    def faulty(self):
        return [entry for entry in self.entries if entry.errors]

    @property
    def can_apply(self):
        return bool(self.entries) and not self.errors and not self.faulty


def _find_header(rows):
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {
            position: HEADER_KEYS[_key(value)]
            for position, value in enumerate(cells)
            if not blank(value) and _key(value) in HEADER_KEYS
        }
        if {"name", "admin_email"} <= set(columns.values()):
            return index, columns
    return None, None


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def read_file(data, filename, area):
    """Check an uploaded file of organisations; writes nothing."""
    preview = Preview()
    try:
        rows, header_at, columns = table_rows(data, filename, _find_header)
    except UnreadableFile as error:
        preview.errors.append(str(error))
        return preview
    if header_at is None:
        preview.errors.append(_(
            "ไม่พบแถวหัวตาราง: ต้องมีคอลัมน์ \"ชื่อหน่วยงาน\" และ \"อีเมลผู้ดูแลระบบ\" "
            "ภายใน %(rows)s แถวแรกของแผ่นงานแรก") % {"rows": HEADER_SEARCH_ROWS})
        return preview
    found = list(columns.values())
    duplicates = sorted({str(LABELS[name]) for name in found if found.count(name) > 1})
    if duplicates:
        preview.errors.append(_("คอลัมน์ซ้ำกัน: %(names)s") % {"names": ", ".join(duplicates)})
    missing = [str(LABELS[name]) for name in REQUIRED if name not in found]
    if not area.province and "province" not in found:
        missing.append(str(LABELS["province"]))
    if missing:
        preview.errors.append(_("ไม่พบคอลัมน์: %(names)s") % {"names": ", ".join(missing)})
    if preview.errors:
        return preview
    for number, cells in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {name: _cell_text(cells[index]) if index < len(cells) else "" for index, name in columns.items()}
        if all(not value.strip() for value in values.values()):
            continue
        if len(preview.entries) == MAX_LINES:
            preview.errors.append(_("ไฟล์มีหน่วยงานเกิน %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์") % {"max": MAX_LINES})
            return preview
        preview.entries.append(entry_from(values, area, line=number))
    if not preview.entries:
        preview.errors.append(_("ไม่มีแถวข้อมูลใต้หัวตาราง"))
    check_entries(preview.entries)
    return preview


@transaction.atomic
def organisations_create(entries):
    """Write checked entries: each organisation with its units and its first admin (a user with
    no password yet). Returns the admins' memberships, for the caller to send the invitations
    once this transaction has committed."""
    organisations = Organisation.objects.bulk_create([
        Organisation(name=e.name, short_name=e.short_name, kind=e.kind, district=e.district, province=e.province)
        for e in entries
    ])
    Unit.objects.bulk_create([
        Unit(organisation=organisation, name=unit, position=position)
        for organisation, entry in zip(organisations, entries)
        for position, unit in enumerate(entry.units, start=1)
    ])
    ResultsVersion.bump()  # bulk_create sends no post_save: the areas' counts change
    return people_create([
        NewPerson(organisation, entry.admin_name, entry.admin_email, Membership.Role.ADMIN)
        for organisation, entry in zip(organisations, entries)
    ])


def example_workbook(area):
    """An .xlsx to fill in: a title, the header row and one example line (in Thai, as the
    file is read in Thai)."""
    province = area.province or "นครราชสีมา"
    book = Workbook()
    sheet = book.active
    sheet.title = "หน่วยงาน"
    sheet.append(["รายชื่อหน่วยงานที่จะเข้าใช้ ITA Portal (หนึ่งแถวต่อหนึ่งหน่วยงาน พร้อมผู้ดูแลระบบคนแรก)"])
    sheet.append(list(COLUMNS.values()))
    sheet.append([
        "องค์การบริหารส่วนตำบลตัวอย่าง", "อบต.ตัวอย่าง", "อบต.", area.district or f"เมือง{province}", province,
        "สำนักปลัด, กองคลัง, กองช่าง", "นายสมชาย ใจดี", "somchai@example.go.th",
    ])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", (36, 18, 10, 16, 16, 40, 24, 30)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
