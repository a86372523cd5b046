"""Whoever had turned the daily reminder e-mail off (accounts.Membership.reminders_enabled, which
the next accounts migration removes) keeps it off: their e-mail for the digests that replace it
is turned off too."""

from django.db import migrations

REPLACING_THE_REMINDER = ["due_digest", "no_progress"]


def carry_over(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Preference = apps.get_model("notifications", "Preference")
    Preference.objects.bulk_create([
        Preference(user_id=user_id, kind=kind, email=False)
        for user_id in Membership.objects.filter(reminders_enabled=False).values_list("user_id", flat=True)
        for kind in REPLACING_THE_REMINDER
    ], ignore_conflicts=True)


def carry_back(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Preference = apps.get_model("notifications", "Preference")
    off = Preference.objects.filter(kind="due_digest", email=False).values("user_id")
    Membership.objects.filter(user_id__in=off).update(reminders_enabled=False)


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
        ("accounts", "0004_membership_units_of_own_organisation"),
    ]

    operations = [migrations.RunPython(carry_over, carry_back)]
