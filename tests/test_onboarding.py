"""Onboarding organisations in the portal: platform staff anywhere, an area office in its own
province or district; one at a time, or from an .xlsx/.csv as a province would type it, previewed
line by line and written all or nothing, each first admin invited by e-mail."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Membership
from assessments.models import Organisation, Unit
from onboarding import organisations
from onboarding.access import OnboardingArea
from oversight.models import OversightMembership

IMPORT = reverse("onboarding:import")
CONFIRM = reverse("onboarding:import_confirm")
ADD = reverse("onboarding:add")
HEADER = ["ชื่อหน่วยงาน", "ชื่อย่อ", "ประเภท", "อำเภอ", "จังหวัด", "สำนัก/กอง", "ชื่อผู้ดูแลระบบ", "อีเมลผู้ดูแลระบบ"]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def platform(db):
    return signed_in(get_user_model().objects.create_user("ops", is_staff=True))


def office(province="นครราชสีมา", district=""):
    user = get_user_model().objects.create_user(f"office-{district or province}")
    OversightMembership.objects.create(user=user, province=province, district=district)
    return signed_in(user)


@pytest.fixture
def korat(db):
    return office()


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8", delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, data, name="organisations.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def confirm(client, response):
    return client.post(CONFIRM, {"token": response.context["confirm_form"]["token"].value()}, follow=True)


def counts():
    return Organisation.objects.count(), Unit.objects.count(), get_user_model().objects.count(), \
        Membership.objects.count()


A_PROVINCE_FILE = [
    ["รายชื่อองค์กรปกครองส่วนท้องถิ่นที่จะเข้าใช้ ITA Portal จังหวัดนครราชสีมา"],
    ["ข้อมูล ณ วันที่ ๑ ธันวาคม ๒๕๖๙"],
    [],
    # Header names as people write them: variants, stray spaces, another order, an extra column.
    ["ลำดับที่", " อีเมล์ ", "ชื่อ อปท.", "ประเภท อปท.", "อำเภอ/เขต", " จังหวัด", "ชื่อ-สกุลผู้ดูแลระบบ",
     "ส่วนราชการ", "หมายเหตุ"],
    ["๑", "Somchai@Wangsai.go.th", "อบต.วังทราย", "อบต.", "อ.ปากช่อง", "จ.นครราชสีมา", "นายสมชาย  ใจดี",
     "๑. สำนักปลัด\n๒. กองคลัง\n๓. กองช่าง", ""],
    [],
    ["2", "saraban@bannai.go.th", "เทศบาลตำบลบ้านใหม่ ๒", "ทต.", "เมืองนครราชสีมา", "นครราชสีมา", "นางสาวมาลี มีสุข",
     "สำนักปลัด; กองคลัง; กองสาธารณสุขและสิ่งแวดล้อม", "ชื่อมีเลขไทย"],
    ["3", "pao@korat.go.th", "องค์การบริหารส่วนจังหวัดนครราชสีมา", "", "", "นครราชสีมา", "นายวิชัย เก่งงาน",
     "สำนักปลัด, กองคลัง", ""],
]


def test_a_province_file_is_previewed_line_by_line_and_nothing_is_written(korat, settings):
    before = counts()
    response = upload(korat, xlsx(A_PROVINCE_FILE))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.errors == [] and preview.faulty == []
    got = [(e.line, e.name, e.short_name, e.kind, e.district, e.province, e.units, e.admin_name, e.admin_email)
           for e in preview.entries]
    assert got == [
        (5, "องค์การบริหารส่วนตำบลวังทราย", "อบต.วังทราย", "อบต.", "ปากช่อง", "นครราชสีมา",
         ["สำนักปลัด", "กองคลัง", "กองช่าง"], "นายสมชาย ใจดี", "somchai@wangsai.go.th"),
        (7, "เทศบาลตำบลบ้านใหม่ ๒", "ทต.บ้านใหม่ ๒", "เทศบาล", "เมืองนครราชสีมา", "นครราชสีมา",
         ["สำนักปลัด", "กองคลัง", "กองสาธารณสุขและสิ่งแวดล้อม"], "นางสาวมาลี มีสุข", "saraban@bannai.go.th"),
        (8, "องค์การบริหารส่วนจังหวัดนครราชสีมา", "อบจ.นครราชสีมา", "อบจ.", "", "นครราชสีมา",
         ["สำนักปลัด", "กองคลัง"], "นายวิชัย เก่งงาน", "pao@korat.go.th"),
    ]
    html = response.content.decode()
    assert "จะเพิ่ม 3 หน่วยงาน และส่งคำเชิญถึงผู้ดูแลระบบ 3 ราย" in html and "ยืนยันการนำเข้า" in html
    assert counts() == before and mail.outbox == []


def test_confirming_creates_every_organisation_with_its_units_and_invites_each_admin(korat):
    before = Organisation.objects.count()
    response = confirm(korat, upload(korat, xlsx(A_PROVINCE_FILE)))
    assert response.redirect_chain[-1][0] == reverse("onboarding:list")
    assert "เพิ่มหน่วยงาน 3 แห่งแล้ว" in response.content.decode()
    wangsai = Organisation.objects.get(name="องค์การบริหารส่วนตำบลวังทราย")
    assert (wangsai.short_name, wangsai.kind, wangsai.district, wangsai.province) == (
        "อบต.วังทราย", "อบต.", "ปากช่อง", "นครราชสีมา")
    assert list(wangsai.units.order_by("position").values_list("name", flat=True)) == ["สำนักปลัด", "กองคลัง", "กองช่าง"]
    admin = Membership.objects.select_related("user").get(organisation=wangsai)
    assert admin.role == "admin" and admin.invitation_pending and not admin.user.is_staff
    assert admin.user.username == "somchai@wangsai.go.th" and admin.user.get_full_name() == "นายสมชาย ใจดี"
    assert sorted(m.to[0] for m in mail.outbox) == ["pao@korat.go.th", "saraban@bannai.go.th", "somchai@wangsai.go.th"]
    assert all("/accounts/invitation/" in m.body for m in mail.outbox)
    listed = korat.get(reverse("onboarding:list")).content.decode()
    assert "องค์การบริหารส่วนตำบลวังทราย" in listed and "รอตั้งรหัสผ่าน" in listed
    # The confirmation used the file up: a second one finds nothing.
    again = korat.post(CONFIRM, {"token": "whatever"}, follow=True)
    assert "ไม่พบไฟล์ที่ตรวจสอบไว้" in again.content.decode() and Organisation.objects.count() == before + 3


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp874", b""),
                                           ("tis-620", b""), ("utf-16", b"")],
                         ids=["utf-8", "utf-8-bom", "windows-874", "tis-620", "utf-16"])
def test_csv_in_the_encodings_thai_offices_save(korat, encoding, bom):
    rows = [HEADER, ["อบต.หนองบัว", "", "องค์การบริหารส่วนตำบล", "ปากช่อง", "นครราชสีมา", "สำนักปลัด\nกองคลัง",
                     "นายทดสอบ ภาษาไทย", "nongbua@example.go.th"], ["", "", "", "", "", "", "", ""]]
    # Excel's "Unicode Text" is UTF-16 (with its BOM) and tab-separated.
    data = bom + csv_bytes(rows, encoding, "\t" if encoding == "utf-16" else ",")
    response = upload(korat, data, "organisations.csv")
    [entry] = response.context["preview"].entries
    assert (entry.name, entry.kind, entry.units, entry.admin_name) == (
        "องค์การบริหารส่วนตำบลหนองบัว", "อบต.", ["สำนักปลัด", "กองคลัง"], "นายทดสอบ ภาษาไทย")
    assert response.context["preview"].can_apply


def test_type_names_as_people_write_them():
    area = OnboardingArea("นครราชสีมา")
    cases = {
        ("อบต.", "องค์การบริหารส่วนตำบลก"): "อบต.", ("องค์การบริหารส่วนตำบล", "อบต ข"): "อบต.",
        ("เทศบาล", "เทศบาลตำบลค"): "เทศบาล", ("ทต.", "ทต.ง"): "เทศบาล", ("ทม.", "เทศบาลเมืองจ"): "เทศบาล",
        ("ทน.", "ทน.ฉ"): "เทศบาล", ("อบจ.", "อบจ.ช"): "อบจ.", ("", "เทศบาลนครซ"): "เทศบาล",
        ("อื่น ๆ", "สำนักงานพัฒนาชุมชน"): "อื่น ๆ",
    }
    for (kind, name), expected in cases.items():
        entry = organisations.entry_from({"name": name, "kind": kind, "district": "เมือง", "admin_name": "ก",
                                          "admin_email": "a@b.go.th"}, area)
        assert (entry.kind, entry.errors) == (expected, []), (kind, name, entry.errors)
    assert organisations.full_name("ทน.ฉ") == "เทศบาลนครฉ"
    assert organisations.short_name_of("เทศบาลเมืองจ") == "ทม.จ"


def faulty_file():
    return xlsx([
        HEADER,
        ["อบต.ซ้ำในไฟล์", "", "", "ปากช่อง", "นครราชสีมา", "สำนักปลัด", "นาย ก", "a@example.go.th"],
        ["องค์การบริหารส่วนตำบล ซ้ำในไฟล์", "", "", "ปากช่อง", "นครราชสีมา", "", "นาย ข", "b@example.go.th"],
        ["อบต.มีแล้ว", "", "", "ปากช่อง", "นครราชสีมา", "", "นาย ค", "c@example.go.th"],
        ["อบต.อีเมลซ้ำ", "", "", "ปากช่อง", "นครราชสีมา", "", "นาย ง", "A@example.go.th"],
        ["อบต.อีเมลมีแล้ว", "", "", "ปากช่อง", "นครราชสีมา", "", "นาย จ", "taken@example.go.th"],
        ["อบต.อีเมลผิด", "", "", "ปากช่อง", "นครราชสีมา", "", "นาย ฉ", "not an e-mail"],
        ["หน่วยงานแปลก", "", "สหกรณ์", "ปากช่อง", "นครราชสีมา", "", "นาย ช", "g@example.go.th"],
        ["อบต.ต่างจังหวัด", "", "", "เมืองขอนแก่น", "ขอนแก่น", "", "นาย ซ", "h@example.go.th"],
        ["เทศบาลตำบลไม่ตรง", "", "อบต.", "ปากช่อง", "นครราชสีมา", "", "นาย ฌ", "i@example.go.th"],
        ["อบต.ไม่มีอำเภอ", "", "", "", "นครราชสีมา", "", "", "j@example.go.th"],
        ["อบต.หน่วยซ้ำ", "", "", "ปากช่อง", "นครราชสีมา", "กองคลัง, กองคลัง", "นาย ญ", "k@example.go.th"],
        ["อบต.ถูกต้อง", "", "", "ปากช่อง", "นครราชสีมา", "สำนักปลัด", "นาย ฎ", "ok@example.go.th"],
    ])


def test_every_faulty_line_gets_a_thai_message_with_its_line_number_and_nothing_is_written(korat):
    Organisation.objects.create(name="องค์การบริหารส่วนตำบลมีแล้ว", district="ปากช่อง", province="นครราชสีมา")
    get_user_model().objects.create_user("taken", email="Taken@example.go.th")
    before = counts()
    response = upload(korat, faulty_file())
    preview = response.context["preview"]
    messages = {entry.line: " · ".join(entry.messages) for entry in preview.faulty}
    assert messages == {
        3: "หน่วยงานนี้ซ้ำกับแถวที่ 2",
        4: "มีองค์การบริหารส่วนตำบลมีแล้ว (อำเภอปากช่อง จังหวัดนครราชสีมา) ในระบบแล้ว",
        5: "อีเมลนี้ซ้ำกับแถวที่ 2",
        6: "อีเมล taken@example.go.th มีผู้ใช้ในระบบแล้ว",
        7: 'อีเมล "not an e-mail" ไม่ถูกต้อง',
        8: 'ไม่รู้จักประเภท "สหกรณ์": ใช้ อบต. (องค์การบริหารส่วนตำบล), เทศบาล (ทต./ทม./ทน.), '
           "อบจ. (องค์การบริหารส่วนจังหวัด) หรือ อื่น ๆ",
        9: "จังหวัดขอนแก่น อยู่นอกพื้นที่ของท่าน (จังหวัดนครราชสีมา)",
        10: 'ประเภท "อบต." ไม่ตรงกับชื่อหน่วยงาน ซึ่งเป็นเทศบาล',
        11: "ต้องระบุอำเภอ (เว้นว่างได้เฉพาะ อบจ. และหน่วยงานอื่น) · ต้องมีชื่อผู้ดูแลระบบ",
        12: 'สำนัก/กอง "กองคลัง" ซ้ำในแถวเดียวกัน',
    }
    html = response.content.decode()
    assert "พบข้อผิดพลาด 10 แถว จึงยังไม่บันทึกสิ่งใด" in html and "แถวที่ 9: จังหวัดขอนแก่น" in html
    assert response.context["confirm_form"] is None and "ยืนยันการนำเข้า" not in html
    assert counts() == before and mail.outbox == []


def test_platform_staff_onboard_any_province_and_unknown_provinces_are_named(platform):
    rows = [HEADER,
            ["อบต.เหนือสุด", "", "", "แม่สาย", "จ.เชียงราย", "สำนักปลัด", "นาย ก", "north@example.go.th"],
            ["อบต.สะกดผิด", "", "", "ปากช่อง", "นครราชศรีมา", "", "นาย ข", "typo@example.go.th"],
            ["อบต.ไม่มีจังหวัด", "", "", "ปากช่อง", "", "", "นาย ค", "none@example.go.th"]]
    preview = upload(platform, xlsx(rows)).context["preview"]
    assert preview.entries[0].errors == [] and preview.entries[0].province == "เชียงราย"
    assert preview.entries[1].messages == ['ไม่รู้จักจังหวัด "นครราชศรีมา" (หรือหมายถึง นครราชสีมา?)']
    assert preview.entries[2].messages == ["ต้องระบุจังหวัด"]


def test_a_platform_file_needs_a_province_column_and_an_area_office_file_does_not(platform, korat):
    rows = [["ชื่อหน่วยงาน", "อำเภอ", "ชื่อผู้ดูแลระบบ", "อีเมลผู้ดูแลระบบ"],
            ["อบต.ในจังหวัด", "ปากช่อง", "นาย ก", "in@example.go.th"]]
    assert upload(platform, xlsx(rows)).context["preview"].errors == ["ไม่พบคอลัมน์: จังหวัด"]
    [entry] = upload(korat, xlsx(rows)).context["preview"].entries
    assert (entry.province, entry.errors) == ("นครราชสีมา", [])


def test_a_district_office_fills_in_and_keeps_to_its_district(db):
    client = office("นครราชสีมา", "อำเภอปากช่อง")
    rows = [HEADER,
            ["อบต.ในอำเภอ", "", "", "", "", "", "นาย ก", "a@example.go.th"],
            ["อบต.อำเภออื่น", "", "", "สีคิ้ว", "นครราชสีมา", "", "นาย ข", "b@example.go.th"]]
    entries = upload(client, xlsx(rows)).context["preview"].entries
    assert (entries[0].district, entries[0].province, entries[0].errors) == ("ปากช่อง", "นครราชสีมา", [])
    assert entries[1].messages == ["อำเภอสีคิ้ว อยู่นอกพื้นที่ของท่าน (อำเภอปากช่อง)"]


@pytest.mark.parametrize("rows, message", [
    ([["ชื่อ", "อีเมลของใคร"], ["ก", "a@b.go.th"]], "ไม่พบแถวหัวตาราง"),
    ([["ชื่อหน่วยงาน", "อีเมล"], ["อบต.ก", "a@b.go.th"]], "ไม่พบคอลัมน์: ชื่อผู้ดูแลระบบ"),
    ([["ชื่อหน่วยงาน", "อีเมล", "e-mail", "ผู้ดูแลระบบ"], ["อบต.ก", "a@b.go.th", "", "ก"]],
     "คอลัมน์ซ้ำกัน: อีเมลผู้ดูแลระบบ"),
    ([HEADER], "ไม่มีแถวข้อมูลใต้หัวตาราง"),
])
def test_a_file_that_cannot_be_read_as_a_list_says_why(korat, rows, message):
    response = upload(korat, xlsx(rows))
    assert response.context["preview"].errors == [message] or message in response.context["preview"].errors[0]
    assert message in response.content.decode()


def test_a_file_of_more_than_the_maximum_is_refused(korat, monkeypatch):
    monkeypatch.setattr(organisations, "MAX_LINES", 2)
    rows = [HEADER] + [[f"อบต.ที่{n}", "", "", "ปากช่อง", "", "", "ก", f"n{n}@example.go.th"] for n in range(3)]
    assert upload(korat, xlsx(rows)).context["preview"].errors == ["ไฟล์มีหน่วยงานเกิน 2 แถว กรุณาแบ่งเป็นหลายไฟล์"]


def test_a_confirmation_after_the_portal_changed_writes_nothing(korat):
    preview = upload(korat, xlsx(A_PROVINCE_FILE))
    Organisation.objects.create(name="องค์การบริหารส่วนตำบลวังทราย", district="ปากช่อง", province="นครราชสีมา")
    before = counts()
    response = korat.post(CONFIRM, {"token": preview.context["confirm_form"]["token"].value()})
    assert response.status_code == 409
    html = response.content.decode()
    assert "ข้อมูลในระบบเปลี่ยนไปหลังจากตรวจสอบไฟล์ จึงยังไม่ได้บันทึกสิ่งใด" in html
    assert "แถวที่ 5: มีองค์การบริหารส่วนตำบลวังทราย" in html
    assert counts() == before and mail.outbox == []


def test_one_office_cannot_confirm_anothers_upload(korat, db):
    before = Organisation.objects.count()
    preview = upload(korat, xlsx(A_PROVINCE_FILE))
    other = office("ขอนแก่น")
    response = other.post(CONFIRM, {"token": preview.context["confirm_form"]["token"].value()}, follow=True)
    assert "ไม่พบไฟล์ที่ตรวจสอบไว้" in response.content.decode() and Organisation.objects.count() == before


def test_the_preview_reads_the_database_a_fixed_number_of_times(korat, django_assert_num_queries):
    """Guards the N+1 of checking each line's name and e-mail against the database."""
    def rows(n):
        return [HEADER] + [[f"อบต.ที่ {n}-{i}", "", "", "ปากช่อง", "", "สำนักปลัด, กองคลัง", "นาย ก",
                            f"admin{n}-{i}@example.go.th"] for i in range(n)]
    upload(korat, xlsx(rows(1)))
    # session, user, oversight, membership; existing names; e-mails and usernames in use; the
    # session written back with the pending upload (a savepoint around it)
    with django_assert_num_queries(8):
        upload(korat, xlsx(rows(3)))
    with django_assert_num_queries(8):
        upload(korat, xlsx(rows(60)))


