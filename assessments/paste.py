"""Read a score table pasted from the ITAS result page or from a document: plain Python, no Django.

Each line holds an indicator number, its name and its score, separated by tabs or spaces, with
Thai or Arabic digits ("1<TAB>การปรับปรุงหน้าที<TAB>93.33", "ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่ ๙๓.๓๓
คะแนน"). The score is the last number of the line; the indicator is found by its number first,
because documents spell names wrongly, and by its name only when the line has no number. A line
with the overall score ("คะแนนภาพรวม ๘๖.๓๒", "ผลคะแนนภาพรวม", "คะแนนรวม") gives the published
overall.

Numbers are read by thai.read_number, the reader of the entry form too, so that a number mixing
Thai and Arabic digits ("๙3.๓3") is refused here as it is there. An indicator number that text
recognition garbled into letters ("1O", "l0", "I0", "๑o") is never read as the digits that
happen to be left ("1"): it is read as the number it looks like only when the name on the line
is that indicator's, and otherwise the line says why it was not read.

Every line is reported with what was understood or why it could not be read. Reasons are codes
with parameters (`Line.reason`, `Line.params`) so that the portal words them in the user's
language; a line the reader could read may still carry a note (a name that belongs to another
indicator, a name read by resemblance).
"""

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from lib.names import CLOSE_NAME, indicators_named, squash
from lib.thai import MixedDigits, read_number, to_arabic

NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]*\d)")
# The indicator number at the start of a line, with the letters text recognition mistakes for
# digits (O and o for 0, I, l and | for 1); not a number that goes on as a decimal ("93.33").
LEADING_NUMBER = re.compile(
    r"^(?:ตัวชี้วัดที่|ตัวชี้วัด)?\s*([0-9๐-๙OoIl|]{1,3})(?![0-9๐-๙A-Za-z|]|[.,][0-9๐-๙])\s*[.):\-–]?\s*"
)
LOOK_ALIKES = str.maketrans("OoIl|", "00111")
TOOL_COLUMN = re.compile(r"\b(?:IIT|EIT|OIT)\b", re.IGNORECASE)
NAME_PUNCTUATION = " \t.:-–|"
HEADER_WORDS = ("ตัวชี้วัด", "คะแนน", "รายละเอียด")
# The overall line: "คะแนนภาพรวม", "ผลคะแนนภาพรวม", "ผลการประเมินภาพรวม", "คะแนนรวม" (spaces ignored).
OVERALL_WORDS = re.compile(r"ภาพรวม|คะแนนรวม")
# A Buddhist Era year beside the overall ("ผลการประเมินภาพรวม ปี ๒๕๖๘ ๘๖.๓๒") is not a second score.
BE_YEAR = re.compile(r"^25\d\d$")

# Reasons a line could not be read.
HEADER = "header"
NO_SCORE = "no_score"
SCORE_RANGE = "score_range"
SCORE_PLACES = "score_places"
MANY_NUMBERS = "many_numbers"
MIXED_DIGITS = "mixed_digits"
NO_INDICATOR = "no_indicator"
UNKNOWN_NAME = "unknown_name"
NO_NAME = "no_name"
DUPLICATE = "duplicate"
GARBLED_NUMBER = "garbled_number"
DUPLICATE_OVERALL = "duplicate_overall"
# Notes on a line that was read.
OTHER_NAME = "other_name"
UNKNOWN_NAME_NUMBERED = "unknown_name_numbered"
CLOSE_MATCH = "close_match"
MISSPELT_NAME = "misspelt_name"
READ_GARBLED = "read_garbled"
OVERALL = "overall"


@dataclass
class Line:
    number: int
    text: str
    indicator: int | None = None
    name: str = ""
    score: Decimal | None = None
    overall: bool = False  # the line gives the overall score, not an indicator's
    reason: str = ""
    params: dict = field(default_factory=dict)

    @property
    def read(self):
        """True when the line gave a score for an indicator or the overall."""
        return (
            (self.indicator is not None or self.overall)
            and self.score is not None
            and self.reason not in ERRORS
        )


