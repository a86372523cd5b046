"""Shared test data: a small organisation built for the tests, and the named personas.

Personas (each a logged-in Django test client via `client_for`):
  staff        staff of สำนักปลัด in the test organisation
  other_staff  staff of กองคลัง in the same organisation
  executive    executive of the test organisation
  org_admin    admin of the test organisation
  outsider     admin of another organisation
  anonymous    not signed in (the plain `client` fixture)
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import Membership
from assessments.loaders import load_reference, load_seed
from assessments.models import Assessment, FiscalYear, IndicatorScore, Organisation, Unit
from measures.models import Plan

SEED_SCORES = {
    1: "93.33", 2: "96.13", 3: "98.06", 4: "83.87", 5: "93.33",
    6: "97.13", 7: "97.47", 8: "95.74", 9: "82.50", 10: "85.00",
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Personas are created for most tests; the production hasher makes each take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path_factory):
    """Uploads and pending imports of a test land in a folder of its own, never in ./media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def reference(db):
    """The reference data of every fiscal year (indicators, codes, level rules)."""
    load_reference()
    return {year.year: year for year in FiscalYear.objects.all()}


@pytest.fixture
def seed(db):
    """The full seed document: อบต.วังหมี with 2564, 2567 and 2568 and the plan for 2569."""
    return load_seed()


def make_assessment(organisation, year, scores=None, **fields):
    """An assessment with the given indicator scores ({number: "93.33"})."""
    assessment = Assessment.objects.create(organisation=organisation, fiscal_year_id=year, **fields)
    indicators = {i.number: i for i in assessment.fiscal_year.indicators.all()}
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=assessment, indicator=indicators[n], score=Decimal(s))
        for n, s in (scores or {}).items()
    )
    return assessment


def make_measure(assessment, units=(), **fields):
    """A row of the assessment's plan (the plan is made, as a draft, if it has none yet)."""
    defaults = {
        "indicator": assessment.fiscal_year.indicators.get(number=fields.pop("number", 9)),
        "indicator_label": "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล",
        "activity": "มาตรการทดสอบ",
        "method": "วิธีการทดสอบ",
        "period": "ปีงบประมาณ พ.ศ. ๒๕๖๙",
        "responsible": "สำนักปลัด",
    }
    defaults.update(fields)
    measure = Plan.objects.of_assessment(assessment).new_row(**defaults)
    measure.save()
    measure.units.set(units)
    return measure


@pytest.fixture
def org(reference):
    organisation = Organisation.objects.create(
        name="องค์การบริหารส่วนตำบลทดสอบ", short_name="อบต.ทดสอบ", province="นครราชสีมา"
    )
    Unit.objects.create(organisation=organisation, name="สำนักปลัด", position=1)
    Unit.objects.create(organisation=organisation, name="กองคลัง", position=2)
    return organisation


@pytest.fixture
def palad(org):
    return org.units.get(name="สำนักปลัด")


@pytest.fixture
def klang(org):
    return org.units.get(name="กองคลัง")


@pytest.fixture
def assessment(org):
    return make_assessment(org, 2568, SEED_SCORES, published_overall=Decimal("90.42"))


@pytest.fixture
def other_org(reference):
    organisation = Organisation.objects.create(name="เทศบาลตำบลอื่น", short_name="ทต.อื่น")
    Unit.objects.create(organisation=organisation, name="สำนักปลัด", position=1)
    return organisation


def make_user(username, organisation, role, units=()):
    user = get_user_model().objects.create_user(username, password="pw-for-tests-2569")
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    membership.units.set(units)
    return user


@pytest.fixture
def personas(org, other_org, palad, klang):
    return {
        "staff": make_user("staff", org, Membership.Role.STAFF, [palad]),
        "other_staff": make_user("other_staff", org, Membership.Role.STAFF, [klang]),
        "executive": make_user("executive", org, Membership.Role.EXECUTIVE),
        "org_admin": make_user("org_admin", org, Membership.Role.ADMIN),
        "outsider": make_user("outsider", other_org, Membership.Role.ADMIN),
    }


@pytest.fixture
def client_for(personas):
    """client_for("staff") -> a test client signed in as that persona; "anonymous" -> signed out."""

    def make(name):
        client = Client()
        if name != "anonymous":
            client.force_login(personas[name])
        return client

    return make