def test_the_list_reads_the_database_a_fixed_number_of_times(platform, django_assert_num_queries):
    """Guards the N+1 of each organisation's admins and units."""
    def add(n):
        confirm(platform, upload(platform, xlsx([HEADER] + [
            [f"อบต.รายการ {n}-{i}", "", "", "ปากช่อง", "นครราชสีมา", "สำนักปลัด, กองคลัง", "นาย ก",
             f"list{n}-{i}@example.go.th"] for i in range(n)])))
    add(2)
    platform.get(reverse("onboarding:list"))
    with django_assert_num_queries(5):
        platform.get(reverse("onboarding:list"))
    add(20)
    with django_assert_num_queries(5):
        platform.get(reverse("onboarding:list"))


def test_the_list_shows_the_area_only_and_searches(korat, platform, org, other_org):
    Organisation.objects.create(name="องค์การบริหารส่วนตำบลขอนแก่น", province="ขอนแก่น", district="เมืองขอนแก่น")
    listed = korat.get(reverse("onboarding:list")).content.decode()
    assert org.name in listed and "ขอนแก่น</a>" not in listed and other_org.name not in listed
    everything = platform.get(reverse("onboarding:list")).context["page"]
    assert {o.name for o in everything} == {org.name, other_org.name, "องค์การบริหารส่วนตำบลขอนแก่น"}
    found = platform.get(reverse("onboarding:list"), {"q": "ขอนแก่น"}).context["page"]
    assert [o.name for o in found] == ["องค์การบริหารส่วนตำบลขอนแก่น"]


