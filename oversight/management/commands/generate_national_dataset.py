import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from assessments.loaders import load_reference
from oversight.dataset import NAME_PREFIX, clear_dataset, generate_dataset


class Command(BaseCommand):
    help = (
        "สร้างชุดข้อมูลระดับประเทศสำหรับวัดประสิทธิภาพ (ค่าเริ่มต้น 8,000 หน่วยงาน 5 ปี 100,000 มาตรการ); "
        f"หน่วยงานที่สร้างขึ้นต้นชื่อด้วย '{NAME_PREFIX}'"
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=8000)
        parser.add_argument("--years", type=int, default=5, help="ปีงบประมาณต่อเนื่องตั้งแต่ 2564")
        parser.add_argument("--measures", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1, help="ค่าเริ่มต้นของตัวสุ่ม (ผลเหมือนเดิมทุกครั้ง)")
        parser.add_argument("--clear", action="store_true", help="ลบชุดข้อมูลที่สร้างไว้ก่อนหน้าแล้วเลิก")

    def handle(self, *args, **options):
        if options["clear"]:
            self.stdout.write(f"deleted {clear_dataset()} generated organisations")
            return
        if not 1 <= options["years"] <= 5:
            raise CommandError("--years ต้องอยู่ระหว่าง 1 ถึง 5 (ข้อมูลอ้างอิงมีปี 2564-2569)")
        if options["organisations"] < 1 or options["measures"] < 0:
            raise CommandError("--organisations ต้องมากกว่า 0 และ --measures ต้องไม่ติดลบ")
        load_reference()
        clear_dataset()
        started = time.perf_counter()
        counts = generate_dataset(
            options["organisations"], options["years"], options["measures"], seed=options["seed"],
            log=self.stdout.write,
        )
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses 126 rows where there are 100,000 and
            # picks scans that make the plan page six times slower.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s: {counts}")
