"""The reader of pasted score tables: several layouts, Thai digits, loose names, garbage lines."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assessments import paste
from assessments.paste import read_table

ROOT = Path(__file__).resolve().parents[1]
SEED_DOCUMENT = Path("/work/shared/seed/000_6413bfa822ac5957.txt")

# Lines 41-51 of the seed document, exactly (tabs between the cells).
SEED_TABLE = (
    "ตัวชี้วัดที่\tรายละเอียดตัวชี้วัด\tคะแนน\n"
    "1\tการปรับปรุงหน้าที\t93.33\n"
    "2\tการใช้งานประมาณ\t96.13\n"
    "3\tการใช้อำนาจ\t98.06\n"
    "4\tการใช้ทรัพยากรของราชการ\t83.87\n"
    "5\tการแก้ไขปัญหาการทุจริต\t93.33\n"
    "6\tคุณภาพการดำเนินงาน\t97.13\n"
    "7\tประสิทธิภาพการสื่อสาร\t97.47\n"
    "8\tการปรับปรุงการดำเนินงาน\t95.74\n"
    "9\tการเปิดเผยข้อมูล\t82.50\n"
    "10\tการป้องกันการทุจริต\t85.00\n"
)
SEED_SCORES = {
    1: Decimal("93.33"), 2: Decimal("96.13"), 3: Decimal("98.06"), 4: Decimal("83.87"),
    5: Decimal("93.33"), 6: Decimal("97.13"), 7: Decimal("97.47"), 8: Decimal("95.74"),
    9: Decimal("82.50"), 10: Decimal("85.00"),
}


def reference_2568():
    data = json.loads((ROOT / "fixtures" / "reference.json").read_text(encoding="utf-8"))
    return next(y for y in data["fiscal_years"] if y["year"] == 2568)["indicators"]


@pytest.fixture(scope="module")
def known():
    """Every known name of the ten indicators of 2568, as the reference data gives them."""
    return {i["number"]: [i["name"], *i["variant_names"]] for i in reference_2568()}


@pytest.fixture(scope="module")
def misspelt():
    """The misspellings of 2568's indicator names the reference data records."""
    return {i["number"]: i["misspellings"] for i in reference_2568()}


def test_seed_table_with_tabs_is_read_whole_with_its_header_skipped(known, misspelt):
    """The four misspelt names of the seed's table are read by their
    number as before, now with a note that they are not the official names."""
    table = read_table(SEED_TABLE, known, misspelt)
    assert table.scores == SEED_SCORES
    assert table.missing == []
    header = table.lines[0]
    assert header.reason == paste.HEADER and not header.read
    assert all(line.read for line in table.lines[1:])
    notes = {line.indicator: (line.reason, line.params.get("official")) for line in table.lines[1:] if line.reason}
    assert notes == {
        1: (paste.MISSPELT_NAME, "การปฏิบัติหน้าที่"), 2: (paste.MISSPELT_NAME, "การใช้งบประมาณ"),
        4: (paste.MISSPELT_NAME, "การใช้ทรัพย์สินของราชการ"), 8: (paste.MISSPELT_NAME, "การปรับปรุงระบบการทำงาน"),
    }
    assert table.names[1] == "การปรับปรุงหน้าที" and table.names[8] == "การปรับปรุงการดำเนินงาน"


@pytest.mark.skipif(not SEED_DOCUMENT.exists(), reason="the shared seed document is not on this machine")
def test_seed_document_lines_41_to_51_match_the_copy_in_this_test(known):
    lines = SEED_DOCUMENT.read_text(encoding="utf-8").splitlines()[40:51]
    assert "\n".join(lines) + "\n" == SEED_TABLE
    assert read_table("\n".join(lines), known).scores == SEED_SCORES


def test_space_separated_lines_with_arabic_digits(known):
    text = "\n".join(f"{n}  {known[n][0]} {score}" for n, score in SEED_SCORES.items())
    table = read_table(text, known)
    assert table.scores == SEED_SCORES
    assert {line.reason for line in table.lines} == {""}


def test_itas_like_lines_with_label_tool_column_and_unit(known):
    text = (
        "ตัวชี้วัด\tเครื่องมือ\tคะแนน\n"
        "ตัวชี้วัดที่ 1 : การปฏิบัติหน้าที่\tIIT\t93.33 คะแนน\n"
        "ตัวชี้วัดที่ 6. คุณภาพการดำเนินงาน\tEIT\t97.13 คะแนน\n"
        "ตัวชี้วัดที่ 10 การป้องกันการทุจริต\tOIT\t85 คะแนน\n"
    )
    table = read_table(text, known)
    assert table.scores == {1: Decimal("93.33"), 6: Decimal("97.13"), 10: Decimal("85")}
    assert [line.name for line in table.lines[1:]] == [
        "การปฏิบัติหน้าที่", "คุณภาพการดำเนินงาน", "การป้องกันการทุจริต"
    ]
    assert table.missing == [2, 3, 4, 5, 7, 8, 9]


