from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.models import Entry


class Command(BaseCommand):
    help = "ลบรายการในบันทึกการใช้งานที่เก่ากว่าระยะเวลาเก็บ (AUDIT_LOG_RETENTION_YEARS ปี)"

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None,
                            help="keep this many years instead of AUDIT_LOG_RETENTION_YEARS (0 keeps everything)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")

    def handle(self, *args, **options):
        years = settings.AUDIT_LOG_RETENTION_YEARS if options["years"] is None else options["years"]
        if years < 0:
            raise CommandError("--years must be 0 or more")
        if years == 0:
            self.stdout.write("audit log: kept for ever (retention 0), nothing deleted")
            return
        cutoff = years_before(timezone.now(), years)
        old = Entry.objects.filter(timestamp__lt=cutoff)
        if options["dry_run"]:
            self.stdout.write(f"audit log: {old.count()} entries older than {cutoff:%Y-%m-%d} would be deleted")
            return
        deleted, _by_model = old.delete()
        self.stdout.write(f"audit log: deleted {deleted} entries older than {cutoff:%Y-%m-%d} (kept {years} years)")


def years_before(moment, years):
    """The same day and time `years` earlier (28 February for a 29th in a year without one)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)
