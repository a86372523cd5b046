"""The data-quality check: every inconsistency of an assessment and its plan.

Nothing is corrected: each inconsistency becomes an `Issue` that says where it is, what is
wrong and why it matters, under a stable key built from the facts it is about (row ids, codes,
numbers), so that an admin's review mark (CheckReview) stays attached when the check runs again
and lapses when those facts change.

Plan rows and findings are read as people write them (Thai or Arabic digits, names broken by
spaces, "อ้างอิงจาก ๐๘"). A name is accepted when it is the official name or a variant spelling
in real use of its own indicator; a misspelling the reference data records, or a name that
resembles one of its own indicator's names, is recognised but reported as differing from the
official name (low severity); the name of another indicator is an error.

Items are of two kinds: errors in the documents (`todo` false), and work still to do in the
portal (a row without an assigned unit, a period, a method or an indicator), which the page and
the command list apart so that the to-dos do not drown the errors. Each has a severity.
"""

import difflib
import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import scoring
from .display import level_label
from .models import Finding, Tool
from lib.names import (
    heading_number,
    indicators_named,
    label_number,
    quoted_score,
    resembles,
    squash,
    written_name,
)
from lib.thai import find_codes, to_arabic

HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITY_LABELS = {
    HIGH: gettext_lazy("ร้ายแรง"),
    MEDIUM: gettext_lazy("ควรแก้"),
    LOW: gettext_lazy("เล็กน้อย"),
}
# Two measures are "the same measure written twice" when their activity and method, with every
# space removed and Thai digits read as Arabic, are at least this alike (difflib's ratio, 2 x
# matching characters / both lengths): the seed's two rows for indicator 9 score 0.95, any
# other pair of its rows at most 0.33.
NEAR_DUPLICATE = 0.85
# Comparing every pair of rows costs n² ratios; past this many rows only identical measures
# are looked for (a plan has tens of rows; the national dataset 13 on average).
NEAR_DUPLICATE_MAX_ROWS = 2000


@dataclass(frozen=True)
class Issue:
    key: str
    where: str
    problem: str
    why: str
    severity: str = MEDIUM
    todo: bool = False  # work still to do in the portal, not an error in the documents

    @property
    def severity_label(self):
        return SEVERITY_LABELS[self.severity]


def check_assessment(assessment):
    """The issues of one assessment (loaded with `Assessment.objects.with_scores()`), in the
    order a reader of the document meets them: the result, the score table and headings, the
    findings, then the plan. Three queries besides the prefetched ones, whatever the size."""
    year = assessment.fiscal_year
    indicators = list(year.indicators.all())
    names = Names(
        {i.number: i.known_names() for i in indicators},
        {i.number: i.misspelt_names() for i in indicators},
    )
    codes = {c.code: c for c in year.codes.select_related("indicator")}
    # A year whose OIT list is absent or incomplete cannot say an item is not in it.
    oit_items = {code for code, c in codes.items() if c.tool == Tool.OIT} if year.oit_list_complete else None
    scores = {s.indicator.number: s for s in assessment.scores.all()}
    findings = list(assessment.findings.select_related("indicator"))
    measures = sorted(assessment.measures.for_table(), key=lambda m: (m.block, m.position, m.pk))
    return [
        *published_mismatches(assessment.result, assessment.published_overall, assessment.published_level, year),
        *_score_table(scores, names),
        *_findings(findings, codes, oit_items, year.year),
        *_plan_rows(measures, scores, names, oit_items, year.year, _question_scores(findings)),
        *_plan_coverage(measures, findings),
        *_near_duplicates(measures),
    ]


def errors_and_todos(issues):
    """The issues split into errors in the documents and work still to do, each in order."""
    return [i for i in issues if not i.todo], [i for i in issues if i.todo]


