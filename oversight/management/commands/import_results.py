from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Organisation
from lib.spreadsheets import UnreadableFile, decode_text

from oversight.results import apply_results, lines_of_upload, read_results


class Command(BaseCommand):
    help = (
        "นำเข้าผลการประเมินของหลายหน่วยงานตามที่ ป.ป.ช. เผยแพร่ (ไฟล์ .xlsx .csv หรือข้อความที่คัดลอกจาก PDF เป็น .txt): "
        "พิมพ์ผลของทุกแถว และบันทึกเฉพาะเมื่อระบุ --apply"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--province", default="", help="จับคู่ชื่อเฉพาะหน่วยงานของจังหวัดนี้ (ค่าเริ่มต้น: ทั่วประเทศ)")
        parser.add_argument("--apply", action="store_true", help="บันทึกแถวที่สมบูรณ์ทั้งหมดในธุรกรรมเดียว")

    def handle(self, *args, file, province, apply, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"อ่านไฟล์ไม่ได้: {error}") from None
        try:
            lines = decode_text(data).splitlines() if path.suffix.lower() == ".txt" else lines_of_upload(data, path.name)
        except UnreadableFile as error:
            raise CommandError(str(error)) from None
        organisations = Organisation.objects.filter(province=province) if province else Organisation.objects.all()
        preview = read_results(lines, organisations)
        for number, text in preview.skipped:
            self.stdout.write(f"{number}: ข้าม (ไม่ใช่แถวข้อมูล): {text[:60]}")
        for row in preview.rows:
            if row.ready:
                how = "ต่อจากแถวก่อน" if row.continued else f"ชื่อคล้าย {row.similarity}%"
                self.stdout.write(f"{row.number}: พร้อม: {row.organisation.name} ปี {row.year} "
                                  f"ภาพรวม {row.overall} {row.level} ({how})")
            else:
                self.stdout.write(f"{row.number}: ไม่บันทึก: {row.name or '-'} ปี {row.year}: {row.problem}")
        ready = len(preview.ready)
        if apply:
            saved = apply_results(preview)
            self.stdout.write(f"บันทึกแล้ว {saved} แถว, ไม่บันทึก {len(preview.refused)} แถว, ข้าม {len(preview.skipped)} บรรทัด")
        else:
            self.stdout.write(f"พร้อมบันทึก {ready} แถว, ไม่บันทึก {len(preview.refused)} แถว, "
                              f"ข้าม {len(preview.skipped)} บรรทัด (ยังไม่ได้บันทึก: ใช้ --apply)")
