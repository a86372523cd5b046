"""Thai digits, Buddhist Era dates and code normalisation: plain Python, no Django."""

import datetime
import re
from decimal import Decimal

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

THAI_MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]
THAI_MONTHS_SHORT = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]
BE_OFFSET = 543
# A typed year above this is Buddhist Era: Thai documents write 2569 for 2026, and no plan,
# note or report is dated before 1857 CE.
BE_YEARS_FROM = 2400
# The dates the portal accepts anywhere (plans, notes, reports, imports): 2500 to 2700 BE.
# A year outside is a slip (25690, 2026 typed as BE 2026 = 1483 CE, 1/1/69 read as 0069).
EARLIEST_YEAR, LATEST_YEAR = 2500 - BE_OFFSET, 2700 - BE_OFFSET
MONTH_NUMBERS = {name: number for number, name in enumerate(THAI_MONTHS, start=1)} | {
    name: number for number, name in enumerate(THAI_MONTHS_SHORT, start=1)
}
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
SLASH_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
WORDS_DATE = re.compile(r"([0-9]{1,2})\s*(\S+?)\s*(?:พ\.\s?ศ\.\s*)?([0-9]{4})")

# "o8", "O8", "๐๘" (the letter o read by PDF extraction as Thai zero), "i๑๐", "e 4".
CODE_PATTERN = re.compile(r"(?<![A-Za-z0-9๐-๙.,])([ioeIOE]|๐)\s?([0-9๐-๙]{1,2})(?![0-9๐-๙])")


def to_arabic(text):
    return text.translate(TO_ARABIC)


def to_thai(text):
    return text.translate(TO_THAI)


def mixes_digits(text):
    """Whether a number is written in both Thai and Arabic digits (๙5), or with digits of another
    script (٩٥, ９５, ²): Python's Decimal and int read all of these without a word, so a slip
    of the keyboard would pass for a score."""
    systems = {
        "thai" if char in THAI_DIGITS else "arabic" if char in "0123456789" else "other"
        for char in text if char.isdigit()
    }
    return len(systems) > 1 or "other" in systems


class MixedDigits(ValueError):
    """A number written partly in Thai and partly in Arabic digits, or in another script's."""


def read_number(text):
    """The Decimal a person wrote in Thai or in Arabic digits: '๙๓.๓๓' and '93.33' -> 93.33.

    The one reader of typed and pasted scores (the entry form's ScoreInput and the paste
    reader), so that both give the same answer. Raises MixedDigits for '๙3.๓3' and the like
    (see mixes_digits) and decimal.InvalidOperation for text that is not a number.

    >>> read_number("๙๓.๓๓"), read_number(" 85 ")
    (Decimal('93.33'), Decimal('85'))
    """
    text = text.strip()
    if mixes_digits(text):
        raise MixedDigits(text)
    return Decimal(to_arabic(text))


def be_year(ce_year):
    return ce_year + BE_OFFSET


def fiscal_year_of(day):
    """The Buddhist Era fiscal year a date falls in (1 Oct 2024 .. 30 Sep 2025 -> 2568)."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def thai_date(day, thai_digits=False, short=False):
    """24 พฤศจิกายน 2569 (or with Thai digits, or with the short month name)."""
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    text = f"{day.day} {months[day.month - 1]} {be_year(day.year)}"
    return to_thai(text) if thai_digits else text


class DateError(ValueError):
    """A date that cannot be read ("format"), is not in the calendar ("calendar") or lies
    outside EARLIEST_YEAR..LATEST_YEAR ("range")."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def parse_date(value):
    """The date a person typed (or a spreadsheet cell holds), with a Buddhist Era year turned
    into the Gregorian one, the one rule for every date input of the portal.

    Written 2569-01-01, 2026-01-01, 1/1/2569, 01.01.2569, 1 มกราคม 2569, 1 ม.ค. พ.ศ. 2569, in
    Arabic or Thai digits; a year above 2400 is BE. A date (an Excel date cell) whose year is
    above 2400 was typed as BE too.

    >>> parse_date("๑/๑/๒๕๖๙")
    datetime.date(2026, 1, 1)
    >>> parse_date("2569-01-01")
    datetime.date(2026, 1, 1)
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        day, month, year = value.day, value.month, value.year
    else:
        text = to_arabic(str(value)).strip()
        if match := ISO_DATE.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
        elif match := SLASH_DATE.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
        elif (match := WORDS_DATE.fullmatch(text)) and match.group(2) in MONTH_NUMBERS:
            day, month, year = int(match.group(1)), MONTH_NUMBERS[match.group(2)], int(match.group(3))
        else:
            raise DateError("format")
    if year > BE_YEARS_FROM:
        year -= BE_OFFSET
    try:
        day = datetime.date(year, month, day)
    except ValueError:
        raise DateError("calendar") from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise DateError("range")
    return day


def numeric_date(day):
    """24/11/2569: how a date is shown back in a form, day/month/BE year.

    >>> numeric_date(datetime.date(2026, 1, 1))
    '1/1/2569'
    """
    return f"{day.day}/{day.month}/{be_year(day.year)}"


def normalise_code(raw):
    """'๐๘' -> 'o8', 'i๑๐' -> 'i10', 'O 25' -> 'o25'; None when it is not a code."""
    match = CODE_PATTERN.fullmatch(raw.strip())
    if not match:
        return None
    letter, digits = match.groups()
    letter = "o" if letter == "๐" else letter.lower()
    return f"{letter}{int(to_arabic(digits))}"


def find_codes(text):
    """Every question or item code in a text, normalised, in order, without repeats."""
    found = []
    for match in CODE_PATTERN.finditer(text):
        code = normalise_code(match.group(0))
        if code and code not in found:
            found.append(code)
    return found
