from datetime import date

from django.core.management.base import BaseCommand, CommandError

from measures.reminders import reminders_for, send_reminders


class Command(BaseCommand):
    help = (
        "ส่งอีเมลแจ้งเตือนรายวันถึงเจ้าหน้าที่: มาตรการที่ล่าช้า ครบกำหนดใน 14 วัน หรือไม่ได้ปรับปรุง 30 วัน "
        "(ให้ cron เรียกวันละครั้ง)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="วันที่อ้างอิง YYYY-MM-DD (ค่าเริ่มต้น: วันนี้)")
        parser.add_argument("--dry-run", action="store_true", help="แสดงผู้รับและจำนวนรายการ ไม่ส่งอีเมล")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else date.today()
        except ValueError:
            raise CommandError("--date ต้องอยู่ในรูปแบบ YYYY-MM-DD") from None
        if options["dry_run"]:
            for reminder in reminders_for(today):
                self.stdout.write(f"{reminder.membership.user.email}: {len(reminder.late)} late, "
                                  f"{len(reminder.due)} due, {len(reminder.stale)} not updated")
            return
        self.stdout.write(f"sent {send_reminders(today)} reminder e-mails")