ERRORS = {HEADER, NO_SCORE, SCORE_RANGE, SCORE_PLACES, MANY_NUMBERS, MIXED_DIGITS, NO_INDICATOR,
          UNKNOWN_NAME, NO_NAME, DUPLICATE, GARBLED_NUMBER, DUPLICATE_OVERALL}


@dataclass
class Table:
    lines: list
    scores: dict  # indicator number -> Decimal
    names: dict  # indicator number -> the name as written
    missing: list  # indicator numbers the paste gave no score for
    overall: Decimal | None = None  # the overall score the paste gives, if it does


def read_table(text, known_names, misspelt=None):
    """Read every non-blank line of `text`; `known_names` maps each indicator number of the year
    to its known names (official name first), `misspelt` to the misspellings found in documents
    (recognised, with a note that the name is not the official one).

    >>> table = read_table("1\\tการปรับปรุงหน้าที\\t93.33\\nคะแนนภาพรวม ๙๐.๔๒", {1: ["การปฏิบัติหน้าที่", "การปรับปรุงหน้าที"]})
    >>> table.scores, table.overall
    ({1: Decimal('93.33')}, Decimal('90.42'))
    """
    lines = []
    first_line_of = {}
    overall_line = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        line = read_line(number, raw, known_names, misspelt or {})
        if line.read and line.overall:
            if overall_line is not None:
                line.reason, line.params = DUPLICATE_OVERALL, {"first": overall_line}
            else:
                overall_line = number
        elif line.read:
            if line.indicator in first_line_of:
                line.reason = DUPLICATE
                line.params = {"indicator": line.indicator, "first": first_line_of[line.indicator]}
            else:
                first_line_of[line.indicator] = number
        lines.append(line)
    read = [line for line in lines if line.read and not line.overall]
    overall = next((line.score for line in lines if line.read and line.overall), None)
    return Table(
        lines=lines,
        scores={line.indicator: line.score for line in read},
        names={line.indicator: line.name for line in read if line.name},
        missing=sorted(set(known_names) - set(first_line_of)),
        overall=overall,
    )


def read_line(number, raw, known_names, misspelt=None):
    line = Line(number=number, text=raw.strip())
    text = line.text
    if OVERALL_WORDS.search(squash(text)) and NUMBER.search(text):
        return _read_overall(line)
    leading = LEADING_NUMBER.match(text)
    token = leading.group(1) if leading else ""
    if token == text:
        leading, token = None, ""  # a line that is one number ("85") is a score without a name
    rest = text[leading.end():] if leading else text
    numbers = list(NUMBER.finditer(rest))
    if not numbers:
        if leading:
            line.reason = NO_SCORE  # "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่": the only number is the indicator's
        else:
            line.reason = HEADER if any(word in text for word in HEADER_WORDS) else NO_SCORE
        return line
    line.name = TOOL_COLUMN.sub(" ", rest[: numbers[-1].start()]).strip(NAME_PUNCTUATION)
    line.name = re.sub(r"\s+", " ", line.name)
    if re.search(r"\d", line.name):
        line.reason = MANY_NUMBERS
        line.params = {"numbers": ", ".join(to_arabic(m.group()) for m in NUMBER.finditer(text))}
        return line
    garbled = bool(leading) and token.translate(LOOK_ALIKES) != token
    number = None
    if leading and not garbled:
        try:
            number = int(read_number(token))
        except MixedDigits:
            line.reason, line.params = MIXED_DIGITS, {"number": token, "what": "indicator"}
            return line
    if not _read_score(line, numbers[-1].group(), what="score", indicator=number):
        return line
    misspelt = misspelt or {}
    if not leading:
        _find_by_name(line, known_names, misspelt)
    elif garbled:
        _read_garbled_number(line, token, known_names)
    else:
        line.indicator = number
        _check_number(line, known_names, misspelt)
    return line


