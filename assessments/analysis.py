"""Read the NACC's analysis of a year's results, as organisations receive or write it: plain
Python, no Django.

The text is the analysis section of an organisation's document ("การวิเคราะห์ผลการประเมิน..."),
pasted whole, with or without Markdown marks (#, **, bullets):

- per indicator a heading with its number and usually its score, "๑. การปฏิบัติหน้าที่
  (๙๓.๓๓ คะแนน)" or "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ 93.33 คะแนน";
- under it จุดเด่น and จุดที่ควรพัฒนา, each as a heading of its own or inline before its first
  point ("**จุดเด่น** เจ้าหน้าที่..."); a "–" alone under one of them means none;
- one point per paragraph (a paragraph ending in "ได้แก่" or ":" runs on into the next), with
  its question or item code at the start ("i๑ ประเด็น", "o11") or in brackets before the
  recommendation ("(i๔)"), its score ("ได้ ๙๔.๑๙ คะแนน"), its OIT references ("อ้างอิงจาก ๐๘",
  "(๐๖)") and sub-indicators ("ตัวชี้วัด ๙.๑, ๙.๒"), the issue, and the recommendation after
  "ดังนั้น" or from "(หน่วยงาน)ควร".

Thai or Arabic digits alike. Every line that could not be read is reported with a reason code and
its parameters (`Skipped`), so that the portal words it in the reader's language; the text of a
point is kept exactly as written.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lib.names import indicators_named
from lib.thai import MixedDigits, find_codes, normalise_code, read_number, to_arabic

STRENGTH = "strength"
IMPROVE = "improve"

# Reasons a line was not read.
TITLE = "title"  # the section's own title, before the first heading
BEFORE_HEADING = "before_heading"
UNKNOWN_INDICATOR = "unknown_indicator"
UNDER_UNKNOWN = "under_unknown"
NO_KIND = "no_kind"
TABLE_ROW = "table_row"
MIXED_DIGITS = "mixed_digits"
SCORE_RANGE = "score_range"
DUPLICATE_HEADING = "duplicate_heading"

MARKDOWN_START = re.compile(r"^\s*(?:#{1,6}\s*|>\s*|[*+]\s+|-\s+(?=\S))")
EMPHASIS = re.compile(r"\*\*|__")
NONE_MARK = re.compile(r"^[–—\-−]+$")
NUMBER = r"[0-9๐-๙]{1,3}(?:\.[0-9๐-๙]{1,2})?"
# "๑. การปฏิบัติหน้าที่ (๙๓.๓๓ คะแนน)", "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ 93.33 คะแนน", "10) ... "
HEADING = re.compile(
    rf"^(?:ตัวชี้วัดที่\s*(?P<labelled>[0-9๐-๙]{{1,2}})\s*[.:)]?|(?P<number>[0-9๐-๙]{{1,2}})\s*[.)])"
    rf"\s*(?P<name>[^()0-9๐-๙]*?)\s*(?:\(?\s*(?:ได้\s*)?(?:คะแนน\s*)?(?P<score>{NUMBER})\s*(?:คะแนน)?\s*\)?)?\s*$"
)
KIND = re.compile(
    r"^(?P<kind>จุดเด่น|จุดแข็ง|จุด(?:ที่)?(?:ควร|ต้อง)(?:พัฒนา|ปรับปรุง))\s*[:：]?\s*(?P<rest>.*)$"
)
KINDS = {"จุดเด่น": STRENGTH, "จุดแข็ง": STRENGTH}
# The code a point starts with ("i๑ ประเด็น", "o11/o12 ...", "(e๔) ...").
START_CODE = re.compile(
    r"^\(?\s*([ieoIEO]\s?[0-9๐-๙]{1,2})(?![0-9๐-๙])\s*\)?(?:\s*[/,]\s*\(?[ieoIEO]\s?[0-9๐-๙]{1,2}\)?)*"
)
# A code in brackets with nothing else: "(i๔)". "(๐๖)" and "(อ้างอิงจาก ๐๘)" are references.
BRACKET_CODE = re.compile(r"\(\s*([ieoIEO]\s?[0-9๐-๙]{1,2})\s*\)")
SCORE = re.compile(rf"ได้(?:รับ)?\s*(?:คะแนน\s*({NUMBER})|({NUMBER})\s*คะแนน)")
SUB_INDICATORS = re.compile(
    r"ตัวชี้วัด(?:ย่อย)?(?:ที่)?\s*((?:[0-9๐-๙]{1,2}\.[0-9๐-๙]{1,2}(?:\s*(?:,|และ|หรือ)\s*)?)+)"
)
SUB_CODE = re.compile(r"([0-9๐-๙]{1,2})\.([0-9๐-๙]{1,2})")
# Where the recommendation starts: after "ดังนั้น", else at "(หน่วยงาน)ควร".
THEREFORE = re.compile(r"ดังนั้น\s*[,]?\s*")
SHOULD = re.compile(r"(?:หน่วยงาน\s*)?ควร")
RUNS_ON = ("ได้แก่", ":")


@dataclass
class Point:
    """A strength or point to improve as read, in the order of the text."""

    indicator: int
    kind: str
    text: str
    line: int  # the number of its first line
    code: str = ""
    score: Decimal | None = None
    issue: str = ""
    recommendation: str = ""
    oit_refs: list = field(default_factory=list)
    sub_indicator_refs: list = field(default_factory=list)


@dataclass
class Heading:
    indicator: int
    text: str  # as written, without Markdown marks
    line: int
    score: Decimal | None = None


@dataclass
class Skipped:
    line: int
    text: str
    reason: str
    params: dict = field(default_factory=dict)


@dataclass
class Analysis:
    points: list
    headings: dict  # indicator number -> Heading
    skipped: list

    @property
    def scores(self):
        """Indicator number -> the score its heading gives."""
        return {n: h.score for n, h in self.headings.items() if h.score is not None}


def plain(line):
    """A line without its Markdown marks: '## **๖. คุณภาพ (๙๗.๑๓ คะแนน)**' -> '๖. คุณภาพ (๙๗.๑๓ คะแนน)'."""
    line = EMPHASIS.sub("", line).strip()
    while (stripped := MARKDOWN_START.sub("", line, count=1).strip()) != line:
        line = stripped
    return line


def read_analysis(text, indicators):
    """Read `text` against the year's indicators: {number: [known names]} (or only their numbers).

    A numbered line is an indicator's heading when it gives a score ("(๙๓.๓๓ คะแนน)") or names
    one of the year's indicators; otherwise it is a numbered point ("1. หน่วยงานควร...").

    >>> result = read_analysis("๑. การปฏิบัติหน้าที่ (๙๓.๓๓ คะแนน)\\n**จุดที่ควรพัฒนา** i๑ ประเด็น "
    ...     "ล่าช้า ดังนั้น หน่วยงานควรทำคู่มือ (อ้างอิงจาก ๐๘)", [1])
    >>> point = result.points[0]
    >>> point.code, point.issue, point.recommendation, point.oit_refs, result.scores
    ('i1', 'ล่าช้า', 'หน่วยงานควรทำคู่มือ (อ้างอิงจาก ๐๘)', ['o8'], {1: Decimal('93.33')})
    """
    names = indicators if isinstance(indicators, dict) else {number: [] for number in indicators}
    known = set(names)
    points, headings, skipped = [], {}, []
    indicator = kind = None
    paragraph = None  # (first line number, [texts]) of the point being read
    seen_heading = False

    def close():
        nonlocal paragraph
        if paragraph is None:
            return
        number, parts = paragraph
        paragraph = None
        point, problem = read_point("\n".join(parts), indicator, kind, number)
        if problem:
            skipped.append(Skipped(number, "\n".join(parts), *problem))
        else:
            points.append(point)

    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if "\t" in raw.strip():
            close()
            skipped.append(Skipped(number, raw.strip(), TABLE_ROW))
            continue
        line = plain(raw)
        if not line:
            continue
        heading = HEADING.match(line)
        if heading and heading.group("name") and not KIND.match(heading.group("name")) and (
            heading.group("score") or heading.group("labelled") or indicators_named(heading.group("name"), names)
        ):
            close()
            seen_heading = True
            value = int(to_arabic(heading.group("labelled") or heading.group("number")))
            if value not in known:
                indicator = kind = None
                skipped.append(Skipped(number, line, UNKNOWN_INDICATOR, {"indicator": value}))
                continue
            score = None
            if heading.group("score"):
                try:
                    score = read_number(heading.group("score"))
                except MixedDigits:
                    skipped.append(Skipped(number, line, MIXED_DIGITS, {"number": heading.group("score")}))
                    indicator = kind = None
                    continue
                if score > 100:
                    skipped.append(Skipped(number, line, SCORE_RANGE, {"score": heading.group("score")}))
                    indicator = kind = None
                    continue
            if value in headings:
                skipped.append(Skipped(number, line, DUPLICATE_HEADING,
                                       {"indicator": value, "first": headings[value].line}))
            else:
                headings[value] = Heading(value, line, number, score)
            indicator, kind = value, None
            continue
        marker = KIND.match(line)
        if marker:
            close()
            if indicator is None:
                skipped.append(Skipped(number, line, UNDER_UNKNOWN if seen_heading else BEFORE_HEADING))
                continue
            kind = KINDS.get(marker.group("kind"), IMPROVE)
            rest = marker.group("rest").strip()
            if rest and not NONE_MARK.match(rest):
                paragraph = (number, [rest])
                if not rest.endswith(RUNS_ON):
                    close()
            continue
        if NONE_MARK.match(line):
            close()
            continue
        if indicator is None:
            reason = UNDER_UNKNOWN if seen_heading else (TITLE if "วิเคราะห์" in line else BEFORE_HEADING)
            skipped.append(Skipped(number, line, reason))
            continue
        if kind is None:
            skipped.append(Skipped(number, line, NO_KIND, {"indicator": indicator}))
            continue
        if paragraph is None:
            paragraph = (number, [line])
        else:
            paragraph[1].append(line)
        if not line.endswith(RUNS_ON):
            close()
    close()
    return Analysis(points, headings, skipped)


def read_point(text, indicator, kind, line):
    """(Point, None), or (None, (reason, params)) when its score cannot be read."""
    code, rest = "", text
    start = START_CODE.match(text)
    if start:
        code = normalise_code(start.group(1)) or ""
    score = None
    found = SCORE.search(text)
    if found:
        written = found.group(1) or found.group(2)
        try:
            score = read_number(written)
        except (MixedDigits, InvalidOperation):
            return None, (MIXED_DIGITS, {"number": written})
        if score > 100:
            return None, (SCORE_RANGE, {"score": written})
    issue, recommendation = split(rest) if kind == IMPROVE else (rest, "")
    if not code:
        bracket = BRACKET_CODE.search(issue)
        if bracket:
            code = normalise_code(bracket.group(1)) or ""
    oit_refs = [c for c in find_codes(text) if c.startswith("o") and c != code]
    return Point(
        indicator=indicator, kind=kind, text=text, line=line, code=code, score=score,
        issue=issue_of(issue), recommendation=recommendation,
        oit_refs=oit_refs, sub_indicator_refs=sub_indicators(text),
    ), None


def split(text):
    """(issue, recommendation) of a point to improve: the recommendation starts after
    "ดังนั้น", else at the first "(หน่วยงาน)ควร"; without either it is ""."""
    therefore = THEREFORE.search(text)
    if therefore:
        return text[:therefore.start()].strip(), text[therefore.end():].strip()
    should = SHOULD.search(text)
    if should:
        return text[:should.start()].strip(), text[should.start():].strip()
    return text.strip(), ""


def issue_of(text):
    """The issue alone: without the code it starts with, the word "ประเด็น" and the score clause.

    >>> issue_of("i๑๐ ประเด็น เจ้าหน้าที่ยืมทรัพย์สิน")
    'เจ้าหน้าที่ยืมทรัพย์สิน'
    """
    text = START_CODE.sub("", text, count=1).strip()
    text = re.sub(r"^ประเด็น\s*", "", text)
    text = SCORE.sub("", text)
    text = BRACKET_CODE.sub("", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ,")


def sub_indicators(text):
    """Sub-indicator codes a text refers to, in order: 'ตัวชี้วัด ๙.๑, ๙.๒' -> ['9.1', '9.2']."""
    found = []
    for group in SUB_INDICATORS.finditer(text):
        for major, minor in SUB_CODE.findall(group.group(1)):
            code = f"{int(to_arabic(major))}.{int(to_arabic(minor))}"
            if code not in found:
                found.append(code)
    return found
