"""Shared test data: a small organisation built for the tests, and the named personas.

The reference data of every fiscal year is written and committed once per session, right after
pytest-django has created the test database; every test then runs in its own transaction, rolled
back at its end, and `reference` reads those rows afresh. A test on `transactional_db` or
`live_server` ends with the database flushed: the reference data is written again before the
next test (`pytest_runtest_teardown`), so every test meets it. The personas' world (the two
organisations, their units, the persona users and their memberships) is committed the same way
(`build_personas_world`) and so is in every test, whether it asks for `org` or not: a test that
counts organisations or users counts from what was there before it. The executive persona's
username is `test_executive`, since the demo accounts (create_demo_users) have an `executive`.

Personas (each a logged-in Django test client via `client_for`):
  staff        staff of สำนักปลัด in the test organisation
  other_staff  staff of กองคลัง in the same organisation
  executive    executive of the test organisation
  org_admin    admin of the test organisation
  outsider     admin of another organisation
  anonymous    not signed in (the plain `client` fixture)
"""

import hashlib
import itertools
import os
from contextlib import contextmanager
from unittest import mock
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from accounts.models import Membership
from assessments.loaders import load_reference
from oversight.loaders import load_regions
from assessments.models import Assessment, FiscalYear, IndicatorScore, Organisation, Unit
from ita_portal.seed import load_seed
from measures.models import Plan

from .celery_worker import celery_worker, jobs_run_eagerly, worker, worker_missing_reason  # noqa: F401 (fixtures)

SEED_SCORES = {
    1: "93.33", 2: "96.13", 3: "98.06", 4: "83.87", 5: "93.33",
    6: "97.13", 7: "97.47", 8: "95.74", 9: "82.50", 10: "85.00",
}


JOB_TESTS_SKIPPED = pytest.StashKey[str]()


def pytest_collection_modifyitems(config, items):
    """Tests marked `worker` need Redis and PostgreSQL: skipped with the reason where they are
    missing, or a usage error when REQUIRE_JOB_TESTS says they must run (see celery_worker.py)."""
    needing = [item for item in items if item.get_closest_marker("worker")]
    reason = worker_missing_reason() if needing else None
    if reason and os.environ.get("REQUIRE_JOB_TESTS"):
        raise pytest.UsageError(f"REQUIRE_JOB_TESTS is set but the job tests cannot run on a real worker: {reason}")
    if reason:
        config.stash[JOB_TESTS_SKIPPED] = reason
        for item in needing:
            item.add_marker(pytest.mark.skip(reason=f"real-worker job tests skipped: {reason}"))


def pytest_terminal_summary(terminalreporter, config):
    reason = config.stash.get(JOB_TESTS_SKIPPED, None)
    # Under pytest-xdist the processes that collected the tests hold the stash: the reason is
    # in their reports of the skipped tests.
    for report in terminalreporter.stats.get("skipped", []) if reason is None else []:
        text = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        if "real-worker job tests skipped: " in text:
            reason = text.split("real-worker job tests skipped: ", 1)[1]
            break
    if reason:
        terminalreporter.write_line(f"JOB TESTS ON A REAL WORKER DID NOT RUN: {reason}", yellow=True, bold=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Many tests add people (`make_user`) or set passwords; the production hasher makes each take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def thai_between_tests():
    """Every test starts in Thai. A request in English leaves English active in the thread
    (the middleware activates a language per request and nothing resets it afterwards), so
    a later test that calls gettext outside a request would read English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Counts kept in the cache (the password-reset throttle) do not carry from test to test."""
    cache.clear()
    yield
    cache.clear()


def _session_touch_held(assert_queries):
    """Wraps pytest-django's query counter: inside a counted block, a signed-in session is not
    written for having been idle a minute (accounts.sessions touches it at most once a
    minute). Without this, a test that ran longer than a minute on a busy machine counted that
    write as one query more than its page costs."""

    @contextmanager
    def counted(*args, **kwargs):
        with mock.patch("accounts.sessions.TOUCH_SECONDS", float("inf")), assert_queries(*args, **kwargs) as ctx:
            yield ctx

    return counted


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    return _session_touch_held(django_assert_num_queries)


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    return _session_touch_held(django_assert_max_num_queries)


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path_factory):
    """Uploads and pending imports of a test land in a folder of its own, never in ./media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


_session = {}  # pytest-django's database blocker, once the test database exists


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with the reference data committed in it."""
    with django_db_blocker.unblock():
        load_reference()
        build_personas_world()
    _session["blocker"] = django_db_blocker
    yield
    _session.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that flushed the database (transactional_db, live_server), write the
    reference data again, and the regions the migrations wrote, once its fixtures are torn down
    (the flush is one of them)."""
    result = yield
    blocker = _session.get("blocker")
    if blocker is not None:
        with blocker.unblock():
            if not FiscalYear.objects.exists():
                load_reference()
                load_regions()
            if not Organisation.objects.filter(short_name=ORG_SHORT_NAME).exists():
                build_personas_world()
    return result


@pytest.fixture
def reference(db):
    """The reference data of every fiscal year (indicators, codes, level rules)."""
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
    assessment.refresh_results()  # as every path that writes scores does
    return assessment


_measure_numbers = itertools.count(1)


def make_measure(assessment, units=(), **fields):
    """A row of the assessment's plan (the plan is made, as a draft, if it has none yet)."""
    # A different activity each time: the check reports two rows with the same activity and
    # method as the same measure written twice (the hash keeps any two below its threshold).
    tag = hashlib.sha256(str(next(_measure_numbers)).encode()).hexdigest()[:32]
    defaults = {
        "indicator": assessment.fiscal_year.indicators.get(number=fields.pop("number", 9)),
        "indicator_label": "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล",
        "activity": f"มาตรการทดสอบ {tag}",
        "method": "วิธีการทดสอบ",
        "period": "ปีงบประมาณ พ.ศ. ๒๕๖๙",
        "responsible": "สำนักปลัด",
    }
    defaults.update(fields)
    measure = Plan.objects.of_assessment(assessment).new_row(**defaults)
    measure.save()
    measure.units.set(units)
    measure.plan.refresh_progress()  # as every path that writes plan rows does
    return measure


