"""The paste reader on a second organisation's paste: the overall line, numbers garbled by text
recognition, and numbers mixing digit systems, each answered as the entry form answers it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import paste
from assessments.forms import describe_line
from assessments.models import Assessment
from assessments.paste import read_table

from .test_paste import known  # noqa: F401 (the fixture: every known name of 2568)

NEW_2569 = reverse("assessment_new", args=[2569])


@pytest.mark.parametrize("text", [
    "คะแนนภาพรวม ๘๖.๓๒",
    "ผลคะแนนภาพรวม\t86.32",
    "คะแนนรวม 86.32 คะแนน",
    "ผลการประเมินภาพรวม ปี ๒๕๖๘ ๘๖.๓๒",  # the year beside it is not a second score
    "คะแนน ภาพ รวม : 86.32",
])
def test_the_overall_line_gives_the_published_overall(known, text):
    table = read_table(f"1 การปฏิบัติหน้าที่ 93.33\n{text}", known)
    assert table.overall == Decimal("86.32")
    assert table.scores == {1: Decimal("93.33")}  # the overall is no indicator's score
    line = table.lines[1]
    assert line.read and line.overall and line.indicator is None
    assert describe_line(line) == "คะแนนภาพรวม 86.32: ใส่ในช่องคะแนนภาพรวมที่ประกาศ"


def test_a_second_overall_line_is_refused_and_the_first_kept(known):
    table = read_table("คะแนนภาพรวม 86.32\nคะแนนรวม 68.32", known)
    assert table.overall == Decimal("86.32")
    assert (table.lines[1].reason, table.lines[1].params) == (paste.DUPLICATE_OVERALL, {"first": 1})


def test_an_overall_line_with_two_scores_or_no_score_is_not_read(known):
    assert read_table("คะแนนภาพรวม 86.32 90.42", known).lines[0].reason == paste.MANY_NUMBERS
    assert read_table("คะแนนภาพรวม 186.32", known).lines[0].reason == paste.SCORE_RANGE
    table = read_table("ผลการประเมินภาพรวม", known)
    assert table.overall is None and not table.lines[0].read


@pytest.mark.parametrize("written", ["1O", "1o", "l0", "I0", "๑o", "|0"])
def test_a_garbled_number_with_the_name_of_indicator_10_is_read_as_10_and_says_so(known, written):
    table = read_table(f"{written}\tการป้องกันการทุจริต\t85.00", known)
    [line] = table.lines
    assert table.scores == {10: Decimal("85.00")} and 1 not in table.scores
    assert (line.reason, line.params) == (paste.READ_GARBLED, {"written": written, "indicator": 10})
    assert describe_line(line) == f"อ่านหมายเลข “{written}” เป็น 10 ตามชื่อตัวชี้วัดในบรรทัด ตรวจว่าถูกต้อง"


def test_a_garbled_number_the_name_does_not_confirm_is_not_read(known):
    """"1O" with the name of indicator 1: neither 1 nor 10 can be trusted, so nothing is filled."""
    table = read_table("1O\tการปฏิบัติหน้าที่\t93.33\nlO\tชื่ออื่น\t90.00", known)
    assert table.scores == {}
    first, second = table.lines
    assert (first.reason, first.params) == (paste.GARBLED_NUMBER, {"written": "1O", "guess": 10, "named": "1"})
    assert describe_line(first) == (
        "หมายเลข “1O” มีตัวอักษรปนตัวเลข (อาจเป็น 10) และชื่อในบรรทัดไม่ยืนยันว่าเป็นตัวชี้วัดที่ 10 "
        "(ชื่อเป็นของตัวชี้วัดที่ 1): ไม่อ่านบรรทัดนี้ แก้หมายเลขแล้ววางใหม่"
    )
    assert second.reason == paste.GARBLED_NUMBER and second.params["named"] == "–"


def test_a_clean_number_with_another_indicators_name_still_says_so(known):
    line = read_table("1 การป้องกันการทุจริต 85.00", known).lines[0]
    assert line.indicator == 1 and line.reason == paste.OTHER_NAME
    assert describe_line(line) == "ชื่อ “การป้องกันการทุจริต” เป็นชื่อของตัวชี้วัดที่ 10: ใช้ตามหมายเลข 1"


@pytest.mark.parametrize("text, message", [
    ("1 การปฏิบัติหน้าที่ ๙3.๓3", "คะแนนตัวชี้วัดที่ 1 ต้องเขียนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"),
    ("การปฏิบัติหน้าที่ 9๓.33", "คะแนน ต้องเขียนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"),
    ("๑0 การป้องกันการทุจริต 85.00", "หมายเลขตัวชี้วัด ต้องเขียนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"),
    ("คะแนนภาพรวม ๘6.๓2", "คะแนนภาพรวมที่ประกาศ ต้องเขียนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"),
    ("1 การปฏิบัติหน้าที่ ٩٣.٣٣", "คะแนนตัวชี้วัดที่ 1 ต้องเขียนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"),
])
def test_a_number_mixing_digit_systems_is_refused_as_the_entry_form_refuses_it(known, text, message):
    table = read_table(text, known)
    [line] = table.lines
    assert not line.read and line.reason == paste.MIXED_DIGITS
    assert table.scores == {} and table.overall is None
    assert describe_line(line) == message


def test_the_entry_form_gives_the_same_answer_for_the_same_number(client_for, org):
    data = {f"score_{n}": "90" for n in range(1, 11)}
    data.update({"action": "save", "score_1": "๙3.๓3", "published_overall": "", "published_level": ""})
    html = client_for("org_admin").post(NEW_2569, data).content.decode()
    assert "คะแนนตัวชี้วัดที่ 1 ต้องเขียนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง" in html


def test_pasting_fills_the_published_overall_and_refuses_the_garbled_lines(client_for, org):
    text = (
        "ตัวชี้วัดที่\tรายละเอียดตัวชี้วัด\tคะแนน\n"
        + "".join(f"{n}\tชื่อ\t90.00\n" for n in range(1, 10))
        + "1O\tการป้องกันการทุจริต\t85.00\n"
        "คะแนนภาพรวม\t๘๘.๐๐\n"
        "2 การใช้งบประมาณ ๙6.๑3\n"
    )
    response = client_for("org_admin").post(NEW_2569, {"action": "paste", "paste": text})
    html = response.content.decode()
    assert 'name="published_overall" id="id_published_overall" value="88.00"' in html
    assert 'name="score_10" id="id_score_10" value="85.00"' in html
    assert 'name="score_1" id="id_score_1" value="90.00"' in html  # not the 85.00 of "1O"
    assert "อ่านหมายเลข “1O” เป็น 10 ตามชื่อตัวชี้วัดในบรรทัด" in html
    assert "คะแนนตัวชี้วัดที่ 2 ต้องเขียนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง" in html
    assert 'name="score_2" id="id_score_2" value="90.00"' in html  # the mixed line filled nothing
    assert not Assessment.objects.filter(organisation=org, fiscal_year=2569).exists()
