"""A member's units are units of the member's own organisation, whatever code writes them.

Triggers on the three tables a pair is made of, because it can go wrong three ways: a
membership-unit row naming a foreign unit, a membership moved to another organisation with its
units, a unit moved to another organisation with its members. Each refuses the write as an
integrity error. Triggers rather than Python validation because every path (units.add/set, the
through model's bulk_create, loaddata, raw SQL) ends as these rows, and only the database sees
them all.

SQLite rebuilds a table when a later migration alters it in ways ALTER TABLE cannot, and the
rebuilt table has no triggers: such a migration of accounts_membership, accounts_membership_units
or assessments_unit must create them again (tests/test_membership_units.py fails on SQLite
until it does).
"""

from django.db import migrations

ERROR = "membership_unit_of_another_organisation"

# The three rows a pair is made of (the membership-unit row, the membership, the unit): whichever
# of them is written last meets the other two and is refused if their organisations differ. A row
# whose partner is not there yet passes (`<>` with a missing side is not true): loaddata, as a
# restore runs it, writes memberships before units with the foreign keys checked at commit, and
# the partner's own trigger checks the pair when it arrives.
PAIR_DIFFERS = """(SELECT organisation_id FROM assessments_unit WHERE id = NEW.unit_id)
    <> (SELECT organisation_id FROM accounts_membership WHERE id = NEW.membership_id)"""
MEMBER_HAS_FOREIGN_UNIT = """EXISTS (
    SELECT 1 FROM accounts_membership_units mu JOIN assessments_unit u ON u.id = mu.unit_id
    WHERE mu.membership_id = NEW.id AND u.organisation_id <> NEW.organisation_id)"""
UNIT_HAS_FOREIGN_MEMBER = """EXISTS (
    SELECT 1 FROM accounts_membership_units mu JOIN accounts_membership m ON m.id = mu.membership_id
    WHERE mu.unit_id = NEW.id AND m.organisation_id <> NEW.organisation_id)"""
RULES = [
    # (trigger and function name, table, the columns an UPDATE is checked for, condition)
    ("accounts_membership_units_same_organisation", "accounts_membership_units", "membership_id, unit_id",
     PAIR_DIFFERS),
    ("accounts_membership_keeps_own_units", "accounts_membership", "organisation_id", MEMBER_HAS_FOREIGN_UNIT),
    ("assessments_unit_keeps_own_members", "assessments_unit", "organisation_id", UNIT_HAS_FOREIGN_MEMBER),
]


def sqlite():
    for name, table, columns, condition in RULES:
        for event, suffix in (("INSERT", "insert"), (f"UPDATE OF {columns}", "update")):
            yield f"""CREATE TRIGGER {name}_{suffix} BEFORE {event} ON {table} FOR EACH ROW
                WHEN {condition}
                BEGIN SELECT RAISE(ABORT, '{ERROR}'); END"""


def sqlite_reverse():
    for name, _table, _columns, _condition in RULES:
        yield f"DROP TRIGGER IF EXISTS {name}_insert"
        yield f"DROP TRIGGER IF EXISTS {name}_update"


def postgresql():
    for name, table, columns, condition in RULES:
        # check_violation (SQLSTATE 23514) reaches Django as an IntegrityError.
        yield f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
            BEGIN
                IF {condition} THEN
                    RAISE EXCEPTION '{ERROR}' USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql"""
        yield f"""CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF {columns} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {name}()"""


def postgresql_reverse():
    for name, table, _columns, _condition in RULES:
        yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
        yield f"DROP FUNCTION IF EXISTS {name}()"


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"no membership-unit triggers for {vendor}")
        for statement in statements[vendor]():
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_membership_invited_at"),
        ("assessments", "0007_unit_retirement_organisation_name_per_district"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": sqlite, "postgresql": postgresql}),
            _run({"sqlite": sqlite_reverse, "postgresql": postgresql_reverse}),
        ),
    ]
