"""Oversight at every scope: a district, a province, a region of the NACC and the nation; who
reads which, the summary figures and charts, and the queries each first page costs."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from assessments.models import Organisation
from jobs.models import Job
from oversight.models import OversightMembership, Region, RegionProvince

from .conftest import make_assessment, make_measure

AREA = reverse("oversight:area")
EXPORT = reverse("oversight:export")


def signed_in(username, **area):
    user = get_user_model().objects.create_user(username, password="pw-for-tests-2569")
    OversightMembership.objects.create(user=user, **area)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def platform_staff(without_personas):
    user = get_user_model().objects.create_user("platform", password="pw-for-tests-2569", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def make_org(name, province, district="เมือง", kind=Organisation.Kind.SAO, overall=None):
    org = Organisation.objects.create(name=name, province=province, district=district, kind=kind)
    if overall is not None:
        make_assessment(org, 2568, {n: str(overall) for n in range(1, 11)})
    return org


@pytest.fixture
def country(without_personas):
    """Four organisations: two in นครราชสีมา (ภาค 3; one in ปักธงชัย), one in ขอนแก่น (ภาค 4),
    one in กรุงเทพมहานคร (no region); all ten scores equal, so the overall is that score."""
    return {
        "korat": make_org("อบต.โคราชหนึ่ง", "นครราชสีมา", overall=90),
        "pak": make_org("อบต.ปักธงชัยหนึ่ง", "นครราชสีมา", "ปักธงชัย", kind=Organisation.Kind.MUNICIPALITY, overall=80),
        "khonkaen": make_org("อบต.ขอนแก่นหนึ่ง", "ขอนแก่น", overall=96),
        "bangkok": make_org("หน่วยงานกรุงเทพ", "กรุงเทพมหานคร", "พระนคร", kind=Organisation.Kind.OTHER),
    }


def names(response):
    return sorted(row.organisation.name for row in response.context["page"].object_list)


def test_the_regions_are_data_with_their_source(db):
    """Nine regions over 76 provinces; Bangkok belongs to the central office, no region."""
    assert list(Region.objects.values_list("number", flat=True)) == list(range(1, 10))
    assert RegionProvince.objects.count() == 76
    assert RegionProvince.objects.get(province="นครราชสีมา").region.number == 3
    assert not RegionProvince.objects.filter(province="กรุงเทพมหานคร").exists()
    assert all(region.source and region.confidence for region in Region.objects.all())


def test_platform_staff_read_the_nation_with_its_figures(country, platform_staff):
    """Three results: (90 + 80 + 96) / 3 = 88.67; two of three pass (85): 66.7 %; the regions
    ranked by mean: ภาค 4 (96.00), ภาค 3 (85.00), then the central office without a result."""
    response = platform_staff.get(AREA)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.organisations, summary.results, summary.passed) == (4, 3, 2)
    assert (summary.mean, summary.pass_rate) == (Decimal("88.67"), Decimal("66.7"))
    assert [(g.label, g.mean) for g in summary.below] == [
        ("ภาค 4", Decimal("96.00")), ("ภาค 3", Decimal("85.00")), ("ส่วนกลาง (ไม่อยู่ในภาคใด)", None)]
    assert dict(summary.levels) == {"ผ่านดีเยี่ยม": 1, "ผ่านดี": 1, "ต้องปรับปรุง": 1}
    assert dict(summary.spread)[80] == 1 and dict(summary.spread)[90] == 1 and dict(summary.spread)[95] == 1
    assert [(g.key, g.organisations) for g in summary.kinds][0] == (Organisation.Kind.SAO, 2)
    html = response.content.decode()
    assert "<svg" in html and "88.67" in html and 'href="?region=4"' in html
    assert len(names(response)) == 4


def test_a_national_officer_reads_the_nation_and_narrows_it(country):
    national = signed_in("nacc", national=True)
    assert len(names(national.get(AREA))) == 4
    assert names(national.get(AREA, {"region": 3})) == sorted(["อบต.โคราชหนึ่ง", "อบต.ปักธงชัยหนึ่ง"])
    assert names(national.get(AREA, {"province": "ขอนแก่น"})) == ["อบต.ขอนแก่นหนึ่ง"]
    district = national.get(AREA, {"province": "นครราชสีมา", "district": "ปักธงชัย"})
    assert names(district) == ["อบต.ปักธงชัยหนึ่ง"] and district.context["scope"].kind == "district"


def test_a_regional_office_reads_its_region_and_nothing_beyond(country):
    """ภาค 3 reads นครราชสีมา and its district; ขอนแก่น (ภาค 4), another region and the nation's
    regions are 404: its existence is not confirmed."""
    region = signed_in("region3", region=Region.objects.get(number=3))
    response = region.get(AREA)
    assert names(response) == sorted(["อบต.โคราชหนึ่ง", "อบต.ปักธงชัยหนึ่ง"])
    assert [g.label for g in response.context["summary"].below] == ["นครราชสีมา"]
    assert names(region.get(AREA, {"province": "นครราชสีมา", "district": "ปักธงชัย"})) == ["อบต.ปักธงชัยหนึ่ง"]
    for outside in ({"province": "ขอนแก่น"}, {"region": 4}, {"province": "กรุงเทพมหานคร"}):
        assert region.get(AREA, outside).status_code == 404
        assert region.get(EXPORT, outside).status_code == 404


def test_area_offices_never_see_outside_their_area(country):
    province = signed_in("korat", province="นครราชสีมา")
    assert names(province.get(AREA)) == sorted(["อบต.โคราชหนึ่ง", "อบต.ปักธงชัยหนึ่ง"])
    district = signed_in("pak", province="นครราชสีมา", district="ปักธงชัย")
    assert names(district.get(AREA)) == ["อบต.ปักธงชัยหนึ่ง"]
    for client in (province, district):
        for outside in ({"region": 3}, {"region": 4}, {"province": "ขอนแก่น"},
                        {"province": "นครราชสีมา", "district": "เมืองอื่น"}):
            if client is province and outside.get("district"):
                continue  # a district of its own province is inside it
            assert client.get(AREA, outside).status_code == 404, outside
    # The district office asking for its whole province is outside its area too.
    assert district.get(AREA, {"province": "นครราชสีมา"}).status_code == 404
    assert district.get(AREA, {"region": "abc"}).status_code == 404


@pytest.mark.parametrize("persona", ["staff", "org_admin", "outsider"])
def test_organisation_members_are_refused_every_scope(client_for, persona):
    for query in ({}, {"region": 3}, {"province": "นครราชสีมา"}):
        assert client_for(persona).get(AREA, query).status_code == 403


def test_the_nations_export_is_a_job_its_starter_alone_can_see(country, platform_staff, settings,
                                                               django_capture_on_commit_callbacks):
    settings.JOBS_EXPORT_MIN_ROWS = 2
    response = platform_staff.get(EXPORT)
    assert response.status_code == 200 and response.context["rows"] == 4  # offered as a job
    with django_capture_on_commit_callbacks(execute=True):
        response = platform_staff.post(EXPORT)
    job = Job.objects.get()
    assert response.status_code == 302 and job.kind == "area_xlsx"
    assert job.state == Job.State.DONE and job.outcome_params["rows"] == 4  # run in-process without a broker
    assert platform_staff.get(job.get_absolute_url()).status_code == 200
    other = signed_in("korat", province="นครราชสีมา")
    assert other.get(job.get_absolute_url()).status_code == 404


def test_a_regions_export_holds_its_region_only(country, settings, django_capture_on_commit_callbacks):
    settings.JOBS_EXPORT_MIN_ROWS = 1
    region = signed_in("region3", region=Region.objects.get(number=3))
    with django_capture_on_commit_callbacks(execute=True):
        region.post(EXPORT)
    job = Job.objects.get()
    assert job.params["scope"] == {"region": 3} and job.outcome_params["rows"] == 2


def add_organisations(province, count, start):
    for n in range(start, start + count):
        org = make_org(f"อบต.ภาระ {province} {n:03d}", province, f"อำเภอ {n % 3}", overall=70 + n % 30)
        make_assessment(org, 2567, {i: "88" for i in range(1, 11)})
        make_measure(org.assessments.get(fiscal_year=2568))


def test_the_nations_first_page_costs_the_same_queries_whatever_its_size(reference, platform_staff,
                                                                           django_assert_num_queries):
    """Guards the N+1 on each organisation's latest result, weakest indicator and plan progress,
    and on each region's and type's figures: session, user, membership lookup, oversight area;
    the results version; then, when no summary is kept under it, results by level, band and
    year, organisations by province and type and the provinces of each region; the page's
    organisations in order, then their rows (the count is the summary's); the pass mark. A
    second reader of the same results skips the three aggregates and the pass mark, kept with
    the summary's drawing."""
    add_organisations("นครราชสีมา", 2, 1)
    with django_assert_num_queries(10):
        assert platform_staff.get(AREA).status_code == 200
    with django_assert_num_queries(6):
        assert platform_staff.get(AREA).status_code == 200
    add_organisations("ขอนแก่น", 15, 3)
    add_organisations("สงขลา", 15, 20)
    with django_assert_num_queries(10):
        response = platform_staff.get(AREA)
    assert response.context["summary"].organisations == 32
    with django_assert_num_queries(6):
        response = platform_staff.get(AREA)
    assert response.context["summary"].organisations == 32


def test_a_provinces_first_page_costs_the_same_queries_whatever_its_size(without_personas,
                                                                         django_assert_num_queries):
    """Guards the N+1 on each organisation's row and each district's figures: session, user,
    membership lookup, oversight area; the results version; then, when no summary is kept
    under it, results by level, band and year and organisations by district and type; the
    page's organisations in order, then their rows; the pass mark (for the drawing, which is
    kept with the summary)."""
    office = signed_in("korat", province="นครราชสีมา")
    add_organisations("นครราชสีมา", 2, 1)
    with django_assert_num_queries(9):
        office.get(AREA)
    add_organisations("นครราชสีมา", 40, 3)
    with django_assert_num_queries(9):
        response = office.get(AREA)
    assert response.context["summary"].organisations == 42
    with django_assert_num_queries(6):
        response = office.get(AREA)
    assert response.context["summary"].organisations == 42
