from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...imports import apply_checklist, read_checklist
from ._common import find_organisation, find_workspace


class Command(BaseCommand):
    help = (
        "นำเข้ารายการ OIT จากไฟล์ .xlsx หรือ .csv (คอลัมน์ ข้อ/รหัส, หัวข้อ/รายการ, URL/ลิงก์, "
        "หน่วยงาน/ผู้รับผิดชอบ, ผลตรวจ/ผลการตรวจสอบ/สถานะ) แสดงผลการตรวจสอบ แล้วบันทึกทั้งไฟล์หรือไม่บันทึกเลย"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="ชื่อหรือชื่อย่อของหน่วยงาน")
        parser.add_argument("--year", required=True, type=int, help="ปีงบประมาณ พ.ศ. ของการประเมิน")
        parser.add_argument("--dry-run", action="store_true", help="ตรวจสอบและแสดงผลเท่านั้น ไม่บันทึก")

    def handle(self, *args, file, organisation, year, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {file}", returncode=2)
        workspace = find_workspace(find_organisation(organisation), year, create=True)
        preview = read_checklist(path.read_bytes(), path.name, workspace)
        if preview.columns:
            self.stdout.write("คอลัมน์ที่อ่าน: " + ", ".join(preview.columns))
        for ignored in preview.ignored:
            self.stdout.write(f"ไม่นำเข้าคอลัมน์: {ignored}")
        for row in preview.rows:
            parts = [f"แถว {row.number}: {row.item.code.upper()}"]
            if row.urls:
                parts.append("ลิงก์ใหม่ " + " ".join(row.urls))
            if row.units_text:
                parts.append("ผู้รับผิดชอบ " + row.units_text)
            if row.verdict_text:
                parts.append(f"ผลตรวจ/สถานะ {row.verdict_text}")
            self.stdout.write(" · ".join(parts))
        for number, text in preview.unmapped:
            self.stdout.write(f"แถว {number}: จับคู่หน่วยงาน “{text}” กับสำนัก/กองไม่ได้")
        if preview.errors:
            for number, message in preview.errors:
                self.stderr.write(f"แถว {number}: {message}" if number else message)
            raise CommandError(f"พบข้อผิดพลาด {len(preview.errors)} รายการ จึงไม่บันทึกสิ่งใด", returncode=1)
        if dry_run:
            self.stdout.write("ตรวจสอบแล้ว ไม่ได้บันทึก (--dry-run)")
            return
        changed = apply_checklist(preview, workspace)
        self.stdout.write(self.style.SUCCESS(f"นำเข้าแล้ว {changed} ข้อ"))
