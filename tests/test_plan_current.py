"""/plan/ opens the newest plan, or this fiscal year's, and never a year the portal lacks."""

from datetime import date

from django.urls import reverse

from assessments.models import FiscalYear
from lib import thai

from .conftest import make_measure


def test_plan_opens_at_the_newest_plan_of_the_organisation(assessment, palad, client_for):
    make_measure(assessment, [palad])
    response = client_for("staff").get(reverse("measures:current"))
    assert response["Location"] == reverse("measures:plan", args=[2569])


def test_plan_opens_at_a_year_just_started_before_it_has_rows(assessment, palad, client_for, org, personas):
    from measures.services import year_start

    make_measure(assessment, [palad])
    year_start(organisation=org, year=2569, by=personas["org_admin"])
    response = client_for("staff").get(reverse("measures:current"))
    assert response["Location"] == reverse("measures:plan", args=[2570])


def test_a_fiscal_year_beyond_the_reference_data_falls_back_to_the_newest_known(assessment, client_for):
    """Were today's fiscal year not in the reference data yet, a 404 would greet every new
    organisation; the newest year the portal knows opens instead."""
    newest_known = thai.fiscal_year_of(date.today()) - 1
    FiscalYear.objects.filter(year__gt=newest_known).delete()
    response = client_for("staff").get(reverse("measures:current"), follow=True)
    assert response.redirect_chain[0][0] == reverse("measures:plan", args=[newest_known])
    assert response.status_code == 200


def test_reference_data_holds_the_current_fiscal_year_with_its_indicators(reference):
    year = reference[2570]
    assert year.indicators.count() == 10
    assert [level.name for level in year.levels.all()][:3] == ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน"]