def oit_list_note(year):
    """What the pages say about a year whose OIT item list the check cannot rely on, or ''.
    One query, and only for such a year."""
    if year.oit_list_complete:
        return ""
    items = year.codes.filter(tool=Tool.OIT).count()
    if not items:
        return _("ไม่มีรายการข้อ OIT ของปี {year} ในข้อมูลอ้างอิง จึงไม่ได้ตรวจว่าข้อ OIT ที่อ้างอิงมีอยู่จริงหรือไม่").format(
            year=year.year)
    return _("รายการข้อ OIT ของปี {year} ในข้อมูลอ้างอิงยังไม่ครบ (มี {count} ข้อ) จึงไม่ได้ตรวจว่าข้อ OIT ที่อ้างอิงมีอยู่จริงหรือไม่").format(
        year=year.year, count=items)


@dataclass(frozen=True)
class Names:
    """Each indicator's accepted names (official and variants) and recorded misspellings."""

    accepted: dict
    misspelt: dict

    def official(self, number):
        return self.accepted[number][0]


def published_mismatches(result, published_overall, published_level, year=None):
    """The published overall (compared to 0.01) or level that is not the computed one, both
    under the year's rounding rule (`result.overall_display`, `result.level`). Given the
    `year` (with its levels), also a level that is not one of the year's levels (kept as the
    document wrote it), and, for a year that holds only its published overall and level, a
    level that the overall contradicts under the year's thresholds."""
    issues = []
    where = _("ผลที่ ป.ป.ช. ประกาศ")
    written = (published_level or "").strip()
    if year is not None and written:
        rules = [level.as_rule() for level in year.levels.all()]
        if rules and written not in {rule.name for rule in rules}:
            return [*_overall_mismatch(result, published_overall, where), Issue(
                key=f"level-unknown:{written}",
                where=where,
                problem=_("ระดับที่บันทึกไว้คือ “{written}” ซึ่งไม่ใช่ระดับของปี {year} (ปีนี้มี {levels})").format(
                    written=written, year=year.year, levels=", ".join(level_label(r.name) for r in rules)),
                why=_("บันทึกไว้ตามที่เอกสารเขียน แต่ ป.ป.ช. ไม่ได้ใช้ระดับนี้ในปีนั้น ตรวจสอบกับผลที่ ป.ป.ช. ประกาศ"),
                severity=MEDIUM,
            )]
        if result.overall is None and published_overall is not None:
            issues.extend(_published_level_contradiction(published_overall, written, rules, result.rounding, where))
    issues.extend(_overall_mismatch(result, published_overall, where))
    level = result.level.name if result.level else None
    if level and published_level and published_level.strip() != level:
        issues.append(Issue(
            key=f"level:{published_level.strip()}:{level}",
            where=where,
            problem=_("ระดับที่ประกาศคือ “{published}” แต่ตามเกณฑ์ของปีนี้คะแนนอยู่ในระดับ “{computed}”").format(
                published=level_label(published_level.strip()), computed=level_label(level)),
            why=_("ระดับผลการประเมินมาจากเกณฑ์ของแต่ละปี เมื่อไม่ตรงกัน อาจบันทึกระดับหรือคะแนนผิด หรือเกณฑ์ของปีในระบบไม่ตรงกับที่ ป.ป.ช. ใช้"),
            severity=HIGH,
        ))
    return issues


def _overall_mismatch(result, published_overall, where):
    computed = result.overall_display
    if computed is None or published_overall is None:
        return []
    published = scoring.round2(published_overall)
    if published == computed:
        return []
    return [Issue(
        key=f"overall:{published}:{computed}",
        where=where,
        problem=_("คะแนนภาพรวมที่ประกาศ {published} แต่คำนวณจากคะแนนรายตัวชี้วัดได้ {computed}").format(
            published=published, computed=computed),
        why=_("คะแนนภาพรวมคำนวณจากคะแนนรายตัวชี้วัดทั้ง ๑๐ ตัว เมื่อไม่ตรงกัน แสดงว่าคะแนนตัวใดตัวหนึ่งหรือคะแนนที่ประกาศบันทึกผิด"),
        severity=HIGH,
    )]


