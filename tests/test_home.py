"""The home page shows the latest assessment, its computed result and the plan."""

from django.urls import reverse

from accounts.models import Membership
from assessments.models import Organisation

from .conftest import make_user


def test_home_shows_seed_result_and_plan(seed, client):
    org = Organisation.objects.get(short_name="อบต.วังหมี")
    client.force_login(make_user("viewer", org, Membership.Role.EXECUTIVE))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "องค์การบริหารส่วนตำบลวังหมี" in html
    assert "90.42" in html and "ผ่าน" in html
    assert "OIT 83.75 ต่ำกว่า 85" in html
    assert "มาตรการกำกับดูแลการใช้อำนาจ ตามประมวลจริยธรรม" in html
    assert response.context["assessment"].fiscal_year_id == 2568


def test_home_needs_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_user_without_organisation_is_refused(client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("lonely", password="x-2569-abc"))
    assert client.get(reverse("home")).status_code == 403


def test_home_shows_only_own_organisation(assessment, client_for):
    response = client_for("outsider").get(reverse("home"))
    assert response.status_code == 404
    assert "อบต.ทดสอบ" not in response.content.decode()


def test_home_query_count_does_not_grow_with_rows(seed, client, django_assert_num_queries):
    """Guards the N+1 on the plan table's units and indicators and the score rows."""
    from .conftest import make_measure
    from assessments.models import Assessment

    org = Organisation.objects.get(short_name="อบต.วังหมี")
    client.force_login(make_user("viewer", org, Membership.Role.EXECUTIVE))
    a2568 = Assessment.objects.get(organisation=org, fiscal_year=2568)
    # session, user, membership, organisation; the assessment with its scores, indicators,
    # the year's indicators and levels; the plan rows and their units.
    with django_assert_num_queries(11):
        client.get(reverse("home"))
    for _ in range(5):
        make_measure(a2568, units=org.units.all()[:2])
    with django_assert_num_queries(11):
        client.get(reverse("home"))
