from django.core.management.base import BaseCommand

from assessments.loaders import load_reference


class Command(BaseCommand):
    help = "โหลดข้อมูลอ้างอิงรายปี (ตัวชี้วัด รหัสข้อคำถาม เกณฑ์ระดับ) จาก fixtures/reference.json"

    def handle(self, *args, **options):
        created = load_reference()
        self.stdout.write(f"reference data: {created} rows created")
