"""Evidence uploads: the type is read from the content, the size is limited, names are not trusted,
and files are served only through the rights-checking view, as downloads."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from measures import evidence
from measures.models import ProgressNote
from reports import reports

from .bad_input import make_corpus
from .conftest import make_measure

PDF = make_corpus.PDF


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def office_zip(main_part, *extra):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<x/>")
        for name in extra:
            package.writestr(name, b"\x00")
    return out.getvalue()


@pytest.fixture
def row(assessment, palad, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_measure(assessment, units=[palad])


def upload(client, row, name, content, content_type="application/octet-stream"):
    data = {"date": "2026-02-01", "text": "แนบหลักฐาน",
            "file": SimpleUploadedFile(name, content, content_type=content_type)}
    return client.post(reverse("measures:add_note", args=[row.pk]), data)


def test_a_pdf_is_stored_under_a_name_of_our_own_and_downloaded_as_an_attachment(row, client_for, tmp_path):
    client = client_for("staff")
    response = upload(client, row, "../../รายงานผล ITA.pdf", PDF, "application/pdf")
    assert response.status_code == 302
    note = ProgressNote.objects.get(measure=row)
    assert note.file_name == "รายงานผล ITA.pdf" and note.file_type == "application/pdf"
    assert note.file.name.startswith(f"evidence/{row.pk}/") and note.file.name.endswith(".pdf")
    assert "ITA" not in note.file.name and ".." not in note.file.name
    assert (tmp_path / note.file.name).read_bytes() == PDF

    download = client_for("other_staff").get(reverse("measures:evidence", args=[note.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_the_type_comes_from_the_content_not_the_name(row, client_for):
    assert upload(client_for("staff"), row, "photo.pdf", png_bytes(), "application/pdf").status_code == 302
    note = ProgressNote.objects.get(measure=row)
    assert (note.file_name, note.file_type) == ("photo.png", "image/png")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", b"This is plain text pretending to be a PDF.", "ไม่รับไฟล์ชนิดนี้"),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "ไม่รับไฟล์ชนิดนี้"),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "ไม่รับไฟล์ชนิดนี้"),
        ("tool.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "ไม่รับไฟล์ชนิดนี้"),
        ("page.html", b"<html><script>alert(1)</script></html>", "ไม่รับไฟล์ชนิดนี้"),
        ("macro.docm", office_zip("word/document.xml", "word/vbaProject.bin"), "มีมาโคร"),
        ("macro.doc", make_corpus.FILES["macro.doc"](), "มีมาโคร"),
        ("remote.docx", make_corpus.FILES["remote_template.docx"](), "ดึงเนื้อหาจากภายนอกเมื่อเปิด"),
        ("script.pdf", make_corpus.FILES["javascript.pdf"](), "มี JavaScript"),
        ("header.pdf", b"%PDF-1.7", "อ่านเป็น PDF ไม่ได้"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "ไม่รับไฟล์ชนิดนี้"),
        ("empty.pdf", b"", "ไฟล์ที่ส่งมาว่างเปล่า"),
    ],
)
def test_a_refused_file_gets_a_thai_message_and_changes_nothing(row, client_for, tmp_path, name, content, message):
    response = upload(client_for("staff"), row, name, content, "application/pdf")
    assert response.status_code == 422
    assert message in response.context["note_form"].errors["file"][0]
    assert message in response.content.decode()
    assert not ProgressNote.objects.exists()
    assert not (tmp_path / "evidence").exists()


def test_an_oversized_file_is_refused(row, client_for, settings, tmp_path):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = upload(client_for("staff"), row, "big.pdf", PDF + b"0" * 1024, "application/pdf")
    assert response.status_code == 422
    assert "ไฟล์ใหญ่เกินไป" in response.content.decode()
    assert not ProgressNote.objects.exists()
    assert not (tmp_path / "evidence").exists()


@pytest.mark.parametrize(
    "content, extension",
    [
        (PDF, "pdf"),
        (png_bytes(), "png"),
        (office_zip("word/document.xml"), "docx"),
        (office_zip("xl/workbook.xml"), "xlsx"),
        (office_zip("ppt/presentation.xml"), "pptx"),
        (make_corpus.BENIGN["plain.doc"](), "doc"),
        (make_corpus.BENIGN["plain.xls"](), "xls"),
        (make_corpus.BENIGN["plain.ppt"](), "ppt"),
        (make_corpus.BENIGN["hyperlink.docx"](), "docx"),
        (make_corpus.BENIGN["go_to_page.pdf"](), "pdf"),
    ],
)
def test_accepted_kinds_are_recognised_by_content(content, extension):
    assert evidence.detect(io.BytesIO(content)).extension == extension


def test_a_compound_file_is_recognised_by_its_streams_not_by_a_name_somewhere_in_its_bytes():
    """Before olefile read the directory, the signature and the UTF-16 name "WordDocument"
    anywhere in the bytes made a .doc."""
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "WordDocument".encode("utf-16-le") + b"\x00\x00"
    with pytest.raises(evidence.Refused, match="อ่านไม่ได้"):
        evidence.detect(io.BytesIO(fake))


@pytest.mark.parametrize("name", sorted(make_corpus.BENIGN))
def test_benign_office_files_and_pdfs_are_stored(name, row, client_for, tmp_path):
    """A plain .doc/.xls/.ppt, a .docx whose hyperlinks point at web pages and an e-mail
    address, and a PDF that opens at its first page and links to a web site."""
    content = make_corpus.BENIGN[name]()
    assert upload(client_for("staff"), row, name, content).status_code == 302
    note = ProgressNote.objects.get(measure=row)
    assert note.file_name == name and (tmp_path / note.file.name).read_bytes() == content


def test_a_pdf_written_by_weasyprint_is_accepted(row, client_for, assessment):
    """The portal's own report, as an organisation would attach it as evidence."""
    content = reports.ita_report_pdf(assessment)
    assert evidence.detect(io.BytesIO(content)) == evidence.PDF
    assert upload(client_for("staff"), row, "รายงาน.pdf", content).status_code == 302


