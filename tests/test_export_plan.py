"""Excel, CSV and JSON downloads of the plan and the scores."""

import csv
import io
import json
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lib.formulas import neutralise
from measures.imports import PLAN_COLUMNS

from .conftest import make_measure


@pytest.fixture
def plan(assessment, palad):
    return [
        make_measure(assessment, [palad], activity="=HYPERLINK(\"http://x\")", method="+ขั้นตอน", position=1,
                     start_date=date(2025, 10, 1), end_date=date(2026, 9, 30), progress=40,
                     status="in_progress"),
        make_measure(assessment, [palad], number=4, indicator_label="ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ",
                     activity="กำหนดแนวทางการยืมทรัพย์สิน", method="@ผู้รับผิดชอบ", analysis="-คะแนนต่ำ", position=2),
    ]


def test_neutralise_only_text_that_a_spreadsheet_would_run():
    assert neutralise("=1+1") == "'=1+1"
    assert [neutralise(t) for t in ("+1", "-1", "@x", "\tx")] == ["'+1", "'-1", "'@x", "'\tx"]
    assert neutralise("ดำเนินการ = ดี") == "ดำเนินการ = ดี"
    assert neutralise(5) == 5


def test_admin_exports_the_plan_as_xlsx(client_for, plan, assessment):
    response = client_for("org_admin").get(reverse("reports:plan_xlsx", args=[assessment.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet, scores = workbook.worksheets
    assert [c.value for c in sheet[1]] == [title for _, title, _ in PLAN_COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width == 48
    first = [c.value for c in sheet[2]]
    assert first[0] == plan[0].pk
    assert first[3] == "'=HYPERLINK(\"http://x\")" and first[4] == "'+ขั้นตอน"
    assert sheet.cell(2, 4).data_type == "s"  # text, never a formula
    assert first[7] == "กำลังดำเนินการ" and first[8] == 40
    assert first[9].date() == date(2025, 10, 1)
    assert sheet.cell(2, 4).alignment.wrap_text
    assert [c.value for c in sheet[3]][2] == "'-คะแนนต่ำ"
    assert [scores.cell(r, 4).value for r in range(2, 12)] == [
        93.33, 96.13, 98.06, 83.87, 93.33, 97.13, 97.47, 95.74, 82.5, 85.0
    ]
    assert scores.freeze_panes == "A2"
    assert any(row[1] == "คะแนนภาพรวม" and row[3] == 90.42 for row in scores.iter_rows(values_only=True))


@pytest.mark.parametrize("persona, status", [("staff", 403), ("executive", 403), ("outsider", 404)])
def test_only_admins_export_the_xlsx(persona, status, client_for, assessment):
    assert client_for(persona).get(reverse("reports:plan_xlsx", args=[assessment.pk])).status_code == status


def test_plan_csv_and_json(client_for, plan, assessment):
    client = client_for("staff")
    response = client.get(reverse("reports:data", args=[assessment.pk, "plan", "csv"]))
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][3] == "มาตรการ/โครงการ/กิจกรรม"
    assert rows[1][0] == str(plan[0].pk) and rows[1][3].startswith("'=") and rows[1][9] == "2025-10-01"
    data = json.loads(client.get(reverse("reports:data", args=[assessment.pk, "plan", "json"])).content)
    assert data["organisation"] == "องค์การบริหารส่วนตำบลทดสอบ" and data["fiscal_year"] == 2568
    assert data["measures"][0]["activity"] == "=HYPERLINK(\"http://x\")"
    assert data["measures"][0]["start_date"] == "2025-10-01" and data["measures"][1]["end_date"] is None


def test_scores_csv_and_json(client_for, assessment):
    client = client_for("executive")
    rows = list(csv.reader(io.StringIO(
        client.get(reverse("reports:data", args=[assessment.pk, "scores", "csv"])).content.decode("utf-8-sig")
    )))
    assert rows[1] == ["1", "การปฏิบัติหน้าที่", "IIT", "93.33"]
    data = json.loads(client.get(reverse("reports:data", args=[assessment.pk, "scores", "json"])).content)
    assert data["overall"] == "90.42" and data["level"] == "ผ่าน"
    assert data["tool_means"] == {"IIT": "92.94", "EIT": "96.78", "OIT": "83.75"}
    assert data["indicators"][8] == {"number": 9, "name": "การเปิดเผยข้อมูล", "tool": "OIT", "score": "82.50"}


def test_unknown_dataset_is_404_and_outsider_is_404(client_for, assessment):
    assert client_for("staff").get(reverse("reports:data", args=[assessment.pk, "plan", "xml"])).status_code == 404
    assert client_for("outsider").get(reverse("reports:data", args=[assessment.pk, "plan", "csv"])).status_code == 404


def test_export_query_count_does_not_grow_with_rows(client_for, assessment, palad, django_assert_num_queries):
    """Guards an N+1 on plan rows in the Excel, CSV and JSON exports: session, the user
    with their membership, the assessment with its scores, indicators, the year's indicators and levels,
    the plan rows in one query whatever their number, and the export's audit entry; the Excel
    export counts the rows first (one more query) to decide between a download and a job."""
    client = client_for("org_admin")
    make_measure(assessment, [palad])
    urls = [
        (reverse("reports:plan_xlsx", args=[assessment.pk]), 10),
        (reverse("reports:data", args=[assessment.pk, "plan", "csv"]), 9),
        (reverse("reports:data", args=[assessment.pk, "plan", "json"]), 9),
    ]
    for url, queries in urls:
        with django_assert_num_queries(queries):
            client.get(url)
    for _ in range(20):
        make_measure(assessment, [palad])
    for url, queries in urls:
        with django_assert_num_queries(queries):
            client.get(url)
