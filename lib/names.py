"""Indicator names and quoted scores as Thai documents write them: plain Python, no Django.

Documents break names with stray spaces ("การใช้ งบประมาณ", "คุณภาพการ ดำเนินงาน") and spell
them in several ways, so names are compared with every space removed, against every known name
of every indicator ({number: [name, variant, ...]}).
"""

import difflib
import re
from decimal import Decimal

from .thai import to_arabic

SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
# "ตัวชี้วัดที่ ๗ การใช้ งบประมาณ", "ตัวชี้วัด 7"
LABEL_NUMBER = re.compile(r"ตัวชี้วัด(?:ที่)?\s*([0-9๐-๙]{1,2})(?![0-9๐-๙])")
# "๑๐. การเปิดเผยข้อมูล (๘๕.๐๐ คะแนน)"
HEADING_NUMBER = re.compile(r"^\s*([0-9๐-๙]{1,2})\s*[.)]")
# A score stands next to the word คะแนน: "ได้รับคะแนน ๙๗.๐๐ คะแนน", "ได้ ๙๔.๑๙ คะแนน".
SCORE_NUMBER = r"(\d{1,3}(?:\.\d{1,2})?)"
QUOTED_SCORE = re.compile(
    rf"คะแนน\s*{SCORE_NUMBER}(?![\d.]*\d)|(?<![\d.]){SCORE_NUMBER}\s*คะแนน"
)


# How alike a name must be to a known name to be taken for a misspelling of it (difflib's
# ratio over the names with spaces removed): "การปฏิบัตหน้าที่" is 0.97 of "การปฏิบัติหน้าที่".
CLOSE_NAME = 0.85


def squash(text):
    """The text without any whitespace: 'การใช้ งบประมาณ' -> 'การใช้งบประมาณ'."""
    return SPACES.sub("", text)


def indicators_named(text, known_names):
    """Numbers of the indicators whose known name the text contains, spaces ignored.

    >>> known = {2: ["การใช้งบประมาณ"], 7: ["ประสิทธิภาพการสื่อสาร"]}
    >>> indicators_named("ตัวชี้วัดที่ ๗ การใช้ งบประมาณ", known)
    [2]
    """
    squashed = squash(text)
    return sorted(
        number
        for number, names in known_names.items()
        if any(squash(name) and squash(name) in squashed for name in names)
    )


def resembles(text, names, cutoff=CLOSE_NAME):
    """Whether `text` is, spaces ignored, at least `cutoff` alike (difflib ratio) to one of `names`.

    >>> resembles("การปฏิบัตหน้าที่", ["การปฏิบัติหน้าที่"]), resembles("การใช้อำนาจ", ["การปฏิบัติหน้าที่"])
    (True, False)
    """
    squashed = squash(text)
    return any(difflib.SequenceMatcher(None, squashed, squash(name)).ratio() >= cutoff for name in names)


def label_number(label):
    """The indicator number a plan row's label gives: 'ตัวชี้วัดที่ ๑๐ ...' -> 10, else None."""
    match = LABEL_NUMBER.search(label)
    return int(to_arabic(match.group(1))) if match else None


def heading_number(heading):
    """The number an analysis heading starts with: '๑๐. การเปิดเผยข้อมูล ...' -> 10, else None."""
    match = HEADING_NUMBER.match(heading)
    return int(to_arabic(match.group(1))) if match else None


def written_name(text):
    """The name in a plan row's label or an analysis heading, without the number before it and
    anything in brackets after it.

    >>> written_name("ตัวชี้วัดที่ ๗ การใช้ งบประมาณ")
    'การใช้ งบประมาณ'
    >>> written_name("๑๐. การเปิดเผยข้อมูล (๘๕.๐๐ คะแนน)")
    'การเปิดเผยข้อมูล'
    """
    text = LABEL_NUMBER.sub("", text.split("(")[0])
    return HEADING_NUMBER.sub("", text).strip()


def quoted_score(text):
    """The first score a text quotes next to the word คะแนน, as a Decimal, or None.

    >>> quoted_score("ได้รับคะแนน ๘๒.๕๐ คะแนน (คะแนนต่ำสุดใน ๑๐ ตัวชี้วัด)")
    Decimal('82.50')
    >>> quoted_score("ไม่มีคะแนนในข้อความนี้") is None
    True
    """
    match = QUOTED_SCORE.search(to_arabic(text))
    if not match:
        return None
    return Decimal(match.group(1) or match.group(2))