def test_thai_digits_are_read_as_arabic(known):
    table = read_table("๑ การปฏิบัติหน้าที่ ๙๓.๓๓\n๑๐\tการป้องกันการทุจริต\t๘๕.๐๐", known)
    assert table.scores == {1: Decimal("93.33"), 10: Decimal("85.00")}


def test_names_with_stray_spaces_are_known_names(known):
    line = read_table("2 การใช้ งบ ประมาณ 96.13", known).lines[0]
    assert line.read and line.reason == ""


def test_line_without_number_is_matched_by_its_name_spaces_ignored(known):
    table = read_table("การใช้ งบประมาณ\t96.13\nการปรับปรุงการทำงาน 95.74", known)
    assert table.scores == {2: Decimal("96.13"), 8: Decimal("95.74")}


def test_misspelt_name_without_number_is_read_by_resemblance_and_says_so(known):
    line = read_table("การปฏิบัตหน้าที่ 93.33", known).lines[0]
    assert line.read and line.indicator == 1
    assert line.reason == paste.CLOSE_MATCH
    assert line.params == {"name": "การปฏิบัตหน้าที่", "known": "การปฏิบัติหน้าที่"}


def test_number_wins_over_the_name_of_another_indicator_and_the_line_says_so(known):
    line = read_table("ตัวชี้วัดที่ ๗ การใช้ งบประมาณ ๙๗.๔๗", known).lines[0]
    assert line.read and line.indicator == 7 and line.score == Decimal("97.47")
    assert line.reason == paste.OTHER_NAME
    assert line.params == {"name": "การใช้ งบประมาณ", "other": 2, "indicator": 7}


def test_unknown_name_with_a_number_is_read_by_the_number_with_a_note(known):
    line = read_table("3 อำนาจหน้าที่ทั่วไป 98.06", known).lines[0]
    assert line.read and line.indicator == 3
    assert line.reason == paste.UNKNOWN_NAME_NUMBERED


@pytest.mark.parametrize(
    "text, reason, params",
    [
        ("ข้อมูลไม่เกี่ยวข้อง", paste.NO_SCORE, {}),
        ("ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่", paste.NO_SCORE, {}),
        ("1\tการปฏิบัติหน้าที่", paste.NO_SCORE, {}),
        ("ปี 2568", paste.SCORE_RANGE, {"score": "2568"}),
        ("1 การปฏิบัติหน้าที่ 101", paste.SCORE_RANGE, {"score": "101"}),
        ("1 การปฏิบัติหน้าที่ 93.333", paste.SCORE_PLACES, {"score": "93.333"}),
        ("9.1 ข้อมูลพื้นฐาน 100.00", paste.MANY_NUMBERS, {"numbers": "9.1, 100.00"}),
        ("1 การปฏิบัติหน้าที่ 90.00 93.33", paste.MANY_NUMBERS, {"numbers": "1, 90.00, 93.33"}),
        ("11 ตัวชี้วัดพิเศษ 50.00", paste.NO_INDICATOR, {"indicator": 11}),
        ("ความพึงพอใจ 88.00", paste.UNKNOWN_NAME, {"name": "ความพึงพอใจ"}),
        ("93.33", paste.NO_NAME, {}),
        ("85", paste.NO_NAME, {}),
    ],
)
def test_garbage_lines_give_their_reason_and_no_score(known, text, reason, params):
    table = read_table(text, known)
    [line] = table.lines
    assert not line.read
    assert (line.reason, line.params) == (reason, params)
    assert table.scores == {}


def test_a_second_line_for_the_same_indicator_is_refused_and_the_first_kept(known):
    table = read_table("2 การใช้งบประมาณ 96.13\n\n2 การใช้งบประมาณ 69.13", known)
    assert table.scores == {2: Decimal("96.13")}
    second = table.lines[1]
    assert second.number == 3 and not second.read
    assert (second.reason, second.params) == (paste.DUPLICATE, {"indicator": 2, "first": 1})


def test_blank_lines_are_not_reported(known):
    table = read_table("\n\n   \n1 การปฏิบัติหน้าที่ 93.33\n\n", known)
    assert [line.number for line in table.lines] == [4]
