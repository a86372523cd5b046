"""The data migration that makes plans explicit: every existing row gets its assessment's plan."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("measures", "0004_plans")]  # the Plan table exists, rows do not name one yet
DATA = [("measures", "0005_plan_for_every_row")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    # The other apps stay where they are (assessments at its newest), so the historical models
    # built for the targets must know their newest fields too.
    assessments = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "assessments"]
    targets = [*targets, *assessments] if all(app != "assessments" for app, _name in targets) else targets
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def make_rows(apps, years_of_rows):
    """An organisation with one assessment per key of `years_of_rows`, each with rows in the
    fiscal years listed (historical models of the state before the migration)."""
    FiscalYear = apps.get_model("assessments", "FiscalYear")
    Organisation = apps.get_model("assessments", "Organisation")
    Assessment = apps.get_model("assessments", "Assessment")
    Measure = apps.get_model("measures", "Measure")
    for year in range(2566, 2571):
        FiscalYear.objects.get_or_create(year=year)
    organisation = Organisation.objects.create(name="อบต.ก่อนมีแผน")
    for year, row_years in years_of_rows.items():
        assessment = Assessment.objects.create(organisation=organisation, fiscal_year_id=year)
        for row_year in row_years:
            Measure.objects.create(assessment=assessment, fiscal_year_id=row_year, indicator_label="ตัวชี้วัดที่ ๙",
                                   activity="มาตรการเดิม")


@pytest.mark.django_db(transaction=True)
def test_every_existing_row_gets_the_plan_of_its_assessment():
    apps = migrate(BEFORE)
    make_rows(apps, {2567: [2568], 2568: [2569, 2569], 2566: []})
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from measures.models import Measure, Plan

    plans = {plan.assessment.fiscal_year_id: plan for plan in Plan.objects.select_related("assessment")}
    assert {year: (plan.fiscal_year_id, plan.state) for year, plan in plans.items()} == {
        2567: (2568, "draft"), 2568: (2569, "draft")}  # an assessment without rows gets no plan
    assert all(m.plan_id == m.assessment_id for m in Measure.objects.all())
    assert plans[2568].measures.count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_assessment_with_rows_in_two_years_stops_the_migration_with_its_name():
    apps = migrate(BEFORE)
    make_rows(apps, {2568: [2569, 2570]})
    with pytest.raises(RuntimeError, match="have plan rows in more than one fiscal year"):
        migrate(DATA)
    # The tests after this one need the schema of today.
    apps.get_model("measures", "Measure").objects.all().delete()
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