def _published_level_contradiction(published_overall, written, rules, rounding, where):
    """A year with only its published figures: the written level (one of the year's) must be
    reachable by the overall, and no better level without a tool-mean gate may be reached
    (tool means are unknown, so a gated level is neither required nor ruled out beyond its
    overall threshold). "94.73, AA" for 2564 is reported: AA needs 95."""
    overall = scoring.decided(published_overall, rounding)
    names = [rule.name for rule in rules]
    chosen = rules[names.index(written)]
    better = [rule for rule in rules[:names.index(written)] if rule.min_tool_mean is None]
    reached = next((rule for rule in better if overall >= rule.min_overall), None)
    if overall >= chosen.min_overall and reached is None:
        return []
    shown = scoring.round2(published_overall)
    if overall < chosen.min_overall:
        problem = _("ระดับที่ประกาศคือ “{level}” แต่คะแนนภาพรวม {overall} ต่ำกว่าเกณฑ์ของระดับนี้ ({mark})").format(
            level=level_label(written), overall=shown, mark=f"{chosen.min_overall.normalize():f}")
    else:
        problem = _("ระดับที่ประกาศคือ “{level}” แต่คะแนนภาพรวม {overall} ถึงเกณฑ์ของระดับ “{better}” แล้ว").format(
            level=level_label(written), overall=shown, better=level_label(reached.name))
    return [Issue(
        key=f"published-level:{written}:{shown}",
        where=where,
        problem=problem,
        why=_("ปีนี้มีเพียงคะแนนภาพรวมและระดับที่ประกาศ ระดับต้องสอดคล้องกับคะแนนภาพรวมตามเกณฑ์ของปีนั้น เมื่อไม่ตรงกัน อาจบันทึกคะแนนหรือระดับผิด"),
        severity=HIGH,
    )]


def _named_issue(key, where, text, number, names, other_why, unknown_why):
    """An issue when `text` names another indicator than `number` (high), is a misspelling of
    its own indicator's name (low), or is no known indicator's name (medium)."""
    named = indicators_named(text, names.accepted)
    if number in named:
        return []
    misnamed = indicators_named(text, names.misspelt)
    others = named or [n for n in misnamed if n != number]
    if not named and (number in misnamed or resembles(text, names.accepted.get(number, []))):
        return [Issue(
            key=f"{key}:misspelt:{squash(text)}",
            where=where,
            problem=_("ชื่อ “{text}” ต่างจากชื่อทางการของตัวชี้วัดที่ {number} “{official}”").format(
                text=text, number=number, official=names.official(number)),
            why=_("เอกสารที่เผยแพร่ควรใช้ชื่อตัวชี้วัดตามที่ ป.ป.ช. กำหนด ชื่อที่สะกดผิดทำให้ค้นหาและจับคู่ไม่ได้ "
                  "ถ้าเป็นชื่อที่ใช้กันจริง ให้ผู้ดูแลระบบเพิ่มไว้ใน “ชื่อที่เขียนต่างออกไป” ของตัวชี้วัด"),
            severity=LOW,
        )]
    if others:
        listed = ", ".join(str(n) for n in others)
        return [Issue(
            key=f"{key}:{listed}",
            where=where,
            problem=_("ชื่อ “{text}” เป็นชื่อของตัวชี้วัดที่ {others} ไม่ใช่ตัวชี้วัดที่ {number}").format(
                text=text, others=listed, number=number),
            why=other_why,
            severity=HIGH,
        )]
    return [Issue(
        key=f"{key}:unknown",
        where=where,
        problem=_("ชื่อ “{text}” ไม่ตรงกับชื่อที่รู้จักของตัวชี้วัดใด").format(text=text),
        why=unknown_why,
    )]