ORG_SHORT_NAME = "อบต.ทดสอบ"
OTHER_ORG_SHORT_NAME = "ทต.อื่น"
# The executive's username is not `executive`: the demo accounts (create_demo_users) have one.
PERSONA_USERNAMES = {"staff": "staff", "other_staff": "other_staff", "executive": "test_executive",
                     "org_admin": "org_admin", "outsider": "outsider"}


def make_user(username, organisation, role, units=()):
    user = get_user_model().objects.create_user(username, password="pw-for-tests-2569")
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    membership.units.set(units)
    return user


def build_personas_world():
    """The two organisations, their units and the persona users, written and committed once per
    session (and again after a test that flushed the database)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        organisation = Organisation.objects.create(
            name="องค์การบริหารส่วนตำบลทดสอบ", short_name=ORG_SHORT_NAME, province="นครราชสีมา"
        )
        palad = Unit.objects.create(organisation=organisation, name="สำนักปลัด", position=1)
        klang = Unit.objects.create(organisation=organisation, name="กองคลัง", position=2)
        other = Organisation.objects.create(name="เทศบาลตำบลอื่น", short_name=OTHER_ORG_SHORT_NAME)
        Unit.objects.create(organisation=other, name="สำนักปลัด", position=1)
        make_user("staff", organisation, Membership.Role.STAFF, [palad])
        make_user("other_staff", organisation, Membership.Role.STAFF, [klang])
        make_user(PERSONA_USERNAMES["executive"], organisation, Membership.Role.EXECUTIVE)
        make_user("org_admin", organisation, Membership.Role.ADMIN)
        make_user("outsider", other, Membership.Role.ADMIN)


@pytest.fixture
def without_personas(reference):
    """For a test that builds a whole country of its own and reads all of it (the oversight views
    and their exports): the personas' organisations and users are deleted inside the test's
    transaction, rolled back at its end; in a transactional test (a real worker reads what is
    committed) they are deleted for good and built again after the test's flush."""
    get_user_model().objects.filter(username__in=PERSONA_USERNAMES.values()).delete()
    Organisation.objects.filter(short_name__in=[ORG_SHORT_NAME, OTHER_ORG_SHORT_NAME]).delete()


@pytest.fixture
def org(reference):
    return Organisation.objects.get(short_name=ORG_SHORT_NAME)


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
    return Organisation.objects.get(short_name=OTHER_ORG_SHORT_NAME)


@pytest.fixture
def personas(org, other_org, palad, klang):
    users = get_user_model().objects.in_bulk(PERSONA_USERNAMES.values(), field_name="username")
    return {name: users[username] for name, username in PERSONA_USERNAMES.items()}


@pytest.fixture
def client_for(personas):
    """client_for("staff") -> a test client signed in as that persona; "anonymous" -> signed out."""

    def make(name):
        client = Client()
        if name != "anonymous":
            client.force_login(personas[name])
        return client

    return make
