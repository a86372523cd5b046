from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from measures import digests


class Command(BaseCommand):
    help = (
        "ส่งการแจ้งเตือนตามกำหนดเวลาโดยไม่ผ่าน Celery beat: สรุปรายสัปดาห์ (มาตรการล่าช้าและครบกำหนดใน 14 วัน) "
        "และมาตรการที่ไม่มีบันทึกความคืบหน้า 30 วัน"
    )

    def add_arguments(self, parser):
        parser.add_argument("which", choices=["weekly", "no-progress"])
        parser.add_argument("--date", help="วันที่อ้างอิง YYYY-MM-DD (ค่าเริ่มต้น: วันนี้)")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date ต้องอยู่ในรูปแบบ YYYY-MM-DD") from None
        scan = digests.weekly_digest if options["which"] == "weekly" else digests.no_progress_scan
        with transaction.atomic():
            made = scan(today)
        self.stdout.write(f"{made} notifications")
