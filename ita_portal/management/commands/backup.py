from django.core.management.base import BaseCommand

from ita_portal.backup import backup_to


class Command(BaseCommand):
    help = "สำรองข้อมูลทั้งหมด (ฐานข้อมูลและไฟล์หลักฐาน) เป็นไฟล์ .tar.gz ไฟล์เดียว"

    def add_arguments(self, parser):
        parser.add_argument("path", help="ไฟล์ปลายทาง เช่น backups/ita-2569-11-24.tar.gz")

    def handle(self, *args, **options):
        objects, files = backup_to(options["path"])
        self.stdout.write(f"backup written to {options['path']}: {objects} objects, {files} files")