# Lazy: a module constant translated at import would stay in the language of start-up.
UNKNOWN_NAME_WHY = gettext_lazy(
    "ตรวจว่าเขียนผิดหรือไม่ ถ้าเป็นชื่อที่ใช้จริง ให้ผู้ดูแลระบบเพิ่มไว้ใน “ชื่อที่เขียนต่างออกไป” ของตัวชี้วัด"
)


def _score_table(scores, names):
    issues = []
    for number, row in sorted(scores.items()):
        if row.name_as_written.strip():
            issues += _named_issue(
                f"score:{number}:name", _("ตารางคะแนน แถวตัวชี้วัดที่ {number}").format(number=number),
                row.name_as_written.strip(), number, names,
                _("ชื่อในตารางคะแนนเป็นชื่อของตัวชี้วัดอื่น คะแนนอาจถูกวางผิดแถว"), UNKNOWN_NAME_WHY,
            )
        heading = row.heading_as_written.strip()
        if not heading:
            continue
        where = _("หัวข้อการวิเคราะห์ของตัวชี้วัดที่ {number}: “{heading}”").format(number=number, heading=heading)
        written_number = heading_number(heading)
        if written_number is not None and written_number != number:
            issues.append(Issue(
                key=f"score:{number}:heading-number:{written_number}",
                where=where,
                problem=_("หัวข้อขึ้นต้นด้วยหมายเลข {written} แต่อยู่ในตำแหน่งของตัวชี้วัดที่ {number}").format(
                    written=written_number, number=number),
                why=_("ผู้อ่านจะจับคู่ผลการวิเคราะห์กับตัวชี้วัดผิดตัว"),
                severity=HIGH,
            ))
        issues += _named_issue(
            f"score:{number}:heading", where, written_name(heading), number, names,
            _("หัวข้อการวิเคราะห์ใช้ชื่อของตัวชี้วัดอื่น ผู้อ่านจะจับคู่ผลการวิเคราะห์กับตัวชี้วัดผิดตัว"),
            UNKNOWN_NAME_WHY,
        )
        quoted = quoted_score(heading)
        if quoted is not None and quoted != row.score:
            issues.append(Issue(
                key=f"score:{number}:heading-score:{quoted}:{row.score}",
                where=where,
                problem=_("หัวข้ออ้างคะแนน {quoted} แต่คะแนนของตัวชี้วัดที่ {number} คือ {score}").format(
                    quoted=quoted, number=number, score=row.score),
                why=_("คะแนนในเอกสารต้องตรงกับผลการประเมินจริง มิฉะนั้นผู้อ่านจะวิเคราะห์จากตัวเลขที่ผิด"),
                severity=HIGH,
            ))
    return issues


def _findings(findings, codes, oit_items, year):
    issues = []
    for finding in findings:
        number = finding.indicator.number
        where = _("ผลการวิเคราะห์ ตัวชี้วัดที่ {number} {kind}{code}").format(
            number=number, kind=finding.get_kind_display(),
            code=f" {finding.code}" if finding.code else "",
        )
        if finding.code:
            code = codes.get(finding.code)
            if code is None:
                issues.append(Issue(
                    key=f"finding:{finding.pk}:unknown-code:{finding.code}",
                    where=where,
                    problem=_("ไม่มีรหัส {code} ในรายการรหัสของปี {year}").format(code=finding.code, year=year),
                    why=_("รหัสที่ไม่มีในรายการของปีนั้นจับคู่กับตัวชี้วัดและข้อเสนอแนะมาตรฐานไม่ได้"),
                ))
            elif code.indicator.number != number:
                issues.append(Issue(
                    key=f"finding:{finding.pk}:code:{finding.code}:{code.indicator.number}",
                    where=where,
                    problem=_("ข้อ {code} เป็นของตัวชี้วัดที่ {owner} ตามรายการรหัสปี {year} แต่อยู่ใต้ตัวชี้วัดที่ {number}").format(
                        code=finding.code, owner=code.indicator.number, year=year, number=number),
                    why=_("จุดที่ควรพัฒนาที่อยู่ผิดตัวชี้วัดทำให้ร่างมาตรการไปผิดตัวชี้วัด และมักเป็นข้อความที่คัดลอกซ้ำมาจากตัวชี้วัดอื่น"),
                    severity=HIGH,
                ))
        for ref in finding.oit_refs:
            if oit_items is not None and ref not in oit_items:
                issues.append(_unknown_item(f"finding:{finding.pk}:oit:{ref}", where, ref, year, len(oit_items)))
    return issues