def test_adding_one_organisation_in_an_area_office_keeps_it_in_the_area(korat):
    data = {"name": "อบต.โคกกรวด", "short_name": "", "kind": "", "province": "ขอนแก่น", "district": "อ.เมืองนครราชสีมา",
            "units": "สำนักปลัด\nกองคลัง, กองช่าง", "admin_name": "นางสาวใจดี มีน้ำใจ", "admin_email": "Khok@example.go.th"}
    response = korat.post(ADD, data)
    organisation = Organisation.objects.get(name="องค์การบริหารส่วนตำบลโคกกรวด")
    assert response.status_code == 302 and response["Location"] == reverse("onboarding:organisation",
                                                                           args=[organisation.pk])
    # The province field is fixed to the office's: the posted one is ignored.
    assert (organisation.province, organisation.district, organisation.short_name) == (
        "นครราชสีมา", "เมืองนครราชสีมา", "อบต.โคกกรวด")
    assert list(organisation.units.values_list("name", flat=True)) == ["สำนักปลัด", "กองคลัง", "กองช่าง"]
    [message] = mail.outbox
    assert message.to == ["khok@example.go.th"] and "ผู้ดูแลระบบ" in message.body
    page = korat.get(response["Location"]).content.decode()
    assert "นางสาวใจดี มีน้ำใจ" in page and "รอตั้งรหัสผ่าน" in page


