from django.core.management.base import BaseCommand

from ita_portal.seed import load_seed


class Command(BaseCommand):
    help = "โหลดข้อมูลตัวอย่าง อบต.วังหมี ปี 2568 (ข้ามเมื่อมีอยู่แล้ว)"

    def handle(self, *args, **options):
        organisation = load_seed()
        if organisation is None:
            self.stdout.write("seed: already loaded, nothing changed")
        else:
            self.stdout.write(f"seed: loaded {organisation.name}")
