"""Data for the job tests: an area of organisations with results, and its office."""

from django.contrib.auth import get_user_model
from django.test import Client

from assessments.models import Organisation
from oversight.models import OversightMembership

from .conftest import SEED_SCORES, make_assessment

PROVINCE = "นครราชสีมา"


def make_area(count, year=2568, province=PROVINCE):
    """`count` organisations of the province with a result for `year`, named in order."""
    organisations = []
    for n in range(1, count + 1):
        organisation = Organisation.objects.create(
            name=f"องค์การบริหารส่วนตำบลพื้นที่ {n:02d}", province=province, district="เมือง"
        )
        make_assessment(organisation, year, SEED_SCORES)
        organisations.append(organisation)
    return organisations


def area_office(username="korat_office", province=PROVINCE):
    """(user, signed-in client) of a province office."""
    user = get_user_model().objects.create_user(username, password="pw-for-tests-2569")
    OversightMembership.objects.create(user=user, province=province)
    client = Client()
    client.force_login(user)
    return user, client