@pytest.mark.parametrize("changes, field, message", [
    ({"name": "อบต.ซ้ำ"}, "name", "มีองค์การบริหารส่วนตำบลซ้ำ (อำเภอปากช่อง จังหวัดนครราชสีมา) ในระบบแล้ว"),
    ({"admin_email": "taken@example.go.th"}, "admin_email", "อีเมล taken@example.go.th มีผู้ใช้ในระบบแล้ว"),
    ({"admin_email": "ไม่ใช่อีเมล"}, "admin_email", "อีเมลไม่ถูกต้อง"),
    ({"kind": "เทศบาล"}, "kind", "ไม่ตรงกับชื่อหน่วยงาน"),
    ({"district": ""}, "district", "ต้องระบุอำเภอ"),
    ({"kind": "โรงเรียน"}, "kind", "ตัวเลือกไม่ถูกต้อง"),
    ({"name": ""}, "name", "กรุณากรอกช่องนี้"),
])
def test_a_bad_organisation_gets_a_thai_message_beside_its_field(platform, changes, field, message):
    Organisation.objects.create(name="องค์การบริหารส่วนตำบลซ้ำ", district="ปากช่อง", province="นครราชสีมา")
    get_user_model().objects.create_user("taken", email="taken@example.go.th")
    before = counts()
    data = {"name": "อบต.ใหม่", "kind": "", "province": "นครราชสีมา", "district": "ปากช่อง", "units": "",
            "admin_name": "นาย ก", "admin_email": "new@example.go.th"} | changes
    response = platform.post(ADD, data)
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert counts() == before and mail.outbox == []


