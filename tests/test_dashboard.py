"""The executives' dashboard: the seed's numbers, the history with its gaps, the weakest
indicators with their findings and measures, the plan's progress, and who may see it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from assessments.models import Assessment, Organisation
from measures.models import Measure

from .conftest import SEED_SCORES, make_assessment, make_measure, make_user


@pytest.fixture
def wangmi(seed):
    return Organisation.objects.get(short_name="อบต.วังหมี")


@pytest.fixture
def seed_client(wangmi, client):
    client.force_login(make_user("viewer", wangmi, Membership.Role.EXECUTIVE))
    return client


def test_executive_sees_the_seed_result_at_a_glance(seed_client):
    """90.42 ผ่าน, not ผ่านดี because OIT (82.50 + 85.00) / 2 = 83.75 < 85; the change from 2567
    is the difference of the shown scores: 90.42 - 94.67 = -4.25."""
    response = seed_client.get(reverse("dashboard:latest"))
    assert response.status_code == 200
    assert response.context["assessment"].fiscal_year_id == 2568
    html = response.content.decode()
    assert '<div class="kpi-value score text-start" data-testid="overall">90.42</div>' in html
    assert 'data-testid="level">ผ่าน</div>' in html
    assert "ไม่ถึงระดับผ่านดี เพราะ OIT 83.75 ต่ำกว่า 85" in html
    assert response.context["previous"].fiscal_year_id == 2567
    assert response.context["change"] == Decimal("-4.25")
    assert "-4.25" in html and "จาก 94.67 เป็น 90.42" in html
    assert "เทียบกับปี 2567" in html


def test_dashboard_draws_the_indicator_chart_with_tool_means(seed_client):
    html = seed_client.get(reverse("dashboard:latest")).content.decode()
    # indicators, history, plan by status, plan by unit: each drawn for a wide screen and a phone
    assert html.count('role="img"') == 8
    assert "<title>คะแนนรายตัวชี้วัด ปีงบประมาณ พ.ศ. 2568 เทียบกับเกณฑ์ผ่าน 85</title>" in html
    for mean in ("92.94", "96.78", "83.75"):
        assert f">{mean}</text>" in html
    assert "<script" not in html.split("</main>")[0]


def test_history_shows_every_year_with_data_and_the_missing_years_as_gaps(seed_client):
    response = seed_client.get(reverse("dashboard:latest"))
    rows = [(year, row.overall if row else None) for year, row in response.context["history"]]
    assert rows == [
        (2564, Decimal("54.25")), (2565, None), (2566, None), (2567, Decimal("94.67")),
        (2568, response.context["result"].overall),
    ]
    html = response.content.decode()
    history_table = html.split('data-testid="history"')[1].split("</table>")[0]
    assert history_table.count('<td class="text-muted" colspan="2">ไม่มีข้อมูล</td>') == 2
    assert "54.25" in history_table and "94.67" in history_table and "90.42" in history_table
    assert "0.00" not in history_table
    assert "<desc>2564 54.25; 2565 ไม่มีข้อมูล; 2566 ไม่มีข้อมูล; 2567 94.67; 2568 90.42</desc>" in html


def test_complaints_not_recorded_are_said_to_be_missing(seed_client):
    html = seed_client.get(reverse("dashboard:latest")).content.decode()
    assert "ยังไม่มีการบันทึกผลการประเมินรายการเรื่องร้องเรียนในปีใดเลย" in html


def test_recorded_complaints_are_shown_with_their_history(seed_client, wangmi):
    Assessment.objects.filter(organisation=wangmi, fiscal_year=2567).update(complaint_count=2, complaint_deduction=Decimal("1.5"))
    Assessment.objects.filter(organisation=wangmi, fiscal_year=2568).update(complaint_count=0)
    response = seed_client.get(reverse("dashboard:latest"))
    assert [a.fiscal_year_id for a in response.context["complaints"]] == [2567, 2568]
    table = response.content.decode().split('data-testid="complaints"')[1].split("</table>")[0]
    assert ">2567</th>" in table and ">2</td>" in table and ">1.50</td>" in table
    assert ">2568</th>" in table and ">0</td>" in table and ">–</td>" in table


def test_weakest_indicators_come_first_with_their_findings_and_measures(seed_client):
    """Seed scores from low to high: 9 82.50, 4 83.87, 10 85.00, 1 and 5 93.33 (by number),
    8 95.74, 2 96.13, 6 97.13, 7 97.47, 3 98.06. Indicator 9 has two plan rows, 2 has none."""
    response = seed_client.get(reverse("dashboard:latest"))
    weakest = response.context["weakest"]
    assert [row.indicator.number for row in weakest] == [9, 4, 10, 1, 5, 8, 2, 6, 7, 3]
    assert weakest[0].gap == Decimal("-2.50") and weakest[0].below_pass
    assert len(weakest[0].measures) == 2
    assert [row.measures for row in weakest if row.indicator.number == 2] == [[]]
    assert weakest[1].findings == 2  # i10 and i12 under indicator 4
    html = response.content.decode()
    link = reverse("dashboard:indicator", args=[response.context["assessment"].pk, 9])
    assert f'href="{link}"' in html


def test_indicator_page_lists_its_findings_and_measures(seed_client, wangmi):
    assessment = Assessment.objects.get(organisation=wangmi, fiscal_year=2568)
    response = seed_client.get(reverse("dashboard:indicator", args=[assessment.pk, 9]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="score">82.50</span>' in html
    assert "ตัวชี้วัดย่อย ๙.๓ การจัดซื้อจัดจ้าง" in html
    assert "ข้อมูลพื้นฐาน การบริหารและพัฒนาทรัพยากรบุคคล" in html
    assert [m.indicator.number for m in response.context["measures"]] == [9, 9]
    assert "มาตรการส่งเสริมการเปิดเผยข้อมูลต่อสาธารณะ ทั้งแบบดั้งเดิมและแบบโมเดิร์น" in html


def test_indicator_page_of_an_unknown_number_is_not_found(seed_client, wangmi):
    assessment = Assessment.objects.get(organisation=wangmi, fiscal_year=2568)
    assert seed_client.get(reverse("dashboard:indicator", args=[assessment.pk, 11])).status_code == 404


def test_a_history_year_shows_its_published_score_without_indicators(seed_client, wangmi):
    assessment = Assessment.objects.get(organisation=wangmi, fiscal_year=2567)
    response = seed_client.get(reverse("dashboard:year", args=[assessment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="overall">94.67</div>' in html
    assert "ไม่มีคะแนนรายตัวชี้วัด" in html
    assert response.context["change"] == Decimal("40.42")  # 94.67 - 54.25
    assert "ยังไม่มีมาตรการในแผนจากผลการประเมินปีนี้" in html


@pytest.fixture
def tracked_plan(assessment, palad, klang):
    """Four rows: done (at 100, as a done row must be), late and half way, untouched for 40
    days, and cancelled (neither late nor counted in the percent)."""
    today = timezone.localdate()
    done = make_measure(assessment, [palad], status=Measure.Status.DONE, progress=100, end_date=today - timedelta(days=5))
    late = make_measure(assessment, [palad], status=Measure.Status.IN_PROGRESS, progress=50, end_date=today - timedelta(days=1))
    stale = make_measure(assessment, [klang], number=4, end_date=today + timedelta(days=60))
    cancelled = make_measure(assessment, status=Measure.Status.CANCELLED, for_all_units=True, end_date=date(2020, 1, 1))
    Measure.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=40))
    return {"done": done, "late": late, "stale": stale, "cancelled": cancelled}


def test_plan_progress_counts_rows_by_status_late_stale_and_per_unit(tracked_plan, client_for):
    """Percent complete (100 + 50 + 0) / 3 = 50.0; สำนักปลัด has done, late and the row for all
    units: (100 + 50) / 2 = 75.0; กองคลัง has the stale row and the row for all units: 0.0."""
    response = client_for("executive").get(reverse("dashboard:latest"))
    progress = response.context["plan"]["progress"]
    assert progress.total.rows == 4 and progress.total.done == 1
    assert progress.total.percent == Decimal(50)
    assert [m.pk for m in progress.late] == [tracked_plan["late"].pk]
    assert [m.pk for m in progress.stale] == [tracked_plan["stale"].pk]
    assert [(label, count) for _, label, count in progress.by_status] == [
        ("ยังไม่เริ่ม", 1), ("กำลังดำเนินการ", 1), ("เสร็จสิ้น", 1), ("ยกเลิก", 1),
    ]
    units = {name: p for name, p in progress.units}
    assert (units["สำนักปลัด"].rows, units["สำนักปลัด"].percent, units["สำนักปลัด"].late) == (3, Decimal(75), 1)
    assert (units["กองคลัง"].rows, units["กองคลัง"].percent, units["กองคลัง"].stale) == (2, Decimal(0), 1)
    html = response.content.decode()
    assert 'data-testid="plan-percent">50.0%</div>' in html
    assert 'data-testid="plan-late">1</div>' in html and 'data-testid="plan-stale">1</div>' in html
    assert "75.0% (3 มาตรการ)" in html and "0.0% (2 มาตรการ)" in html
    assert "ความก้าวหน้าของแผนพัฒนา ปีงบประมาณ พ.ศ. 2569 (จากผลการประเมินปี 2568)" in html


def test_rows_naming_no_unit_are_gathered_apart(assessment, client_for):
    make_measure(assessment, status=Measure.Status.IN_PROGRESS, progress=30)
    progress = client_for("executive").get(reverse("dashboard:latest")).context["plan"]["progress"]
    assert [(name, p.rows, p.percent) for name, p in progress.units] == [
        ("สำนักปลัด", 0, None), ("กองคลัง", 0, None), ("ไม่ระบุสำนัก/กอง", 1, Decimal(30)),
    ]


@pytest.mark.parametrize("persona", ["executive", "org_admin", "staff", "other_staff"])
def test_every_member_of_the_organisation_reads_the_dashboard(persona, assessment, client_for):
    response = client_for(persona).get(reverse("dashboard:year", args=[assessment.pk]))
    assert response.status_code == 200
    assert response.context["assessment"] == assessment


def test_staff_get_the_dashboard_read_only(assessment, client_for):
    """Nothing on the dashboard changes anything: the only POST forms are the navbar's sign-out
    and language switch."""
    html = client_for("staff").get(reverse("dashboard:latest")).content.decode()
    assert html.count('method="post"') == 2
    assert f'action="{reverse("logout")}"' in html
    assert f'action="{reverse("set_language")}"' in html


@pytest.mark.parametrize("name, args", [("dashboard:year", None), ("dashboard:indicator", [9]), ("dashboard:what_if", None)])
def test_another_organisations_assessment_is_not_found(name, args, assessment, client_for):
    response = client_for("outsider").get(reverse(name, args=[assessment.pk, *(args or [])]))
    assert response.status_code == 404
    assert "อบต.ทดสอบ" not in response.content.decode()


def test_outsiders_own_dashboard_never_shows_the_other_organisations_years(assessment, other_org, client_for):
    own = make_assessment(other_org, 2567, SEED_SCORES)
    response = client_for("outsider").get(reverse("dashboard:latest"))
    assert response.context["assessment"] == own
    assert [a.pk for a in response.context["years"]] == [own.pk]
    assert "องค์การบริหารส่วนตำบลทดสอบ" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(assessment, client):
    for url in (reverse("dashboard:latest"), reverse("dashboard:year", args=[assessment.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_dashboard_query_count_does_not_grow_with_measures_or_years(seed_client, wangmi, django_assert_num_queries):
    """Guards the N+1s on the history (one assessment per year, with scores and levels), on the
    plan rows' units and indicators, and on the findings counted per indicator."""
    a2568 = Assessment.objects.get(organisation=wangmi, fiscal_year=2568)
    url = reverse("dashboard:year", args=[a2568.pk])
    # session, the user with their membership and organisation (navbar); every year with its
    # stored results; the year's scores with their indicators and their findings to improve
    # counted; the plan rows and their units; the units; the newest OIT workspace (the card);
    # the results version, and, when no drawing of the results is kept under it, the year's
    # indicators and levels.
    with django_assert_num_queries(11):
        seed_client.get(url)
    with django_assert_num_queries(9):  # the same results: their drawing is kept
        seed_client.get(url)
    for year in (2565, 2566):
        make_assessment(wangmi, year, SEED_SCORES)
    for _ in range(6):
        make_measure(a2568, units=wangmi.units.all()[:3], status=Measure.Status.IN_PROGRESS, progress=40)
    with django_assert_num_queries(11):
        response = seed_client.get(url)
    with django_assert_num_queries(9):
        seed_client.get(url)
    assert response.context["plan"]["progress"].total.rows == 16


