from django.core.management.base import BaseCommand, CommandError

from assessments.loaders import REFERENCE_FILE, ReferenceDataError, load_reference, read_json


class Command(BaseCommand):
    help = "โหลดข้อมูลอ้างอิงรายปี (ตัวชี้วัด รหัสข้อคำถาม เกณฑ์ระดับ) จาก fixtures/reference.json"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(REFERENCE_FILE), help="ไฟล์ข้อมูลอ้างอิง (ค่าเริ่มต้น: fixtures/reference.json)")

    def handle(self, *args, file, **options):
        try:
            created = load_reference(read_json(file))
        except ReferenceDataError as error:
            raise CommandError(f"ไม่ได้โหลดข้อมูลอ้างอิง: {error}") from None
        self.stdout.write(f"reference data: {created} rows created")
