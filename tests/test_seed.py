"""The seed document is loaded faithfully: counts, exact texts, Thai digits, errors kept."""

from decimal import Decimal

from ita_portal.seed import load_seed
from assessments.models import Assessment, Finding, IndicatorScore, Organisation
from measures.models import Measure


def test_seed_loads_history_scores_findings_and_plan(seed):
    org = Organisation.objects.get(short_name="อบต.วังหมี")
    years = dict(org.assessments.values_list("fiscal_year_id", "published_overall"))
    assert years == {2564: Decimal("54.25"), 2567: Decimal("94.67"), 2568: Decimal("90.42")}
    a2568 = Assessment.objects.with_scores().get(organisation=org, fiscal_year=2568)
    assert a2568.score_map() == {
        1: Decimal("93.33"), 2: Decimal("96.13"), 3: Decimal("98.06"), 4: Decimal("83.87"),
        5: Decimal("93.33"), 6: Decimal("97.13"), 7: Decimal("97.47"), 8: Decimal("95.74"),
        9: Decimal("82.50"), 10: Decimal("85.00"),
    }
    assert a2568.result.overall_display == Decimal("90.42")
    assert a2568.result.level.name == "ผ่าน"
    assert Finding.objects.filter(assessment=a2568).count() == 26
    assert Finding.objects.filter(assessment=a2568, kind="strength").count() == 10
    assert Finding.objects.filter(assessment=a2568, kind="improve").count() == 16
    assert Measure.objects.filter(assessment=a2568, fiscal_year=2569).count() == 10


def test_seed_keeps_the_documents_errors(seed):
    """i10 and i12 stand under indicator 5 as well as 4; o27 is referenced; names stay as written."""
    a2568 = Assessment.objects.get(organisation__short_name="อบต.วังหมี", fiscal_year=2568)
    under_5 = list(a2568.findings.filter(indicator__number=5, kind="improve").values_list("code", flat=True))
    assert under_5 == ["i10", "i12", "i14", "i15"]
    assert a2568.findings.get(indicator__number=5, code="i14").oit_refs == ["o27", "o23", "o25"]
    names = dict(IndicatorScore.objects.filter(assessment=a2568).values_list("indicator__number", "name_as_written"))
    assert names[1] == "การปรับปรุงหน้าที" and names[2] == "การใช้งานประมาณ"
    heading_10 = IndicatorScore.objects.get(assessment=a2568, indicator__number=10).heading_as_written
    assert heading_10 == "๑๐. การเปิดเผยข้อมูล (๘๕.๐๐ คะแนน)"


def test_seed_plan_rows_are_exact(seed):
    rows = list(Measure.objects.order_by("position"))
    assert [m.indicator.number for m in rows] == [9, 4, 10, 1, 5, 6, 7, 8, 9, 3]
    assert [m.block for m in rows] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 3]
    assert rows[2].analysis == (
        "ได้รับคะแนน ๗๐.๐๐ คะแนน (คะแนนต่ำ) พบว่า ควรพัฒนาและปรับปรุง "
        "การดำเนินการเพื่อป้องกันการทุจริตใน ประเด็นสินบน"
    )
    assert rows[6].indicator_label == "ตัวชี้วัดที่ ๗ การใช้ งบประมาณ"
    assert rows[6].period == "ปี งบประมาณ พ.ศ. ๒๕๖๙"
    assert rows[1].responsible == "งานพัสดุ และ ทรัพย์สิน"
    assert rows[3].for_all_units and not rows[3].units.exists()
    assert rows[9].method == (
        "เข้มงวดการปฏิบัติตามประมวล จริยธรรมและการขับเคลื่อน จริยธรรม (๐๑๖) เพื่อป้องกันการ "
        "สั่งการในสิ่งที่ไม่ถูกต้องหรือการ ใช้ อำนาจในทางที่มิชอบ"
    )
    assert not Measure.objects.filter(indicator__number=2).exists()


def test_seed_finding_text_is_exact(seed):
    finding = Finding.objects.get(indicator__number=2, kind="improve")
    assert finding.text == (
        "ประเด็นการใช้งบประมาณให้ตรงตามวัตถุประสงค์ (i๔) ได้ ๙๔.๑๙ คะแนน ควรเปิดโอกาสให้บุคลากร "
        "ภายในมีส่วนร่วมในการจัดทำและติดตามแผนการใช้จ่ายงบประมาณ (๐๖)"
    )
    assert finding.code == "i4" and finding.score == Decimal("94.19") and finding.oit_refs == ["o6"]


def test_loading_twice_changes_nothing(seed):
    counts = (Organisation.objects.count(), Assessment.objects.count(), Finding.objects.count(),
              Measure.objects.count())
    assert load_seed() is None
    assert counts == (Organisation.objects.count(), Assessment.objects.count(),
                      Finding.objects.count(), Measure.objects.count())


def test_seed_rows_are_filed_under_the_units_their_responsible_text_names(seed):
    """The units come from the responsible text by assessments.responsible.match_units, the
    function the plan import uses: งานพัสดุ และ ทรัพย์สิน is a section of กองคลัง, the rows
    led by the executive go to สำนักปลัด, ทุกสำนัก/กองงาน is every unit."""
    rows = Measure.objects.order_by("position").prefetch_related("units")
    assert [(m.for_all_units, [u.name for u in m.units.all()]) for m in rows] == [
        (False, ["สำนักปลัด"]), (False, ["กองคลัง"]), (False, ["สำนักปลัด"]),
        (True, []), (False, ["สำนักปลัด"]), (True, []),
        (False, ["สำนักปลัด"]), (False, ["สำนักปลัด"]), (False, ["สำนักปลัด"]), (False, ["สำนักปลัด"]),
    ]
