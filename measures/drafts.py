"""Draft measures for next year's plan from a year's points to improve.

One draft per point to improve: per question or item code (i, e or o; a code the document
repeats under a second indicator is one point), and one per point without a code. A coded draft
is filed under the indicator that the year's code list gives the code (not the one it happens
to stand under in the document); the others under the indicator they stand under.

A draft carries out the point's own recommendation (Finding.recommendation, read from the pasted
analysis): its method is the recommendation, its measure name is made from it, its analysis
quotes the point's own score (else the indicator's) and issue. Only a point without a
recommendation of its own falls back on the standard recommendation of its code, and without
either the method is the point's text. The responsible unit comes from the standard
recommendation, else from the organisation's newest plan row under the same indicator,
else it is the organisation's first unit; the units are matched from it by the plan import's
matcher. The admin edits the drafts and accepts some; accepted drafts become plan rows after
the existing ones, in one transaction.

A drafted row's analysis ends with its code in brackets, "(i๑๐)", as the NACC's own analyses do;
that is how a code already drafted into the plan is recognised and not proposed again. Digits
follow the analysis as written: Thai where it writes Thai digits, Arabic where it writes Arabic.

The drafts are Thai whatever the reader's language: they become the organisation's plan text,
which the data-quality check reads ("ได้รับคะแนน ๙๗.๐๐ คะแนน") and the printed reports show.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from assessments import analysis, scoring
from assessments.models import Finding, Tool
from assessments.responsible import match_units
from lib.thai import CODE_PATTERN, THAI_DIGITS, find_codes, to_thai

from .models import Measure, Plan

# A drafted row's own code, in brackets at the end of its analysis: "... (i๑๐)", "... (o22)".
TRAILING_CODE = re.compile(r"\(\s*([ieoIEO]\s?[0-9๐-๙]{1,2})\s*\)\s*$")
REFERENCE = re.compile(r"\(\s*อ้างอิงจาก\s*")
MEASURE_WORDS = ("มาตรการ", "โครงการ", "กิจกรรม")
# A measure name as short as the seed's plan writes them: whole phrases up to about this length.
NAME_LENGTH = 60


@dataclass
class Draft:
    code: str  # "" for a point without a code
    question: object  # QuestionCode, or None for a point without a listed code
    indicator: object  # Indicator the draft is filed under
    recommendation: object  # the standard Recommendation it was drafted from, or None
    findings: list  # the points to improve it answers, in document order
    in_plan: bool
    initial: dict
    oit_items: list  # (code, title) of the OIT items it refers to

    @property
    def written_under(self):
        """Indicator numbers the document puts this code under, when not only its own."""
        numbers = sorted({f.indicator.number for f in self.findings})
        return numbers if numbers != [self.indicator.number] else []

    @property
    def own_recommendation(self):
        return any(f.recommendation for f in self.findings)


def planned_codes(assessment, plan_year):
    """Question codes that rows of this plan already answer (written in their analysis), and
    the item code a drafted row ends with."""
    analyses = Measure.objects.filter(assessment=assessment, fiscal_year=plan_year).values_list(
        "analysis", flat=True
    )
    codes = {code for text in analyses for code in find_codes(text) if not code.startswith("o")}
    return codes | {
        code for text in analyses if (m := TRAILING_CODE.search(text))
        for code in find_codes(m.group(1))
    }


def propose(assessment, plan_year):
    """The drafts, in document order, for an assessment loaded `with_scores()`."""
    all_codes = list(assessment.fiscal_year.codes.select_related("indicator", "recommendation"))
    codes = {c.code: c for c in all_codes}
    titles = {c.code: c.title for c in all_codes if c.tool == Tool.OIT}
    findings = list(assessment.findings.select_related("indicator"))
    groups = {}
    for finding in (f for f in findings if f.kind == Finding.Kind.IMPROVE):
        groups.setdefault(finding.code or f"#{finding.pk}", []).append(finding)
    scores = assessment.score_map()
    units = list(assessment.organisation.units.active())
    context = {
        "scores": scores, "units": units, "titles": titles, "plan_year": plan_year,
        "in_plan": planned_codes(assessment, plan_year),
        "previous": previous_responsible(assessment),
        "thai_digits": writes_thai_digits(" ".join(f.text for f in findings)),
    }
    return [_draft(group, codes.get(group[0].code), context) for group in groups.values()]


def previous_responsible(assessment):
    """Indicator number -> the responsible text of the first row under it in the organisation's
    newest plan that has one, this plan included (what the organisation chose last time)."""
    rows = Measure.objects.filter(
        assessment__organisation_id=assessment.organisation_id,
        assessment__fiscal_year_id__lte=assessment.fiscal_year_id,
        indicator__isnull=False,
    ).exclude(responsible="").order_by("-fiscal_year", "block", "position").values_list(
        "indicator__number", "responsible")
    found = {}
    for number, responsible in rows:
        found.setdefault(number, responsible)
    return found


def _draft(findings, question, context):
    first = findings[0]
    code = first.code
    indicator = question.indicator if question is not None else first.indicator
    digits = to_thai if context["thai_digits"] else str
    own = next((f.recommendation for f in findings if f.recommendation), "")
    standard = None if own else getattr(question, "recommendation", None)
    score = next((f.score for f in findings if f.score is not None), None)
    if score is None:
        score = context["scores"].get(indicator.number)
    parts = []
    if score is not None:
        parts.append("ได้รับคะแนน {score} คะแนน".format(score=digits(str(scoring.round2(score)))))
    issue = standard.analysis if standard else analysis.issue_of(analysis.split(first.text)[0])
    if not issue and question is not None:
        issue = question.title  # "(o22) ได้ 0 คะแนน ควร...": the item's own name says what is missing
    if issue:
        parts.append("พบว่า {issue}".format(issue=issue))
    if code:
        parts.append(f"({digits(code)})")
    if own:
        method = method_from(own)
    elif standard:
        method = standard.method
    else:
        # A point saved before recommendations had a field of their own: its text still says it.
        issue_part, written = analysis.split(first.text)
        method = method_from(written) if written else analysis.issue_of(issue_part)
    activity = standard.activity if standard else measure_name(method)
    responsible = (standard.responsible if standard else "") or context["previous"].get(indicator.number) or (
        context["units"][0].name if context["units"] else "")
    match = match_units(responsible, context["units"])
    initial = {
        "accept": False,
        "code": code,
        "indicator": indicator.pk,
        "indicator_label": "ตัวชี้วัดที่ {number} {name}".format(
            number=digits(str(indicator.number)), name=indicator.name),
        "analysis": " ".join(parts),
        "activity": activity,
        "method": method,
        "period": "ปีงบประมาณ พ.ศ. {year}".format(year=digits(str(context["plan_year"].year))),
        "responsible": responsible,
        "units": [unit.pk for unit in match.units],
        "for_all_units": standard.for_all_units if standard else match.for_all_units,
    }
    if standard:
        refs = list(standard.oit_refs)
    else:
        refs = [code] if code.startswith("o") else []
        refs += [ref for f in findings for ref in f.oit_refs]
        refs = list(dict.fromkeys(refs))
    oit_items = [(ref, context["titles"].get(ref, "")) for ref in refs]
    return Draft(code, question, indicator, standard, findings, code in context["in_plan"], initial, oit_items)


def writes_thai_digits(text):
    """Whether a text writes its numbers in Thai digits (or has none: Thai is the official way).
    Codes do not count: "๐๘" is how PDF extraction writes o8, whatever the rest of the text does."""
    text = CODE_PATTERN.sub("", text)
    thai = sum(char in THAI_DIGITS for char in text)
    arabic = sum(char in "0123456789" for char in text)
    return thai >= arabic


def method_from(recommendation):
    """The method a recommendation asks for, as a plan writes it: without "หน่วยงานควร" before
    it, references as "(๐๘)" rather than "(อ้างอิงจาก ๐๘)".

    >>> method_from("หน่วยงานควรจัดทำคู่มือ (อ้างอิงจาก ๐๘)")
    'จัดทำคู่มือ (๐๘)'
    """
    text = re.sub(r"^(?:หน่วยงาน\s*)?ควร\s*", "", recommendation.strip())
    return REFERENCE.sub("(", text)


def measure_name(method):
    """A short measure name from its method: its first phrases, as "มาตรการ..." unless it
    names a measure, project or activity itself.

    >>> measure_name("จัดทำคู่มือการยืมทรัพย์สิน (๐๘) และเผยแพร่")
    'มาตรการจัดทำคู่มือการยืมทรัพย์สิน'
    """
    name = ""
    for phrase in method.split():
        if phrase.startswith("(") or (name and len(name) + len(phrase) >= NAME_LENGTH):
            break
        name = f"{name} {phrase}".strip()
        if len(name) >= NAME_LENGTH // 2:
            break
    return name if not name or name.startswith(MEASURE_WORDS) else f"มาตรการ{name}"


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