def _unknown_item(key, where, ref, year, count):
    return Issue(
        key=key,
        where=where,
        problem=_("อ้างอิงข้อ {ref} ซึ่งไม่มีในรายการข้อ OIT ของปี {year} (มี {count} ข้อ)").format(
            ref=ref, year=year, count=count),
        why=_("ผู้ปฏิบัติจะหาหลักฐานที่อ้างถึงไม่พบ ข้อ OIT เปลี่ยนเลขทุกปี จึงอาจคัดลอกมาจากเอกสารปีอื่น"),
    )


def _question_scores(findings):
    """Code -> the scores the analysis gives that question or item (a drafted row quotes the
    question's own score rather than its indicator's)."""
    found = {}
    for finding in findings:
        if finding.code and finding.score is not None:
            found.setdefault(finding.code, set()).add(finding.score)
    return found


def _plan_rows(measures, scores, names, oit_items, year, question_scores=None):
    issues = []
    for measure in measures:
        where = _("แผนปี {year} ตารางที่ {block} แถวที่ {position}: “{label}”").format(
            year=measure.fiscal_year_id, block=measure.block, position=measure.position,
            label=measure.indicator_label,
        )
        key = f"measure:{measure.pk}"
        if measure.indicator is None:
            issues.append(Issue(
                key=f"{key}:no-indicator",
                where=where,
                problem=_("แถวนี้ไม่ได้ระบุว่าเป็นมาตรการของตัวชี้วัดใด"),
                why=_("มาตรการที่ไม่ผูกกับตัวชี้วัดจะไม่ถูกนับในรายงานและการตรวจรายตัวชี้วัด"),
                todo=True,
            ))
        else:
            issues += _plan_row_indicator(measure, key, where, scores, names, question_scores or {})
        for field in ("analysis", "activity", "method"):
            for ref in find_codes(getattr(measure, field)):
                if ref.startswith("o") and oit_items is not None and ref not in oit_items:
                    issues.append(_unknown_item(f"{key}:oit:{ref}", where, ref, year, len(oit_items)))
        issues += _missing_parts(measure, key, where)
    return issues


def _plan_row_indicator(measure, key, where, scores, names, question_scores):
    issues = []
    number = measure.indicator.number
    written_number = label_number(measure.indicator_label)
    if written_number is not None and written_number != number:
        issues.append(Issue(
            key=f"{key}:label-number:{written_number}:{number}",
            where=where,
            problem=_("ป้ายเขียนตัวชี้วัดที่ {written} แต่แถวนี้บันทึกเป็นมาตรการของตัวชี้วัดที่ {number}").format(
                written=written_number, number=number),
            why=_("รายงานจะนับมาตรการนี้ให้ตัวชี้วัดที่ไม่ตรงกับที่เอกสารเขียน"),
            severity=HIGH,
        ))
    name = written_name(measure.indicator_label)
    if name:
        issues += _named_issue(
            f"{key}:label", where, name, number, names,
            _("หมายเลขกับชื่อตัวชี้วัดขัดกัน จึงไม่ชัดว่ามาตรการนี้แก้ตัวชี้วัดใด ระบบจัดแถวนี้ไว้ตามหมายเลข"),
            UNKNOWN_NAME_WHY,
        )
    quoted = quoted_score(measure.analysis)
    recorded = scores.get(number)
    of_its_question = any(quoted in question_scores.get(code, ()) for code in find_codes(measure.analysis))
    if quoted is not None and recorded is not None and quoted != recorded.score and not of_its_question:
        issues.append(Issue(
            key=f"{key}:score:{quoted}:{recorded.score}",
            where=where,
            problem=_("ผลการวิเคราะห์อ้างคะแนน {quoted} แต่คะแนนของตัวชี้วัดที่ {number} คือ {score}").format(
                quoted=quoted, number=number, score=recorded.score),
            why=_("แผนที่เผยแพร่เป็นหลักฐาน OIT อ้างคะแนนที่ไม่ตรงกับผลการประเมิน ผู้อ่านจะเข้าใจผิดและการวิเคราะห์อาจมาจากตัวชี้วัดอื่น"),
            severity=HIGH,
        ))
    return issues


