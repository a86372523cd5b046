"""The OIT criteria of each year's items, from the reference data (fixtures/reference.json).

Each OIT code there may carry an "oit" object: what the NACC asks for ("criteria", empty where
unknown), its confidence and source, and whether the portal publishes the item itself
("portal_document": "plan" or "progress"). Like the reference loader, this adds what is
missing and leaves what exists (a platform staff member's edit in the admin stays).
"""

from auditlog.context import disable_auditlog
from django.db import transaction

from assessments.loaders import REFERENCE_FILE, add_missing, read_json
from assessments.models import QuestionCode

from .models import Criteria


@disable_auditlog()
@transaction.atomic
def load_criteria(data=None, year=None):
    """Create the Criteria of every OIT code (of `year`, or of every year) that has none yet;
    returns how many were created."""
    data = data or read_json(REFERENCE_FILE)
    codes = QuestionCode.objects.filter(tool="OIT")
    if year is not None:
        codes = codes.filter(fiscal_year_id=year)
    codes = {(code.fiscal_year_id, code.code): code for code in codes}
    wanted = []
    for entry in data["fiscal_years"]:
        for item in entry["codes"]:
            code = codes.get((entry["year"], item["code"]))
            if code is None or "oit" not in item:
                continue
            oit = item["oit"]
            wanted.append(Criteria(
                question=code, text=oit.get("criteria", ""), confidence=oit.get("criteria_confidence", "unknown"),
                source=oit.get("criteria_source", ""), portal_document=oit.get("portal_document", ""),
            ))
    _stored, added = add_missing(Criteria, lambda criteria: criteria.question_id, wanted)
    return len(added)
