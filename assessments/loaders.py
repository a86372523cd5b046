"""Load the reference data (and the standard recommendations) from the JSON files in `fixtures/`;
the seed document is loaded by ita_portal/seed.py.

The loaders are idempotent: what exists already (matched by its natural key) is left as it is,
so running them again neither fails, duplicates rows, nor undoes an admin's edits. Each runs in
one transaction, so a failure leaves nothing half-written.
"""

import json
from decimal import Decimal
from pathlib import Path

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction

from .models import (
    FiscalYear,
    Indicator,
    Level,
    QuestionCode,
    Recommendation,
    SubIndicator,
    weights_error,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
REFERENCE_FILE = FIXTURES / "reference.json"
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
