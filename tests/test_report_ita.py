"""The ITA report: print view for every member, PDF for admins, the same PDF from the command line."""

import threading
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.models import Assessment, Finding, Organisation
from audit.models import Entry
from measures.models import Measure
from reports import reports
from reports.reports import ita_report_pdf

from .conftest import make_measure
from .pdftext import body_text, pdf_fonts, pdf_text, squeezed

SARA_AM_ROWS = [
    "ดำเนินการจัดทำคู่มือการปฏิบัติงาน กำหนดขั้นตอนและระยะเวลาให้ชัดเจน",
    "ทำแผนจำนวนสามโครงการ ตรวจสอบน้ำประปาและคำร้องเรียนซ้ำ",
]


@pytest.fixture
def plan(assessment, palad):
    return [
        make_measure(assessment, [palad], number=n, activity=text, position=p)
        for p, (n, text) in enumerate(zip((9, 4), SARA_AM_ROWS), start=1)
    ]


@pytest.mark.parametrize("persona", ["staff", "executive", "org_admin"])
def test_every_member_reads_the_print_view(persona, client_for, plan):
    response = client_for(persona).get(reverse("reports:ita", args=[plan[0].assessment_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" in html
    assert "๙๐.๔๒" in html and SARA_AM_ROWS[0] in html
    assert ("ดาวน์โหลด PDF" in html) == (persona == "org_admin")


def test_print_view_in_arabic_digits(client_for, plan):
    response = client_for("executive").get(
        reverse("reports:ita", args=[plan[0].assessment_id]), {"digits": "arabic"}
    )
    html = response.content.decode()
    assert "90.42" in html and "83.87" in html and "๘๓.๘๗" not in html


def test_bad_digits_choice_is_refused_in_thai(client_for, assessment):
    response = client_for("executive").get(reverse("reports:ita", args=[assessment.pk]), {"digits": "roman"})
    assert response.status_code == 400
    assert "roman" in response.content.decode()


@pytest.mark.parametrize("persona, status", [("staff", 403), ("executive", 403), ("outsider", 404)])
def test_only_admins_of_the_organisation_export_the_pdf(persona, status, client_for, assessment):
    response = client_for(persona).get(reverse("reports:ita_pdf", args=[assessment.pk]))
    assert response.status_code == status


def test_outsider_cannot_read_another_organisations_report(client_for, assessment):
    assert client_for("outsider").get(reverse("reports:ita", args=[assessment.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, assessment):
    for name in ("reports:ita", "reports:ita_pdf"):
        response = client.get(reverse(name, args=[assessment.pk]))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_pdf_holds_organisation_scores_plan_and_sara_am(client_for, plan, assessment):
    response = client_for("org_admin").get(reverse("reports:ita_pdf", args=[assessment.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    pdf = response.content
    text = pdf_text(pdf, "-raw")
    assert "องค์การบริหารส่วนตำบลทดสอบ" in text
    for score in ("๙๐.๔๒", "๙๓.๓๓", "๙๖.๑๓", "๙๘.๐๖", "๘๓.๘๗", "๘๒.๕๐", "๘๕.๐๐"):
        assert score in text
    for row in SARA_AM_ROWS:
        assert squeezed(row) in squeezed(text)
    for word in ("ดำเนินการ", "จัดทำ", "กำหนด", "จำนวน", "น้ำประปา", "คำร้องเรียน", "ซ้ำ"):
        assert word in squeezed(text)
    # The footer: organisation and the printing date in the Buddhist Era, page numbers.
    assert "พิมพ์เมื่อ" in text and "หน้า ๑ / " in text
    fonts = pdf_fonts(pdf)
    font_lines = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert font_lines and all("Sarabun" in line and " yes yes yes " in line for line in font_lines)


def test_pdf_in_arabic_digits(client_for, assessment):
    response = client_for("org_admin").get(
        reverse("reports:ita_pdf", args=[assessment.pk]), {"digits": "arabic"}
    )
    text = pdf_text(response.content, "-raw")
    assert "90.42" in text and "83.87" in text and "๘๓.๘๗" not in text
    assert "หน้า 1 / " in text


def test_pdfs_sharing_the_parsed_stylesheet_and_fonts_are_the_same_bytes(plan, assessment, monkeypatch):
    """render_pdf keeps the parsed report.css and its loaded fonts for the next PDF; the PDF must
    be the one a fresh stylesheet and font configuration give, byte for byte (both orders)."""
    assessment = Assessment.objects.with_scores().get(pk=assessment.pk)
    today = date(2026, 3, 31)
    monkeypatch.setattr(reports, "_renderer", threading.local())
    fresh = ita_report_pdf(assessment, today=today)
    assert ita_report_pdf(assessment, today=today) == fresh
    assert ita_report_pdf(assessment, thai_digits=False, today=today) != fresh
    monkeypatch.setattr(reports, "_renderer", threading.local())
    assert ita_report_pdf(assessment, today=today) == fresh


def test_seed_pdf_has_every_plan_row_and_finding(seed):
    """The seed document, generated: every measure and finding text is in the PDF's text."""
    assessment = Assessment.objects.with_scores().get(
        organisation__short_name="อบต.วังหมี", fiscal_year=2568
    )
    text = body_text(ita_report_pdf(assessment))
    measures = Measure.objects.filter(assessment=assessment)
    assert measures.count() == 10
    for measure in measures:
        for column in (measure.indicator_label, measure.analysis, measure.activity, measure.method):
            assert squeezed(column) in text, column
    for finding in Finding.objects.filter(assessment=assessment):
        assert squeezed(finding.text) in text
    assert "๙๐.๔๒" in text and "ผ่าน" in text and "๕๔.๒๕" in text and "๙๔.๖๗" in text


def test_print_view_query_count_does_not_grow_with_rows(client_for, assessment, palad, django_assert_num_queries):
    """Guards the N+1 on plan rows' indicators, findings per indicator and history years
    (the plan and its approval for the signature block are two queries, whatever the rows)."""
    client = client_for("executive")
    url = reverse("reports:ita", args=[assessment.pk])
    make_measure(assessment, [palad])
    client.get(url)
    with django_assert_num_queries(16):
        client.get(url)
    for number in range(1, 11):
        make_measure(assessment, [palad], number=number)
        Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=number),
                               kind=Finding.Kind.IMPROVE, code="i1", text="ข้อความ", oit_refs=["o8"])
    with django_assert_num_queries(16):
        client.get(url)


def test_command_writes_the_pdf_for_one_organisation(assessment, tmp_path):
    call_command("export_report", year=2568, organisation=assessment.organisation_id, out=tmp_path)
    path = tmp_path / f"ita-report-{assessment.organisation_id}-2568.pdf"
    assert "องค์การบริหารส่วนตำบลทดสอบ" in pdf_text(path.read_bytes(), "-raw")
    [entry] = Entry.objects.filter(kind=Entry.Kind.PDF)
    assert (entry.organisation_id, entry.actor, entry.object_pk) == (assessment.organisation_id, None, str(assessment.pk))
    assert entry.additional_data == {"file_name": path.name, "command": "export_report"}


def test_command_writes_every_organisation_and_skips_those_without_the_year(assessment, other_org, tmp_path, capsys):
    from .conftest import SEED_SCORES, make_assessment

    make_assessment(other_org, 2568, SEED_SCORES)
    third = Organisation.objects.create(name="เทศบาลไม่มีผล")
    call_command("export_report", year=2568, all=True, out=tmp_path, digits="arabic")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"ita-report-{o.pk}-2568.pdf" for o in (assessment.organisation, other_org)
    )
    assert "เทศบาลไม่มีผล" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("export_report", year=2568, organisation=third.pk, out=tmp_path)


def pages_of(pdf):
    """The PDF's pages as pdftotext reads them, squeezed."""
    return [squeezed(page) for page in pdf_text(pdf, "-raw").split("\f") if page.strip()]


@pytest.mark.parametrize("rows", [2, 3, 5, 6])
def test_no_page_holds_the_signature_alone_or_a_lone_row_of_the_plan(assessment, palad, personas, rows):
    """Plans of 2 and 5 rows this tall used to leave the signature block alone on the last page.
    Every page that holds rows of the plan holds two of them or the signature with the plan's
    last row, and the signature is never without a row."""
    from measures.models import Plan

    from .plan_helpers import approve

    for n in range(1, rows + 1):
        make_measure(assessment, [palad], number=9, activity=f"ROW{n:02d}END " + "ข้อความยาว " * 8, position=n)
    approve(Plan.objects.get(assessment=assessment), personas)
    pages = pages_of(ita_report_pdf(assessment))
    found = [[n for n in range(1, rows + 1) if f"ROW{n:02d}END" in page] for page in pages]
    signed = ["ลงชื่อ" in page for page in pages]
    assert signed.count(True) == 1
    assert found[signed.index(True)], "the signature stands alone on its page"
    for numbers, signature in zip(found, signed):
        assert len(numbers) != 1 or signature, f"row {numbers} stands alone on its page"
    # The plan's header row repeats on every page the plan runs onto.
    assert all("มาตรการ/โครงการ/กิจกรรม" in page for page, numbers in zip(pages, found) if numbers)


def test_the_score_table_stays_whole_on_one_page(assessment):
    pages = pages_of(ita_report_pdf(assessment))
    holding = [i for i, page in enumerate(pages) if "สรุปผลการประเมินรายตัวชี้วัด" in page]
    assert len(holding) == 1
    page = pages[holding[0]]
    assert all(score in page for score in ("๙๓.๓๓", "๙๘.๐๖", "๘๓.๘๗", "๙๗.๔๗", "๘๒.๕๐", "๘๕.๐๐"))


def test_a_year_without_findings_says_so_once_instead_of_a_dash_under_every_indicator(client_for, assessment):
    html = client_for("org_admin").get(reverse("reports:ita", args=[assessment.pk])).content.decode()
    assert html.count("ยังไม่ได้บันทึกจุดเด่นและจุดที่ควรพัฒนาของตัวชี้วัดใด") == 1
    assert "<h4>จุดเด่น</h4>" not in html
    Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=4),
                           kind="improve", code="i10", text="ขอยืมทรัพย์สินไม่ถูกต้อง")
    html = client_for("org_admin").get(reverse("reports:ita", args=[assessment.pk])).content.decode()
    assert html.count("<h4>จุดเด่น</h4>") == 1  # under indicator 4 only
    assert html.count("ไม่มีจุดเด่นหรือจุดที่ควรพัฒนาที่ระบุไว้") == 9


def test_the_charts_write_digits_as_the_tables_do(assessment):
    context = reports.ita_report_context(assessment, thai_digits=True)
    assert "๙๓.๓๓" in context["indicator_chart"].wide and "93.33" not in context["indicator_chart"].wide
    assert 'viewBox="0 0' in context["indicator_chart"].wide  # coordinates untouched
    arabic = reports.ita_report_context(assessment, thai_digits=False)
    assert "93.33" in arabic["indicator_chart"].wide and "๙๓.๓๓" not in arabic["indicator_chart"].wide
    text = pdf_text(ita_report_pdf(assessment), "-raw")
    assert "93.33" not in text
