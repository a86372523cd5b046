"""Importing a plan from .xlsx: preview first, then all of it in one transaction or nothing."""

import html
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from measures.models import Measure

from .conftest import make_assessment, make_measure, SEED_SCORES

HEADER = ["รหัส", "ตัวชี้วัด", "ผลการวิเคราะห์", "มาตรการ/โครงการ/กิจกรรม", "วิธีการดำเนินการ",
          "ระยะเวลา", "ผู้รับผิดชอบ", "สถานะ", "ความก้าวหน้า (%)", "วันเริ่มตามแผน", "วันสิ้นสุดตามแผน"]


def xlsx(rows, merges=()):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, assessment, data, name="plan.xlsx"):
    return client.post(
        reverse("reports:import", args=[assessment.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def confirm(client, assessment, response):
    token = response.context["confirm_form"]["token"].value()
    return client.post(reverse("reports:import_confirm", args=[assessment.pk]), {"token": token})


def snapshot():
    """Every plan row's columns, version and the number of history records."""
    rows = list(Measure.objects.order_by("pk").values())
    for row in rows:
        row.pop("updated_at")
    return rows, Measure.history.count()


@pytest.fixture
def plan(assessment, palad):
    return [
        make_measure(assessment, [palad], activity="มาตรการส่งเสริมการเปิดเผยข้อมูล", position=1),
        make_measure(assessment, [palad], number=4, indicator_label="ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ",
                     activity="ปรับปรุงแนวปฏิบัติการใช้ทรัพย์สิน", position=2),
    ]


@pytest.fixture
def admin(client_for):
    return client_for("org_admin")


def test_round_trip_of_an_exported_file_changes_nothing(admin, plan, assessment):
    exported = b"".join(admin.get(reverse("reports:plan_xlsx", args=[assessment.pk])).streaming_content)
    before = snapshot()
    response = upload(admin, assessment, exported)
    preview = response.context["preview"]
    assert not preview.errors and not preview.added and not preview.changed
    assert preview.unchanged == 2 and response.context["confirm_form"] is None
    assert snapshot() == before


def test_round_trip_keeps_text_that_looks_like_a_formula(admin, assessment, palad):
    make_measure(assessment, [palad], activity="=SUM(A1)", method="-ลดขั้นตอน\nบรรทัดที่สอง", period="2569")
    exported = b"".join(admin.get(reverse("reports:plan_xlsx", args=[assessment.pk])).streaming_content)
    preview = upload(admin, assessment, exported).context["preview"]
    assert preview.unchanged == 1 and not preview.changed and not preview.errors


def test_messy_file_previews_then_writes_in_one_go(admin, plan, assessment):
    """Title above the header, columns in another order, Thai digits, a merged indicator
    cell over two rows, blank rows, a BE date as text."""
    rows = [
        ["แผนพัฒนาองค์กร ปี ๒๕๖๙"],
        [],
        ["มาตรการ/โครงการ/กิจกรรม", "ความก้าวหน้า", "สถานะ", "ตัวชี้วัด", "รหัส", "วันเริ่ม", "หมายเหตุ"],
        ["ปรับปรุงแนวปฏิบัติการใช้ทรัพย์สิน (ฉบับใหม่)", "๕๐%", "กำลังดำเนินการ", "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต",
         f"{plan[1].pk}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")), "1/10/2568", "ไม่อ่าน"],
        [None, None, None, None, None, None, None],
        ["จัดทำคู่มือการป้องกันการทุจริต", 0, "ยังไม่เริ่ม", None, None, "2025-11-01", None],
    ]
    data = xlsx(rows, merges=["D4:D6"])
    response = upload(admin, assessment, data)
    preview = response.context["preview"]
    assert not preview.errors, preview.errors
    assert len(preview.added) == 1 and len(preview.changed) == 1 and preview.unchanged == 0
    page = response.content.decode()
    assert "ปรับปรุงแนวปฏิบัติการใช้ทรัพย์สิน (ฉบับใหม่)" in page and "จัดทำคู่มือการป้องกันการทุจริต" in page
    assert Measure.objects.count() == 2  # nothing written yet

    history_before = Measure.history.count()
    response = confirm(admin, assessment, response)
    assert response.status_code == 302
    changed = Measure.objects.get(pk=plan[1].pk)
    assert changed.activity == "ปรับปรุงแนวปฏิบัติการใช้ทรัพย์สิน (ฉบับใหม่)"
    assert changed.progress == 50 and changed.status == Measure.Status.IN_PROGRESS
    assert changed.start_date == date(2025, 10, 1) and changed.version == plan[1].version + 1
    assert changed.indicator.number == 10
    assert changed.method == "วิธีการทดสอบ"  # a column the file leaves out stays as it was
    added = Measure.objects.exclude(pk__in=[m.pk for m in plan]).get()
    assert added.indicator_label == "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต" and added.indicator.number == 10
    assert added.fiscal_year_id == 2569 and added.position == 3 and added.start_date == date(2025, 11, 1)
    assert Measure.history.count() == history_before + 2
    assert Measure.history.filter(id=added.pk).get().history_user.username == "org_admin"
    assert Measure.objects.get(pk=plan[0].pk).version == plan[0].version


def test_file_changed_by_someone_else_after_preview_is_refused(admin, plan, assessment):
    rows = [HEADER[:4], [plan[0].pk, plan[0].indicator_label, "", "ข้อความใหม่"]]
    response = upload(admin, assessment, xlsx(rows))
    editor = Measure.objects.get(pk=plan[0].pk)
    editor.activity = "แก้โดยคนอื่น"
    editor.version += 1
    editor.save()
    before = snapshot()
    response = confirm(admin, assessment, response)
    assert response.status_code == 302
    assert "แผนถูกแก้ไขหลังจากที่ตรวจสอบไฟล์" in admin.get(response["Location"]).content.decode()
    assert snapshot() == before


def test_confirm_without_a_preview_writes_nothing(admin, plan, assessment):
    before = snapshot()
    response = admin.post(reverse("reports:import_confirm", args=[assessment.pk]), {"token": "forged"})
    assert response.status_code == 302 and snapshot() == before
    assert admin.get(reverse("reports:import_confirm", args=[assessment.pk])).status_code == 405


@pytest.mark.parametrize("persona, status", [("staff", 403), ("executive", 403), ("outsider", 404)])
def test_only_admins_import(persona, status, client_for, assessment):
    assert client_for(persona).get(reverse("reports:import", args=[assessment.pk])).status_code == status


def foreign_id_rows(assessment, other_org):
    other = make_measure(make_assessment(other_org, 2568, SEED_SCORES), activity="ของหน่วยงานอื่น")
    return [HEADER[:4], [other.pk, "ตัวชี้วัดที่ ๙", "", "แก้ของคนอื่น"]]


def zip_of_text():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "ไม่ใช่ Excel")
    return out.getvalue()