def test_an_organisation_outside_the_area_is_a_404(db, org):
    khon_kaen = office("ขอนแก่น")
    assert khon_kaen.get(reverse("onboarding:organisation", args=[org.pk])).status_code == 404
    district_office = office("นครราชสีมา", "สีคิ้ว")
    assert district_office.get(reverse("onboarding:organisation", args=[org.pk])).status_code == 404


def test_an_office_invites_another_admin_and_resends_a_pending_invitation(korat):
    confirm(korat, upload(korat, xlsx(A_PROVINCE_FILE)))
    organisation = Organisation.objects.get(name="องค์การบริหารส่วนตำบลวังทราย")
    page = reverse("onboarding:organisation", args=[organisation.pk])
    mail.outbox.clear()
    response = korat.post(page, {"name": "นางใหม่ มาแทน", "email": "new-admin@wangsai.go.th"}, follow=True)
    assert "ส่งคำเชิญถึงผู้ดูแลระบบ 1 รายแล้ว" in response.content.decode()
    assert Membership.objects.filter(organisation=organisation, role="admin").count() == 2
    first = Membership.objects.get(user__username="somchai@wangsai.go.th")
    response = korat.post(reverse("onboarding:resend", args=[organisation.pk, first.pk]), follow=True)
    assert [m.to for m in mail.outbox] == [["new-admin@wangsai.go.th"], ["somchai@wangsai.go.th"]]
    duplicate = korat.post(page, {"name": "ซ้ำ", "email": "SOMCHAI@wangsai.go.th"})
    assert duplicate.status_code == 422 and "อีเมลนี้มีผู้ใช้ในระบบแล้ว" in duplicate.content.decode()
    # Another organisation's admin is not resent from this page.
    other = Membership.objects.get(user__username="pao@korat.go.th")
    assert korat.post(reverse("onboarding:resend", args=[organisation.pk, other.pk])).status_code == 404


