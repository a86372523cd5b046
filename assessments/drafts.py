"""Draft measures for next year's plan from a year's points to improve.

One draft per question code among the points to improve, filed under the indicator that the
year's code list gives the code (not the one it happens to stand under in the document), and
written from the code's standard recommendation. The admin edits the drafts and accepts some;
accepted drafts become plan rows after the existing ones, in one transaction.

A drafted row's analysis ends with its code in brackets, "(i๑๐)", as the NACC's own analyses do;
that is how a code already drafted into the plan is recognised and not proposed again.

The drafts are Thai whatever the reader's language: they become the organisation's plan text,
which the data-quality check reads ("ได้รับคะแนน ๙๗.๐๐ คะแนน") and the printed reports show.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from measures.models import Measure, Plan

from . import scoring
from .models import Finding, Tool
from .thai import find_codes, to_thai


@dataclass
class Draft:
    code: str
    question: object  # QuestionCode
    recommendation: object  # Recommendation or None
    findings: list  # the points to improve that give this code, in document order
    in_plan: bool
    initial: dict
    oit_items: list  # (code, title) of the items the recommendation refers to

    @property
    def written_under(self):
        """Indicator numbers the document puts this code under, when not only its own."""
        numbers = sorted({f.indicator.number for f in self.findings})
        return numbers if numbers != [self.question.indicator.number] else []


def planned_codes(assessment, plan_year):
    """Question codes that rows of this plan already answer (written in their analysis)."""
    analyses = Measure.objects.filter(assessment=assessment, fiscal_year=plan_year).values_list(
        "analysis", flat=True
    )
    return {code for text in analyses for code in find_codes(text) if not code.startswith("o")}


def propose(assessment, plan_year):
    """(drafts, findings that cannot be drafted) for an assessment loaded `with_scores()`.

    A point to improve cannot be drafted when it has no code or a code the year does not list.
    """
    all_codes = list(assessment.fiscal_year.codes.select_related("indicator", "recommendation"))
    codes = {c.code: c for c in all_codes if c.tool != Tool.OIT}
    titles = {c.code: c.title for c in all_codes if c.tool == Tool.OIT}
    findings = assessment.findings.filter(kind=Finding.Kind.IMPROVE).select_related("indicator")
    by_code, undraftable = {}, []
    for finding in findings:
        if finding.code in codes:
            by_code.setdefault(finding.code, []).append(finding)
        else:
            undraftable.append(finding)
    scores = assessment.score_map()
    units = {unit.name: unit for unit in assessment.organisation.units.active()}
    in_plan = planned_codes(assessment, plan_year)
    drafts = [
        _draft(codes[code], found, scores, units, titles, plan_year, code in in_plan)
        for code, found in by_code.items()
    ]
    return drafts, undraftable


def _draft(question, findings, scores, units, titles, plan_year, in_plan):
    indicator = question.indicator
    recommendation = getattr(question, "recommendation", None)
    score = scores.get(indicator.number)
    parts = []
    if score is not None:
        parts.append("ได้รับคะแนน {score} คะแนน".format(score=to_thai(str(scoring.round2(score)))))
    if recommendation is not None:
        parts.append("พบว่า {analysis}".format(analysis=recommendation.analysis))
    parts.append(f"({to_thai(question.code)})")
    unit = units.get(recommendation.responsible) if recommendation else None
    initial = {
        "accept": False,
        "code": question.code,
        "indicator": indicator.pk,
        "indicator_label": "ตัวชี้วัดที่ {number} {name}".format(
            number=to_thai(str(indicator.number)), name=indicator.name),
        "analysis": " ".join(parts),
        "activity": recommendation.activity if recommendation else "",
        "method": recommendation.method if recommendation else "",
        "period": "ปีงบประมาณ พ.ศ. {year}".format(year=to_thai(str(plan_year.year))),
        "responsible": recommendation.responsible if recommendation else "",
        "units": [unit.pk] if unit else [],
        "for_all_units": recommendation.for_all_units if recommendation else False,
    }
    refs = recommendation.oit_refs if recommendation else []
    oit_items = [(ref, titles.get(ref, "")) for ref in refs]
    return Draft(question.code, question, recommendation, findings, in_plan, initial, oit_items)


@transaction.atomic
def drafts_accept(*, assessment, plan_year, accepted):
    """Create one plan row per accepted draft (cleaned DraftForm data), after the existing rows
    of the plan and in its last table. Returns the rows created; ChangeRefused when the plan
    does not take new rows now (approved, or of a past year)."""
    plan = Plan.objects.lock(Plan.objects.of_assessment(assessment).pk, Plan.CONTENT)
    last = plan.measures.aggregate(
        position=Max("position"), block=Max("block")
    )
    position, block = last["position"] or 0, last["block"] or 1
    created = []
    for data in accepted:
        position += 1
        measure = Measure.objects.create(
            plan=plan,
            assessment=assessment,
            fiscal_year=plan_year,
            indicator=data["indicator"],
            **{column: data[column] for column in Measure.OFFICIAL_COLUMNS},
            for_all_units=data["for_all_units"],
            block=block,
            position=position,
        )
        measure.units.set(data["units"])
        created.append(measure)
    plan.refresh_progress()
    return created
