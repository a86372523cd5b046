"""Results as the NACC publishes them: many organisations' scores at once, previewed, then saved.

The NACC's reports print one organisation per row: its name (blank on a row that continues
the organisation above), the fiscal year ("ปี 2564" or 2564), the ten indicator scores, the
overall, sometimes the level. Rows come pasted from a PDF's text layer, or from .xlsx or .csv.
Text from a PDF scrambles headers, moves Thai vowels and tone marks to the wrong side of their
consonant and breaks words apart, so names are matched within the user's area ignoring spaces
and by resemblance, and every match is shown before anything is saved. Lines that are not rows
are skipped; rows cut off before their last columns, or whose organisation is not found, are
listed with why and never saved. Applying saves the complete rows in one transaction; the
published overall is kept as printed, and the check reports where it differs from the computed one.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Assessment, FiscalYear, IndicatorScore
from lib.names import squash
from lib.thai import to_arabic
from lib.spreadsheets import UnreadableFile, blank, csv_rows, sheet_rows

SCORES = 10
YEAR = re.compile(r"(?:ปี(?:งบประมาณ)?\s*(?:พ\.?\s*ศ\.?)?\s*)?(?<![\d.])(25\d\d)(?![\d.])")
NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)(?![\d.])")
# The abbreviations the NACC's reports and organisations write, spelled out for matching.
ABBREVIATIONS = [
    ("อบต.", "องค์การบริหารส่วนตำบล"), ("อบจ.", "องค์การบริหารส่วนจังหวัด"),
    ("ทต.", "เทศบาลตำบล"), ("ทม.", "เทศบาลเมือง"), ("ทน.", "เทศบาลนคร"),
]
LEADING_VOWELS = "เแโใไ"
CLOSE = 0.88  # how alike two name skeletons must be (difflib ratio) to match by resemblance


def _spelled_out(name):
    text = squash(unicodedata.normalize("NFC", name))
    for short, full in ABBREVIATIONS:
        if text.startswith(short):
            return full + text[len(short):]
    return text


def skeleton(name):
    """The name's consonants and other base letters in order, spaces and every vowel and tone
    mark that a PDF may move or drop left out; SARA AM split into NIKHAHIT + SARA AA (as PDF
    text layers write it) reads as SARA AA.

    >>> skeleton("อบต.วังหมี") == skeleton("องค์การบริหารส่วนตำบล วงั หมี")
    True
    """
    text = _spelled_out(name).replace("\u0e33", "\u0e32")
    return "".join(
        char for char in text
        if unicodedata.category(char) != "Mn" and char not in LEADING_VOWELS and char not in ".()-"
    )


def letters(name):
    """Every letter of the name, in any order: a name whose marks were only moved has the same."""
    return "".join(sorted(_spelled_out(name)))


@dataclass
class ResultRow:
    number: int  # the line (or sheet row), 1-based
    text: str  # as read
    name: str = ""
    continued: bool = False  # the name was blank: the organisation of the row above
    year: int | None = None
    scores: list = field(default_factory=list)
    overall: Decimal | None = None
    level: str = ""
    organisation: object = None
    similarity: Decimal | None = None  # how alike the written name and the match are, 0-100
    problem: str = ""  # why the row will not be saved ("" for a complete, matched row)

    @property
    def ready(self):
        return self.organisation is not None and not self.problem


@dataclass
class Preview:
    rows: list = field(default_factory=list)  # every line that looked like a result row
    skipped: list = field(default_factory=list)  # (number, text) of lines that are not rows
    error: str = ""  # the whole input could not be read

    @property
    def ready(self):
        return [row for row in self.rows if row.ready]

    @property
    def refused(self):
        return [row for row in self.rows if not row.ready]


def lines_of_upload(data, filename):
    """The rows of an uploaded .xlsx or .csv as lines of tab-separated cells; UnreadableFile."""
    if filename.lower().endswith(".xlsx"):
        rows = sheet_rows(data)
    elif filename.lower().endswith((".csv", ".txt")):
        rows = csv_rows(data, "\t" if b"\t" in data[:4096] else ",")
    else:
        raise UnreadableFile(_("รับเฉพาะไฟล์ .xlsx .csv หรือข้อความที่คัดลอกจาก PDF"))
    return ["\t".join("" if blank(cell) else str(cell).strip() for cell in row) for row in rows]


def read_line(number, text):
    """A ResultRow for a line that holds a fiscal year, or None for a line that is not a row
    (a header, a page number, a title)."""
    plain = to_arabic(unicodedata.normalize("NFC", text)).replace("\u00a0", " ")
    year = YEAR.search(plain)
    if year is None:
        return None
    name = plain[:year.start()].strip(" \t-|:")
    rest = plain[year.end():]
    numbers = [match.group(1) for match in NUMBER.finditer(rest)]
    level = NUMBER.sub(" ", rest).replace("\t", " ").strip(" -|:")
    # A heading row of column numbers (1 2 3 ... 10) beside a year is a header, not a result.
    if not numbers or numbers == [str(n) for n in range(1, len(numbers) + 1)]:
        return None
    row = ResultRow(number, text.strip(), name=" ".join(name.split()), year=int(year.group(1)),
                    level=" ".join(level.split()))
    values = []
    for value in numbers:
        try:
            values.append(Decimal(value))
        except InvalidOperation:  # the pattern admits only digits: kept for safety
            values.append(None)
    if len(values) < SCORES + 1:
        row.scores = values
        row.problem = _("ไม่ครบ: มีตัวเลข %(count)s จาก 11 ช่อง (คะแนน 10 ตัวชี้วัดและคะแนนภาพรวม) แถวอาจถูกตัด") % {
            "count": len(values)}
    elif len(values) > SCORES + 1:
        row.scores = values
        row.problem = _("มีตัวเลข %(count)s ช่อง มากกว่า 11 ช่องที่ต้องการ") % {"count": len(values)}
    else:
        row.scores, row.overall = values[:SCORES], values[SCORES]
        if any(v is None or v > 100 for v in values):
            row.problem = _("มีคะแนนที่ไม่อยู่ระหว่าง 0 ถึง 100")
    return row


class Matcher:
    """Names matched against the organisations of one area: spaces ignored, then the same
    letters in another order, then by resemblance of their skeletons."""

    def __init__(self, organisations):
        self.organisations = list(organisations)
        self.by_skeleton = {}
        for org in self.organisations:
            for name in {org.name, org.short_name} - {""}:
                self.by_skeleton.setdefault(skeleton(name), set()).add(org)
        self.skeletons = list(self.by_skeleton)

    def match(self, name):
        """(organisation or None, similarity 0-100, why not found)."""
        key = skeleton(name)
        found = self.by_skeleton.get(key, set())
        if len(found) > 1:
            same = {org for org in found if letters(name) in (letters(org.name), letters(org.short_name or ""))}
            found = same if len(same) == 1 else found
        if len(found) == 1:
            org = next(iter(found))
            return org, self._similarity(name, org), ""
        if len(found) > 1:
            return None, None, _("ชื่อนี้ตรงกับหลายหน่วยงานในพื้นที่: %(names)s") % {
                "names": ", ".join(sorted(org.name for org in found))}
        close = difflib.get_close_matches(key, self.skeletons, n=2, cutoff=CLOSE)
        if close:
            best = self.by_skeleton[close[0]]
            if len(best) == 1 and (len(close) == 1 or _ratio(key, close[1]) < _ratio(key, close[0])):
                org = next(iter(best))
                return org, self._similarity(name, org), ""
            return None, None, _("ชื่อนี้คล้ายหลายหน่วยงานในพื้นที่ ระบุชื่อให้ชัดขึ้น")
        return None, None, _("ไม่พบหน่วยงานชื่อนี้ในพื้นที่ของคุณ")

    @staticmethod
    def _similarity(name, org):
        best = max(_ratio(_spelled_out(name), _spelled_out(candidate))
                   for candidate in {org.name, org.short_name} - {""})
        return (Decimal(best) * 100).quantize(Decimal("1"))


def _ratio(a, b):
    return difflib.SequenceMatcher(None, a, b).ratio()


def read_results(lines, organisations):
    """Preview the lines (pasted text, or an upload's rows) against the area's organisations
    (a queryset); writes nothing."""
    preview = Preview()
    matcher = Matcher(organisations)
    years = set(FiscalYear.objects.values_list("year", flat=True))
    above = None
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        row = read_line(number, text)
        if row is None:
            preview.skipped.append((number, text.strip()))
            continue
        if not row.name:
            if above is None:
                row.problem = row.problem or _("ไม่มีชื่อหน่วยงาน และไม่มีแถวก่อนหน้าให้ต่อ")
                preview.rows.append(row)
                continue
            row.name, row.continued = above.name, True
            row.organisation, row.similarity = above.organisation, above.similarity
            if above.organisation is None:
                row.problem = row.problem or _("ต่อจากแถวที่ %(line)s ซึ่งไม่พบหน่วยงาน") % {"line": above.number}
        else:
            row.organisation, row.similarity, why = matcher.match(row.name)
            row.problem = row.problem or why
            above = row
        if not row.problem and row.year not in years:
            row.problem = _("ไม่มีปีงบประมาณ %(year)s ในข้อมูลอ้างอิง") % {"year": row.year}
        if not row.problem and sum(1 for r in preview.rows
                                   if r.ready and r.organisation == row.organisation and r.year == row.year):
            row.problem = _("ซ้ำกับแถวก่อนหน้าของหน่วยงานและปีเดียวกัน")
        preview.rows.append(row)
    return preview


@transaction.atomic
def apply_results(preview):
    """Save every ready row of the preview, all in one transaction: the year's ten scores, the
    published overall and the level as printed. Returns the number of rows saved."""
    ready = preview.ready
    years = {y.year: {i.number: i for i in y.indicators.all()} for y in
             FiscalYear.objects.filter(year__in={row.year for row in ready}).prefetch_related("indicators")}
    for row in ready:
        assessment, _created = Assessment.objects.get_or_create(
            organisation=row.organisation, fiscal_year_id=row.year,
        )
        assessment.published_overall = row.overall
        assessment.published_level = row.level[:50]
        assessment.save(update_fields=["published_overall", "published_level", "updated_at"])
        assessment.scores.all().delete()
        indicators = years[row.year]
        IndicatorScore.objects.bulk_create(
            IndicatorScore(assessment=assessment, indicator=indicators[n], score=score)
            for n, score in enumerate(row.scores, start=1) if n in indicators
        )
    Assessment.objects.filter(organisation__in={row.organisation.pk for row in ready}).refresh_results()
    return len(ready)
