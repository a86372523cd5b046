"""The bad-input corpus: broken and hostile files, out-of-range and malformed numbers, forged and
foreign ids, oversized and hostile text, each sent to the real view through the HTTP client.

Every case must get a clear Thai message (or the 404/403 that is the right answer), never a 500,
and must leave the database and the stored files exactly as they were. The files are in
tests/bad_input/ (rebuilt by tests/bad_input/make_corpus.py); the few that only mean something
when large are built while the test runs.

Text with HTML or a script in it, and text that a spreadsheet would run as a formula, are
accepted as typed: the tests at the end check that they are shown escaped and exported inert.
"""

import csv
import html
import io
import re
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Membership
from assessments.checks import check_assessment
from assessments.models import Assessment, CheckReview, Finding, Indicator, IndicatorScore, Organisation, Unit
from lib import spreadsheets
from measures.models import Measure, ProgressNote
from oversight.models import OversightMembership

from .bad_input import make_corpus
from .conftest import SEED_SCORES, make_assessment, make_measure

CORPUS = Path(__file__).parent / "bad_input"
PDF = make_corpus.PDF
HUGE_ID = 10**20


@pytest.fixture
def w(client_for, personas, assessment, palad, klang, other_org):
    """The organisation's admin, staff of สำนักปลัด and executive as clients; a plan row with a
    note and its file, a finding; and another organisation's assessment, row, note and finding."""
    clients = {name: client_for(name) for name in ("org_admin", "staff", "executive", "anonymous")}
    for client in clients.values():
        client.raise_request_exception = False  # a defect shows as the 500 a user would get
    # The analysis quotes 80.00 where the recorded score is 82.50: an item for the check page.
    measure = make_measure(assessment, [palad], activity="มาตรการเดิม", analysis="ได้รับคะแนน ๘๐.๐๐ คะแนน")
    note = ProgressNote.objects.create(measure=measure, text="หลักฐาน", author=personas["staff"],
                                       file=ContentFile(PDF, name="e.pdf"), file_type="application/pdf")
    indicator9 = assessment.fiscal_year.indicators.get(number=9)
    finding = Finding.objects.create(assessment=assessment, indicator=indicator9, kind="improve", text="ข้อเดิม")
    foreign = make_assessment(other_org, 2568, SEED_SCORES)
    foreign_measure = make_measure(foreign, other_org.units.all())
    foreign_note = ProgressNote.objects.create(measure=foreign_measure, text="ของหน่วยงานอื่น",
                                               author=personas["outsider"],
                                               file=ContentFile(PDF, name="f.pdf"), file_type="application/pdf")
    platform = Client()
    platform.force_login(get_user_model().objects.create_user("platform", is_staff=True))
    area = Client()
    area_user = get_user_model().objects.create_user("area_office")
    OversightMembership.objects.create(user=area_user, province="นครราชสีมา")
    area.force_login(area_user)
    for client in (platform, area):
        client.raise_request_exception = False
    return SimpleNamespace(
        platform=platform, area=area, org=assessment.organisation, palad=palad,
        foreign_member=personas["outsider"].membership, staff_member=personas["staff"].membership,
        admin=clients["org_admin"], staff=clients["staff"], executive=clients["executive"],
        anonymous=clients["anonymous"], assessment=assessment, measure=measure, note=note,
        finding=finding, indicator9=indicator9, foreign=foreign, foreign_measure=foreign_measure,
        foreign_note=foreign_note, foreign_unit=other_org.units.get(),
        foreign_finding=Finding.objects.create(assessment=foreign, indicator=indicator9, kind="improve", text="อื่น"),
    )


def snapshot():
    """Everything a request could write: the rows of every model the views change and the
    files under MEDIA_ROOT (evidence and pending imports)."""
    media = Path(settings.MEDIA_ROOT)
    return (
        list(Assessment.objects.order_by("pk").values()),
        list(IndicatorScore.objects.order_by("pk").values()),
        list(Finding.objects.order_by("pk").values()),
        [{k: v for k, v in row.items() if k != "updated_at"} for row in Measure.objects.order_by("pk").values()],
        list(Measure.units.through.objects.order_by("pk").values()),
        Measure.history.count(),
        list(ProgressNote.objects.order_by("pk").values()),
        list(CheckReview.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values("pk", "role", "invited_at")),
        list(Membership.objects.order_by("pk").values("pk", "role", "organisation", "invited_at")),
        list(Membership.units.through.objects.order_by("pk").values()),
        [{k: v for k, v in row.items() if k != "last_login"}
         for row in get_user_model().objects.order_by("pk").values()],
        list(Organisation.objects.order_by("pk").values()),
        list(Unit.objects.order_by("pk").values()),
        len(mail.outbox),
        sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
    )