def test_the_example_file_reads_back_as_one_valid_organisation(korat):
    response = korat.get(reverse("onboarding:template"))
    assert response["Content-Disposition"] == 'attachment; filename="ita-organisations.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == HEADER
    [entry] = upload(korat, response.content, "ita-organisations.xlsx").context["preview"].entries
    assert entry.errors == [] and entry.province == "นครราชสีมา" and entry.units == ["สำนักปลัด", "กองคลัง", "กองช่าง"]


def test_units_in_one_cell_however_they_are_separated():
    assert organisations.split_units("๑. สำนักปลัด\n2) กองคลัง;กองช่าง ,  - กองการศึกษา\r\n\n•กองสาธารณสุข") == [
        "สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุข"]


def test_names_that_differ_only_in_spaces_digits_or_abbreviation_are_the_same_organisation():
    key = organisations.name_key
    assert key("อบต.บ้านใหม่ ๒") == key("องค์การบริหารส่วนตำบลบ้านใหม่2") == key("อบต. บ้านใหม่ 2")
    assert key("อบต.บ้านใหม่ ๒") != key("อบต.บ้านใหม่ ๓")


def test_only_platform_staff_and_area_offices_onboard(client_for):
    for persona in ("staff", "executive", "org_admin"):
        assert client_for(persona).get(reverse("onboarding:list")).status_code == 403
    response = client_for("org_admin").get(reverse("reports:index")).content.decode()
    assert reverse("onboarding:list") not in response
    assert re.search(r'href="/accounts/people/"', response) and re.search(r'href="/accounts/units/"', response)


