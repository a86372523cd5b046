"""OIT readiness on the upper floors: the dashboard's card and the oversight view's column."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from oit.models import Item
from oversight.models import OversightMembership

from .oit_helpers import pass_items, start_workspace


@pytest.fixture
def workspace(org, assessment, palad):
    workspace = start_workspace(org, 2568)
    Item.objects.get(workspace=workspace, question__code="o3").units.set([palad])
    return workspace


def card_of(html):
    return html.split('data-testid="oit-card"')[1].split("</section>")[0]


def test_the_dashboard_card_shows_items_passed_the_estimate_and_the_next_level(client_for, workspace):
    """Seed scores: IIT 92.944, EIT 96.78 (27.8832 + 29.034 = 56.9172). 19 of 20 items of 9 and
    6 of 6 of 10 pass: 9 = 95, 10 = 100, OIT 97.50, overall 56.9172 + 39 = 95.9172 -> 95.92;
    EIT and OIT are over 95 but IIT 92.94 is not: ผ่านดี, and no OIT item can lift IIT, so the
    card says that even with every item ผ่านดีเยี่ยม is out of reach."""
    pass_items(workspace, 9, 19)
    pass_items(workspace, 10, 6)
    html = card_of(client_for("executive").get(reverse("dashboard:latest")).content.decode())
    assert "ผ่านการตรวจภายใน 25 จาก 26 ข้อ" in html
    assert "95.92" in html and "ผ่านดี" in html and "97.50" in html
    assert "แม้ทุกข้อผ่าน ก็ยังไม่ถึงระดับ ผ่านดีเยี่ยม" in html


def test_staff_see_their_units_items_on_the_card(client_for, workspace):
    html = card_of(client_for("staff").get(reverse("dashboard:latest")).content.decode())
    assert ">O3</a>" in html and ">O1</a>" not in html
    other = client_for("other_staff").get(reverse("dashboard:latest")).content.decode()
    assert "ข้อของสำนัก/กองของคุณ" not in card_of(other)


def test_the_dashboard_without_a_workspace_has_no_card(client_for, assessment):
    assert 'data-testid="oit-card"' not in client_for("executive").get(reverse("dashboard:latest")).content.decode()


def test_the_card_costs_the_same_queries_for_any_number_of_items(client_for, workspace, palad,
                                                                  django_assert_num_queries):
    """Guards the N+1 on the card's items (their indicators and units, read in one query each):
    the newest workspace with its year's indicators and levels, the items, their units, the
    scored assessment and its scores, the staff member's units (the dashboard's own results,
    drawn once, are kept under the results version); whether 1 or 26 items are the staff
    member's and 0 or 20 have passed."""
    client = client_for("staff")
    url = reverse("dashboard:latest")
    client.get(url)
    with django_assert_num_queries(16):
        client.get(url)
    for item in workspace.items.all():
        item.units.set([palad])
    pass_items(workspace, 9, 20)
    with django_assert_num_queries(16):
        response = client.get(url)
    assert card_of(response.content.decode()).count('href="/oit/item/') == 6


def test_the_oversight_view_shows_each_organisations_readiness(org, workspace):
    pass_items(workspace, 9, 4)
    user = get_user_model().objects.create_user("korat_office")
    OversightMembership.objects.create(user=user, province="นครราชสีมา")
    client = Client()
    client.force_login(user)
    html = client.get(reverse("oversight:area")).content.decode()
    cell = html.split('data-testid="oit-readiness">')[1].split("</td>")[0]
    assert "ผ่าน 4/26 ข้อ" in cell and "ปี 2568" in cell
