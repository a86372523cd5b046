"""A member's units are units of the member's own organisation, whatever code writes them.

Three triggers, because a pair can go wrong three ways: a membership-unit row naming a foreign
unit, a membership moved to another organisation with its units, a unit moved to another
organisation with its members. Each refuses the write as an integrity error. Triggers rather
than Python validation because every path (units.add/set, the through model's bulk_create,
loaddata, raw SQL) ends as these rows, and only the database sees them all.

SQLite rebuilds a table when a later migration alters it in ways ALTER TABLE cannot, and the
rebuilt table has no triggers: such a migration of accounts_membership, accounts_membership_units
or assessments_unit must create them again (tests/test_membership_units.py fails on SQLite
until it does).
"""

from django.db import migrations

ERROR = "membership_unit_of_another_organisation"

SQLITE = [
    f"""CREATE TRIGGER accounts_membership_units_same_organisation_insert
        BEFORE INSERT ON accounts_membership_units FOR EACH ROW
        WHEN (SELECT organisation_id FROM assessments_unit WHERE id = NEW.unit_id)
             IS NOT (SELECT organisation_id FROM accounts_membership WHERE id = NEW.membership_id)
        BEGIN SELECT RAISE(ABORT, '{ERROR}'); END""",
    f"""CREATE TRIGGER accounts_membership_units_same_organisation_update
        BEFORE UPDATE OF membership_id, unit_id ON accounts_membership_units FOR EACH ROW
        WHEN (SELECT organisation_id FROM assessments_unit WHERE id = NEW.unit_id)
             IS NOT (SELECT organisation_id FROM accounts_membership WHERE id = NEW.membership_id)
        BEGIN SELECT RAISE(ABORT, '{ERROR}'); END""",
    f"""CREATE TRIGGER accounts_membership_keeps_own_units
        BEFORE UPDATE OF organisation_id ON accounts_membership FOR EACH ROW
        WHEN EXISTS (SELECT 1 FROM accounts_membership_units mu JOIN assessments_unit u ON u.id = mu.unit_id
                     WHERE mu.membership_id = NEW.id AND u.organisation_id <> NEW.organisation_id)
        BEGIN SELECT RAISE(ABORT, '{ERROR}'); END""",
    f"""CREATE TRIGGER assessments_unit_keeps_own_members
        BEFORE UPDATE OF organisation_id ON assessments_unit FOR EACH ROW
        WHEN EXISTS (SELECT 1 FROM accounts_membership_units mu JOIN accounts_membership m ON m.id = mu.membership_id
                     WHERE mu.unit_id = NEW.id AND m.organisation_id <> NEW.organisation_id)
        BEGIN SELECT RAISE(ABORT, '{ERROR}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_membership_units_same_organisation_insert",
    "DROP TRIGGER IF EXISTS accounts_membership_units_same_organisation_update",
    "DROP TRIGGER IF EXISTS accounts_membership_keeps_own_units",
    "DROP TRIGGER IF EXISTS assessments_unit_keeps_own_members",
]


def _plpgsql(name, condition):
    # check_violation (SQLSTATE 23514) reaches Django as an IntegrityError.
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN
            IF {condition} THEN
                RAISE EXCEPTION '{ERROR}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql"""


POSTGRESQL = [
    _plpgsql("accounts_membership_units_same_organisation", """
        (SELECT organisation_id FROM assessments_unit WHERE id = NEW.unit_id)
        IS DISTINCT FROM (SELECT organisation_id FROM accounts_membership WHERE id = NEW.membership_id)"""),
    """CREATE TRIGGER accounts_membership_units_same_organisation
        BEFORE INSERT OR UPDATE ON accounts_membership_units FOR EACH ROW
        EXECUTE FUNCTION accounts_membership_units_same_organisation()""",
    _plpgsql("accounts_membership_keeps_own_units", """
        EXISTS (SELECT 1 FROM accounts_membership_units mu JOIN assessments_unit u ON u.id = mu.unit_id
                WHERE mu.membership_id = NEW.id AND u.organisation_id <> NEW.organisation_id)"""),
    """CREATE TRIGGER accounts_membership_keeps_own_units
        BEFORE UPDATE OF organisation_id ON accounts_membership FOR EACH ROW
        EXECUTE FUNCTION accounts_membership_keeps_own_units()""",
    _plpgsql("assessments_unit_keeps_own_members", """
        EXISTS (SELECT 1 FROM accounts_membership_units mu JOIN accounts_membership m ON m.id = mu.membership_id
                WHERE mu.unit_id = NEW.id AND m.organisation_id <> NEW.organisation_id)"""),
    """CREATE TRIGGER assessments_unit_keeps_own_members
        BEFORE UPDATE OF organisation_id ON assessments_unit FOR EACH ROW
        EXECUTE FUNCTION assessments_unit_keeps_own_members()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_membership_units_same_organisation ON accounts_membership_units",
    "DROP TRIGGER IF EXISTS accounts_membership_keeps_own_units ON accounts_membership",
    "DROP TRIGGER IF EXISTS assessments_unit_keeps_own_members ON assessments_unit",
    "DROP FUNCTION IF EXISTS accounts_membership_units_same_organisation()",
    "DROP FUNCTION IF EXISTS accounts_membership_keeps_own_units()",
    "DROP FUNCTION IF EXISTS assessments_unit_keeps_own_members()",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"no membership-unit triggers for {vendor}")
        for statement in statements[vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_membership_invited_at"),
        ("assessments", "0003_unit_retirement_organisation_name_per_district"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