def text_of(response):
    return html.unescape(response.content.decode())


# Senders: each takes the world and returns the response.

def import_file(data, name="plan.xlsx"):
    def send(w):
        return w.admin.post(reverse("reports:import", args=[w.assessment.pk]),
                            {"file": SimpleUploadedFile(name, data() if callable(data) else data)})
    return send


def corpus_file(name):
    return lambda: (CORPUS / name).read_bytes()


def foreign_id_workbook(w):
    book = Workbook()
    book.active.append(["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม"])
    book.active.append([w.foreign_measure.pk, "ตัวชี้วัดที่ ๙", "แก้แผนของหน่วยงานอื่น"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(unpacked_bytes=None):
    """A real one: a valid .xlsx a thousand times smaller than what it unpacks to (by default
    just past UPLOAD_ZIP_MAX_UNPACKED_BYTES), built by the corpus script in chunks so that the
    test itself never holds it unpacked."""
    return lambda: make_corpus.zip_bomb_xlsx(unpacked_bytes or settings.UPLOAD_ZIP_MAX_UNPACKED_BYTES + 1)


TOO_LARGE_UNPACKED = "เมื่อแตกออกมีขนาด"
TOO_COMPRESSED = "ถูกบีบอัดมากผิดปกติ"
TOO_MANY_MEMBERS = "มีส่วนประกอบมากเกินไป"


def onboard_file(data, name="organisations.csv", client="area"):
    def send(w):
        return getattr(w, client).post(reverse("onboarding:import"),
                                       {"file": SimpleUploadedFile(name, data() if callable(data) else data)})
    return send


def new_organisation(**changes):
    def send(w):
        data = {"name": "อบต.ใหม่", "kind": "", "province": "นครราชสีมา", "district": "ปากช่อง", "units": "",
                "admin_name": "นาย ก", "admin_email": "new@example.go.th", **changes}
        return w.platform.post(reverse("onboarding:add"), data)
    return send


def person(pk=lambda w: w.staff_member.pk, **changes):
    def send(w):
        data = {"name": "ชื่อ ใหม่", "role": "staff", "units": [w.palad.pk]}
        data |= {name: value(w) if callable(value) else value for name, value in changes.items()}
        return w.admin.post(reverse("person_edit", args=[pk(w)]), data)
    return send


def note(file=None, name="evidence.pdf", **fields):
    def send(w):
        data = {"date": "2026-02-01", "text": "แนบหลักฐาน", **fields}
        if file is not None:
            data["file"] = SimpleUploadedFile(name, file() if callable(file) else file)
        return w.staff.post(reverse("measures:add_note", args=[w.measure.pk]), data)
    return send


def scores(**changes):
    """The entry form for the test assessment with the seed's scores, some replaced."""
    def send(w):
        data = {f"score_{n}": s for n, s in SEED_SCORES.items()} | {"published_overall": "90.42"}
        data |= {k: v for k, v in changes.items() if k != "pk"}
        pk = changes.get("pk", lambda w: w.assessment.pk)(w)
        return w.admin.post(reverse("assessment_edit", args=[pk]), data)
    return send


def what_if(value, pk=lambda w: w.assessment.pk):
    return lambda w: w.executive.get(reverse("dashboard:what_if", args=[pk(w)]), {"score_9": value})


def edit_row(pk=lambda w: w.measure.pk, client="admin", **changes):
    def send(w):
        m = w.measure
        data = {
            "indicator": m.indicator_id, "indicator_label": m.indicator_label, "analysis": "",
            "activity": "มาตรการใหม่", "method": "", "period": "", "responsible": "",
            "status": "in_progress", "progress": "10", "version": m.version,
            "units": [unit.pk for unit in m.units.all()],
        }
        for name, value in changes.items():
            data[name] = value(w) if callable(value) else value
        return getattr(w, client).post(reverse("measures:edit", args=[pk(w)]), data)
    return send


def finding(pk=lambda w: w.finding.pk, **changes):
    def send(w):
        data = {"indicator": w.indicator9.pk, "kind": "improve", "text": "ข้อความใหม่", **changes}
        return w.admin.post(reverse("finding_edit", args=[w.assessment.pk, pk(w)]), data)
    return send


def get(client, name, args=lambda w: [], query=None, follow=False):
    return lambda w: getattr(w, client).get(reverse(name, args=args(w)), query or {}, follow=follow)


def post(client, name, args, data, follow=False):
    return lambda w: getattr(w, client).post(reverse(name, args=args(w)), data(w), follow=follow)


@dataclass
class Case:
    send: object
    status: int
    message: str = ""


MANY_FIELDS = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
OVER_TEXT = "ก" * (Measure.LONG_TEXT_MAX_LENGTH + 1)

CASES = {
    # Plan import (.xlsx)
    "import-not-a-zip": Case(import_file(corpus_file("not_a_zip.xlsx")), 200, "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx)"),
    "import-0-bytes": Case(import_file(corpus_file("empty.xlsx")), 200, "ไฟล์ที่ส่งว่างเปล่า"),
    "import-a-pdf-named-xlsx": Case(import_file(corpus_file("really_a_pdf.xlsx")), 200, "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx)"),
    "import-a-zip-of-text": Case(import_file(corpus_file("zip_of_text.xlsx")), 200, "อ่านไฟล์ Excel ไม่ได้"),
    "import-truncated-workbook": Case(import_file(corpus_file("truncated.xlsx")), 200, "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx)"),
    "import-malformed-sheet-xml": Case(import_file(corpus_file("malformed_sheet_xml.xlsx")), 200, "อ่านไฟล์ Excel ไม่ได้"),
    "import-billion-laughs-entities": Case(import_file(corpus_file("billion_laughs.xlsx")), 200, "อ่านไฟล์ Excel ไม่ได้"),
    "import-zip-bomb-past-the-unpacked-limit": Case(import_file(zip_bomb()), 200, TOO_LARGE_UNPACKED),
    "import-compressed-a-thousandfold": Case(import_file(zip_bomb(50 * 1024 * 1024)), 200, TOO_COMPRESSED),
    "import-with-too-many-members": Case(import_file(lambda: make_corpus.rewrite_members(
        make_corpus.workbook([make_corpus.HEADER]), {f"xl/part{n}.xml": b"" for n in range(2001)})), 200,
        TOO_MANY_MEMBERS),
    "import-huge-shared-strings-and-a-6000-character-cell": Case(
        import_file(make_corpus.huge_shared_strings_xlsx), 200,
        'ข้อความในคอลัมน์ "มาตรการ/โครงการ/กิจกรรม" ยาวเกิน 5000 ตัวอักษร'),
    "import-over-25-mb": Case(import_file(lambda: PDF + b"\0" * (25 * 1024 * 1024)), 200, "ไฟล์ใหญ่เกิน 25 MB"),
    "import-wrong-columns": Case(import_file(corpus_file("wrong_columns.xlsx")), 200, "ไม่พบแถวหัวตาราง"),
    "import-header-below-row-30": Case(import_file(corpus_file("header_below_row_30.xlsx")), 200, "ภายใน 30 แถวแรก"),
    # A formula never calculated is named by its cell, not read as empty.
    "import-formula-cells": Case(import_file(corpus_file("formula_cells.xlsx")), 200,
                                 'แถวที่ 2: ช่อง B2 (คอลัมน์ "มาตรการ/โครงการ/กิจกรรม") เป็นสูตรที่ไม่มีค่าที่คำนวณไว้'),
    "import-merged-cell-chaos": Case(import_file(corpus_file("merged_chaos.xlsx")), 200, "ไม่พบแถวหัวตาราง"),
    "import-progress-in-words": Case(import_file(corpus_file("progress_as_text.xlsx")), 200,
                                     'ความก้าวหน้า "ครึ่งหนึ่ง" ไม่ใช่จำนวนเต็ม'),
    "import-progress-mixing-thai-and-arabic-digits": Case(import_file(corpus_file("mixed_digits_progress.xlsx")), 200,
                                                          'ความก้าวหน้า "๕0.๕" ไม่ใช่จำนวนเต็ม'),
    "import-another-organisations-row-id": Case(lambda w: import_file(foreign_id_workbook(w))(w), 200,
                                                "ไม่ใช่มาตรการในแผนนี้"),
    "import-confirm-with-a-forged-token": Case(
        post("admin", "reports:import_confirm", lambda w: [w.assessment.pk], lambda w: {"token": "../../settings"},
             follow=True), 200, "ไม่พบไฟล์ที่ตรวจสอบไว้"),
    # Onboarding organisations (.xlsx/.csv, and one at a time)
    "onboarding-old-binary-xls": Case(onboard_file(corpus_file("organisations_old_excel.xls"), "list.xls"), 200,
                                      "ไฟล์ Excel รุ่นเก่า (.xls) อ่านไม่ได้"),
    "onboarding-binary-csv-with-nul-bytes": Case(onboard_file(corpus_file("organisations_binary.csv")), 200,
                                                 "ไฟล์นี้ไม่ใช่ไฟล์ข้อความ"),
    "onboarding-csv-in-no-known-encoding": Case(onboard_file(corpus_file("organisations_undecodable.csv")), 200,
                                                "ไม่ใช่รหัสอักขระ UTF-8 หรือ Windows-874"),
    "onboarding-wrong-columns": Case(onboard_file(corpus_file("organisations_wrong_columns.csv")), 200,
                                     "ไม่พบแถวหัวตาราง"),
    "onboarding-a-pdf-named-xlsx": Case(onboard_file(corpus_file("really_a_pdf.xlsx"), "list.xlsx"), 200,
                                        "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx)"),
    "onboarding-billion-laughs-entities": Case(onboard_file(corpus_file("billion_laughs.xlsx"), "list.xlsx"), 200,
                                               "อ่านไฟล์ Excel ไม่ได้"),
    "onboarding-0-bytes": Case(onboard_file(corpus_file("empty.xlsx"), "list.xlsx"), 200, "ไฟล์ที่ส่งว่างเปล่า"),
    "onboarding-zip-bomb": Case(onboard_file(zip_bomb(), "list.xlsx"), 200, TOO_LARGE_UNPACKED),
    "onboarding-over-5-mb": Case(onboard_file(lambda: b"a" * (5 * 1024 * 1024 + 1)), 200, "ไฟล์ใหญ่เกิน 5 MB"),
    "onboarding-confirm-with-a-forged-token": Case(
        post("area", "onboarding:import_confirm", lambda w: [], lambda w: {"token": "../../settings"}, follow=True),
        200, "ไม่พบไฟล์ที่ตรวจสอบไว้"),
    "onboarding-organisation-outside-the-area": Case(
        get("area", "onboarding:organisation", lambda w: [w.foreign.organisation_id]), 404),
    "onboarding-organisation-id-beyond-any-integer-column": Case(
        get("platform", "onboarding:organisation", lambda w: [HUGE_ID]), 404),
    "onboarding-resend-to-another-organisations-admin": Case(
        post("platform", "onboarding:resend", lambda w: [w.org.pk, w.foreign_member.pk], lambda w: {}), 404),
    "onboarding-name-over-200-characters": Case(new_organisation(name="ก" * 201), 422, "ไม่เกิน 200 ตัวอักษร"),
    "onboarding-province-not-in-the-list": Case(new_organisation(province="จังหวัดที่ไม่มี"), 422,
                                                "ตัวเลือกไม่ถูกต้อง"),
    "onboarding-admin-email-with-a-nul-character": Case(new_organisation(admin_email="a\x00@example.go.th"), 422,
                                                        "อักขระที่ใช้ไม่ได้"),
    # People and units of an organisation
    "person-of-another-organisation": Case(person(pk=lambda w: w.foreign_member.pk), 404),
    "person-id-beyond-any-integer-column": Case(person(pk=lambda w: HUGE_ID), 404),
    "person-with-another-organisations-unit": Case(person(units=lambda w: [w.foreign_unit.pk]), 422,
                                                   "ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ"),
    "person-name-over-150-characters": Case(person(name="ก" * 151), 422, "ยาวเกินไป (ไม่เกิน 150 ตัวอักษร)"),
    "person-invite-with-a-forged-role": Case(
        post("admin", "person_invite", lambda w: [], lambda w: {"name": "ก ข", "email": "x@example.go.th",
                                                               "role": "superuser"}), 422, "ตัวเลือกไม่ถูกต้อง"),
    "unit-of-another-organisation": Case(
        post("admin", "unit_edit", lambda w: [w.foreign_unit.pk], lambda w: {"name": "ยึด"}), 404),
    "unit-name-with-a-nul-character": Case(
        post("admin", "units", lambda w: [], lambda w: {"name": "กอง\x00ใหม่"}), 422, "อักขระที่ใช้ไม่ได้"),
    "invitation-with-a-user-id-beyond-any-integer-column": Case(
        get("anonymous", "invitation", lambda w: [urlsafe_base64_encode(force_bytes(HUGE_ID)), "abc-123"]), 200,
        "ลิงก์นี้ใช้ไม่ได้"),
    # Evidence files and progress notes
    "evidence-svg-with-a-script": Case(note(corpus_file("script.svg"), "chart.svg"), 422, "ไม่รับไฟล์ชนิดนี้"),
    "evidence-opendocument-with-macros": Case(note(corpus_file("macro.odt"), "report.odt"), 422, "มีมาโคร"),
    "evidence-corrupt-compressed-member": Case(note(corpus_file("corrupt_deflate.odt"), "report.odt"), 422,
                                               "ไม่รับไฟล์ชนิดนี้"),
    "evidence-mimetype-bomb": Case(note(lambda: make_corpus.mimetype_bomb_odt(64 * 1024 * 1024), "r.odt"), 422,
                                   TOO_COMPRESSED),
    "evidence-valid-xlsx-that-unpacks-to-600-mb": Case(note(zip_bomb(600 * 1024 * 1024), "r.xlsx"), 422,
                                                       "เมื่อแตกออกมีขนาด 600 MB เกิน 100 MB"),
    "evidence-docx-with-too-many-members": Case(note(lambda: make_corpus.many_members_docx(2001), "r.docx"), 422,
                                                TOO_MANY_MEMBERS),
    "evidence-word-97-with-a-vba-macro": Case(note(corpus_file("macro.doc"), "report.doc"), 422, "มีมาโคร"),
    "evidence-excel-97-with-a-vba-project": Case(note(corpus_file("vba_project.xls"), "r.xls"), 422, "มีมาโคร"),
    "evidence-excel-4-macro-sheet": Case(note(corpus_file("macro_sheet.xls"), "r.xls"), 422, "มีมาโคร"),
    "evidence-powerpoint-97-with-vba": Case(note(corpus_file("vba.ppt"), "r.ppt"), 422, "มีมาโคร"),
    "evidence-word-97-with-an-ole-package": Case(note(corpus_file("package_object.doc"), "r.doc"), 422,
                                                 "มีไฟล์หรือโปรแกรมอื่นฝังอยู่"),
    "evidence-only-the-ole-signature": Case(note(corpus_file("ole_signature_only.doc"), "r.doc"), 422,
                                            "ขึ้นต้นเหมือนไฟล์ Office แบบเก่า"),
    "evidence-ole-signature-then-junk": Case(note(corpus_file("ole_signature_then_junk.xls"), "r.xls"), 422,
                                             "ขึ้นต้นเหมือนไฟล์ Office แบบเก่า"),
    "evidence-docm-with-vbaproject-bin": Case(note(corpus_file("vba_project.docm"), "r.docm"), 422, "มีมาโคร"),
    "evidence-docx-with-a-renamed-vba-project": Case(note(corpus_file("renamed_vba_project.docx"), "r.docx"), 422,
                                                     "มีมาโคร"),
    "evidence-docx-with-activex": Case(note(corpus_file("activex.docx"), "r.docx"), 422, "ActiveX"),
    "evidence-docx-with-a-remote-template": Case(note(corpus_file("remote_template.docx"), "r.docx"), 422,
                                                 "attachedTemplate: https://evil.example/template.dotm"),
    "evidence-xlsx-linked-to-another-workbook": Case(note(corpus_file("external_workbook_link.xlsx"), "r.xlsx"), 422,
                                                     "externalLinkPath"),
    "evidence-docx-with-a-remote-ole-object": Case(note(corpus_file("remote_ole_object.docx"), "r.docx"), 422,
                                                   "oleObject: http://evil.example/payload.html!"),
    "evidence-docx-with-a-link-to-a-local-program": Case(note(corpus_file("local_file_hyperlink.docx"), "r.docx"),
                                                         422, "เปิดไฟล์หรือโปรแกรมในเครื่องได้"),
    "evidence-docx-with-an-embedded-package": Case(note(corpus_file("embedded_package.docx"), "r.docx"), 422,
                                                   "มีไฟล์หรือโปรแกรมอื่นฝังอยู่"),
    "evidence-pdf-with-javascript": Case(note(corpus_file("javascript.pdf")), 422, "มี JavaScript"),
    "evidence-pdf-with-javascript-behind-hex-escaped-names": Case(note(corpus_file("javascript_hex_name.pdf")), 422,
                                                                  "มี JavaScript"),
    "evidence-pdf-opening-a-web-address-by-itself": Case(note(corpus_file("open_action_uri.pdf")), 422,
                                                         "สั่งให้โปรแกรมอ่านทำงานเอง (OpenAction)"),
    "evidence-pdf-with-a-launch-action": Case(note(corpus_file("launch.pdf")), 422,
                                              "สั่งให้โปรแกรมอ่านทำงานเอง (Launch)"),
    "evidence-pdf-running-javascript-when-a-page-opens": Case(note(corpus_file("page_open_javascript.pdf")), 422,
                                                              "มี JavaScript"),
    "evidence-pdf-with-an-embedded-file": Case(note(corpus_file("embedded_file.pdf")), 422, "มีไฟล์อื่นแนบอยู่"),
    "evidence-pdf-with-a-file-attachment-annotation": Case(note(corpus_file("file_attachment_annotation.pdf")), 422,
                                                           "มีไฟล์อื่นแนบอยู่"),
    "evidence-only-a-pdf-header": Case(note(corpus_file("only_pdf_header.pdf")), 422, "อ่านเป็น PDF ไม่ได้"),
    "evidence-pdf-header-then-text": Case(note(corpus_file("pdf_header_then_text.pdf")), 422, "อ่านเป็น PDF ไม่ได้"),
    "evidence-over-10-mb": Case(note(lambda: PDF + b"\0" * settings.EVIDENCE_MAX_BYTES), 422, "ไฟล์ใหญ่เกินไป"),
    "note-text-with-a-nul-character": Case(note(text="ทำแล้ว\x00"), 422, "อักขระที่ใช้ไม่ได้"),
    "note-text-over-5000-characters": Case(note(text=OVER_TEXT), 422, "ยาวเกินไป (ไม่เกิน 5000 ตัวอักษร)"),
    "note-link-with-javascript": Case(note(link="javascript:alert(1)"), 422, "ลิงก์ไม่ถูกต้อง"),
    "note-on-another-organisations-row": Case(
        post("staff", "measures:add_note", lambda w: [w.foreign_measure.pk], lambda w: {"date": "2026-02-01", "text": "x"}),
        404),
    "evidence-download-of-another-organisations-note": Case(
        get("staff", "measures:evidence", lambda w: [w.foreign_note.pk]), 404),
    # Entering a year's scores
    "entry-score-over-100": Case(scores(score_9="100.01"), 200, "คะแนนตัวชี้วัดที่ 9 ต้องไม่เกิน 100"),
    "entry-score-below-0": Case(scores(score_9="-1"), 200, "คะแนนตัวชี้วัดที่ 9 ต้องไม่ต่ำกว่า 0"),
    "entry-score-in-words": Case(scores(score_9="เก้าสิบ"), 200, "คะแนนตัวชี้วัดที่ 9 ต้องเป็นตัวเลข"),
    "entry-score-with-three-decimals": Case(scores(score_9="๘๒.๕๐๑"), 200, "มีทศนิยมได้ไม่เกินสองตำแหน่ง"),
    "entry-score-mixing-thai-and-arabic-digits": Case(scores(score_9="8๒.5"), 200,
                                                      "ต้องเขียนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"),
    "entry-score-in-arabic-indic-digits": Case(scores(score_9="٨٢٫٥"), 200,
                                               "ต้องเขียนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"),
    "entry-published-level-too-long": Case(scores(published_level="ดีเยี่ยมมาก" * 6), 200,
                                           "ระดับยาวได้ไม่เกิน 50 ตัวอักษร"),
    "entry-for-another-organisations-assessment": Case(scores(pk=lambda w: w.foreign.pk), 404),
    # What-if (nothing is ever saved; the answer must still be a message, not a projection)
    "what-if-score-over-100": Case(what_if("101"), 200, "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
    "what-if-score-in-words": Case(what_if("สูงมาก"), 200, "ใส่คะแนนเป็นตัวเลข"),
    "what-if-score-as-an-exponent": Case(what_if("1e2"), 200, "ใส่คะแนนเป็นตัวเลข"),
    "what-if-score-mixing-thai-and-arabic-digits": Case(what_if("๙5"), 200,
                                                        "เขียนคะแนนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"),
    "what-if-of-another-organisations-assessment": Case(what_if("95", pk=lambda w: w.foreign.pk), 404),
    # Plan rows
    "row-activity-over-5000-characters": Case(edit_row(activity=OVER_TEXT), 422, "ยาวเกินไป (ไม่เกิน 5000 ตัวอักษร)"),
    "row-period-over-200-characters": Case(edit_row(period="ป" * 201), 422, "ยาวเกินไป (ไม่เกิน 200 ตัวอักษร)"),
    "row-progress-over-100": Case(edit_row(progress="101"), 422, "ต้องไม่เกิน 100"),
    "row-progress-in-words": Case(edit_row(progress="ครึ่ง"), 422, "กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
    "row-unit-of-another-organisation": Case(edit_row(units=lambda w: [w.foreign_unit.pk]), 422,
                                             "ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ"),
    "row-indicator-of-another-year": Case(
        edit_row(indicator=lambda w: Indicator.objects.get(fiscal_year_id=2567, number=9).pk), 422,
        "ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ"),
    "row-of-another-organisation": Case(edit_row(pk=lambda w: w.foreign_measure.pk), 404),
    "row-that-does-not-exist": Case(edit_row(pk=lambda w: 999999), 404),
    "row-id-beyond-any-integer-column": Case(edit_row(pk=lambda w: HUGE_ID), 404),
    "row-form-with-too-many-fields": Case(
        post("admin", "measures:edit", lambda w: [w.measure.pk], lambda w: MANY_FIELDS), 400, "คำขอไม่ถูกต้อง"),
    "row-start-date-before-2500-be": Case(edit_row(start_date="1/1/2400"), 422,
                                          "ปีต้องอยู่ระหว่าง พ.ศ. 2500 ถึง 2700"),
    "row-end-date-with-a-five-digit-year": Case(edit_row(end_date="30/9/25690"), 422, "ใช้รูปแบบ วัน/เดือน/ปี พ.ศ."),
    "note-date-not-in-the-calendar": Case(note(date="30/2/2569"), 422, "ไม่มีวันนี้ในปฏิทิน"),
    "row-move-with-a-forged-direction": Case(
        post("staff", "measures:move", lambda w: [w.measure.pk], lambda w: {"direction": "sideways"}, follow=True),
        200, "ย้ายแถวไม่ได้: คำสั่งไม่ถูกต้อง"),
    "audit-log-filter-with-a-forged-kind-and-a-date-not-in-the-calendar": Case(
        get("admin", "audit:log", query={"kind": "<script>", "date_from": "2026-02-31"}), 200,
        "วันที่ไม่ถูกต้อง"),
    "sign-in-record-with-a-forged-kind-and-page": Case(
        get("admin", "sign_in_log", query={"kind": "forged", "page": "0"}), 200,
        "ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ"),
    "onboarding-list-with-a-page-that-is-not-a-number": Case(
        get("area", "onboarding:list", query={"page": "abc"}), 200, "จำนวนเต็ม"),
    "plan-filter-with-forged-choices": Case(
        get("staff", "measures:plan", lambda w: [2569], {"indicator": "abc", "status": "<script>"}), 200,
        "ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ"),
    # Findings and the check
    "finding-text-over-10000-characters": Case(finding(text="ก" * 10001), 200, "ข้อความยาวเกิน 10000 ตัวอักษร"),
    "finding-code-of-another-indicator": Case(finding(code="i1"), 200, "เป็นของตัวชี้วัดที่ 1"),
    "finding-of-another-organisation": Case(finding(pk=lambda w: w.foreign_finding.pk), 404),
    "check-review-with-a-forged-key": Case(
        post("admin", "check_review", lambda w: [w.assessment.pk], lambda w: {"key": "measure:1:forged", "comment": "x"}),
        200, "รายการนี้ไม่อยู่ในผลการตรวจล่าสุดแล้ว"),
    "check-review-comment-over-2000-characters": Case(
        post("admin", "check_review", lambda w: [w.assessment.pk],
             lambda w: {"key": check_assessment(w.assessment)[0].key, "comment": "ก" * 2001}),
        200, "ยาวเกินไป: ได้ไม่เกิน 2000 ตัวอักษร"),
    "draft-formset-without-its-management-form": Case(
        post("admin", "measures:draft", lambda w: [w.assessment.pk], lambda w: {"form-0-accept": "on"}),
        200, "เลือกอย่างน้อยหนึ่งมาตรการที่จะรับเข้าแผน"),
    # Reports and the public page
    "report-with-a-forged-digits-option": Case(
        get("staff", "reports:ita", lambda w: [w.assessment.pk], {"digits": "roman"}), 400, "เลือกตัวเลือกที่ถูกต้อง"),
    "progress-report-on-a-day-not-in-the-calendar": Case(
        get("staff", "reports:progress", lambda w: [w.assessment.pk], {"as_of": "2026-02-31"}), 400, "วันที่ไม่ถูกต้อง"),
    "download-of-an-unknown-dataset": Case(
        get("staff", "reports:data", lambda w: [w.assessment.pk, "users", "csv"]), 404),
    "public-page-of-an-unpublished-year": Case(
        get("anonymous", "public:page", lambda w: [w.assessment.organisation_id, 2568]), 404),
    "public-page-with-an-id-beyond-any-integer-column": Case(
        get("anonymous", "public:page", lambda w: [HUGE_ID, 2568]), 404),
    "public-download-with-a-year-beyond-any-integer-column": Case(
        get("anonymous", "public:data", lambda w: [w.assessment.organisation_id, HUGE_ID, "plan", "csv"]), 404),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(case, w):
    expected = CASES[case]
    before = snapshot()
    response = expected.send(w)
    assert response.status_code == expected.status, text_of(response)[-2000:]
    if expected.message:
        assert expected.message in text_of(response)
    if expected.status == 404:
        assert "ไม่พบหน้านี้" in text_of(response)
    assert snapshot() == before
    assert_described_by_exists(response)


def assert_described_by_exists(response):
    """Every id a field's aria-describedby names (Django names `<id>_error` for a field with
    errors and `<id>_helptext` for one with help) is the id of an element of the page: a
    screen reader otherwise reads the field without its error."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    page = response.content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    named = {name for value in re.findall(r'aria-describedby="([^"]*)"', page) for name in value.split()}
    assert named <= ids, f"aria-describedby names ids no element has: {sorted(named - ids)}"


def test_the_corpus_holds_at_least_thirty_cases_and_every_file_is_used():
    assert len(CASES) >= 30
    used = {path.name for path in CORPUS.iterdir() if path.suffix != ".py" and path.is_file()}
    assert used == set(make_corpus.FILES)
    source = Path(__file__).read_text()
    assert all(f'corpus_file("{name}")' in source for name in make_corpus.FILES)


def test_the_committed_files_are_what_the_script_builds():
    """Except the workbooks, whose zip entries carry the time they were written."""
    for name, build in make_corpus.FILES.items():
        if not name.endswith(".xlsx") or name in ("not_a_zip.xlsx", "empty.xlsx", "really_a_pdf.xlsx"):
            assert (CORPUS / name).read_bytes() == build(), name


def test_a_mimetype_bomb_is_recognised_without_unpacking_it(w):
    """The OpenDocument check reads at most the length of the longest known type from the
    "mimetype" member, not the 64 MB it unpacks to."""
    upload = note(make_corpus.mimetype_bomb_odt(64 * 1024 * 1024), "r.odt")
    tracemalloc.start()
    try:
        response = upload(w)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 422
    assert peak < 16 * 1024 * 1024


HOSTILE = "<script>alert('ita')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def hostile_row(w):
    """A row whose activity, analysis and note carry markup, saved through the real views."""
    response = edit_row(activity=HOSTILE, analysis=HOSTILE)(w)
    assert response.status_code == 302
    assert note(text=HOSTILE)(w).status_code == 302
    Finding.objects.filter(pk=w.finding.pk).update(text=HOSTILE)
    w.assessment.is_public = True
    w.assessment.save(update_fields=["is_public"])
    measure = Measure.objects.get(pk=w.measure.pk)
    assert measure.activity == HOSTILE  # stored as typed: it is text, not markup
    assert ProgressNote.objects.filter(text=HOSTILE).exists()
    return measure


@pytest.mark.parametrize("page", [
    "plan", "row detail", "row history", "dashboard indicator", "report print view", "public page",
])
def test_html_and_script_in_text_are_shown_escaped(page, w, hostile_row):
    m, a = hostile_row, w.assessment
    url = {
        "plan": reverse("measures:plan", args=[2569]),
        "row detail": reverse("measures:detail", args=[m.pk]),
        "row history": reverse("measures:history", args=[m.pk]),
        "dashboard indicator": reverse("dashboard:indicator", args=[a.pk, 9]),
        "report print view": reverse("reports:ita", args=[a.pk]),
        "public page": reverse("public:page", args=[a.organisation_id, 2568]),
    }[page]
    body = w.admin.get(url).content.decode()
    assert "&lt;script&gt;alert(&#x27;ita&#x27;)&lt;/script&gt;" in body
    assert "<script>alert" not in body and "<img src=x" not in body


FORMULAS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1", "=HYPERLINK(\"http://evil.example/\",\"คลิก\")"]


@pytest.mark.parametrize("formula", FORMULAS, ids=["dde", "plus", "minus", "at", "tab", "hyperlink"])
def test_formula_text_in_the_plan_is_exported_as_inert_text(formula, w):
    Measure.objects.filter(pk=w.measure.pk).update(activity=formula, method=formula)
    workbook = load_workbook(io.BytesIO(b"".join(
        w.admin.get(reverse("reports:plan_xlsx", args=[w.assessment.pk])).streaming_content)))
    cell = workbook.worksheets[0].cell(2, 4)
    assert cell.value == "'" + formula and cell.data_type == "s"
    response = w.staff.get(reverse("reports:data", args=[w.assessment.pk, "plan", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert all(not value.startswith(("=", "+", "-", "@", "\t")) for row in rows[1:] for value in row)
    assert "'" + formula in rows[1]