def test_opendocument_is_recognised_by_its_mimetype_member():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", "<x/>")
    assert evidence.detect(out).extension == "ods"


def test_a_note_may_carry_a_link_instead_of_a_file(row, client_for):
    data = {"date": "2026-02-01", "text": "เผยแพร่บนเว็บไซต์", "link": "https://www.wangmee.go.th/ita/o25"}
    assert client_for("staff").post(reverse("measures:add_note", args=[row.pk]), data).status_code == 302
    note = ProgressNote.objects.get(measure=row)
    assert (note.link, note.file.name, note.author.username) == ("https://www.wangmee.go.th/ita/o25", "", "staff")
    page = client_for("executive").get(reverse("measures:detail", args=[row.pk])).content.decode()
    assert "เผยแพร่บนเว็บไซต์" in page and 'rel="noopener noreferrer nofollow"' in page


def test_a_script_link_is_refused(row, client_for):
    data = {"date": "2026-02-01", "text": "ลิงก์แปลก", "link": "javascript:alert(1)"}
    response = client_for("staff").post(reverse("measures:add_note", args=[row.pk]), data)
    assert response.status_code == 422
    assert not ProgressNote.objects.exists()


def test_a_note_without_a_file_has_no_download(row, client_for, personas):
    note = ProgressNote.objects.create(measure=row, text="ไม่มีไฟล์", author=personas["staff"])
    assert client_for("staff").get(reverse("measures:evidence", args=[note.pk])).status_code == 404


def test_a_missing_file_on_disk_is_a_404_not_a_500(row, client_for, tmp_path):
    upload(client_for("staff"), row, "a.pdf", PDF)
    note = ProgressNote.objects.get()
    (tmp_path / note.file.name).unlink()
    assert client_for("staff").get(reverse("measures:evidence", args=[note.pk])).status_code == 404


def test_deleting_a_row_keeps_its_evidence_files_until_the_bin_is_emptied(
        row, client_for, tmp_path, django_capture_on_commit_callbacks):
    """A deleted row goes to the bin with its files; only emptying the bin removes them."""
    upload(client_for("staff"), row, "a.pdf", PDF)
    stored = tmp_path / ProgressNote.objects.get().file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("staff").post(reverse("measures:delete", args=[row.pk]), {"version": 1})
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("org_admin").post(reverse("measures:empty_bin"))
    assert not stored.exists()
