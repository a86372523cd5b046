import time

from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.models import Assessment
from measures.models import Plan


class Command(BaseCommand):
    help = (
        "คำนวณผลที่เก็บไว้ใหม่ทั้งหมดจากตัวคำนวณคะแนน: คะแนนภาพรวม ระดับ ค่าเฉลี่ยรายเครื่องมือ "
        "ตัวชี้วัดที่อ่อนที่สุดของทุกผลการประเมิน และความก้าวหน้าของทุกแผน "
        "(หลังย้ายข้อมูลหรือแก้กฎของปีงบประมาณ)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="เฉพาะผลการประเมินของปีงบประมาณนี้ (และปีอื่นของหน่วยงานเดียวกัน)")

    def handle(self, *args, year=None, **options):
        started = time.perf_counter()
        assessments = Assessment.objects.all()
        plans = Plan.objects.all()
        if year:
            assessments = assessments.filter(fiscal_year_id=year)
            plans = plans.filter(assessment__fiscal_year_id=year)
        with transaction.atomic():
            written = assessments.refresh_results()
            progressed = plans.refresh_progress()
        self.stdout.write(
            f"stored results of {written} assessments and progress of {progressed} plans "
            f"in {time.perf_counter() - started:.1f} s"
        )
