"""Two years side by side: every indicator's score in both, the difference, and the plan rows
made from each year's results; a year without indicator scores shows "–", never 0."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Membership
from assessments.models import Assessment, Organisation

from .conftest import SEED_SCORES, make_assessment, make_measure, make_user


def compare(client, **years):
    return client.get(reverse("dashboard:compare"), years)


@pytest.fixture
def seed_client(seed, client):
    client.force_login(make_user("viewer", Organisation.objects.get(short_name="อบต.วังหมี"), Membership.Role.EXECUTIVE))
    return client


def test_by_default_the_newest_scored_year_is_set_beside_the_year_before_it(seed_client):
    """The seed: 2568 beside 2567, whose only figure is its published overall 94.67; the
    overall changed by 90.42 - 94.67 = -4.25."""
    response = compare(seed_client)
    assert response.status_code == 200
    assert [a.fiscal_year_id for a in response.context["pair"]] == [2567, 2568]
    rows = response.context["rows"]
    assert [row.label.split()[0] for row in rows] == [str(n) for n in range(1, 11)]
    assert rows[8].values == [None, Decimal("82.50")] and rows[8].difference is None
    assert [m.indicator.number for m in rows[8].measures[1]] == [9, 9]
    assert rows[1].measures == [[], []]  # indicator 2 has no plan row
    overall = response.context["totals"][0]
    assert overall.values[0] == Decimal("94.67") and overall.difference == Decimal("-4.25")
    html = response.content.decode()
    table = html.split('data-testid="compare"')[1]
    # Each cell names its year for the phone's card layout.
    assert '<td class="score" data-label="2567">–</td><td class="score" data-label="2568">82.50</td>' in table
    assert '">0.00</td>' not in table
    assert "มาตรการจากผลปี 2568" in table and "มาตรการส่งเสริมการเปิดเผยข้อมูลต่อสาธารณะ" in table


def test_two_scored_years_show_each_difference(org, assessment, client_for):
    """Indicator 9: 82.50 in 2568 against 70.00 in 2567 -> +12.50; the other nine are equal."""
    earlier = make_assessment(org, 2567, {**SEED_SCORES, 9: "70.00"})
    make_measure(earlier, activity="มาตรการจากผลปี 2567")
    make_measure(assessment, activity="มาตรการจากผลปี 2568", number=4)
    response = compare(client_for("executive"), first="2568", second="2567")
    assert [a.fiscal_year_id for a in response.context["pair"]] == [2567, 2568]
    rows = {row.label.split()[0]: row for row in response.context["rows"]}
    assert rows["9"].values == [Decimal("70.00"), Decimal("82.50")]
    assert rows["9"].difference == Decimal("12.50")
    assert rows["1"].difference == Decimal(0)
    assert [m.activity for m in rows["9"].measures[0]] == ["มาตรการจากผลปี 2567"]
    assert [m.activity for m in rows["4"].measures[1]] == ["มาตรการจากผลปี 2568"]
    # OIT (70 + 85) / 2 = 77.50 against 83.75: +6.25.
    oit = [row for row in response.context["totals"] if row.label == "ค่าเฉลี่ย OIT"][0]
    assert oit.values == [Decimal("77.5"), Decimal("83.75")] and oit.difference == Decimal("6.25")
    assert ">+12.50</td>" in response.content.decode()


def test_years_may_be_typed_in_thai_digits(org, assessment, client_for):
    make_assessment(org, 2567, SEED_SCORES)
    response = compare(client_for("executive"), first="๒๕๖๗", second="๒๕๖๘")
    assert [a.fiscal_year_id for a in response.context["pair"]] == [2567, 2568]


def test_the_same_year_twice_is_refused_in_thai(assessment, client_for):
    response = compare(client_for("executive"), first="2568", second="2568")
    assert "pair" not in response.context
    assert "เลือกปีงบประมาณสองปีที่ต่างกัน" in response.content.decode()


@pytest.mark.parametrize(
    "year, message",
    [("2599", "ไม่มีผลการประเมินของปี 2599"), ("abc", "ไม่มีผลการประเมินของปี abc"), ("", "เลือกปีงบประมาณ")],
)
def test_a_year_without_an_assessment_is_refused_in_thai(year, message, assessment, client_for):
    response = compare(client_for("executive"), first=year, second="2568")
    assert response.status_code == 200 and "pair" not in response.context
    errors = response.content.decode().split('data-testid="compare-errors"')[1].split("</div>")[0]
    assert f"ปีงบประมาณ: {message}" in errors


def test_another_organisations_years_cannot_be_compared(org, assessment, other_org, client_for):
    make_assessment(org, 2567, SEED_SCORES)
    make_assessment(other_org, 2566, SEED_SCORES)
    response = compare(client_for("outsider"), first="2567", second="2568")
    assert "pair" not in response.context
    assert "ไม่มีผลการประเมินของปี 2567" in response.content.decode()
    assert [value for value, _ in response.context["form"].fields["first"].choices] == [2566]


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("dashboard:compare"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_compare_query_count_does_not_grow_with_years_or_measures(org, assessment, client_for, django_assert_num_queries):
    """Guards the N+1s on the years' scores and levels and on the plan rows' indicators."""
    client = client_for("executive")
    make_assessment(org, 2567, SEED_SCORES)
    # session, the user with their membership and organisation (navbar); every year with its scores, their
    # indicators, the years' indicators and levels; the plan rows of both years.
    with django_assert_num_queries(8):
        compare(client)
    for year in (2564, 2565, 2566):
        make_assessment(org, year, SEED_SCORES)
    for number in range(1, 11):
        make_measure(assessment, number=number)
    with django_assert_num_queries(8):
        response = compare(client)
    assert sum(len(row.measures[1]) for row in response.context["rows"]) == 10
    assert Assessment.objects.filter(organisation=org).count() == 5
