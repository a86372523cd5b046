"""Importing an OIT checklist (.xlsx, .csv) and the two commands: preview, then all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from oit.imports import normalise_code
from oit.models import Item, Link

from .conftest import make_assessment
from .oit_helpers import start_workspace

NINETY = {n: "90.00" for n in range(1, 9)}


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# A tracker as organisations keep it: a title, a blank row, then the header.
TRACKER = [
    ["ติดตามการเผยแพร่ข้อมูล OIT ปี 2568"],
    [],
    ["ลำดับ", "รหัส", "รายการ", "ลิงก์", "ผู้รับผิดชอบ", "ผลการตรวจสอบ"],
    [1, "o1", "โครงสร้าง", "  https://www.example.go.th/structure  ", "สำนักปลัด", "ผ่าน"],
    [2, "O2", "ข้อมูลผู้บริหาร", "https://www.example.go.th/a https://www.example.go.th/b", "กองคลัง", "ไม่ผ่าน"],
    [3, "o๓", "ข้อมูลการติดต่อ", "", "", "กำลังจัดทำ"],
]


@pytest.fixture
def workspace(org, assessment):
    return start_workspace(org, 2568)


def post_file(client, name, data):
    return client.post(reverse("oit:import", args=[2568]), {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize("written, code", [("o1", "o1"), ("O1", "o1"), ("o๑", "o1"), ("๐๒๕", "o25"),
                                           ("O 10", "o10"), ("ข้อ 1", None), ("1", None)])
def test_codes_as_organisations_write_them(written, code):
    assert normalise_code(written) == code


def test_preview_then_confirm_writes_everything(client_for, workspace, palad, klang, personas):
    admin = client_for("org_admin")
    response = post_file(admin, "tracker.xlsx", xlsx(TRACKER))
    html = response.content.decode()
    assert response.status_code == 200
    assert "คอลัมน์ที่อ่าน: ข้อ, หัวข้อ, URL, หน่วยงาน, ผลตรวจ" in html
    assert "ลำดับ (คอลัมน์ A)" in html
    rows = html.split('data-testid="import-rows"')[1].split("</table>")[0]
    assert "ไม่ผ่าน" in rows and "กำลังจัดทำ" in rows and "https://www.example.go.th/structure" in rows
    assert not Link.objects.exists()  # the preview writes nothing
    token = html.split('name="token" value="')[1].split('"')[0]
    response = admin.post(reverse("oit:import_confirm", args=[2568]), {"token": token})
    assert response.status_code == 302
    o1, o2, o3 = (Item.objects.get(workspace=workspace, question__code=code) for code in ("o1", "o2", "o3"))
    assert [link.url for link in o1.links.all()] == ["https://www.example.go.th/structure"]
    assert [link.url for link in o2.links.all()] == ["https://www.example.go.th/a", "https://www.example.go.th/b"]
    assert list(o1.units.all()) == [palad] and list(o2.units.all()) == [klang]
    assert (o1.review, o2.review, o3.review) == ("passed", "failed", "")
    assert o1.reviewed_by == personas["org_admin"] and o3.status == Item.Status.IN_PROGRESS


def test_a_csv_in_windows_thai_with_one_bad_row_writes_nothing(client_for, workspace):
    text = "ข้อ,หัวข้อ,URL,ผลตรวจ\no1,โครงสร้าง,https://example.go.th/1,ผ่าน\no99,ไม่มีข้อนี้,,\n"
    response = post_file(client_for("org_admin"), "tracker.csv", text.encode("cp874"))
    html = response.content.decode()
    assert "แถวที่ 3" in html and "ไม่มีข้อ O99 ในรายการ OIT ของปีนี้" in html
    assert 'name="token"' not in html and not Link.objects.exists()


def test_a_file_without_a_header_is_explained(client_for, workspace):
    html = post_file(client_for("org_admin"), "x.xlsx", xlsx([["a", "b"], [1, 2]])).content.decode()
    assert "ไม่พบแถวหัวตาราง" in html


def test_staff_may_not_import(client_for, workspace):
    assert post_file(client_for("staff"), "tracker.xlsx", xlsx(TRACKER)).status_code == 403
    assert not Link.objects.exists()


def test_the_import_command_is_all_or_nothing(org, tmp_path, workspace):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(TRACKER))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([*TRACKER, [4, "o4", "ข่าว", "ftp://example.go.th/x", "", ""]]))
    with pytest.raises(CommandError):
        call_command("import_oit_checklist", str(bad), organisation="อบต.ทดสอบ", year=2568)
    assert not Link.objects.exists()
    out = io.StringIO()
    call_command("import_oit_checklist", str(good), organisation="อบต.ทดสอบ", year=2568, stdout=out)
    assert "นำเข้าแล้ว 3 ข้อ" in out.getvalue()
    assert Link.objects.count() == 3


def test_the_status_command_prints_items_the_estimate_and_the_next_level(org, workspace):
    """IIT = EIT = 90; 13 of 20 items of 9 and all 6 of 10 pass: 9 = 65, 10 = 100, OIT 82.50,
    overall 27 + 27 + 33 = 87.00 ผ่าน; one more item of 9 gives ผ่านดี (as in test_oit_estimate)."""
    org.assessments.all().delete()
    make_assessment(org, 2568, NINETY)
    for item in Item.objects.filter(workspace=workspace).in_order()[:13]:
        item.review = "passed"
        item.save(update_fields=["review"])
    Item.objects.filter(workspace=workspace, question__indicator__number=10).update(review="passed")
    out = io.StringIO()
    call_command("oit_status", organisation="อบต.ทดสอบ", year=2568, stdout=out)
    text = out.getvalue()
    assert "  O1 ยังไม่เริ่ม" in text and "ผ่าน" in text
    assert "ตัวชี้วัดที่ 9: 65.00 (13/20 ข้อ" in text and "ตัวชี้วัดที่ 10: 100.00 (6/6 ข้อ" in text
    assert "คะแนนรวม: 87.00 ระดับ ผ่าน" in text
    assert "ผ่านอีก 1 ข้อของตัวชี้วัดที่ 9 ได้ระดับ ผ่านดี" in text


def test_the_status_command_refuses_an_unknown_organisation(db, reference):
    with pytest.raises(CommandError):
        call_command("oit_status", organisation="ไม่มี", year=2568)