def test_indicator_page_query_count_does_not_grow_with_findings_or_measures(assessment, client_for, django_assert_num_queries):
    """Guards the N+1 on the plan rows' units and indicators listed under one indicator."""
    from assessments.models import Finding

    client = client_for("executive")
    url = reverse("dashboard:indicator", args=[assessment.pk, 9])
    make_measure(assessment, assessment.organisation.units.all())
    # session, the user with their membership and organisation; the assessment with its scores, their
    # indicators, the year's indicators and levels; the findings; the plan rows and their units.
    with django_assert_num_queries(10):
        client.get(url)
    indicator = assessment.fiscal_year.indicators.get(number=9)
    Finding.objects.bulk_create(
        Finding(assessment=assessment, indicator=indicator, kind=Finding.Kind.IMPROVE, text=f"ข้อ {n}") for n in range(5)
    )
    for _ in range(4):
        make_measure(assessment, assessment.organisation.units.all())
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["improvements"]) == 5 and len(response.context["measures"]) == 5


def test_the_score_and_the_level_are_two_facts_in_two_cards(seed_client):
    """The seed: 90.42 - 85 = 5.42 above the pass mark, and the NACC's level ผ่าน, not ผ่านดี,
    because OIT 83.75 < 85. The old second card said ผ่าน a second time."""
    html = seed_client.get(reverse("dashboard:latest")).content.decode()
    pass_mark = html.split('data-testid="pass-mark">')[1].split("</div>")[0]
    assert "สูงกว่าเกณฑ์ผ่าน 85 คะแนน อยู่ 5.42" in pass_mark
    assert "ระดับที่ ป.ป.ช. ให้" in html
    assert "ตามเกณฑ์ระดับของ ป.ป.ช. ปี 2568 ซึ่งดูทั้งคะแนนภาพรวมและค่าเฉลี่ยรายเครื่องมือ" in html
    assert "คะแนนหรือไม่" not in html and 'data-testid="passed"' not in html


def test_a_score_below_the_pass_mark_says_by_how_much(org, client_for):
    """All ten at 80: every tool mean 80, overall 80.00, 5.00 below 85."""
    make_assessment(org, 2568, {n: "80.00" for n in range(1, 11)})
    html = client_for("executive").get(reverse("dashboard:latest")).content.decode()
    assert "ต่ำกว่าเกณฑ์ผ่าน 85 คะแนน อยู่ 5.00" in html.split('data-testid="pass-mark">')[1].split("</div>")[0]
