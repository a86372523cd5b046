"""The data-quality check: every inconsistency of an assessment and its plan.

Nothing is corrected: each inconsistency becomes an `Issue` that says where it is, what is
wrong and why it matters, under a stable key built from the facts it is about (row ids, codes,
numbers), so that an admin's review mark (CheckReview) stays attached when the check runs again
and lapses when those facts change.

Plan rows and findings are read as people write them (Thai or Arabic digits, names broken by
spaces, "อ้างอิงจาก ๐๘"); a name is accepted when it is any known name of its own indicator and
reported when it is the name of another one.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import scoring
from .display import level_label
from .models import Finding, Tool
from .names import heading_number, indicators_named, label_number, quoted_score, written_name
from .thai import find_codes


@dataclass(frozen=True)
class Issue:
    key: str
    where: str
    problem: str
    why: str


def check_assessment(assessment):
    """The issues of one assessment (loaded with `Assessment.objects.with_scores()`), in the
    order a reader of the document meets them: the result, the score table and headings, the
    findings, then the plan. Three queries besides the prefetched ones, whatever the size."""
    year = assessment.fiscal_year
    known = {i.number: i.known_names() for i in year.indicators.all()}
    codes = {c.code: c for c in year.codes.select_related("indicator")}
    oit_items = {code for code, c in codes.items() if c.tool == Tool.OIT}
    scores = {s.indicator.number: s for s in assessment.scores.all()}
    findings = list(assessment.findings.select_related("indicator"))
    measures = list(assessment.measures.for_table())
    return [
        *published_mismatches(assessment.result, assessment.published_overall, assessment.published_level),
        *_score_table(scores, known),
        *_findings(findings, codes, oit_items, year.year),
        *_plan_rows(measures, scores, known, oit_items, year.year),
        *_plan_coverage(measures, findings),
    ]


def published_mismatches(result, published_overall, published_level):
    """The published overall (compared to 0.01) or level that is not the computed one, both
    under the year's rounding rule (`result.overall_display`, `result.level`)."""
    issues = []
    where = _("ผลที่ ป.ป.ช. ประกาศ")
    computed = result.overall_display
    if computed is not None and published_overall is not None:
        published = scoring.round2(published_overall)
        if published != computed:
            issues.append(Issue(
                key=f"overall:{published}:{computed}",
                where=where,
                problem=_("คะแนนภาพรวมที่ประกาศ {published} แต่คำนวณจากคะแนนรายตัวชี้วัดได้ {computed}").format(
                    published=published, computed=computed),
                why=_("คะแนนภาพรวมคำนวณจากคะแนนรายตัวชี้วัดทั้ง ๑๐ ตัว เมื่อไม่ตรงกัน แสดงว่าคะแนนตัวใดตัวหนึ่งหรือคะแนนที่ประกาศบันทึกผิด"),
            ))
    level = result.level.name if result.level else None
    if level and published_level and published_level.strip() != level:
        issues.append(Issue(
            key=f"level:{published_level.strip()}:{level}",
            where=where,
            problem=_("ระดับที่ประกาศคือ “{published}” แต่ตามเกณฑ์ของปีนี้คะแนนอยู่ในระดับ “{computed}”").format(
                published=level_label(published_level.strip()), computed=level_label(level)),
            why=_("ระดับผลการประเมินมาจากเกณฑ์ของแต่ละปี เมื่อไม่ตรงกัน อาจบันทึกระดับหรือคะแนนผิด หรือเกณฑ์ของปีในระบบไม่ตรงกับที่ ป.ป.ช. ใช้"),
        ))
    return issues


def _named_issue(key, where, text, number, known, other_why, unknown_why):
    """An issue when `text` names another indicator than `number`, or no known indicator."""
    named = indicators_named(text, known)
    if number in named:
        return []
    if named:
        others = ", ".join(str(n) for n in named)
        return [Issue(
            key=f"{key}:{others}",
            where=where,
            problem=_("ชื่อ “{text}” เป็นชื่อของตัวชี้วัดที่ {others} ไม่ใช่ตัวชี้วัดที่ {number}").format(
                text=text, others=others, number=number),
            why=other_why,
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


def _score_table(scores, known):
    issues = []
    for number, row in sorted(scores.items()):
        if row.name_as_written.strip():
            issues += _named_issue(
                f"score:{number}:name", _("ตารางคะแนน แถวตัวชี้วัดที่ {number}").format(number=number),
                row.name_as_written.strip(), number, known,
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
            ))
        issues += _named_issue(
            f"score:{number}:heading", where, written_name(heading), number, known,
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
                ))
        for ref in finding.oit_refs:
            if ref not in oit_items:
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


def _plan_rows(measures, scores, known, oit_items, year):
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
            ))
        else:
            issues += _plan_row_indicator(measure, key, where, scores, known)
        for field in ("analysis", "activity", "method"):
            for ref in find_codes(getattr(measure, field)):
                if ref.startswith("o") and ref not in oit_items:
                    issues.append(_unknown_item(f"{key}:oit:{ref}", where, ref, year, len(oit_items)))
        issues += _missing_parts(measure, key, where)
    return issues


def _plan_row_indicator(measure, key, where, scores, known):
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
        ))
    name = written_name(measure.indicator_label)
    if name:
        issues += _named_issue(
            f"{key}:label", where, name, number, known,
            _("หมายเลขกับชื่อตัวชี้วัดขัดกัน จึงไม่ชัดว่ามาตรการนี้แก้ตัวชี้วัดใด ระบบจัดแถวนี้ไว้ตามหมายเลข"),
            UNKNOWN_NAME_WHY,
        )
    quoted = quoted_score(measure.analysis)
    recorded = scores.get(number)
    if quoted is not None and recorded is not None and quoted != recorded.score:
        issues.append(Issue(
            key=f"{key}:score:{quoted}:{recorded.score}",
            where=where,
            problem=_("ผลการวิเคราะห์อ้างคะแนน {quoted} แต่คะแนนของตัวชี้วัดที่ {number} คือ {score}").format(
                quoted=quoted, number=number, score=recorded.score),
            why=_("แผนที่เผยแพร่เป็นหลักฐาน OIT อ้างคะแนนที่ไม่ตรงกับผลการประเมิน ผู้อ่านจะเข้าใจผิดและการวิเคราะห์อาจมาจากตัวชี้วัดอื่น"),
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
        ))
    if not measure.period.strip():
        issues.append(Issue(
            key=f"{key}:missing:period",
            where=where,
            problem=_("ไม่มีระยะเวลาดำเนินการ"),
            why=_("ติดตามไม่ได้ว่ามาตรการล่าช้าหรือไม่"),
        ))
    if not measure.method.strip():
        issues.append(Issue(
            key=f"{key}:missing:method",
            where=where,
            problem=_("ไม่มีวิธีการดำเนินการ"),
            why=_("ผู้รับผิดชอบไม่รู้ว่าต้องทำอะไร และ ป.ป.ช. ไม่เห็นว่ามาตรการจะแก้ประเด็นได้อย่างไร"),
        ))
    return issues


def _plan_coverage(measures, findings):
    """Indicators with points to improve but no measure, and indicators split across tables."""
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
    return issues
