"""The home page sends each role to its own landing page."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from oversight.models import OversightMembership


def test_executive_and_admin_land_on_the_dashboard(assessment, client_for):
    for persona in ("executive", "org_admin"):
        response = client_for(persona).get(reverse("home"))
        assert response.status_code == 302 and response["Location"] == reverse("dashboard:latest")


def test_staff_land_on_the_plan(assessment, client_for):
    response = client_for("staff").get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("measures:current")


def test_area_office_lands_on_its_oversight_view(client, db):
    user = get_user_model().objects.create_user("office", password="pw-for-tests-2569")
    OversightMembership.objects.create(user=user, province="นครราชสีมา")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("oversight:area")


def test_organisation_without_results_is_told_what_to_do(assessment, client_for):
    """The outsider's organisation has no assessment: a page that says so, never another's data."""
    response = client_for("outsider").get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ยังไม่มีผลการประเมิน" in html and reverse("assessment_list") in html
    assert "อบต.ทดสอบ" not in html


def test_seed_executive_reaches_the_dashboard_with_90_42(seed, client):
    from accounts.models import Membership
    from assessments.models import Organisation

    from .conftest import make_user

    org = Organisation.objects.get(short_name="อบต.วังหมี")
    client.force_login(make_user("viewer", org, Membership.Role.EXECUTIVE))
    response = client.get(reverse("home"), follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "90.42" in html and "ผ่าน" in html
    assert "OIT 83.75 ต่ำกว่า 85" in html


def test_home_needs_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_user_without_organisation_or_area_is_refused(client, db):
    client.force_login(get_user_model().objects.create_user("lonely", password="pw-for-tests-2569"))
    assert client.get(reverse("home")).status_code == 403
