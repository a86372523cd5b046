import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0002_recommendation_checkreview"),
        ("measures", "0005_plan_for_every_row"),
    ]

    operations = [
        migrations.AlterField(
            model_name="measure",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="measures", to="measures.plan",
                verbose_name="แผน",
            ),
        ),
        migrations.AddConstraint(
            model_name="measure",
            constraint=models.CheckConstraint(
                condition=models.Q(("plan", models.F("assessment"))), name="measure_plan_of_its_assessment"
            ),
        ),
    ]