BROKEN = {
    "plain text": (lambda a, p, o: "ไม่ใช่ไฟล์".encode(), "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx)"),
    "zip but not a workbook": (lambda a, p, o: zip_of_text(), "อ่านไฟล์ Excel ไม่ได้"),
    "no header row": (lambda a, p, o: xlsx([["ก", "ข"], ["ค", "ง"]]), "ไม่พบแถวหัวตาราง"),
    "two activity columns": (lambda a, p, o: xlsx([["ตัวชี้วัด", "มาตรการ", "มาตรการ/โครงการ/กิจกรรม"], ["ก", "ข", "ค"]]),
                             "คอลัมน์ซ้ำกัน: มาตรการ/โครงการ/กิจกรรม"),
    "header only": (lambda a, p, o: xlsx([HEADER]), "ไม่มีแถวข้อมูลใต้หัวตาราง"),
    "another organisation's id": (lambda a, p, o: xlsx(foreign_id_rows(a, o)), "ไม่ใช่มาตรการในแผนนี้"),
    "id that does not exist": (lambda a, p, o: xlsx([HEADER[:4], [999999, "ตัวชี้วัดที่ ๙", "", "ก"]]),
                               "รหัส 999999 ไม่ใช่มาตรการในแผนนี้"),
    "id that is not a number": (lambda a, p, o: xlsx([HEADER[:4], ["abc", "ตัวชี้วัดที่ ๙", "", "ก"]]),
                                "รหัส \"abc\" ไม่ใช่จำนวนเต็ม"),
    "same id twice": (lambda a, p, o: xlsx([HEADER[:4], [p[0].pk, "ตัวชี้วัดที่ ๙", "", "ก"],
                                            [p[0].pk, "ตัวชี้วัดที่ ๙", "", "ข"]]), "ซ้ำกับแถวที่ 2"),
    "unknown status": (lambda a, p, o: xlsx([["ตัวชี้วัด", "มาตรการ", "สถานะ"], ["ตัวชี้วัดที่ ๙", "ก", "เกือบเสร็จ"]]),
                       "สถานะ \"เกือบเสร็จ\" ไม่ถูกต้อง"),
    "progress over 100": (lambda a, p, o: xlsx([["ตัวชี้วัด", "มาตรการ", "ความก้าวหน้า (%)"], ["ตัวชี้วัดที่ ๙", "ก", "๑๕๐"]]),
                          "ความก้าวหน้า 150 อยู่นอกช่วง 0 ถึง 100"),
    "progress with decimals": (lambda a, p, o: xlsx([["ตัวชี้วัด", "มาตรการ", "ความก้าวหน้า"], ["ตัวชี้วัดที่ ๙", "ก", 12.5]]),
                               "ความก้าวหน้า \"12.5\" ไม่ใช่จำนวนเต็ม"),
    "a day not in the calendar": (lambda a, p, o: xlsx([["ตัวชี้วัด", "มาตรการ", "วันเริ่ม"], ["ตัวชี้วัดที่ ๙", "ก", "31/02/2569"]]),
                                  "ไม่มีวันนี้ในปฏิทิน"),
    "unreadable date": (lambda a, p, o: xlsx([["ตัวชี้วัด", "มาตรการ", "วันสิ้นสุด"], ["ตัวชี้วัดที่ ๙", "ก", "ปลายปี"]]),
                        "วันสิ้นสุดตามแผน \"ปลายปี\" อ่านไม่ได้"),
    "start after end": (lambda a, p, o: xlsx([["ตัวชี้วัด", "มาตรการ", "วันเริ่ม", "วันสิ้นสุด"],
                                              ["ตัวชี้วัดที่ ๙", "ก", "30/09/2569", "1/10/2568"]]),
                        "อยู่หลังวันสิ้นสุดตามแผน"),
    "new row without an activity": (lambda a, p, o: xlsx([["ตัวชี้วัด", "มาตรการ", "ผู้รับผิดชอบ"], ["ตัวชี้วัดที่ ๙", None, "กองคลัง"]]),
                                    "คอลัมน์ \"มาตรการ/โครงการ/กิจกรรม\" ว่างไม่ได้"),
    "period too long": (lambda a, p, o: xlsx([["ตัวชี้วัด", "มาตรการ", "ระยะเวลา"], ["ตัวชี้วัดที่ ๙", "ก", "ป" * 201]]),
                        "ข้อความในคอลัมน์ \"ระยะเวลา\" ยาวเกิน 200 ตัวอักษร"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_file_is_refused_with_its_reason_and_nothing_changes(case, admin, plan, assessment, other_org):
    build, message = BROKEN[case]
    data = build(assessment, plan, other_org)
    before = snapshot()
    response = upload(admin, assessment, data)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert response.context["confirm_form"] is None
    assert snapshot() == before


def test_one_bad_row_among_good_ones_stops_the_whole_file(admin, plan, assessment):
    rows = [["ตัวชี้วัด", "มาตรการ", "ความก้าวหน้า"]] + [["ตัวชี้วัดที่ ๙", f"มาตรการ {n}", n] for n in range(50)]
    rows.append(["ตัวชี้วัดที่ ๙", "มาตรการสุดท้าย", 101])
    before = snapshot()
    response = upload(admin, assessment, xlsx(rows))
    assert "แถวที่ 52: ความก้าวหน้า 101 อยู่นอกช่วง" in response.content.decode()
    assert len(response.context["preview"].added) == 50 and response.context["confirm_form"] is None
    assert snapshot() == before


def test_oversized_upload_is_refused(admin, plan, assessment, monkeypatch):
    monkeypatch.setattr("measures.forms.MAX_UPLOAD_BYTES", 1024)
    response = upload(admin, assessment, xlsx([HEADER] + [["", "ตัวชี้วัดที่ ๙", "", "ก" * 500]] * 20))
    assert "ไฟล์ใหญ่เกิน" in response.content.decode()


def test_preview_query_count_does_not_grow_with_rows(admin, plan, assessment, django_assert_num_queries):
    """Guards an N+1 in the preview: the plan's rows are read once, never one query per row
    (session, the user with their membership, the assessment and its prefetches, the plan, the
    organisation's units for the responsible column, the plan year, the session saved
    with the pending file's token; the Plan and the organisation's newest year, which say what
    the plan accepts)."""
    def rows(n):
        return xlsx([HEADER[:4]] + [[plan[0].pk, plan[0].indicator_label, "", "ใหม่"]]
                    + [["", "ตัวชี้วัดที่ ๙", "", f"ก {i}"] for i in range(n)])
    upload(admin, assessment, rows(1))
    with django_assert_num_queries(15):
        upload(admin, assessment, rows(2))
    with django_assert_num_queries(15):
        upload(admin, assessment, rows(40))


def test_pending_upload_waits_in_shared_media_storage_and_abandoned_ones_are_swept(settings):
    """Any app server behind the load balancer must find the upload: it lives in MEDIA_ROOT
    (shared storage), not in one process's temp folder; uploads left a day are deleted."""
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from measures import views

    folder = views.PLAN_UPLOADS.folder
    old = default_storage.save(f"{folder}/old.xlsx", ContentFile(b"x"))
    fresh = default_storage.save(f"{folder}/fresh.xlsx", ContentFile(b"x"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    views.PLAN_UPLOADS.sweep_abandoned()
    assert not default_storage.exists(old) and default_storage.exists(fresh)
    assert str(settings.MEDIA_ROOT) in default_storage.path(fresh)
