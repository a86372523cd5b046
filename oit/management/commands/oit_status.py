from django.core.management.base import BaseCommand

from assessments.scoring import round2

from ...estimate import estimate, latest_scored_assessment
from ...models import Item
from ._common import find_organisation, find_workspace


class Command(BaseCommand):
    help = (
        "แสดงสถานะและผลการตรวจภายในของทุกข้อ OIT ประมาณการตัวชี้วัดที่ 9 และ 10 คะแนนรวม ระดับ "
        "และสิ่งที่ทำให้ถึงระดับถัดไป"
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="ชื่อหรือชื่อย่อของหน่วยงาน")
        parser.add_argument("--year", required=True, type=int, help="ปีงบประมาณ พ.ศ. ของการประเมิน")

    def handle(self, *args, organisation, year, **options):
        workspace = find_workspace(find_organisation(organisation), year)
        items = list(Item.objects.filter(workspace=workspace).for_table())
        self.stdout.write(f"{workspace.organisation} OIT ปี {year}")
        for item in items:
            units = ", ".join(unit.name for unit in item.units.all()) or "-"
            self.stdout.write(
                f"{item.code.upper():>4} {item.get_status_display():<12} "
                f"{item.get_review_display() or 'ยังไม่ตรวจ':<10} ลิงก์ {len(item.links.all())} "
                f"ไฟล์ {len(item.files.all())} · {units} · {item.question.title}"
            )
        found = estimate(workspace.fiscal_year, items, latest_scored_assessment(workspace.organisation_id, year))
        self.stdout.write("ประมาณการ (ข้อที่ผลตรวจภายในผ่านได้ 100 ข้ออื่นได้ 0 ผู้ประเมินอาจให้คะแนนต่างออกไป):")
        for indicator in found.indicators:
            self.stdout.write(
                f"  ตัวชี้วัดที่ {indicator.number}: {_score(indicator.score)} "
                f"({indicator.passed}/{indicator.items} ข้อ แต่ละข้อมีค่า {_score(indicator.item_worth)} คะแนน)"
            )
        if found.result.overall is None:
            self.stdout.write("  คะแนนรวม: ไม่มีคะแนน IIT และ EIT จึงประมาณการไม่ได้")
            return
        self.stdout.write(f"  คะแนนรวม: {found.result.overall_display} ระดับ {found.level_name} "
                          f"(IIT และ EIT จากผลการประเมินปี {found.basis.fiscal_year_id})")
        self.stdout.write(f"  ระดับถัดไป: {found.next_step_text() or 'อยู่ในระดับสูงสุดแล้ว'}")


def _score(value):
    return "-" if value is None else f"{round2(value)}"