def _read_score(line, score_text, **where):
    """Put the score on the line, or the reason it is not one; True when it is. `where` says
    whose score it is, for the message about a number mixing digit systems."""
    try:
        score = read_number(score_text)
    except MixedDigits:
        line.reason, line.params = MIXED_DIGITS, {"number": score_text, **where}
        return False
    shown = to_arabic(score_text)
    if not 0 <= score <= 100:
        line.reason, line.params = SCORE_RANGE, {"score": shown}
        return False
    if -score.as_tuple().exponent > 2:
        line.reason, line.params = SCORE_PLACES, {"score": shown}
        return False
    line.score = score
    return True


def _read_overall(line):
    """"คะแนนภาพรวม ๘๖.๓๒ คะแนน": the last number, a Buddhist Era year beside it left aside."""
    line.overall = True
    numbers = [m.group() for m in NUMBER.finditer(line.text)]
    scores = [n for n in numbers if not BE_YEAR.match(to_arabic(n))] or numbers
    if len(scores) > 1:
        line.reason = MANY_NUMBERS
        line.params = {"numbers": ", ".join(to_arabic(n) for n in numbers)}
        return line
    if _read_score(line, scores[-1], what="overall"):
        line.reason, line.params = OVERALL, {"score": to_arabic(scores[-1])}
    return line


def _read_garbled_number(line, token, known_names):
    """"1O การป้องกันการทุจริต 85.00": read as 10 only when the name says 10."""
    guess = int(to_arabic(token.translate(LOOK_ALIKES)))
    named = indicators_named(line.name, known_names) if line.name else []
    if named == [guess]:
        line.indicator = guess
        line.reason, line.params = READ_GARBLED, {"written": token, "indicator": guess}
        return
    line.reason = GARBLED_NUMBER
    line.params = {"written": token, "guess": guess, "named": ", ".join(str(n) for n in named) or "–"}


def _check_number(line, known_names, misspelt):
    """The number decides; a name that is not one of its known names is noted, never obeyed."""
    if line.indicator not in known_names:
        line.reason = NO_INDICATOR
        line.params = {"indicator": line.indicator}
        return
    if not line.name:
        return
    named = indicators_named(line.name, known_names)
    if line.indicator in named:
        return
    misnamed = indicators_named(line.name, misspelt)
    if line.indicator in misnamed and not named:
        _note_misspelt(line, known_names)
    elif named or misnamed:
        line.reason = OTHER_NAME
        line.params = {"name": line.name, "other": (named or misnamed)[0], "indicator": line.indicator}
    else:
        line.reason = UNKNOWN_NAME_NUMBERED
        line.params = {"name": line.name, "indicator": line.indicator}


def _note_misspelt(line, known_names):
    line.reason = MISSPELT_NAME
    line.params = {"name": line.name, "official": known_names[line.indicator][0], "indicator": line.indicator}


def _find_by_name(line, known_names, misspelt):
    if not line.name:
        line.reason = NO_NAME
        return
    named = indicators_named(line.name, known_names)
    if len(named) == 1:
        line.indicator = named[0]
        return
    misnamed = indicators_named(line.name, misspelt)
    if not named and len(misnamed) == 1:
        line.indicator = misnamed[0]
        line.reason = CLOSE_MATCH
        line.params = {"name": line.name, "known": known_names[line.indicator][0]}
        return
    by_squashed = {squash(name): n for n, names in known_names.items() for name in names}
    close = difflib.get_close_matches(squash(line.name), list(by_squashed), n=3, cutoff=CLOSE_NAME)
    candidates = {by_squashed[name] for name in close}
    if len(candidates) == 1:
        line.indicator = candidates.pop()
        line.reason = CLOSE_MATCH
        line.params = {"name": line.name, "known": known_names[line.indicator][0]}
    else:
        line.reason = UNKNOWN_NAME
        line.params = {"name": line.name}
