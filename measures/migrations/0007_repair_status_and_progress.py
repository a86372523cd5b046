"""Repair the rows whose status and progress disagree, before the constraints that forbid them.

Until now only the plan's forms held the rule "done means 100 %, not started means 0 %": the
Excel import wrote what a file said, so a row can be done at 40 % or not started at 30 %. Each
such row becomes "in progress" with its progress left as it is: the percentage is what someone
typed for that row, and a plan should never claim more than its numbers say (a done row short of
100 % is reported as not done yet; a not-started row with progress has started). Cancelled and
in-progress rows are untouched. The rows' `version` moves on, so a form opened before the
migration does not overwrite the repair unseen.

The repair is not in the rows' change history or the audit log (migrations run without them);
`manage.py migrate` prints how many rows it repaired. Reversing it changes nothing back.
"""

from django.db import migrations
from django.db.models import F, Q


def repair(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    wrong = Measure.objects.filter(
        (Q(status="done") & ~Q(progress=100)) | (Q(status="not_started") & ~Q(progress=0))
    )
    repaired = wrong.update(status="in_progress", version=F("version") + 1)
    if repaired:
        print(f"\n  measures: {repaired} rows whose status disagreed with their progress are now in progress")


class Migration(migrations.Migration):
    dependencies = [("measures", "0006_plan_required")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
