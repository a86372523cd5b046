"""An area's summary and a dashboard's results are kept in the cache under the results version
(ResultsVersion): every change that moves them makes a new version, so what is kept is never
read stale.

Each summary test reads the summary once (which keeps it), makes one kind of change, and
checks that the summary read next equals one computed afresh and differs from the one kept
before: a change that no new version followed would fail the first check. The dashboard tests
read the page before and after a change made as its users make it."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.models import IndicatorScore, Organisation, ResultsVersion
from onboarding.organisations import Entry, organisations_create
from oversight.access import NATION, PROVINCE, REGION, Scope
from oversight.models import OversightMembership, Region, RegionProvince
from oversight.summary import area_summary, compute_area_summary

from .conftest import make_assessment
from .test_oversight_scopes import make_org

NATION_SCOPE = Scope(NATION)
KORAT = Scope(PROVINCE, province="นครราชสีมา")


@pytest.fixture
def area(without_personas):
    return {
        "one": make_org("อบต.หนึ่ง", KORAT.province, overall=90),
        "two": make_org("อบต.สอง", KORAT.province, "ปักธงชัย", overall=80),
        "khonkaen": make_org("อบต.ขอนแก่น", "ขอนแก่น", overall=70),
    }


def figures(summary):
    return (summary.organisations, summary.results, summary.total, summary.passed, summary.levels,
            [(g.label, g.organisations, g.results, g.total) for g in summary.below],
            [(g.key, g.organisations) for g in summary.kinds])


def changed(scope, change):
    """The summary kept before `change` and the one read after it, checked against a fresh one."""
    before = area_summary(scope)
    assert figures(area_summary(scope)) == figures(before)  # read from the cache
    change()
    after = area_summary(scope)
    assert figures(after) == figures(compute_area_summary(scope))
    assert figures(after) != figures(before), "the change was meant to move the figures"
    return before, after


def test_the_summary_is_kept_until_the_results_change(area, django_assert_num_queries):
    area_summary(NATION_SCOPE)
    with django_assert_num_queries(1):  # the version alone
        area_summary(NATION_SCOPE)
    token = ResultsVersion.current()
    make_org("อบต.สาม", KORAT.province, overall=95)
    assert ResultsVersion.current() != token


def test_a_score_changed_makes_a_new_summary(area):
    def change():
        score = IndicatorScore.objects.filter(assessment__organisation=area["one"]).first()
        score.score = Decimal("10")
        score.save()
        area["one"].assessments.get().refresh_results()  # as every path that writes scores does

    before, after = changed(KORAT, change)
    assert after.total < before.total


def test_an_organisation_made_moved_retyped_or_removed_makes_a_new_summary(area):
    changed(KORAT, lambda: make_org("อบต.ใหม่", KORAT.province))

    def move():
        area["khonkaen"].province = "นครราชสีมา"
        area["khonkaen"].save()

    before, after = changed(KORAT, move)
    assert after.organisations == before.organisations + 1

    def retype():
        area["two"].kind = Organisation.Kind.MUNICIPALITY
        area["two"].save()

    changed(KORAT, retype)
    before, after = changed(KORAT, lambda: area["one"].delete())
    assert after.organisations == before.organisations - 1


def test_an_assessment_removed_makes_a_new_summary(area):
    before, after = changed(NATION_SCOPE, lambda: area["two"].assessments.get().delete())
    assert after.results == before.results - 1


def test_organisations_made_by_onboarding_make_a_new_summary(area):
    entries = [Entry(name="อบต.รับเข้าใหม่", short_name="อบต.รับเข้าใหม่", kind=Organisation.Kind.SAO,
                     district="เมือง", province="นครราชสีมา", admin_name="ผู้ดูแล ใหม่",
                     admin_email="new-admin@example.go.th")]
    before, after = changed(KORAT, lambda: organisations_create(entries))
    assert after.organisations == before.organisations + 1


def test_a_regions_provinces_changed_make_a_new_summary(area):
    """ภาค 3 holds นครราชสีมา and ภาค 4 ขอนแก่น (oversight/regions.json)."""
    region = RegionProvince.objects.get(province="ขอนแก่น").region
    region_scope = Scope(REGION, region=region)

    def move():
        RegionProvince.objects.filter(province="นครราชสีมา").update(region=region)
        RegionProvince.objects.get(province="นครราชสีมา").save()  # as the admin site saves it

    before, after = changed(region_scope, move)
    assert after.organisations == before.organisations + 2
    before, after = changed(NATION_SCOPE, lambda: Region.objects.filter(number=region.number).get().delete())
    assert "ส่วนกลาง (ไม่อยู่ในภาคใด)" in [g.label for g in after.below]


def test_each_language_keeps_its_own_summary(area):
    thai = area_summary(NATION_SCOPE)
    with translation.override("en"):
        english = area_summary(NATION_SCOPE)
    assert [g.label for g in thai.kinds] == ["องค์การบริหารส่วนตำบล"]
    assert [g.label for g in english.kinds] != [g.label for g in thai.kinds]
    assert figures(area_summary(NATION_SCOPE)) == figures(thai)


def test_the_page_draws_the_new_figures_after_a_change(area):
    """The figures and charts kept beside the summary follow it: the page after a change
    shows the new count, not the drawing kept before."""
    user = get_user_model().objects.create_user("korat_office", password="pw-for-tests-2569")
    OversightMembership.objects.create(user=user, province="นครราชสีมา")
    client = Client()
    client.force_login(user)

    def organisations_shown():
        page = client.get(reverse("oversight:area")).content.decode()
        return re.search(r'data-testid="summary-organisations">(\d+)<', page).group(1)

    assert organisations_shown() == "2"
    assert organisations_shown() == "2"  # kept
    make_org("อบต.สาม", KORAT.province, overall=95)
    assert organisations_shown() == "3"


# --- a dashboard's results -------------------------------------------------------------------

def dashboard_of(client, assessment):
    return client.get(reverse("dashboard:year", args=[assessment.pk])).content.decode()


def overall_shown(page):
    return re.search(r'data-testid="overall">([^<]+)<', page).group(1)


def test_a_dashboard_draws_new_scores_after_the_entry_form_saves_them(assessment, client_for):
    """The test organisation's 2568 holds the seed's scores (overall 90.42)."""
    admin = client_for("org_admin")
    assert overall_shown(dashboard_of(admin, assessment)) == "90.42"
    assert overall_shown(dashboard_of(admin, assessment)) == "90.42"  # kept
    scores = {f"score_{s.indicator.number}": str(s.score) for s in assessment.scores.select_related("indicator")}
    scores["score_9"] = "42.50"  # 0.4 x (42.50 + 85.00) / 2 = 25.50 instead of 33.50: 8.00 less
    response = admin.post(reverse("assessment_edit", args=[assessment.pk]),
                          {**scores, "action": "save", "published_overall": "", "published_level": ""})
    assert response.status_code == 302
    page = dashboard_of(admin, assessment)
    assert overall_shown(page) == "82.42" and "42.50" in page


def test_a_dashboard_draws_a_renamed_indicator_and_a_new_year(assessment, client_for, org):
    staff = client_for("staff")
    assert "ตัวชี้วัดใหม่ทดสอบ" not in dashboard_of(staff, assessment)
    indicator = assessment.fiscal_year.indicators.get(number=4)
    indicator.name = "ตัวชี้วัดใหม่ทดสอบ"
    indicator.save()
    page = dashboard_of(staff, assessment)
    assert "ตัวชี้วัดใหม่ทดสอบ" in page
    history = page[page.index('data-testid="history"'):]
    assert ">2567<" not in history[:history.index("</table>")]
    make_assessment(org, 2567, published_overall=Decimal("88.10"))
    history = dashboard_of(staff, assessment)
    history = history[history.index('data-testid="history"'):]
    assert ">2567</a>" in history[:history.index("</table>")] and "88.10" in history


def test_each_language_keeps_its_own_dashboard_drawing(assessment, client_for):
    staff = client_for("staff")
    thai = dashboard_of(staff, assessment)
    staff.cookies["django_language"] = "en"
    english = dashboard_of(staff, assessment)
    assert "ผลการประเมินรายตัวชี้วัด" in thai and "ผลการประเมินรายตัวชี้วัด" not in english


def test_every_migrate_makes_a_new_version(db):
    """Each upgrade runs `migrate`: nothing drawn by the release before (its markup, its
    texts) is read after it, even from a Redis that outlives the processes."""
    ResultsVersion.bump()
    before = ResultsVersion.current()
    call_command("migrate", verbosity=0)
    assert ResultsVersion.current() not in ("", before)
