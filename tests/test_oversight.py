"""The oversight view: an area office reads its organisations' results and changes nothing."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Organisation
from oversight.models import OversightMembership

from .conftest import make_assessment, make_measure

AREA = reverse("oversight:area")
EXPORT = reverse("oversight:export")


@pytest.fixture
def overseer(without_personas):
    user = get_user_model().objects.create_user("korat_office", password="pw-for-tests-2569")
    OversightMembership.objects.create(user=user, province="นครราชสีมา")
    client = Client()
    client.force_login(user)
    return client


def make_org(n, province="นครราชสีมา", district="เมือง"):
    return Organisation.objects.create(name=f"อบต.พื้นที่ {n:03d}", province=province, district=district)


def test_seed_row_shows_result_change_weakest_and_progress(seed, overseer):
    """2568: 90.4172 -> 90.42 ผ่าน (stored as every page prints it); 2567 published 94.67, so
    the change is 90.42 - 94.67 = -4.25; the weakest indicator is 9 at 82.50; ten rows, 0 %."""
    response = overseer.get(AREA)
    assert response.status_code == 200
    [row] = response.context["page"].object_list
    assert row.organisation.short_name == "อบต.วังหมี"
    assert row.year == 2568 and row.level == "ผ่าน" and row.passed is True
    assert row.overall == Decimal("90.42")
    assert row.previous_year == 2567 and row.change == Decimal("-4.25")
    assert (row.weakest.indicator.number, row.weakest.score) == (9, Decimal("82.50"))
    assert (row.measures, row.done, row.progress) == (10, 0, Decimal("0.0"))
    html = response.content.decode()
    assert "90.42" in html and "-4.25" in html and "82.50" in html


def test_area_excludes_other_provinces_and_districts(reference, overseer):
    make_org(1)
    make_org(2, province="ขอนแก่น")
    rows = overseer.get(AREA).context["page"].object_list
    assert [r.organisation.name for r in rows] == ["อบต.พื้นที่ 001"]
    district_office = get_user_model().objects.get(username="korat_office").oversight
    district_office.district = "ปักธงชัย"
    district_office.save()
    assert list(overseer.get(AREA).context["page"].object_list) == []


@pytest.mark.parametrize("persona", ["staff", "executive", "org_admin", "outsider"])
def test_organisation_users_are_refused(client_for, persona):
    assert client_for(persona).get(AREA).status_code == 403
    assert client_for(persona).get(EXPORT).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(AREA)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_overseer_cannot_open_organisation_pages(seed, overseer):
    for page in ("dashboard:latest", "measures:current", "assessment_list"):
        assert overseer.get(reverse(page)).status_code == 403


def test_sorting_filtering_and_paging(reference, overseer):
    for n in range(1, 61):
        org = make_org(n, district="เมือง" if n % 2 else "ปักธงชัย")
        make_assessment(org, 2568, {i: str(40 + n) for i in range(1, 11)})
    first = overseer.get(AREA).context["page"]
    assert first.paginator.count == 60 and len(first.object_list) == 50
    assert first.object_list[0].organisation.name == "อบต.พื้นที่ 060"
    second = overseer.get(AREA, {"page": 2}).context["page"].object_list
    assert len(second) == 10 and second[-1].organisation.name == "อบต.พื้นที่ 001"
    ascending = overseer.get(AREA, {"sort": "overall"}).context["page"].object_list
    assert ascending[0].overall == Decimal(41)
    passed = overseer.get(AREA, {"passed": "yes"}).context["page"].paginator.count
    assert passed == 16  # scores 85 to 100 (n = 45..60) reach the pass mark
    district = overseer.get(AREA, {"district": "ปักธงชัย", "q": "พื้นที่ 01"}).context["page"].object_list
    assert [r.organisation.name for r in district] == [f"อบต.พื้นที่ {n:03d}" for n in (18, 16, 14, 12, 10)]


@pytest.mark.parametrize("sort", ["-overall", "overall"])
def test_pages_by_overall_score_follow_the_sort_of_every_organisation(reference, overseer, monkeypatch, sort):
    """Pages among the organisations with a result are read by overall score alone
    (summary.ranked_by_overall): 55 with a result on three scores, so ties go by name, then 12
    without one, last by name. With 10 a page, page 6 (rows 51-60) crosses that line and page
    7 lies beyond it: both are sorted whole."""
    monkeypatch.setattr("oversight.views.PAGE_SIZE", 10)
    for n in range(1, 56):
        make_assessment(make_org(n), 2568, {i: str(80 + n % 3) for i in range(1, 11)})
    for n in range(56, 68):
        make_org(n)
    shown = []
    for page in range(1, 8):
        shown += overseer.get(AREA, {"sort": sort, "page": page}).context["page"].object_list
    sign = -1 if sort.startswith("-") else 1
    expected = sorted(shown, key=lambda r: (r.overall is None, sign * (r.overall or 0), r.organisation.name))
    assert len(shown) == 67 and len({r.organisation.pk for r in shown}) == 67
    assert [r.organisation.name for r in shown] == [r.organisation.name for r in expected]
    assert len({r.overall for r in shown}) == 4  # three scores and None


def test_bad_filters_get_a_thai_message_and_the_default_list(reference, overseer):
    make_org(1)
    response = overseer.get(AREA, {"sort": "drop table", "page": "abc"})
    assert response.status_code == 200
    assert "เลือกตัวเลือกที่ถูกต้อง" in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_query_count_does_not_grow_with_organisations_or_years(reference, overseer, django_assert_num_queries):
    """Guards the N+1 on each organisation's latest result, weakest indicator and plan progress
    (read from the stored results, joined once): session, the user with their oversight area;
    the results version; results by level, band and year and organisations by district and
    type, unless a summary is kept under that version; the page's
    organisations in order, then their rows and their OIT readiness; the pass mark of the
    newest year."""
    def add(count, start):
        for n in range(start, start + count):
            org = make_org(n)
            for year in (2567, 2568):
                assessment = make_assessment(org, year, {i: "90" for i in range(1, 11)})
            make_measure(assessment)

    add(2, 1)
    with django_assert_num_queries(9):
        overseer.get(AREA)
    add(20, 3)
    with django_assert_num_queries(9):
        overseer.get(AREA)
    with django_assert_num_queries(6):  # the same results: the summary and its drawing are kept
        overseer.get(AREA)


def test_export_lists_every_filtered_row_and_neutralises_formulas(reference, overseer):
    org = make_org(1)
    org.name = "=HYPERLINK(\"http://evil\")"
    org.save()
    make_assessment(org, 2568, {i: "85.005" if i == 1 else "85" for i in range(1, 11)})
    make_org(2)
    response = overseer.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "หน่วยงาน" and len(rows) == 3
    evil = next(r for r in rows[1:] if r[4] == 2568)
    assert evil[0] == "'=HYPERLINK(\"http://evil\")"
    # 0.3 * (85.005 + 4 * 85) / 5 + 0.3 * 85 + 0.4 * 85 = 85.0003 -> 85.00 (half up)
    assert evil[5] == 85.0 and evil[6] == "ผ่านดี"


def test_the_lists_rows_are_written_escaped_with_each_cells_label(reference, overseer):
    """The rows come from oversight/table.py, not the template: every value escaped as the
    template would, every cell labelled for the phone layout, a row without results all dashes."""
    hostile = make_org(1)
    hostile.name, hostile.district = 'อบต.<b>ทดสอบ</b> & "คำพูด" \'เดี่ยว\'', "<i>เมือง</i>"
    hostile.save()
    make_assessment(hostile, 2568, {i: "90" for i in range(1, 11)})
    make_org(2)
    html = overseer.get(AREA).content.decode()
    assert "อบต.&lt;b&gt;ทดสอบ&lt;/b&gt; &amp; &quot;คำพูด&quot; &#x27;เดี่ยว&#x27;" in html
    assert "&lt;i&gt;เมือง&lt;/i&gt;" in html and "<b>ทดสอบ" not in html and "<i>เมือง" not in html
    body = html.split("<tbody>")[-1].split("</tbody>")[0]
    rows = body.split("<tr>")[1:]
    assert len(rows) == 2
    for label in ("จังหวัด", "อำเภอ", "ปี", "คะแนนภาพรวม", "ระดับ", "เปลี่ยนแปลง", "ตัวชี้วัดที่อ่อนที่สุด",
                  "ความก้าวหน้าแผน", "ความพร้อม OIT"):
        assert all(f'data-label="{label}"' in row for row in rows)
    assert '<td class="score" data-label="คะแนนภาพรวม">90.00</td>' in rows[0]
    assert '<span class="badge text-bg-success">' in rows[0]
    assert '<td data-label="ปี">–</td>' in rows[1] and '<td data-label="ระดับ">–</td>' in rows[1]


def test_a_filters_error_is_the_text_its_field_names_for_screen_readers(reference, overseer):
    html = overseer.get(AREA, {"sort": "bogus"}).content.decode()
    assert 'aria-describedby="id_sort_error"' in html
    assert '<div class="text-danger small" id="id_sort_error">' in html
