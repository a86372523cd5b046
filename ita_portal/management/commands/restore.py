from django.core.management.base import BaseCommand, CommandError

from ita_portal.backup import BackupError, restore_from


class Command(BaseCommand):
    help = "กู้คืนข้อมูลจากไฟล์สำรองลงฐานข้อมูลว่างที่ migrate แล้ว"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            objects, files = restore_from(options["path"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {objects} objects and {files} files from {options['path']}")
