from datetime import date

import pytest

from lib import thai


@pytest.mark.parametrize(
    "raw, code",
    [("๐๘", "o8"), ("๐๑๐", "o10"), ("๐๒๕", "o25"), ("o8", "o8"), ("O25", "o25"),
     ("i๑๐", "i10"), ("e๔", "e4"), ("I 12", "i12"), ("x8", None), ("๙๘", None)],
)
def test_normalise_code_reads_thai_zero_as_letter_o(raw, code):
    assert thai.normalise_code(raw) == code


def test_find_codes_ignores_scores_and_sub_indicators():
    text = "ได้ ๑๐๐.๐๐ คะแนน (อ้างอิงจาก ๐๘) หรือ (อ้างอิงจาก ๐๙) ตัวชี้วัด ๙.๑, ๙.๒ ปี ๒๕๖๙ (๐๑๐)"
    assert thai.find_codes(text) == ["o8", "o9", "o10"]


def test_thai_dates_in_buddhist_era():
    assert thai.thai_date(date(2026, 11, 24)) == "24 พฤศจิกายน 2569"
    assert thai.thai_date(date(2026, 11, 24), thai_digits=True) == "๒๔ พฤศจิกายน ๒๕๖๙"
    assert thai.thai_date(date(2025, 3, 7), short=True) == "7 มี.ค. 2568"


@pytest.mark.parametrize(
    "day, year", [(date(2024, 10, 1), 2568), (date(2025, 9, 30), 2568), (date(2025, 10, 1), 2569)]
)
def test_fiscal_year_runs_october_to_september(day, year):
    assert thai.fiscal_year_of(day) == year


def test_digit_conversion_round_trips():
    assert thai.to_arabic("๙๐.๔๒") == "90.42"
    assert thai.to_thai("90.42") == "๙๐.๔๒"
