"""Load the seed document (fixtures/seed_wangmi.json): the seed organisation with its units,
assessments, findings and plan, exactly as written.

It spans assessments (results) and measures (the plan), so it lives at the project's top floor,
which every app is below. Idempotent like the reference loaders (assessments/loaders.py): an
organisation that exists already is left as it is, and it runs in one transaction.
"""

from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db import transaction

from assessments.loaders import FIXTURES, load_reference, read_json
from assessments.models import Assessment, FiscalYear, Finding, IndicatorScore, Organisation, Unit
from assessments.responsible import match_units
from measures.models import Measure, Plan

SEED_FILE = FIXTURES / "seed_wangmi.json"


def _decimal(value):
    return None if value is None else Decimal(value)


@disable_auditlog()
@transaction.atomic
def load_seed(data=None):
    """Load the seed organisation with its assessments, findings and plan, exactly as written.

    Does nothing (returns None) when the organisation exists already; otherwise returns it.
    """
    data = data or read_json(SEED_FILE)
    load_reference()
    org_data = data["organisation"]
    if Organisation.objects.filter(name=org_data["name"]).exists():
        return None
    organisation = Organisation.objects.create(**org_data)
    # A unit is its name, or its name with the other names its rows' responsible text uses.
    units = [
        Unit.objects.create(
            organisation=organisation, position=position,
            **({"name": unit} if isinstance(unit, str)
               else {"name": unit["name"], "other_names": "\n".join(unit["other_names"])}),
        )
        for position, unit in enumerate(data["units"], start=1)
    ]
    for entry in data["assessments"]:
        year = FiscalYear.objects.get(year=entry["fiscal_year"])
        assessment = Assessment.objects.create(
            organisation=organisation,
            fiscal_year=year,
            published_overall=_decimal(entry.get("published_overall")),
            published_level=entry.get("published_level", ""),
            summary=entry.get("summary", ""),
        )
        indicators = {i.number: i for i in year.indicators.all()}
        IndicatorScore.objects.bulk_create(
            IndicatorScore(
                assessment=assessment,
                indicator=indicators[row["number"]],
                score=Decimal(row["score"]),
                name_as_written=row["name_as_written"],
                heading_as_written=row["heading_as_written"],
            )
            for row in entry.get("scores", [])
        )
        Finding.objects.bulk_create(
            Finding(
                assessment=assessment,
                indicator=indicators[row["indicator"]],
                kind=row["kind"],
                code=row["code"],
                score=_decimal(row["score"]),
                text=row["text"],
                recommendation=row.get("recommendation", ""),
                oit_refs=row["oit_refs"],
                sub_indicator_refs=row["sub_indicator_refs"],
                position=position,
            )
            for position, row in enumerate(entry.get("findings", []), start=1)
        )
        plan_data = entry.get("plan")
        if plan_data:
            plan = Plan.objects.create(
                assessment=assessment, fiscal_year=FiscalYear.objects.get(year=plan_data["fiscal_year"])
            )
            for position, row in enumerate(plan_data["measures"], start=1):
                # The units come from the responsible text as written, by the same function
                # as the plan import's (assessments.responsible).
                match = match_units(row["responsible"], units)
                measure = plan.new_row(
                    # The row names its indicator by number; the number is what we file it
                    # under, whatever name the row pairs with it.
                    indicator=indicators.get(row["indicator"]),
                    **{column: row[column] for column in Measure.OFFICIAL_COLUMNS},
                    for_all_units=match.for_all_units,
                    block=row["block"],
                    position=position,
                )
                measure.save()
                measure.units.set(match.units)
            plan.refresh_progress()
    Assessment.objects.filter(organisation=organisation).refresh_results()
    return organisation
