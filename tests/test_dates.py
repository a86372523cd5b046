"""Dates typed with a Buddhist Era year are the right Gregorian date everywhere; dates outside
2500-2700 BE are refused with a Thai message; forms show dates back as 24/11/2569."""

import datetime

import pytest
from django.urls import reverse

from lib.forms import ThaiDateField
from lib import thai
from measures.models import Measure, ProgressNote
from measures import imports

from .conftest import make_measure
from .plan_helpers import edit_data

NEW_YEAR_2569 = datetime.date(2026, 1, 1)


@pytest.mark.parametrize("typed", [
    "2569-01-01", "2026-01-01", "1/1/2569", "01/01/2569", "1/1/2026", "1.1.2569", "1-1-2569",
    "๑/๑/๒๕๖๙", "๒๕๖๙-๐๑-๐๑", "1 มกราคม 2569", "๑ มกราคม ๒๕๖๙", "1 ม.ค. 2569", "1 ม.ค. พ.ศ. 2569",
    " 1/1/2569 ", datetime.date(2569, 1, 1), datetime.datetime(2569, 1, 1, 0, 0), NEW_YEAR_2569,
])
def test_every_way_of_writing_new_year_2569_is_the_first_of_january_2026(typed):
    assert thai.parse_date(typed) == NEW_YEAR_2569


@pytest.mark.parametrize("typed, code", [
    ("31/2/2569", "calendar"),
    ("29/2/2568", "calendar"),  # 2025 is not a leap year
    ("1/1/2499", "range"),  # 1956
    ("1/1/2701", "range"),
    ("1/1/1956", "range"),
    ("1/1/2200", "range"),  # read as CE (not above 2400): 2200 is past 2700 BE
    ("1/1/25690", "format"),
    ("1/1/69", "format"),
    ("๑/1/๒๕๖๙", None),  # mixed digits are still one date once read
    ("٠١/٠١/٢٥٦٩", "format"),  # Arabic-Indic digits are not Thai or Arabic ones
    ("ปลายปี", "format"),
    ("1 Foo 2569", "format"),
    (datetime.date(1900, 1, 1), "range"),
])
def test_impossible_and_out_of_range_dates_are_refused(typed, code):
    if code is None:
        assert thai.parse_date(typed) == NEW_YEAR_2569
        return
    with pytest.raises(thai.DateError) as refused:
        thai.parse_date(typed)
    assert refused.value.code == code


def test_a_date_field_shows_a_date_back_as_day_month_and_be_year():
    field = ThaiDateField()
    assert field.widget.format_value(NEW_YEAR_2569) == "1/1/2569"
    assert 'value="24/11/2569"' in field.widget.render("d", datetime.date(2026, 11, 24))
    assert 'type="text"' in field.widget.render("d", None)


@pytest.fixture
def row(assessment, palad):
    return make_measure(assessment, units=[palad])


def test_a_plan_row_dated_in_the_buddhist_era_is_stored_as_the_gregorian_date(row, client_for):
    data = edit_data(row, start_date="2569-01-01", end_date="๓๐/๙/๒๕๖๙")
    response = client_for("staff").post(reverse("measures:edit", args=[row.pk]), data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.start_date, row.end_date) == (NEW_YEAR_2569, datetime.date(2026, 9, 30))
    form = client_for("staff").get(reverse("measures:edit", args=[row.pk])).content.decode()
    assert 'value="1/1/2569"' in form and 'value="30/9/2569"' in form


@pytest.mark.parametrize("typed, message", [
    ("1/1/2400", "ปีต้องอยู่ระหว่าง พ.ศ. 2500 ถึง 2700"),
    ("1/1/3000", "ปีต้องอยู่ระหว่าง พ.ศ. 2500 ถึง 2700"),
    ("31/4/2569", "ไม่มีวันนี้ในปฏิทิน"),
    ("เดือนหน้า", "ใช้รูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 24/11/2569"),
])
def test_a_plan_row_with_a_date_out_of_range_is_refused_in_thai(row, client_for, typed, message):
    data = edit_data(row, start_date=typed)
    response = client_for("staff").post(reverse("measures:edit", args=[row.pk]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    row.refresh_from_db()
    assert (row.start_date, row.version) == (None, 1)


def test_a_row_added_with_be_dates(row, palad, client_for, assessment):
    data = {"indicator": row.indicator_id, "indicator_label": "", "activity": "แถวใหม่", "status": "not_started",
            "progress": 0, "units": [palad.pk], "start_date": "1 ต.ค. 2568", "end_date": "30/9/2569"}
    assert client_for("staff").post(reverse("measures:add", args=[2569]), data).status_code == 302
    added = Measure.objects.get(activity="แถวใหม่")
    assert (added.start_date, added.end_date) == (datetime.date(2025, 10, 1), datetime.date(2026, 9, 30))


def test_a_progress_note_dated_in_the_buddhist_era(row, client_for):
    url = reverse("measures:add_note", args=[row.pk])
    assert client_for("staff").post(url, {"date": "๑๕/๑/๒๕๖๙", "text": "ประชุมแล้ว"}).status_code == 302
    assert ProgressNote.objects.get().date == datetime.date(2026, 1, 15)
    refused = client_for("staff").post(url, {"date": "15/1/2026000", "text": "ผิด"})
    assert refused.status_code == 422 and ProgressNote.objects.count() == 1


def test_the_note_form_shows_today_as_day_month_and_be_year(row, client_for):
    page = client_for("staff").get(reverse("measures:detail", args=[row.pk])).content.decode()
    assert f'value="{thai.numeric_date(datetime.date.today())}"' in page


def test_the_progress_report_reads_a_be_date_and_shows_it_back(assessment, client_for):
    response = client_for("staff").get(reverse("reports:progress", args=[assessment.pk]), {"as_of": "31/3/2569"})
    assert response.status_code == 200 and response.context["as_of"] == datetime.date(2026, 3, 31)
    assert 'value="31/3/2569"' in response.content.decode()
    refused = client_for("staff").get(reverse("reports:progress", args=[assessment.pk]), {"as_of": "31/3/2400"})
    assert refused.status_code == 400 and "พ.ศ. 2500 ถึง 2700" in refused.content.decode()


@pytest.mark.parametrize("cell, expected", [
    ("1/1/2569", NEW_YEAR_2569), ("2569-01-01", NEW_YEAR_2569), (datetime.datetime(2569, 1, 1), NEW_YEAR_2569),
    ("1 มกราคม 2569", NEW_YEAR_2569), (datetime.date(2026, 1, 1), NEW_YEAR_2569),
])
def test_the_plan_import_reads_dates_by_the_same_rule(cell, expected):
    assert imports._date(cell, "วันเริ่ม") == expected


def test_the_plan_import_refuses_a_date_out_of_range_with_its_column():
    with pytest.raises(imports.RowError, match='วันเริ่ม "1/1/2400" อยู่นอกช่วงปี พ.ศ. 2500 ถึง 2700'):
        imports._date("1/1/2400", "วันเริ่ม")
