"""Load the reference data and the seed document from the JSON files in `fixtures/`.

Both loaders are idempotent: what exists already (matched by its natural key) is left as it is,
so running them again neither fails, duplicates rows, nor undoes an admin's edits. Each runs in
one transaction, so a failure leaves nothing half-written.
"""

import json
from decimal import Decimal
from pathlib import Path

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction

from measures.models import Measure, Plan

from .models import (
    Assessment,
    FiscalYear,
    Finding,
    Indicator,
    IndicatorScore,
    Level,
    Organisation,
    QuestionCode,
    Recommendation,
    SubIndicator,
    Unit,
    weights_error,
)
from .responsible import match_units

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
REFERENCE_FILE = FIXTURES / "reference.json"
SEED_FILE = FIXTURES / "seed_wangmi.json"
RECOMMENDATIONS_FILE = FIXTURES / "recommendations.json"


def _decimal(value):
    return None if value is None else Decimal(value)


def read_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


class ReferenceDataError(ValueError):
    """A reference data file that must not be loaded; the message says why, in Thai."""


def check_reference(data):
    """Refuse a file before anything is written: weights that do not add up to 1 would give
    every overall score of that year wrong, and a rounding rule the engine does not know would
    decide its levels on nobody knows what."""
    for entry in data["fiscal_years"]:
        weights = {tool: Decimal(entry["weights"][tool]) for tool in ("IIT", "EIT", "OIT")}
        if sum(weights.values()) != 1:
            raise ReferenceDataError(weights_error(entry["year"], weights))
        rounding = entry.get("rounding", FiscalYear.Rounding.PUBLISHED)
        if rounding not in FiscalYear.Rounding.values:
            raise ReferenceDataError(
                f"ปีงบประมาณ {entry['year']}: ไม่รู้จักกฎการปัดเศษ “{rounding}” "
                f"(ใช้ได้: {', '.join(FiscalYear.Rounding.values)})"
            )


# Loading the files shipped with the portal is nobody's change: it writes no audit entries.
@disable_auditlog()
@transaction.atomic
def load_reference(data=None):
    """Create the fiscal years with their levels, indicators, sub-indicators and codes, and the
    standard recommendations of those codes. Rows that exist already are left as they are.

    Returns the number of rows created (0 on a second run). Raises ReferenceDataError, having
    written nothing, for a file whose weights of a year do not add up to 1.
    """
    data = data or read_json(REFERENCE_FILE)
    check_reference(data)
    entries = data["fiscal_years"]
    years, added = add_missing(FiscalYear, lambda y: y.year, [
        FiscalYear(
            year=entry["year"],
            iit_weight=Decimal(entry["weights"]["IIT"]),
            eit_weight=Decimal(entry["weights"]["EIT"]),
            oit_weight=Decimal(entry["weights"]["OIT"]),
            pass_mark=Decimal(entry["pass_mark"]),
            rounding=entry.get("rounding", FiscalYear.Rounding.PUBLISHED),
            oit_list_complete=entry.get("oit_list_complete", False),
            notes=entry["notes"],
        )
        for entry in entries
    ])
    created = len(added)
    _, added = add_missing(Level, lambda level: (level.fiscal_year_id, level.rank), [
        Level(fiscal_year=years[entry["year"]], rank=level["rank"], name=level["name"],
              min_overall=Decimal(level["min_overall"]), min_tool_mean=_decimal(level["min_tool_mean"]),
              passed=level["passed"])
        for entry in entries for level in entry["levels"]
    ])
    created += len(added)
    indicators, added = add_missing(Indicator, lambda i: (i.fiscal_year_id, i.number), [
        Indicator(fiscal_year=years[entry["year"]], number=item["number"], name=item["name"],
                  tool=item["tool"], variant_names="\n".join(item["variant_names"]),
                  misspellings="\n".join(item.get("misspellings", [])))
        for entry in entries for item in entry["indicators"]
    ])
    created += len(added)
    subs, added = add_missing(SubIndicator, lambda sub: (sub.fiscal_year_id, sub.code), [
        SubIndicator(fiscal_year=years[entry["year"]], code=item["code"], name=item["name"],
                     indicator=indicators[entry["year"], item["indicator"]], confidence=item["confidence"])
        for entry in entries for item in entry["sub_indicators"]
    ])
    created += len(added)
    _, added_codes = add_missing(QuestionCode, lambda c: (c.fiscal_year_id, c.code), [
        QuestionCode(fiscal_year=years[entry["year"]], code=item["code"], tool=item["tool"],
                     indicator=indicators[entry["year"], item["indicator"]],
                     sub_indicator=subs.get((entry["year"], item["sub"])), title=item["title"],
                     confidence=item["confidence"], source=item["source"])
        for entry in entries for item in entry["codes"]
    ])
    created += len(added_codes)
    gained_items = {code.fiscal_year_id for code in added_codes if code.tool == "OIT"}
    for entry in entries:
        year = years[entry["year"]]
        if year.year in gained_items and entry.get("oit_list_complete") and not year.oit_list_complete:
            # This file has just completed a year's OIT list (existing years gain their items
            # this way): mark it complete. A year it adds nothing to keeps its mark as it is.
            year.oit_list_complete = True
            year.save(update_fields=["oit_list_complete"])
    return created + load_recommendations()


def add_missing(model, key, wanted):
    """Insert, in one statement, the rows of `wanted` whose key is not in `model`'s table yet.

    Returns ({key: row} of every wanted row as stored, the rows inserted). For the small
    reference tables: one query reads what is there, a per-row get_or_create took hundreds.
    """
    stored = {key(row): row for row in model.objects.all()}
    missing = {}
    for row in wanted:  # the first of rows with one key, as get_or_create would keep
        if key(row) not in stored:
            missing.setdefault(key(row), row)
    model.objects.bulk_create(missing.values())  # sets their primary keys (PostgreSQL, SQLite >= 3.35)
    stored.update(missing)
    return stored, list(missing.values())


@disable_auditlog()
@transaction.atomic
def load_recommendations(data=None):
    """Create the standard recommendation of each question code that has none yet.

    Entries whose code is not in the reference data are skipped. Returns the number created.
    """
    data = data or read_json(RECOMMENDATIONS_FILE)
    codes = {(c.fiscal_year_id, c.code): c for c in QuestionCode.objects.all()}
    _, added = add_missing(Recommendation, lambda r: r.question_id, [
        Recommendation(question=codes[item["fiscal_year"], item["code"]], **{
            field: item[field]
            for field in ("analysis", "activity", "method", "oit_refs", "responsible", "for_all_units", "source")
        })
        for item in data["recommendations"]
        if (item["fiscal_year"], item["code"]) in codes
    ])
    return len(added)


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
