from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from notifications.digests import SCANS


class Command(BaseCommand):
    help = (
        "ส่งการแจ้งเตือนตามกำหนดเวลาโดยไม่ผ่าน Celery beat: weekly (สรุปรายสัปดาห์ของมาตรการ), "
        "no-progress (มาตรการที่ไม่มีบันทึกความคืบหน้า 30 วัน), oit-weekly (สรุปรายสัปดาห์ของข้อ OIT)"
    )

    def add_arguments(self, parser):
        parser.add_argument("which", choices=sorted(SCANS))
        parser.add_argument("--date", help="วันที่อ้างอิง YYYY-MM-DD (ค่าเริ่มต้น: วันนี้)")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date ต้องอยู่ในรูปแบบ YYYY-MM-DD") from None
        with transaction.atomic():
            made = SCANS[options["which"]](today)
        self.stdout.write(f"{made} notifications")
