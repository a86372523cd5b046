"""Loading many organisations' results as the NACC publishes them: pasted PDF text (scrambled
Thai marks, broken words, header noise, continued and cut-off rows), .xlsx and .csv, previewed
then saved in one transaction, from the oversight view and from the command line."""

from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from assessments.checks import check_assessment
from assessments.models import Assessment, Organisation
from oversight.results import read_line, read_results, skeleton

from .test_oversight_scopes import signed_in

IMPORT = reverse("oversight:import")
SCORES_2564 = "93.33 96.13 98.06 83.87 93.33 97.13 97.47 95.74 82.50 85.00"
# The NACC's report as pdftotext gives it: the header's marks scrambled, the name's vowels and
# tone marks after the wrong consonant (สว่น, ตาํบล, วงั), words broken apart, a continued row
# with a blank name, a row cut off after six scores, a name of another province, a page number.
PASTED = f"""รายงานผลการประเมนิคณุธรรมและความโปรง่ใส (ITA) ปงีบประมาณ
ชอื่หนว่ยงาน ปี 1 2 3 4 5 6 7 8 9 10 คะแนนรวม ระดับ
องคก์ารบรหิารสว่น ตาํบลวงัหมี ปี 2564 {SCORES_2564} 90.42 A
ปี 2565 90 90 90 90 90 90 90 90 90 90 90.00 A
เทศบาลตาํบล หนองบวั ปี 2564 91.00 92.00 93.00
องคก์ารบรหิารสว่นตาํบลขอนแกน่ ปี 2564 {SCORES_2564} 90.42 A
หนา้ 1 จาก 3
"""


@pytest.fixture
def area(reference):
    wangmi = Organisation.objects.create(name="องค์การบริหารส่วนตำบลวังหมี", short_name="อบต.วังหมี",
                                         province="นครราชสีมา", district="วังน้ำเขียว")
    nongbua = Organisation.objects.create(name="เทศบาลตำบลหนองบัว", province="นครราชสีมา", district="เมือง")
    khonkaen = Organisation.objects.create(name="องค์การบริหารส่วนตำบลขอนแก่น", province="ขอนแก่น")
    return {"wangmi": wangmi, "nongbua": nongbua, "khonkaen": khonkaen}


def test_a_scrambled_name_has_the_skeleton_of_the_real_one():
    assert skeleton("องคก์ารบรหิารสว่น ตาํบลวงัหมี") == skeleton("องค์การบริหารส่วนตำบลวังหมี")
    assert skeleton("อบต.วังหมี") == skeleton("องค์การบริหารส่วนตำบลวังหมี")


def test_a_header_of_column_numbers_and_a_page_number_are_not_rows():
    assert read_line(2, "ชอื่หนว่ยงาน ปี 1 2 3 4 5 6 7 8 9 10 คะแนนรวม ระดับ") is None
    assert read_line(7, "หนา้ 1 จาก 3") is None
    row = read_line(3, f"ปี ๒๕๖๔ {SCORES_2564} 90.42")
    assert (row.year, row.overall, row.name, row.problem) == (2564, Decimal("90.42"), "", "")


def test_the_preview_matches_within_the_area_and_says_why_the_rest_wait(area):
    """นครราชสีมา only: the scrambled วังหมี matches (and its continued 2565 row); หนองบัว is cut
    off after three scores; ขอนแก่น lies outside the province, so it is not found."""
    preview = read_results(PASTED.splitlines(), Organisation.objects.filter(province="นครราชสีมา"))
    assert [n for n, _text in preview.skipped] == [1, 2, 7]
    by_line = {row.number: row for row in preview.rows}
    assert by_line[3].organisation == area["wangmi"] and by_line[3].similarity >= 80
    assert by_line[4].continued and by_line[4].organisation == area["wangmi"] and by_line[4].year == 2565
    assert by_line[5].organisation == area["nongbua"] and "ไม่ครบ" in by_line[5].problem
    assert by_line[6].organisation is None and "ไม่พบ" in by_line[6].problem
    assert [row.number for row in preview.ready] == [3, 4]