def _missing_parts(measure, key, where):
    issues = []
    if not measure.responsible.strip() or not (measure.for_all_units or measure.units.all()):
        issues.append(Issue(
            key=f"{key}:missing:responsible",
            where=where,
            problem=_("ยังไม่ได้ระบุสำนัก/กองที่รับผิดชอบ") if measure.responsible.strip()
            else _("ไม่มีผู้รับผิดชอบ"),
            why=_("ไม่มีใครรับผิดชอบติดตามและรายงานความก้าวหน้าของมาตรการนี้"),
            todo=True,
        ))
    if not measure.period.strip():
        issues.append(Issue(
            key=f"{key}:missing:period",
            where=where,
            problem=_("ไม่มีระยะเวลาดำเนินการ"),
            why=_("ติดตามไม่ได้ว่ามาตรการล่าช้าหรือไม่"),
            todo=True,
        ))
    if not measure.method.strip():
        issues.append(Issue(
            key=f"{key}:missing:method",
            where=where,
            problem=_("ไม่มีวิธีการดำเนินการ"),
            why=_("ผู้รับผิดชอบไม่รู้ว่าต้องทำอะไร และ ป.ป.ช. ไม่เห็นว่ามาตรการจะแก้ประเด็นได้อย่างไร"),
            todo=True,
        ))
    return issues


def _plan_coverage(measures, findings):
    """Indicators with points to improve but no measure, and indicators whose rows stand apart:
    in more than one table, or within one table separated by rows of other indicators.
    `measures` are in the document's order (table, then position)."""
    issues = []
    blocks = {}
    for measure in measures:
        if measure.indicator is not None:
            blocks.setdefault(measure.indicator.number, set()).add(measure.block)
    to_improve = sorted({f.indicator.number for f in findings if f.kind == Finding.Kind.IMPROVE})
    for number in to_improve:
        if number not in blocks:
            issues.append(Issue(
                key=f"indicator:{number}:no-measure",
                where=_("แผน: ตัวชี้วัดที่ {number}").format(number=number),
                problem=_("ตัวชี้วัดที่ {number} มีจุดที่ควรพัฒนา แต่แผนไม่มีมาตรการของตัวชี้วัดนี้").format(number=number),
                why=_("ประเด็นที่ผลการประเมินชี้ไว้จะไม่มีใครแก้ไข และแผนไม่ครอบคลุมผลการประเมินตามที่ ป.ป.ช. ตรวจ"),
            ))
    for number, found in sorted(blocks.items()):
        if len(found) > 1:
            listed = ", ".join(str(b) for b in sorted(found))
            issues.append(Issue(
                key=f"indicator:{number}:blocks:{'-'.join(str(b) for b in sorted(found))}",
                where=_("แผน: ตัวชี้วัดที่ {number}").format(number=number),
                problem=_("มาตรการของตัวชี้วัดที่ {number} อยู่ในหลายตาราง (ตารางที่ {blocks})").format(
                    number=number, blocks=listed),
                why=_("ผู้อ่านแผนอาจเห็นมาตรการของตัวชี้วัดนี้ไม่ครบ หรือเข้าใจว่าซ้ำซ้อนกัน"),
            ))
    for (number, block), runs in sorted(_runs(measures).items()):
        if len(runs) < 2:
            continue
        rows = ", ".join(_("แถวที่ {position}").format(position=run[0].position) for run in runs)
        issues.append(Issue(
            key=f"indicator:{number}:apart:{block}:{'-'.join(str(run[0].pk) for run in runs)}",
            where=_("แผน: ตัวชี้วัดที่ {number} ตารางที่ {block}").format(number=number, block=block),
            problem=_("มาตรการของตัวชี้วัดที่ {number} ในตารางที่ {block} แยกกันอยู่ ({rows}) โดยมีแถวของตัวชี้วัดอื่นคั่น").format(
                number=number, block=block, rows=rows),
            why=_("ผู้อ่านแผนจะเห็นมาตรการของตัวชี้วัดเดียวกันไม่อยู่ด้วยกัน อาจเห็นไม่ครบหรือเข้าใจว่าซ้ำซ้อนกัน"),
        ))
    return issues


