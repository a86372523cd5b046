"""The plan import on a messy workbook it has never seen: every written column in the preview,
unknown headers named, header variants, formula and date cells, responsible text mapped to
units, and one reader of "ตัวชี้วัด(ที่) N" shared with the check."""

import html
import io
import re
import zipfile
from datetime import date, datetime

import pytest
from django.utils import timezone
from openpyxl import Workbook

from assessments import responsible
from assessments.checks import check_assessment
from assessments.models import Assessment
from ita_portal import seed
from measures import imports
from measures.history import change_log
from measures.models import Measure

from .conftest import make_measure
from .test_import_plan import confirm, snapshot, upload

FULL = ["รหัส", "ตัวชี้วัด", "ผลการวิเคราะห์", "มาตรการ/โครงการ/กิจกรรม", "วิธีการดำเนินการ", "ระยะเวลา",
        "ผู้รับผิดชอบ", "สถานะ", "ความก้าวหน้า (%)", "วันเริ่มตามแผน", "วันสิ้นสุดตามแผน"]


def xlsx(rows, calculated=None):
    """A workbook of `rows`; `calculated` maps a formula to the value Excel would have cached
    for it (openpyxl writes formulas without one, like a program that never ran Excel)."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    if not calculated:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for formula, value in calculated.items():
                    text = text.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{value}</v>")
                data = text.encode()
            target.writestr(info, data)
    return result.getvalue()


@pytest.fixture
def admin(client_for):
    return client_for("org_admin")


@pytest.fixture
def sections(klang):
    klang.other_names = "งานพัสดุและทรัพย์สิน\nงานการเงิน"
    klang.save()
    return klang


def preview_of(assessment, rows, **kwargs):
    return imports.read_plan(xlsx(rows, **kwargs), assessment)


def test_the_preview_shows_every_column_that_will_be_written(admin, assessment, palad):
    rows = [FULL, ["", "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล", "ได้ ๘๒.๕๐ คะแนน", "เผยแพร่ข้อมูลจัดซื้อจัดจ้าง",
                   "จัดทำตารางข้อมูลทุกเดือน", "ปีงบประมาณ พ.ศ. ๒๕๖๙", "สำนักปลัด", "กำลังดำเนินการ", 40,
                   "1/10/2568", "30/9/2569"]]
    response = upload(admin, assessment, xlsx(rows))
    page = html.unescape(response.content.decode())
    table = page.split('data-testid="import-added"')[1].split("</table>")[0]
    headers = re.findall(r"<th>([^<]*)</th>", table)
    assert headers == ["แถวในไฟล์", *FULL[1:], "สำนัก/กองที่รับผิดชอบ"]
    for shown in ("ได้ ๘๒.๕๐ คะแนน", "จัดทำตารางข้อมูลทุกเดือน", "ปีงบประมาณ พ.ศ. ๒๕๖๙", "กำลังดำเนินการ",
                  ">40</td>", "1 ตุลาคม 2568", "30 กันยายน 2569", ">สำนักปลัด</td>"):
        assert shown in table, shown
    assert "คอลัมน์ที่จะบันทึก: ตัวชี้วัด, ผลการวิเคราะห์, มาตรการ/โครงการ/กิจกรรม" in page


def test_unknown_headers_are_named_as_ignored(admin, assessment):
    rows = [["ตัวชี้วัด", "มาตรการ", "หมายเหตุ", "", "งบประมาณ (บาท)"],
            ["ตัวชี้วัดที่ ๙", "เผยแพร่ข้อมูล", "ไม่อ่าน", None, 50000]]
    preview = preview_of(assessment, rows)
    assert preview.ignored == ["หมายเหตุ (คอลัมน์ C)", "งบประมาณ (บาท) (คอลัมน์ E)"]
    page = upload(admin, assessment, xlsx(rows)).content.decode()
    assert "คอลัมน์ที่ระบบไม่รู้จักและจะไม่นำเข้า: หมายเหตุ (คอลัมน์ C), งบประมาณ (บาท) (คอลัมน์ E)" in html.unescape(page)
    assert preview.added[0][1] == {"indicator_label": "ตัวชี้วัดที่ ๙", "activity": "เผยแพร่ข้อมูล"}


def test_common_header_variants_are_recognised(assessment):
    rows = [["ตัวชี้วัด", "ผลการวิเคราะห์ผลการประเมิน", "มาตรการ/โครงการ/กิจกรรม", "วิธีการ", "ระยะเวลาดำเนินงาน",
             "หน่วยงานที่รับผิดชอบ"],
            ["ตัวชี้วัดที่ ๑", "ผลวิเคราะห์", "คู่มือ", "จัดทำคู่มือ", "ต.ค. ๖๘ - ก.ย. ๖๙", "สำนักปลัด"]]
    preview = preview_of(assessment, rows)
    assert not preview.errors and not preview.ignored
    assert preview.added[0][1] == {
        "indicator_label": "ตัวชี้วัดที่ ๑", "analysis": "ผลวิเคราะห์", "activity": "คู่มือ", "method": "จัดทำคู่มือ",
        "period": "ต.ค. ๖๘ - ก.ย. ๖๙", "responsible": "สำนักปลัด",
    }


def test_a_formula_cell_without_a_calculated_value_is_an_error_with_its_address(admin, assessment, palad):
    rows = [["ตัวชี้วัด", "มาตรการ", "ผู้รับผิดชอบ", "วิธีการดำเนินการ"]] + [
        ["ตัวชี้วัดที่ ๙", f"มาตรการ {n}", "สำนักปลัด", "วิธีการ"] for n in range(5)
    ] + [["ตัวชี้วัดที่ ๙", "มาตรการสุดท้าย", "สำนักปลัด", '=CONCATENATE("ก","ข")']]
    before = snapshot()
    response = upload(admin, assessment, xlsx(rows))
    assert "แถวที่ 7: ช่อง D7 (คอลัมน์ \"วิธีการดำเนินการ\") เป็นสูตรที่ไม่มีค่าที่คำนวณไว้" in html.unescape(
        response.content.decode())
    assert response.context["confirm_form"] is None and snapshot() == before


def test_a_formula_cell_with_a_calculated_value_gives_that_value(assessment):
    rows = [["ตัวชี้วัด", "มาตรการ", "ความก้าวหน้า"], ["ตัวชี้วัดที่ ๙", "มาตรการ", "=20+30"]]
    preview = preview_of(assessment, rows, calculated={"20+30": "50"})
    assert not preview.errors and preview.added[0][1]["progress"] == 50


def test_a_calculated_empty_text_is_empty_text_not_an_error(assessment):
    """Excel stores a formula that gives "" as t="str" with an empty value: that is calculated."""
    data = xlsx([["ตัวชี้วัด", "มาตรการ", "วิธีการดำเนินการ"], ["ตัวชี้วัดที่ ๙", "มาตรการ", '=""']])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<c r="C2"><f>""</f><v /></c>', b'<c r="C2" t="str"><f>""</f><v></v></c>')
            target.writestr(info, content)
    preview = imports.read_plan(out.getvalue(), assessment)
    assert not preview.errors and preview.added[0][1]["method"] == ""


def test_a_date_cell_in_the_period_column_becomes_a_thai_date(admin, assessment, palad):
    rows = [["ตัวชี้วัด", "มาตรการ", "ระยะเวลา", "ผู้รับผิดชอบ"],
            ["ตัวชี้วัดที่ ๙", "เผยแพร่ข้อมูล", datetime(2025, 10, 1), "สำนักปลัด"],
            ["ตัวชี้วัดที่ ๙", "ปรับปรุงเว็บไซต์", date(2026, 9, 30), "สำนักปลัด"]]
    response = upload(admin, assessment, xlsx(rows))
    assert "๑ ตุลาคม ๒๕๖๘" in response.content.decode() and "2025-10-01" not in response.content.decode()
    confirm(admin, assessment, response)
    periods = list(Measure.objects.order_by("position").values_list("period", flat=True))
    assert periods == ["๑ ตุลาคม ๒๕๖๘", "๓๐ กันยายน ๒๕๖๙"]


def test_the_responsible_text_is_mapped_to_the_organisations_units(admin, assessment, palad, klang, sections):
    rows = [["ตัวชี้วัด", "มาตรการ", "ผู้รับผิดชอบ"],
            ["ตัวชี้วัดที่ ๔", "ก", "งานพัสดุ และ ทรัพย์สิน"],
            ["ตัวชี้วัดที่ ๑", "ข", "ทุกสำนัก/กองงาน"],
            ["ตัวชี้วัดที่ ๙", "ค", "สำนักปลัด / สภาตำบล"],
            ["ตัวชี้วัดที่ ๑๐", "ง", "คณะทำงานพิเศษ"],
            ["ตัวชี้วัดที่ ๑๐", "จ", "กองคลัง, สำนักปลัด"]]
    response = upload(admin, assessment, xlsx(rows))
    preview = response.context["preview"]
    assert [units for _row, _cells, units in preview.added_rows()] == [
        "กองคลัง", "ทุกสำนัก/กอง", "สำนักปลัด", "–", "สำนักปลัด, กองคลัง"]
    assert preview.unmapped == [(4, "สภาตำบล"), (5, "คณะทำงานพิเศษ")]
    page = html.unescape(response.content.decode())
    unmapped = page.split('data-testid="import-unmapped"')[1].split("</div>")[0]
    assert "แถวที่ 4: สภาตำบล" in unmapped and "แถวที่ 5: คณะทำงานพิเศษ" in unmapped
    confirm(admin, assessment, response)
    filed = {m.activity: (m.for_all_units, sorted(u.name for u in m.units.all()))
             for m in Measure.objects.prefetch_related("units")}
    assert filed == {"ก": (False, ["กองคลัง"]), "ข": (True, []), "ค": (False, ["สำนักปลัด"]),
                     "ง": (False, []), "จ": (False, ["กองคลัง", "สำนักปลัด"])}
    # The units are kept with the row's history, as every save through the portal keeps them.
    created = Measure.history.get(activity="ก")
    assert [row.unit.name for row in created.historicalmeasure_units_set.all()] == ["กองคลัง"]
    # ... and what no unit answers for is work still to do for the check.
    fresh = Assessment.objects.with_scores().get(pk=assessment.pk)
    todos = {issue.key for issue in check_assessment(fresh) if issue.todo and "responsible" in issue.key}
    assert todos == {f"measure:{Measure.objects.get(activity='ง').pk}:missing:responsible"}


def test_a_retired_unit_takes_no_new_rows_and_its_name_is_listed_as_unmapped(admin, assessment, palad, klang):
    klang.retired_at = timezone.now()
    klang.save(update_fields=["retired_at"])
    rows = [["ตัวชี้วัด", "มาตรการ", "ผู้รับผิดชอบ"], ["ตัวชี้วัดที่ ๔", "ก", "กองคลัง"], ["ตัวชี้วัดที่ ๙", "ข", "สำนักปลัด"]]
    preview = upload(admin, assessment, xlsx(rows)).context["preview"]
    assert [units for _row, _cells, units in preview.added_rows()] == ["–", "สำนักปลัด"]
    assert preview.unmapped == [(2, "กองคลัง")]


def test_a_changed_responsible_text_refiles_the_row_and_the_history_says_so(admin, assessment, palad, klang, sections):
    row = make_measure(assessment, [palad], activity="ปรับปรุงแนวปฏิบัติ", responsible="สำนักปลัด")
    kept = make_measure(assessment, [palad], activity="มาตรการที่คงไว้", responsible="สำนักปลัด")
    for measure in (row, kept):  # recorded with their units, as the portal's add page does
        measure.save(update_fields=["updated_at"])
    rows = [["รหัส", "ตัวชี้วัด", "มาตรการ", "ผู้รับผิดชอบ"],
            [row.pk, row.indicator_label, row.activity, "งานการเงิน"],
            [kept.pk, kept.indicator_label, "มาตรการที่คงไว้ (แก้ชื่อ)", "คณะทำงานพิเศษ"]]
    response = upload(admin, assessment, xlsx(rows))
    preview = response.context["preview"]
    diffs = {change.measure.pk: change.diffs for change in preview.changed}
    assert ("สำนัก/กองที่รับผิดชอบ", "สำนักปลัด", "กองคลัง") in diffs[row.pk]
    assert not any(column == "สำนัก/กองที่รับผิดชอบ" for column, _o, _n in diffs[kept.pk])
    assert preview.unmapped == [(3, "คณะทำงานพิเศษ")]
    confirm(admin, assessment, response)
    assert [u.name for u in Measure.objects.get(pk=row.pk).units.all()] == ["กองคลัง"]
    assert [u.name for u in Measure.objects.get(pk=kept.pk).units.all()] == ["สำนักปลัด"]  # text names no unit
    [latest, *_] = change_log(Measure.objects.get(pk=row.pk))
    assert any(c.label == "สำนัก/กองที่รับผิดชอบ" and (c.old, c.new) == ("สำนักปลัด", "กองคลัง") for c in latest.changes)
    [latest, *_] = change_log(Measure.objects.get(pk=kept.pk))
    assert not any(c.label == "สำนัก/กองที่รับผิดชอบ" for c in latest.changes)  # units kept, and recorded


def test_the_seed_loader_and_the_import_map_units_with_one_function():
    assert seed.match_units is responsible.match_units is imports.match_units


@pytest.mark.parametrize("label, number", [
    ("ตัวชี้วัด ๙ การเปิดเผยข้อมูล", 9), ("ตัวชี้วัดที่ ๙", 9), ("ตัวชี้วัดที่10", 10), ("ตัวชี้วัด 4", 4),
    ("มาตรการทั่วไป", None),
])
def test_the_importer_and_the_check_read_the_indicator_number_alike(assessment, palad, label, number, personas):
    rows = [["ตัวชี้วัด", "มาตรการ", "ผู้รับผิดชอบ", "วิธีการดำเนินการ", "ระยะเวลา"],
            [label, f"มาตรการของ {label}", "สำนักปลัด", "วิธีการ", "ปี ๒๕๖๙"]]
    imports.apply_plan(preview_of(assessment, rows), assessment, personas["org_admin"])
    measure = Measure.objects.get()
    assert (measure.indicator.number if measure.indicator else None) == number
    fresh = Assessment.objects.with_scores().get(pk=assessment.pk)
    # Filed where the check reads the label: no "label says N but filed under M" item.
    assert not any(":label-number:" in issue.key for issue in check_assessment(fresh))