def test_lengths_are_checked_after_abbreviations_are_written_out():
    """A name within 200 characters as typed can pass them once อบต. is written out in full, and
    an address is a username, which holds 150 characters: neither may reach the database."""
    area = OnboardingArea("นครราชสีมา")
    long_name = "อบต." + "ก" * 190
    entry = organisations.entry_from({"name": long_name, "district": "ปากช่อง", "admin_name": "ก",
                                      "admin_email": "a@example.go.th"}, area)
    assert entry.messages == ["ชื่อหน่วยงาน ยาวเกิน 200 ตัวอักษร"] and entry.short_name == ""
    email = "a" * 140 + "@example.go.th"
    entry = organisations.entry_from({"name": "อบต.ก", "district": "ปากช่อง", "admin_name": "ก",
                                      "admin_email": email}, area)
    assert entry.messages[0] == "อีเมลผู้ดูแลระบบ ยาวเกิน 150 ตัวอักษร"


def test_the_menu_offers_onboarding_to_area_offices_and_platform_staff_only(korat, platform, client_for):
    for client in (korat, platform):
        html = client.get(reverse("onboarding:list")).content.decode()
        assert f'href="{reverse("onboarding:list")}"' in html
        assert 'href="/accounts/people/"' not in html and 'href="/accounts/units/"' not in html
    for persona in ("staff", "executive"):
        html = client_for(persona).get(reverse("reports:index")).content.decode()
        assert f'href="{reverse("onboarding:list")}"' not in html and 'href="/accounts/people/"' not in html