def _runs(measures):
    """{(indicator number, table): [run, ...]}, a run being consecutive rows of that indicator
    within the table; a row of another indicator, or of none, ends a run."""
    runs = {}
    previous = None
    for measure in measures:
        number = measure.indicator.number if measure.indicator is not None else None
        here = (number, measure.block)
        if number is not None:
            if here == previous:
                runs[here][-1].append(measure)
            else:
                runs.setdefault(here, []).append([measure])
        previous = here
    return runs


def measure_text(measure):
    """What makes a measure this measure: its activity and method, every space removed and Thai
    digits read as Arabic, so that a copy broken across lines differently is still a copy."""
    return squash(to_arabic(f"{measure.activity}|{measure.method}")).lower()


def _near_duplicates(measures):
    """Each measure that is (almost) a copy of an earlier one, paired with the earliest such."""
    texts = [(measure, measure_text(measure)) for measure in measures]
    compare_all = len(texts) <= NEAR_DUPLICATE_MAX_ROWS
    issues = []
    first_with_text = {}
    for index, (measure, text) in enumerate(texts):
        if not text.strip("|"):
            continue
        original, ratio = first_with_text.get(text), 1.0
        if original is None and compare_all:
            original, ratio = _earliest_alike(text, texts[:index])
        first_with_text.setdefault(text, measure)
        if original is None:
            continue
        digest = hashlib.sha256(f"{measure_text(original)}\n{text}".encode()).hexdigest()[:8]
        issues.append(Issue(
            key=f"measure:{measure.pk}:duplicate:{original.pk}:{digest}",
            where=_("แผนปี {year} ตารางที่ {block} แถวที่ {position} และตารางที่ {block0} แถวที่ {position0}").format(
                year=measure.fiscal_year_id, block=measure.block, position=measure.position,
                block0=original.block, position0=original.position),
            problem=_("มาตรการ “{activity}” เหมือนกับมาตรการในตารางที่ {block0} แถวที่ {position0} ({percent}%)").format(
                activity=measure.activity.strip()[:120], block0=original.block, position0=original.position,
                percent=int(ratio * 100)),
            why=_("มาตรการเดียวกันที่เขียนซ้ำสองแถวทำให้นับความก้าวหน้าซ้ำ และผู้รับผิดชอบอาจทำงานซ้ำซ้อน "
                  "หรือแถวหนึ่งควรเป็นมาตรการของประเด็นอื่น"),
        ))
    return issues


def _earliest_alike(text, earlier):
    """(measure, ratio) of the first earlier measure at least NEAR_DUPLICATE alike, or (None, 0).
    difflib's cheap upper bounds skip most pairs before the full ratio is computed."""
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(text)
    for measure, other in earlier:
        matcher.set_seq1(other)
        if (matcher.real_quick_ratio() >= NEAR_DUPLICATE and matcher.quick_ratio() >= NEAR_DUPLICATE
                and matcher.ratio() >= NEAR_DUPLICATE):
            return measure, matcher.ratio()
    return None, 0
