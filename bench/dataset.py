"""A national-scale dataset for benchmarks: thousands of organisations with years of results.

Everything is generated from a seeded random number generator, so two runs with the same
arguments give the same data. All generated organisations carry NAME_PREFIX in their name, so
`clear_dataset()` removes exactly them and nothing an admin entered.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import Membership
from assessments.models import (
    Assessment,
    Finding,
    Indicator,
    IndicatorScore,
    Organisation,
    QuestionCode,
    Unit,
)
from measures.models import Measure, Plan, ProgressNote

NAME_PREFIX = "หน่วยงานทดสอบภาระ"
USER_PREFIX = "load_"
# Every generated user signs in with this password, so the load benchmark can sign in as any.
LOAD_PASSWORD = "load-test-2569"
UNIT_NAMES = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม"]
PROVINCES = [
    "กรุงเทพมหานคร", "กระบี่", "กาญจนบุรี", "กาฬสินธุ์", "กำแพงเพชร", "ขอนแก่น", "จันทบุรี",
    "ฉะเชิงเทรา", "ชลบุรี", "ชัยนาท", "ชัยภูมิ", "ชุมพร", "เชียงราย", "เชียงใหม่", "ตรัง", "ตราด",
    "ตาก", "นครนายก", "นครปฐม", "นครพนม", "นครราชสีมา", "นครศรีธรรมราช", "นครสวรรค์",
    "นนทบุรี", "นราธิวาส", "น่าน", "บึงกาฬ", "บุรีรัมย์", "ปทุมธานี", "ประจวบคีรีขันธ์",
    "ปราจีนบุรี", "ปัตตานี", "พระนครศรีอยุธยา", "พะเยา", "พังงา", "พัทลุง", "พิจิตร", "พิษณุโลก",
    "เพชรบุรี", "เพชรบูรณ์", "แพร่", "ภูเก็ต", "มหาสารคาม", "มุกดาหาร", "แม่ฮ่องสอน", "ยโสธร",
    "ยะลา", "ร้อยเอ็ด", "ระนอง", "ระยอง", "ราชบุรี", "ลพบุรี", "ลำปาง", "ลำพูน", "เลย",
    "ศรีสะเกษ", "สกลนคร", "สงขลา", "สตูล", "สมุทรปราการ", "สมุทรสงคราม", "สมุทรสาคร",
    "สระแก้ว", "สระบุรี", "สิงห์บุรี", "สุโขทัย", "สุพรรณบุรี", "สุราษฎร์ธานี", "สุรินทร์",
    "หนองคาย", "หนองบัวลำภู", "อ่างทอง", "อำนาจเจริญ", "อุดรธานี", "อุตรดิตถ์", "อุทัยธานี",
    "อุบลราชธานี",
]
BATCH = 2000


def _score(rng, low, high):
    return Decimal(rng.randint(low * 100, high * 100)) / 100


# A generated load-test dataset is nobody's change: it writes no audit entries (and clearing
# 100,000 rows one entry at a time would take minutes).
@disable_auditlog()
def clear_dataset():
    """Delete every generated organisation (with all it owns) and the generated users."""
    with transaction.atomic():
        generated = Organisation.objects.filter(name__startswith=NAME_PREFIX)
        Measure.history.filter(assessment__organisation__in=generated).delete()
        ProgressNote.all_objects.filter(measure__assessment__organisation__in=generated).delete()
        Measure.all_objects.filter(assessment__organisation__in=generated).delete()
        Finding.objects.filter(assessment__organisation__in=generated).delete()
        deleted = generated.count()
        generated.delete()
        get_user_model().objects.filter(username__startswith=USER_PREFIX).delete()
    return deleted


@disable_auditlog()
@transaction.atomic
def generate_dataset(organisations, years, measures, seed=1, first_year=2564, log=print):
    """Create `organisations` organisations, each with `years` assessments from `first_year` on,
    ten scores and a few findings per year, and `measures` plan rows spread over the latest
    year's plans, each with a progress note and its history. Returns the counts created."""
    rng = random.Random(seed)
    year_list = list(range(first_year, first_year + years))
    latest = year_list[-1]
    codes = {
        year: list(QuestionCode.objects.filter(fiscal_year_id=year).select_related("indicator"))
        for year in year_list
    }
    indicators = {
        year: list(Indicator.objects.filter(fiscal_year_id=year).order_by("number"))
        for year in year_list
    }

    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{NAME_PREFIX} {n:05d}",
                short_name=f"อปท.ทดสอบ {n:05d}",
                kind=rng.choice(list(Organisation.Kind.values)),
                district=f"อำเภอ {n % 50 + 1:02d}",
                province=PROVINCES[n % len(PROVINCES)],
            )
            for n in range(1, organisations + 1)
        ],
        batch_size=BATCH,
    )
    log(f"organisations: {len(orgs)}")
    units = Unit.objects.bulk_create(
        [Unit(organisation=o, name=name, position=i) for o in orgs for i, name in enumerate(UNIT_NAMES, 1)],
        batch_size=BATCH,
    )
    units_by_org = {}
    for unit in units:
        units_by_org.setdefault(unit.organisation_id, []).append(unit)

    password = make_password(LOAD_PASSWORD)
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"{USER_PREFIX}{o.pk}", password=password) for o in orgs],
        batch_size=BATCH,
    )
    memberships = Membership.objects.bulk_create(
        [Membership(user=u, organisation=o, role=Membership.Role.STAFF) for u, o in zip(users, orgs)],
        batch_size=BATCH,
    )
    Membership.units.through.objects.bulk_create(
        [
            Membership.units.through(membership_id=m.pk, unit_id=units_by_org[m.organisation_id][0].pk)
            for m in memberships
        ],
        batch_size=BATCH,
    )
    log(f"units: {len(units)}, users: {len(users)}")

    assessments = Assessment.objects.bulk_create(
        [
            Assessment(organisation=o, fiscal_year_id=year, published_level="")
            for o in orgs
            for year in year_list
        ],
        batch_size=BATCH,
    )
    scores, findings = [], []
    for assessment in assessments:
        year = assessment.fiscal_year_id
        base = rng.randint(55, 98)
        for indicator in indicators[year]:
            value = min(Decimal(100), max(Decimal(0), _score(rng, base - 12, base + 8)))
            scores.append(IndicatorScore(assessment=assessment, indicator=indicator, score=value))
        # Years whose question codes are not in the reference data get findings without a code.
        for position in range(1, 4):
            code = rng.choice(codes[year]) if codes[year] else None
            indicator = code.indicator if code else rng.choice(indicators[year])
            findings.append(
                Finding(
                    assessment=assessment, indicator=indicator, kind=Finding.Kind.IMPROVE,
                    code=code.code if code else "", position=position,
                    text=f"ประเด็นที่ควรพัฒนา ตัวชี้วัดที่ {indicator.number} (ข้อมูลทดสอบภาระ)",
                )
            )
    IndicatorScore.objects.bulk_create(scores, batch_size=BATCH)
    Finding.objects.bulk_create(findings, batch_size=BATCH)
    log(f"assessments: {len(assessments)}, scores: {len(scores)}, findings: {len(findings)}")

    latest_assessments = [a for a in assessments if a.fiscal_year_id == latest]
    plans = Plan.objects.bulk_create(
        [Plan(assessment=a, fiscal_year_id=latest + 1) for a in latest_assessments], batch_size=BATCH
    )
    statuses = list(Measure.Status.values)
    start = date(latest - 543, 10, 1)
    rows = []
    for n in range(measures):
        plan = plans[n % len(plans)]
        indicator = rng.choice(indicators[latest])
        begin = start + timedelta(days=rng.randint(0, 200))
        status, progress = rng.choice(statuses), rng.randint(0, 100)
        # As the model's rule holds them: done is 100 %, not started 0 %.
        progress = {Measure.Status.DONE: 100, Measure.Status.NOT_STARTED: 0}.get(status, progress)
        rows.append(
            plan.new_row(
                indicator=indicator,
                indicator_label=f"ตัวชี้วัดที่ {indicator.number} {indicator.name}",
                analysis="ผลการวิเคราะห์ (ข้อมูลทดสอบภาระ)",
                activity=f"มาตรการที่ {n + 1}", method="วิธีการดำเนินการ (ข้อมูลทดสอบภาระ)",
                period=f"ปีงบประมาณ พ.ศ. {latest + 1}", responsible=UNIT_NAMES[n % len(UNIT_NAMES)],
                position=n // len(latest_assessments) + 1, status=status,
                progress=progress, start_date=begin,
                end_date=begin + timedelta(days=rng.randint(30, 300)),
            )
        )
    rows = bulk_create_with_history(rows, Measure, batch_size=BATCH)
    organisation_of = {plan.pk: plan.assessment.organisation_id for plan in plans}
    Measure.units.through.objects.bulk_create(
        [
            Measure.units.through(
                measure_id=m.pk, unit_id=units_by_org[organisation_of[m.plan_id]][m.position % 4].pk
            )
            for m in rows
        ],
        batch_size=BATCH,
    )
    authors = {m.organisation_id: m.user_id for m in memberships}
    notes = ProgressNote.objects.bulk_create(
        [
            ProgressNote(
                measure=m, date=m.start_date + timedelta(days=rng.randint(0, 30)),
                text="ดำเนินการตามแผน (ข้อมูลทดสอบภาระ)",
                author_id=authors[organisation_of[m.plan_id]],
            )
            for m in rows
        ],
        batch_size=BATCH,
    )
    log(f"measures: {len(rows)}, progress notes: {len(notes)}")
    generated = Organisation.objects.filter(name__startswith=NAME_PREFIX)
    Assessment.objects.filter(organisation__in=generated).refresh_results()
    Plan.objects.filter(assessment__organisation__in=generated).refresh_progress()
    log("stored results computed")
    return {
        "organisations": len(orgs), "assessments": len(assessments), "scores": len(scores),
        "findings": len(findings), "measures": len(rows), "notes": len(notes),
    }
