"""Who sent a member's invitation (they are told when it is accepted), and no daily-reminder
flag (notifications' preferences replaced it: notifications 0002 carried the choices over).

Going back, SQLite rebuilds accounts_membership to add the flag again, and a rebuilt table has
no triggers while the membership-unit triggers of accounts 0004 name it: they are dropped
before and made again after (PostgreSQL keeps them through ALTER TABLE)."""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

triggers = importlib.import_module("accounts.migrations.0004_membership_units_of_own_organisation")


def _on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements():
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_membership_units_of_own_organisation"),
        ("notifications", "0002_reminder_choices_carried_over"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _on_sqlite(triggers.sqlite)),
        migrations.RemoveField(
            model_name="membership",
            name="reminders_enabled",
        ),
        migrations.AddField(
            model_name="membership",
            name="invited_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="ผู้ส่งคำเชิญ",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, _on_sqlite(triggers.sqlite_reverse)),
    ]
