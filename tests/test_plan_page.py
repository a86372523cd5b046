"""The plan page: the table of a fiscal year, grouped by indicator, with filters in the URL."""

from datetime import date, timedelta

from django.urls import reverse

from accounts.models import Membership
from assessments.models import Organisation

from .conftest import make_measure, make_user

PLAN = reverse("measures:plan", args=[2569])


def rows_shown(response):
    return [m.activity for m in response.context["measures"]]


def test_plan_shows_the_seed_plan_of_2569_grouped_by_indicator(seed, client):
    org = Organisation.objects.get(short_name="อบต.วังหมี")
    client.force_login(make_user("viewer", org, Membership.Role.EXECUTIVE))
    response = client.get(reverse("measures:current"))
    assert response.status_code == 302 and response["Location"] == PLAN
    response = client.get(PLAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["measures"]) == 10
    assert "มาตรการที่ตอบสนองผลการประเมิน ITA ปีงบประมาณ พ.ศ. 2568" in html
    numbers = [m.indicator.number for m in response.context["measures"]]
    assert numbers == sorted(numbers)
    assert numbers.count(9) == 2
    for heading in ["ผลการวิเคราะห์", "มาตรการ/โครงการ/กิจกรรม", "วิธีการดำเนินการ", "ระยะเวลา", "ผู้รับผิดชอบ",
                    "สถานะ", "ความก้าวหน้า"]:
        assert f">{heading}</th>" in html
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล" in html
    assert "ผู้บริหารสูงสุด / งานบริหารงาน บุคคล" in html


def test_rows_keep_their_plan_order_within_an_indicator(assessment, client_for):
    second = make_measure(assessment, activity="แถวที่สอง", position=2)
    first = make_measure(assessment, activity="แถวที่หนึ่ง", position=1)
    other = make_measure(assessment, activity="ตัวชี้วัดที่สี่", number=4, position=3)
    response = client_for("staff").get(PLAN)
    assert rows_shown(response) == [other.activity, first.activity, second.activity]


def test_filters_by_indicator_unit_status_and_text(assessment, palad, klang, client_for):
    make_measure(assessment, units=[palad], activity="เผยแพร่ข้อมูลบนเว็บไซต์", number=9)
    make_measure(assessment, units=[klang], activity="คู่มือยืมพัสดุ ๐๘", number=4, status="in_progress", progress=20)
    make_measure(assessment, for_all_units=True, activity="คู่มือการปฏิบัติงาน", number=1)
    client = client_for("staff")
    assert rows_shown(client.get(PLAN, {"indicator": 4})) == ["คู่มือยืมพัสดุ ๐๘"]
    assert rows_shown(client.get(PLAN, {"unit": klang.pk})) == ["คู่มือการปฏิบัติงาน", "คู่มือยืมพัสดุ ๐๘"]
    assert rows_shown(client.get(PLAN, {"status": "in_progress"})) == ["คู่มือยืมพัสดุ ๐๘"]
    assert rows_shown(client.get(PLAN, {"q": "เว็บไซต์"})) == ["เผยแพร่ข้อมูลบนเว็บไซต์"]
    # Arabic digits find text written with Thai digits.
    assert rows_shown(client.get(PLAN, {"q": "08"})) == ["คู่มือยืมพัสดุ ๐๘"]
    assert rows_shown(client.get(PLAN, {"q": "คู่มือ", "unit": palad.pk})) == ["คู่มือการปฏิบัติงาน"]


def test_a_bad_filter_value_is_named_in_thai_and_ignored(assessment, client_for):
    make_measure(assessment, activity="แถวเดียว")
    response = client_for("staff").get(PLAN, {"status": "bogus", "indicator": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ตัวกรองบางช่องไม่ถูกต้องจึงไม่ได้ใช้" in html
    assert "ตัวเลือกไม่ถูกต้อง" in html
    assert rows_shown(response) == ["แถวเดียว"]


def test_my_rows_are_the_rows_of_my_units_and_the_rows_for_every_unit(assessment, palad, klang, client_for):
    make_measure(assessment, units=[palad], activity="ของสำนักปลัด")
    make_measure(assessment, units=[klang], activity="ของกองคลัง", number=4)
    make_measure(assessment, for_all_units=True, activity="ของทุกสำนัก", number=1)
    assert rows_shown(client_for("staff").get(PLAN, {"mine": "on"})) == ["ของทุกสำนัก", "ของสำนักปลัด"]
    assert rows_shown(client_for("other_staff").get(PLAN, {"mine": "on"})) == ["ของทุกสำนัก", "ของกองคลัง"]
    assert rows_shown(client_for("executive").get(PLAN, {"mine": "on"})) == []
    assert len(rows_shown(client_for("org_admin").get(PLAN, {"mine": "on"}))) == 3


def test_late_rows_stand_out_and_can_be_listed_alone(assessment, client_for):
    yesterday = date.today() - timedelta(days=1)
    late = make_measure(assessment, activity="เลยกำหนด", end_date=yesterday, status="in_progress", progress=50)
    make_measure(assessment, activity="เสร็จแล้ว", end_date=yesterday, status="done", progress=100)
    make_measure(assessment, activity="ยังไม่ถึงกำหนด", end_date=date.today() + timedelta(days=30))
    client = client_for("staff")
    html = client.get(PLAN).content.decode()
    row_html = html.split(f'id="measure-{late.pk}"')[1].split("</tr>")[0]
    assert "is-late" in row_html.split(">")[0]
    assert "ล่าช้า" in row_html
    assert html.count('class="badge text-bg-danger"') == 1
    assert rows_shown(client.get(PLAN, {"status": "late"})) == ["เลยกำหนด"]


def test_a_year_without_its_assessment_offers_no_add(assessment, client_for):
    response = client_for("org_admin").get(reverse("measures:plan", args=[2568]))
    assert response.status_code == 200
    assert "ยังไม่มีผลการประเมินปี 2567" in response.content.decode()
    assert response.context["can_add"] is False


def test_an_unknown_fiscal_year_is_a_404(assessment, client_for):
    assert client_for("staff").get(reverse("measures:plan", args=[2600])).status_code == 404


def test_plan_page_query_count_does_not_grow_with_rows(assessment, palad, klang, client_for, django_assert_num_queries):
    """Guards the N+1 on each row's units and indicator, and on the signed-in member's units
    that decide whether each row shows its edit controls."""
    client = client_for("staff")
    make_measure(assessment, units=[palad])
    make_measure(assessment, units=[klang], number=4)
    # session, the user with their membership and organisation; every plan of the organisation
    # with its year, its answered assessment and the organisation's newest year (whether the
    # plan is past); the shown plan's record; the filter's indicators and units; the rows,
    # their units; the member's units.
    with django_assert_num_queries(9):
        assert client.get(PLAN).status_code == 200
    for number in range(1, 11):
        make_measure(assessment, units=[palad, klang], number=number)
    with django_assert_num_queries(9):
        response = client.get(PLAN)
    assert len(response.context["measures"]) == 12
