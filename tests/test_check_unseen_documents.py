"""The data-quality check on new cases: rows that stand apart, near-duplicate measures, errors
kept apart from work still to do, misspelt names, severity, and years without an OIT list."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from assessments import checks
from assessments.checks import check_assessment
from measures.drafts import drafts_accept
from assessments.models import Assessment, CheckReview, FiscalYear, Finding, IndicatorScore
from measures.imports import apply_plan, read_plan

from .conftest import SEED_SCORES, make_assessment, make_measure


def issues(assessment):
    return check_assessment(Assessment.objects.with_scores().get(pk=assessment.pk))


def keys(assessment):
    return {issue.key for issue in issues(assessment)}


def row(assessment, palad, number, position, block=1, **fields):
    label = fields.pop("indicator_label", f"ตัวชี้วัดที่ {number}")
    return make_measure(assessment, units=[palad], number=number, position=position, block=block,
                        indicator_label=label, **fields)


# Rows that stand apart

def test_rows_of_one_indicator_separated_within_a_table_are_reported(assessment, palad):
    first = row(assessment, palad, 9, 1)
    row(assessment, palad, 4, 2)
    second = row(assessment, palad, 9, 3)
    row(assessment, palad, 9, 4)  # next to the one before it: the same run
    [issue] = issues(assessment)
    assert issue.key == f"indicator:9:apart:1:{first.pk}-{second.pk}"
    assert issue.problem == "มาตรการของตัวชี้วัดที่ 9 ในตารางที่ 1 แยกกันอยู่ (แถวที่ 1, แถวที่ 3) โดยมีแถวของตัวชี้วัดอื่นคั่น"
    assert issue.severity == checks.MEDIUM and not issue.todo


def test_rows_side_by_side_and_rows_in_order_across_tables_are_not_apart_within_a_table(assessment, palad):
    row(assessment, palad, 9, 1)
    row(assessment, palad, 9, 2)
    row(assessment, palad, 4, 3)
    row(assessment, palad, 4, 4, block=2)
    assert keys(assessment) == {"indicator:4:blocks:1-2"}


def test_a_row_without_an_indicator_also_separates_rows(assessment, palad):
    first = row(assessment, palad, 9, 1)
    loose = make_measure(assessment, units=[palad], indicator=None, indicator_label="มาตรการทั่วไป", position=2)
    second = row(assessment, palad, 9, 3)
    assert keys(assessment) == {f"indicator:9:apart:1:{first.pk}-{second.pk}", f"measure:{loose.pk}:no-indicator"}


def test_rows_are_read_in_the_documents_order_whatever_their_ids(assessment, palad):
    late = row(assessment, palad, 9, 3)
    row(assessment, palad, 4, 2)
    early = row(assessment, palad, 9, 1)
    assert keys(assessment) == {f"indicator:9:apart:1:{early.pk}-{late.pk}"}


def test_drafted_rows_that_stand_apart_are_reported(assessment, palad):
    row(assessment, palad, 9, 1)
    row(assessment, palad, 4, 2)
    [drafted] = drafts_accept(assessment=assessment, plan_year=FiscalYear.objects.get(year=2569),
                              accepted=[{
                                  "indicator": assessment.fiscal_year.indicators.get(number=9),
                                  "indicator_label": "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล",
                                  "analysis": "", "activity": "เผยแพร่ข้อมูลการจัดซื้อจัดจ้างเป็นตาราง",
                                  "method": "จัดทำชุดข้อมูลแบบมีโครงสร้าง", "period": "ปีงบประมาณ พ.ศ. ๒๕๖๙",
                                  "responsible": "สำนักปลัด", "units": [palad], "for_all_units": False,
                              }])
    assert any(key.startswith("indicator:9:apart:1:") and key.endswith(f"-{drafted.pk}") for key in keys(assessment))


def test_imported_rows_that_stand_apart_are_reported(assessment, palad, org_admin_user):
    first = row(assessment, palad, 9, 1)
    row(assessment, palad, 4, 2)
    workbook = Workbook()
    workbook.active.append(["ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม", "วิธีการดำเนินการ", "ระยะเวลา", "ผู้รับผิดชอบ"])
    workbook.active.append(["ตัวชี้วัดที่ ๙", "ปรับปรุงเว็บไซต์ให้เป็นปัจจุบัน", "ตรวจทุกเดือน", "ปี ๒๕๖๙", "สำนักปลัด"])
    data = io.BytesIO()
    workbook.save(data)
    preview = read_plan(data.getvalue(), assessment)
    apply_plan(preview, assessment, org_admin_user)
    imported = assessment.measures.get(activity="ปรับปรุงเว็บไซต์ให้เป็นปัจจุบัน")
    assert f"indicator:9:apart:1:{first.pk}-{imported.pk}" in keys(assessment)


@pytest.fixture
def org_admin_user(personas):
    return personas["org_admin"]


# Near-duplicate measures

def test_the_same_measure_written_twice_is_reported_whatever_its_spacing_and_digits(assessment, palad):
    first = row(assessment, palad, 1, 1, activity="จัดทำคู่มือการปฏิบัติงาน (๐๘)", method="ระบุขั้นตอนและระยะเวลา ๓ ขั้น")
    copy = row(assessment, palad, 1, 2, activity="จัดทำ คู่มือการ ปฏิบัติงาน (08)", method="ระบุขั้นตอน และระยะเวลา 3 ขั้น")
    [issue] = issues(assessment)
    assert issue.key.startswith(f"measure:{copy.pk}:duplicate:{first.pk}:")
    assert issue.problem == "มาตรการ “จัดทำ คู่มือการ ปฏิบัติงาน (08)” เหมือนกับมาตรการในตารางที่ 1 แถวที่ 1 (100%)"
    assert issue.severity == checks.MEDIUM and not issue.todo


def test_a_nearly_identical_measure_is_reported_and_different_ones_are_not(assessment, palad):
    first = row(assessment, palad, 9, 1, activity="มาตรการส่งเสริมการเปิดเผยข้อมูลต่อสาธารณะ",
                method="นำข้อมูลต่าง ๆ ลงในเว็บไซต์ของหน่วยงาน รวมถึงสื่อออนไลน์อื่น ๆ")
    near = row(assessment, palad, 9, 2, activity="มาตรการส่งเสริมการเปิดเผย ข้อมูลต่อสาธารณะ",
               method="การเพิ่มช่องทาง นำข้อมูลต่าง ๆ ลงในเว็บไซต์ของหน่วยงาน รวมถึงสื่อออนไลน์อื่นๆ")
    row(assessment, palad, 9, 3, activity="มาตรการส่งเสริมการมีส่วนร่วมของประชาชน",
        method="เปิดรับฟังความคิดเห็นผ่านเวทีประชาคมและแบบสอบถาม")
    [issue] = issues(assessment)
    assert issue.key.startswith(f"measure:{near.pk}:duplicate:{first.pk}:")


def test_three_copies_give_two_items_each_pointing_at_the_first(assessment, palad):
    rows = [row(assessment, palad, 5, n, activity="กิจกรรม No Gift Policy", method="ประกาศเจตนารมณ์") for n in (1, 2, 3)]
    found = sorted(key.rsplit(":", 1)[0] for key in keys(assessment))
    assert found == [f"measure:{rows[1].pk}:duplicate:{rows[0].pk}", f"measure:{rows[2].pk}:duplicate:{rows[0].pk}"]


def test_a_review_of_a_duplicate_lapses_when_either_text_changes(assessment, palad):
    row(assessment, palad, 5, 1, activity="กิจกรรม No Gift Policy", method="ประกาศเจตนารมณ์")
    copy = row(assessment, palad, 5, 2, activity="กิจกรรม No Gift Policy", method="ประกาศเจตนารมณ์")
    before = keys(assessment)
    copy.method = "ประกาศเจตนารมณ์ของผู้บริหาร"
    copy.save()
    after = keys(assessment)
    assert len(before) == len(after) == 1 and before != after


def test_near_duplicates_of_a_very_large_plan_fall_back_to_identical_measures(assessment, palad, monkeypatch):
    monkeypatch.setattr(checks, "NEAR_DUPLICATE_MAX_ROWS", 2)
    row(assessment, palad, 5, 1, activity="กิจกรรม No Gift Policy", method="ประกาศเจตนารมณ์")
    row(assessment, palad, 5, 2, activity="กิจกรรม No Gift Policy", method="ประกาศเจตนารมณ์ของผู้บริหาร")
    same = row(assessment, palad, 5, 3, activity="กิจกรรม  No Gift Policy", method="ประกาศเจตนารมณ์")
    assert [key.split(":")[1] for key in keys(assessment)] == [str(same.pk)]


# Errors apart from work still to do

@pytest.fixture
def mixed(assessment, palad):
    """One error (a quoted score that is not the recorded one) among three rows still to do."""
    wrong = row(assessment, palad, 4, 1, analysis="ได้รับคะแนน ๘๐.๐๐ คะแนน")
    to_do = [make_measure(assessment, responsible="งานพัสดุ", position=n) for n in (2, 3, 4)]
    return wrong, to_do


def test_errors_and_work_still_to_do_are_two_lists(assessment, mixed):
    wrong, to_do = mixed
    errors, todos = checks.errors_and_todos(issues(assessment))
    assert [issue.key for issue in errors] == [f"measure:{wrong.pk}:score:80.00:83.87"]
    assert [issue.key for issue in todos] == [f"measure:{m.pk}:missing:responsible" for m in to_do]
    assert errors[0].severity == checks.HIGH


def test_the_check_page_shows_errors_first_and_the_to_dos_in_their_own_section(client_for, assessment, mixed):
    html = client_for("org_admin").get(reverse("assessment_check", args=[assessment.pk])).content.decode()
    errors = html.split('data-testid="check-errors"')[1].split("</section>")[0]
    todos = html.split('data-testid="check-todos"')[1].split("</section>")[0]
    assert html.index('data-testid="check-errors"') < html.index('data-testid="check-todos"')
    assert "ข้อผิดพลาดในเอกสาร" in errors and '<span class="badge text-bg-secondary">1</span>' in errors
    assert "ผลการวิเคราะห์อ้างคะแนน 80.00" in errors and "ร้ายแรง" in errors
    assert "งานที่ยังต้องทำในระบบ" in todos and '<span class="badge text-bg-secondary">3</span>' in todos
    assert todos.count("ยังไม่ได้ระบุสำนัก/กองที่รับผิดชอบ") == 3 and "80.00" not in todos
    assert "พบ 4 รายการ ยังไม่ได้ตรวจทาน 4 รายการ" in html


def test_the_command_lists_the_two_sections_with_counts_and_keeps_its_exit_status(assessment, mixed):
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_assessment", "--organisation", "อบต.ทดสอบ", stdout=out)
    assert raised.value.returncode == 1 and "พบ 4 รายการที่ยังไม่ได้ตรวจทาน" in str(raised.value)
    text = out.getvalue()
    assert "ข้อผิดพลาดในเอกสาร: 1 รายการ ยังไม่ได้ตรวจทาน 1" in text
    assert "งานที่ยังต้องทำในระบบ: 3 รายการ ยังไม่ได้ตรวจทาน 3" in text
    assert text.index("ข้อผิดพลาดในเอกสาร") < text.index("งานที่ยังต้องทำในระบบ")
    for issue in issues(assessment):
        CheckReview.objects.create(assessment=assessment, key=issue.key, comment="ตรวจแล้ว")
    assert "งานที่ยังต้องทำในระบบ: 3 รายการ ยังไม่ได้ตรวจทาน 0" in _run("--organisation", "อบต.ทดสอบ")


def _run(*args):
    out = io.StringIO()
    call_command("check_assessment", *args, stdout=out)
    return out.getvalue()


# Names that differ from the official one

def test_a_misspelt_label_is_a_low_severity_item_and_a_real_variant_is_accepted(assessment, palad):
    misspelt = row(assessment, palad, 2, 1, indicator_label="ตัวชี้วัดที่ ๒ การใช้งานประมาณ")
    unrecorded = row(assessment, palad, 1, 2, indicator_label="ตัวชี้วัดที่ ๑ การปฏิบัตหน้าที่")
    row(assessment, palad, 4, 3, indicator_label="ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของทางราชการ")
    found = {issue.key: issue for issue in issues(assessment)}
    assert set(found) == {
        f"measure:{misspelt.pk}:label:misspelt:การใช้งานประมาณ",
        f"measure:{unrecorded.pk}:label:misspelt:การปฏิบัตหน้าที่",  # not recorded, but resembles 1's name
    }
    issue = found[f"measure:{misspelt.pk}:label:misspelt:การใช้งานประมาณ"]
    assert issue.severity == checks.LOW and not issue.todo
    assert issue.problem == "ชื่อ “การใช้งานประมาณ” ต่างจากชื่อทางการของตัวชี้วัดที่ 2 “การใช้งบประมาณ”"


def test_a_misspelling_of_another_indicators_name_is_still_that_indicators_name(assessment, palad):
    wrong = row(assessment, palad, 7, 1, indicator_label="ตัวชี้วัดที่ ๗ การใช้งานประมาณ")
    assert keys(assessment) == {f"measure:{wrong.pk}:label:2"}


def test_the_admin_marks_a_misspelt_name_reviewed(client_for, assessment):
    IndicatorScore.objects.filter(assessment=assessment, indicator__number=1).update(name_as_written="การปรับปรุงหน้าที")
    key = "score:1:name:misspelt:การปรับปรุงหน้าที"
    client = client_for("org_admin")
    response = client.post(reverse("check_review", args=[assessment.pk]), {"key": key, "comment": "สะกดตามเอกสารต้นฉบับ"})
    assert response.status_code == 302
    html = client.get(reverse("assessment_check", args=[assessment.pk])).content.decode()
    assert "พบ 1 รายการ ยังไม่ได้ตรวจทาน 0 รายการ" in html and "สะกดตามเอกสารต้นฉบับ" in html


def test_a_name_that_is_no_indicators_stays_a_medium_item(assessment):
    IndicatorScore.objects.filter(assessment=assessment, indicator__number=3).update(name_as_written="เรื่องอื่นทั้งหมด")
    [issue] = issues(assessment)
    assert issue.key == "score:3:name:unknown" and issue.severity == checks.MEDIUM


# A year without an OIT list

def test_a_year_without_an_oit_list_reports_no_item_as_missing_from_it_and_says_so(client_for, org, palad):
    assessment = make_assessment(org, 2567, SEED_SCORES, published_overall=Decimal("90.42"))
    Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=9),
                           kind=Finding.Kind.IMPROVE, text="ข้อความ", oit_refs=["o8", "o30"])
    make_measure(assessment, units=[palad], method="ทำตามข้อ (อ้างอิงจาก ๐๓๑)", indicator_label="ตัวชี้วัดที่ ๙")
    assert not any(":oit:" in key for key in keys(assessment))
    html = client_for("org_admin").get(reverse("assessment_check", args=[assessment.pk])).content.decode()
    assert "ไม่มีรายการข้อ OIT ของปี 2567 ในข้อมูลอ้างอิง" in html
    assert "หมายเหตุ: ไม่มีรายการข้อ OIT ของปี 2567" in _run("--year", "2567")


def test_a_year_with_a_complete_list_still_reports_an_item_it_lacks(assessment, palad):
    finding = Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=9),
                                     kind=Finding.Kind.IMPROVE, text="ข้อความ", oit_refs=["o30"])
    make_measure(assessment, units=[palad])
    assert keys(assessment) == {f"finding:{finding.pk}:oit:o30"}


def test_the_findings_pages_of_a_year_without_an_oit_list_say_so_and_keep_its_references(client_for, org):
    assessment = make_assessment(org, 2567, SEED_SCORES)
    finding = Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=9),
                                     kind=Finding.Kind.IMPROVE, text="ข้อความ", oit_refs=["o30"])
    client = client_for("org_admin")
    page = client.get(reverse("assessment_findings", args=[assessment.pk])).content.decode()
    assert "ไม่มีรายการข้อ OIT ของปี 2567 ในข้อมูลอ้างอิง" in page
    url = reverse("finding_edit", args=[assessment.pk, finding.pk])
    form = client.get(url).content.decode()
    assert "ไม่มีรายการข้อ OIT ของปี 2567" in form and "จะถูกนำออกเมื่อบันทึก" not in form
    response = client.post(url, {"indicator": finding.indicator_id, "kind": "improve", "code": "", "score": "",
                                 "text": "ข้อความใหม่", "oit_refs": ["o30"]})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.text == "ข้อความใหม่" and finding.oit_refs == ["o30"]


# The OIT item lists of 2567 and 2569

def test_2569_lists_o1_to_o26_each_with_its_source_and_confidence(reference):
    from assessments.models import QuestionCode

    items = QuestionCode.objects.filter(fiscal_year=2569, tool="OIT")
    assert sorted(int(c.code[1:]) for c in items) == list(range(1, 27))
    assert reference[2569].oit_list_complete
    assert all(c.source and c.confidence for c in items)
    by_code = {c.code: c for c in items}
    assert by_code["o11"].title == "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน"
    assert by_code["o25"].indicator.number == 10 and by_code["o19"].indicator.number == 9
    assert by_code["o7"].confidence == "unknown" and by_code["o2"].confidence == "low"
    assert "rtrdasmartrailway/web-app-rtrda" in by_code["o23"].source


def test_2567_has_no_oit_list_and_says_so(reference):
    assert not reference[2567].codes.filter(tool="OIT").exists()
    assert not reference[2567].oit_list_complete
    assert "ยังไม่พบรายการข้อ OIT ของปี 2567" in reference[2567].notes


def test_loading_the_reference_again_completes_a_years_list_without_overwriting_a_row(reference):
    """An installation that had 2569's o25 and o26 only (and an admin's own title for o26) gains
    o1..o24 from the file and the mark that the list is complete; o26 keeps its title."""
    from assessments.loaders import load_reference
    from assessments.models import QuestionCode

    QuestionCode.objects.filter(fiscal_year=2569, tool="OIT").exclude(code__in=["o25", "o26"]).delete()
    QuestionCode.objects.filter(fiscal_year=2569, code="o26").update(title="ชื่อที่ผู้ดูแลแก้ไว้")
    FiscalYear.objects.filter(year=2569).update(oit_list_complete=False)
    assert load_reference() == 24
    assert FiscalYear.objects.get(year=2569).oit_list_complete
    assert QuestionCode.objects.get(fiscal_year=2569, code="o26").title == "ชื่อที่ผู้ดูแลแก้ไว้"
    FiscalYear.objects.filter(year=2569).update(oit_list_complete=False)
    assert load_reference() == 0
    assert not FiscalYear.objects.get(year=2569).oit_list_complete  # an admin's mark is kept
