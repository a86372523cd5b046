"""Read a score table pasted from the ITAS result page or from a document: plain Python, no Django.

Each line holds an indicator number, its name and its score, separated by tabs or spaces, with
Thai or Arabic digits ("1<TAB>การปรับปรุงหน้าที<TAB>93.33", "ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่ ๙๓.๓๓
คะแนน"). The score is the last number of the line; the indicator is found by its number first,
because documents spell names wrongly, and by its name only when the line has no number.

Every line is reported with what was understood or why it could not be read. Reasons are codes
with parameters (`Line.reason`, `Line.params`) so that the portal words them in the user's
language; a line the reader could read may still carry a note (a name that belongs to another
indicator, a name read by resemblance).
"""

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .names import indicators_named, squash
from .thai import to_arabic

NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]*\d)")
LEADING_NUMBER = re.compile(r"^(?:ตัวชี้วัดที่|ตัวชี้วัด)?\s*(\d{1,3})(?!\d)\s*[.):\-–]?\s*")
TOOL_COLUMN = re.compile(r"\b(?:IIT|EIT|OIT)\b", re.IGNORECASE)
NAME_PUNCTUATION = " \t.:-–|"
HEADER_WORDS = ("ตัวชี้วัด", "คะแนน", "รายละเอียด")
# How alike a name without a number must be to a known name to be read as it (difflib ratio).
CLOSE_NAME = 0.85

# Reasons a line could not be read.
HEADER = "header"
NO_SCORE = "no_score"
SCORE_RANGE = "score_range"
SCORE_PLACES = "score_places"
MANY_NUMBERS = "many_numbers"
NO_INDICATOR = "no_indicator"
UNKNOWN_NAME = "unknown_name"
NO_NAME = "no_name"
DUPLICATE = "duplicate"
# Notes on a line that was read.
OTHER_NAME = "other_name"
UNKNOWN_NAME_NUMBERED = "unknown_name_numbered"
CLOSE_MATCH = "close_match"


@dataclass
class Line:
    number: int
    text: str
    indicator: int | None = None
    name: str = ""
    score: Decimal | None = None
    reason: str = ""
    params: dict = field(default_factory=dict)

    @property
    def read(self):
        """True when the line gave a score for an indicator."""
        return self.indicator is not None and self.score is not None and self.reason not in ERRORS


ERRORS = {HEADER, NO_SCORE, SCORE_RANGE, SCORE_PLACES, MANY_NUMBERS, NO_INDICATOR,
          UNKNOWN_NAME, NO_NAME, DUPLICATE}


@dataclass
class Table:
    lines: list
    scores: dict  # indicator number -> Decimal
    names: dict  # indicator number -> the name as written
    missing: list  # indicator numbers the paste gave no score for


def read_table(text, known_names):
    """Read every non-blank line of `text`; `known_names` maps each indicator number of the year
    to its known names (official name first).

    >>> table = read_table("1\\tการปรับปรุงหน้าที\\t93.33", {1: ["การปฏิบัติหน้าที่", "การปรับปรุงหน้าที"]})
    >>> table.scores
    {1: Decimal('93.33')}
    """
    lines = []
    first_line_of = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        line = read_line(number, raw, known_names)
        if line.read:
            if line.indicator in first_line_of:
                line.reason = DUPLICATE
                line.params = {"indicator": line.indicator, "first": first_line_of[line.indicator]}
            else:
                first_line_of[line.indicator] = number
        lines.append(line)
    read = [line for line in lines if line.read]
    return Table(
        lines=lines,
        scores={line.indicator: line.score for line in read},
        names={line.indicator: line.name for line in read if line.name},
        missing=sorted(set(known_names) - set(first_line_of)),
    )


def read_line(number, raw, known_names):
    line = Line(number=number, text=raw.strip())
    text = to_arabic(line.text)
    numbers = list(NUMBER.finditer(text))
    if not numbers:
        line.reason = HEADER if any(word in text for word in HEADER_WORDS) else NO_SCORE
        return line
    leading = LEADING_NUMBER.match(text)
    if leading and len(numbers) == 1 and numbers[0].group() == leading.group(1) != text:
        # "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่": the only number is the indicator's.
        line.reason = NO_SCORE
        return line
    score_text = numbers[-1].group()
    before = text[: numbers[-1].start()]
    leading = LEADING_NUMBER.match(before)
    if leading:
        line.indicator = int(leading.group(1))
        before = before[leading.end():]
    line.name = TOOL_COLUMN.sub(" ", before).strip(NAME_PUNCTUATION)
    line.name = re.sub(r"\s+", " ", line.name)
    if re.search(r"\d", line.name):
        line.reason = MANY_NUMBERS
        line.params = {"numbers": ", ".join(match.group() for match in numbers)}
        return line
    score = Decimal(score_text)
    if not 0 <= score <= 100:
        line.reason = SCORE_RANGE
        line.params = {"score": score_text}
        return line
    if -score.as_tuple().exponent > 2:
        line.reason = SCORE_PLACES
        line.params = {"score": score_text}
        return line
    line.score = score
    if line.indicator is not None:
        _check_number(line, known_names)
    else:
        _find_by_name(line, known_names)
    return line


def _check_number(line, known_names):
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
    if named:
        line.reason = OTHER_NAME
        line.params = {"name": line.name, "other": named[0], "indicator": line.indicator}
    else:
        line.reason = UNKNOWN_NAME_NUMBERED
        line.params = {"name": line.name, "indicator": line.indicator}


def _find_by_name(line, known_names):
    if not line.name:
        line.reason = NO_NAME
        return
    named = indicators_named(line.name, known_names)
    if len(named) == 1:
        line.indicator = named[0]
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
