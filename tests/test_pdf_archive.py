"""The ITA report and the progress report PDFs are tagged (PDF/UA-1) and, on request, written as
PDF/A-3b for archiving, with the title, the language (th) and the author (the organisation);
read back with pypdf. The ActualText spans of reports/pdf_text.py nest inside the marked
content of the structure tree, and Sarabun stays the only font."""

from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ContentStream

from reports.reports import ita_report_pdf, progress_report_pdf

from .conftest import make_measure
from .pdftext import pdf_fonts, pdf_text

TITLES = {
    "ita": "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร · องค์การบริหารส่วนตำบลทดสอบ ๒๕๖๘",
    "progress": "รายงานความก้าวหน้าการดำเนินงานตามแผน · องค์การบริหารส่วนตำบลทดสอบ",
}


@pytest.fixture
def plan(assessment, palad):
    return make_measure(assessment, [palad], activity="ดำเนินการจัดทำคู่มือ กำหนดขั้นตอนและระยะเวลา")


def render(kind, assessment, archive=False):
    if kind == "ita":
        return ita_report_pdf(assessment, archive=archive)
    return progress_report_pdf(assessment, date(2026, 3, 31), archive=archive)


def read(pdf, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return PdfReader(path)


def xmp(reader):
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def marked_content(reader):
    """Per page: the MCIDs of its marked content, and every problem with the nesting of
    BDC/BMC ... EMC (unbalanced, or an ActualText span outside tagged content)."""
    pages, problems = [], []
    for number, page in enumerate(reader.pages):
        stack, mcids = [], set()
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"BDC", b"BMC"):
                properties = operands[1] if operator == b"BDC" else {}
                if "/MCID" in properties:
                    mcids.add(int(properties["/MCID"]))
                if "/ActualText" in properties and not any("/MCID" in p or p == "Artifact" for p in stack):
                    problems.append((number, "ActualText outside tagged content"))
                stack.append(properties if properties else str(operands[0]).lstrip("/"))
            elif operator == b"EMC":
                if not stack:
                    problems.append((number, "EMC without BDC"))
                else:
                    stack.pop()
        if stack:
            problems.append((number, f"{len(stack)} marked content left open"))
        pages.append(mcids)
    return pages, problems


@pytest.mark.parametrize("kind", ["ita", "progress"])
@pytest.mark.parametrize("archive", [False, True], ids=["tagged", "pdfa"])
def test_the_reports_are_tagged_with_title_language_and_author(kind, archive, plan, tmp_path):
    reader = read(render(kind, plan.assessment, archive), tmp_path)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "th"
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == TITLES[kind]
    assert reader.metadata.author == "องค์การบริหารส่วนตำบลทดสอบ"
    metadata = xmp(reader)
    assert TITLES[kind] in metadata and "องค์การบริหารส่วนตำบลทดสอบ" in metadata


@pytest.mark.parametrize("kind", ["ita", "progress"])
def test_the_download_is_pdf_ua_and_the_archival_copy_pdf_a_3b(kind, plan, tmp_path):
    tagged = read(render(kind, plan.assessment), tmp_path)
    assert 'pdfuaid:part="1"' in xmp(tagged)
    assert "pdfaid" not in xmp(tagged)

    archived = read(render(kind, plan.assessment, archive=True), tmp_path)
    metadata = xmp(archived)
    assert 'pdfaid:part="3"' in metadata and 'pdfaid:conformance="B"' in metadata
    intent = archived.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"  # an ICC profile
    assert archived.trailer["/ID"]


@pytest.mark.parametrize("archive", [False, True], ids=["tagged", "pdfa"])
def test_every_marked_content_is_in_the_structure_tree_and_nests(archive, plan, tmp_path):
    """The ActualText spans that keep Thai extractable sit inside WeasyPrint's tagged spans,
    every BDC has its EMC, and every MCID on a page is the structure tree's for that page."""
    reader = read(render("ita", plan.assessment, archive), tmp_path)
    pages, problems = marked_content(reader)
    assert problems == []
    parent_tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()["/Nums"]
    by_page = dict(zip(parent_tree[::2], parent_tree[1::2]))
    for number, mcids in enumerate(pages):
        assert mcids, f"page {number + 1} has no tagged content"
        assert mcids == set(range(len(by_page[number].get_object())))


@pytest.mark.parametrize("archive", [False, True], ids=["tagged", "pdfa"])
def test_tagged_pdfs_keep_their_thai_text_and_only_sarabun(archive, plan):
    pdf = render("ita", plan.assessment, archive)
    text = pdf_text(pdf)
    for word in ("ดำเนินการจัดทำคู่มือ", "กำหนดขั้นตอน", "ที่"):
        assert word in text, word
    fonts = [line.split()[0] for line in pdf_fonts(pdf).splitlines()[2:]]
    assert fonts and all(font.split("+")[-1].startswith("Sarabun") for font in fonts), fonts


def test_admins_download_the_archival_copy_by_asking_for_it(client_for, plan, tmp_path):
    admin = client_for("org_admin")
    response = admin.get(reverse("reports:ita_pdf", args=[plan.assessment_id]), {"variant": "pdfa"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ita-report-{plan.assessment.organisation_id}-2568-pdfa.pdf"'
    assert 'pdfaid:part="3"' in xmp(read(response.content, tmp_path))
    response = admin.get(reverse("reports:progress_pdf", args=[plan.assessment_id]),
                         {"variant": "pdfa", "as_of": "2026-03-31"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('-2568-pdfa.pdf"')


def test_an_unknown_variant_is_refused_and_nothing_is_written(client_for, plan):
    response = client_for("org_admin").get(reverse("reports:ita_pdf", args=[plan.assessment_id]), {"variant": "pdf/x"})
    assert response.status_code == 400
    assert "pdf/x" in response.content.decode()