def test_an_area_office_previews_then_saves_the_complete_rows_in_one_go(area):
    office = signed_in("korat", province="นครราชสีมา")
    response = office.post(IMPORT, {"text": PASTED, "action": "preview"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "องค์การบริหารส่วนตำบลวังหมี" in html and "ไม่ครบ" in html and "ไม่พบหน่วยงานชื่อนี้" in html
    assert not Assessment.objects.exists()  # a preview saves nothing

    response = office.post(IMPORT, {"text": response.context["lines"], "action": "apply"})
    assert response.status_code == 302
    saved = {a.fiscal_year_id: a for a in Assessment.objects.filter(organisation=area["wangmi"])}
    assert set(saved) == {2564, 2565}
    assert not Assessment.objects.exclude(organisation=area["wangmi"]).exists()
    a2564 = saved[2564]
    assert a2564.published_overall == Decimal("90.42") and a2564.published_level == "A"
    assert a2564.scores.count() == 10
    # 2564 weights 30/30/40 over the same scores as the seed: 90.4172 -> 90.42, level A (85-94.99).
    assert (a2564.result_overall, a2564.result_level, a2564.is_latest_result) == (Decimal("90.42"), "A", False)
    assert saved[2565].is_latest_result and saved[2565].result_change == Decimal("-0.42")


def test_the_check_reports_a_published_overall_that_differs_from_the_computed_one(area):
    office = signed_in("korat", province="นครราชสีมา")
    office.post(IMPORT, {"text": f"อบต.วังหมี ปี 2564 {SCORES_2564} 91.00 A", "action": "apply"})
    assessment = Assessment.objects.with_scores().get(organisation=area["wangmi"])
    assert assessment.published_overall == Decimal("91.00")  # kept as printed
    assert any("91.00" in issue.problem and "90.42" in issue.problem for issue in check_assessment(assessment))


def test_an_office_cannot_load_results_outside_its_area(area):
    district = signed_in("pak", province="นครราชสีมา", district="เมือง")
    response = district.post(IMPORT, {"text": f"อบต.วังหมี ปี 2564 {SCORES_2564} 90.42", "action": "apply"})
    assert response.status_code == 302
    assert not Assessment.objects.exists()  # วังหมี is in วังน้ำเขียว: not found, nothing saved
    assert district.get(IMPORT, {"province": "ขอนแก่น"}).status_code == 404


@pytest.mark.parametrize("persona", ["staff", "org_admin", "outsider"])
def test_organisation_members_cannot_import(client_for, persona):
    assert client_for(persona).post(IMPORT, {"text": "x"}).status_code == 403
    assert not Assessment.objects.exists()


def test_an_xlsx_with_a_merged_name_cell_and_a_csv_read_alike(area):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ชื่อหน่วยงาน", "ปี", *range(1, 11), "รวม", "ระดับ"])
    sheet.append(["อบต.วังหมี", "ปี 2564", *SCORES_2564.split(), "90.42", "A"])
    sheet.append(["", 2565, *["90"] * 10, "90", "A"])
    data = BytesIO()
    workbook.save(data)
    upload = BytesIO(data.getvalue())
    upload.name = "results.xlsx"
    office = signed_in("korat", province="นครราชสีมา")
    response = office.post(IMPORT, {"file": upload, "action": "preview"})
    assert [row.number for row in response.context["preview"].ready] == [2, 3]
    csv = BytesIO(f"อบต.วังหมี,2564,{','.join(SCORES_2564.split())},90.42\n".encode("cp874"))
    csv.name = "results.csv"
    response = office.post(IMPORT, {"file": csv, "action": "preview"})
    assert len(response.context["preview"].ready) == 1
    assert not Assessment.objects.exists()


def test_bad_input_gets_a_thai_message_and_changes_nothing(area):
    office = signed_in("korat", province="นครราชสีมา")
    response = office.post(IMPORT, {"text": "   ", "action": "apply"})
    assert response.status_code == 422 and "วางข้อความหรือเลือกไฟล์ก่อน" in response.content.decode()
    bad = BytesIO(b"not a workbook")
    bad.name = "results.xlsx"
    response = office.post(IMPORT, {"file": bad, "action": "preview"})
    assert response.status_code == 422 and "Excel" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_command_prints_each_rows_outcome_and_saves_only_with_apply(area, tmp_path):
    path = tmp_path / "results.txt"
    path.write_text(PASTED, encoding="utf-8")
    out = StringIO()
    call_command("import_results", str(path), province="นครราชสีมา", stdout=out)
    printed = out.getvalue()
    assert "3: พร้อม: องค์การบริหารส่วนตำบลวังหมี ปี 2564" in printed
    assert "5: ไม่บันทึก" in printed and "6: ไม่บันทึก" in printed and "ยังไม่ได้บันทึก" in printed
    assert not Assessment.objects.exists()
    call_command("import_results", str(path), province="นครราชสีมา", apply=True, stdout=StringIO())
    assert Assessment.objects.filter(organisation=area["wangmi"]).count() == 2
