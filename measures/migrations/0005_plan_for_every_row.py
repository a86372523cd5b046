"""Give every existing plan row its plan: one Plan (a draft) per assessment that has rows.

Until now a plan was implicit, the rows of an assessment. Every way the portal made rows put
them in the fiscal year after their assessment's; a database edited by hand could hold an
assessment whose rows lie in several years, which one plan per assessment cannot represent, so
the migration stops and names them rather than guess.
"""

from django.db import migrations
from django.db.models import Count, F


def create_plans(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    Plan = apps.get_model("measures", "Plan")
    # order_by(): the model's ordering would otherwise join the grouping and the DISTINCT.
    mixed = list(
        Measure.objects.order_by().values("assessment_id").annotate(years=Count("fiscal_year", distinct=True))
        .filter(years__gt=1).values_list("assessment_id", flat=True)
    )
    if mixed:
        raise RuntimeError(
            f"assessments {mixed} have plan rows in more than one fiscal year: move each row to "
            "the fiscal year after its assessment's, then migrate again"
        )
    pairs = Measure.objects.order_by().values_list("assessment_id", "fiscal_year_id").distinct()
    Plan.objects.bulk_create(
        [Plan(assessment_id=assessment, fiscal_year_id=year, state="draft") for assessment, year in pairs],
        batch_size=1000,
    )
    Measure.objects.update(plan_id=F("assessment_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("measures", "0004_plans"),
    ]

    operations = [
        migrations.RunPython(create_plans, migrations.RunPython.noop),
    ]
