"""Write the ITA report PDF of one organisation, or of every organisation, for one fiscal year.

    manage.py export_report --year 2568 --organisation 1 --out reports/
    manage.py export_report --year 2568 --all --out reports/ --digits arabic
    manage.py export_report --year 2568 --all --out archive/ --pdfa

The same PDF as the portal's download (tagged; with --pdfa the archival PDF/A-3b copy); one
file per organisation, named ita-report-<organisation id>-<year>.pdf (-pdfa.pdf). An organisation without an assessment that year is
reported and skipped. Every file written is an entry of the organisation's audit log (kind
PDF, by nobody: the command is run on the server, not by a portal user).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment, Organisation
from audit.log import record
from audit.models import Entry
from reports.reports import ita_report_pdf


class Command(BaseCommand):
    help = "Write the ITA report PDF for one organisation or for all (batch for an oversight office)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="fiscal year (BE), e.g. 2568")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--organisation", type=int, help="organisation id")
        which.add_argument("--all", action="store_true", help="every organisation")
        parser.add_argument("--out", default=".", help="folder to write into (created if missing)")
        parser.add_argument("--digits", choices=["thai", "arabic"], default="thai")
        parser.add_argument("--pdfa", action="store_true", help="write the archival PDF/A-3b copy")

    def handle(self, *args, year, organisation, all, out, digits, pdfa, **options):
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        organisations = Organisation.objects.order_by("pk")
        if not all:
            organisations = organisations.filter(pk=organisation)
            if not organisations.exists():
                raise CommandError(f"ไม่พบหน่วยงานรหัส {organisation}")
        assessments = {
            a.organisation_id: a
            for a in Assessment.objects.with_scores().filter(fiscal_year_id=year, organisation__in=organisations)
        }
        written = 0
        for org in organisations:
            assessment = assessments.get(org.pk)
            if assessment is None:
                self.stderr.write(f"{org.name}: ไม่มีผลการประเมินปี {year} ข้ามไป")
                continue
            path = folder / f"ita-report-{org.pk}-{year}{'-pdfa' if pdfa else ''}.pdf"
            path.write_bytes(ita_report_pdf(assessment, thai_digits=digits == "thai", archive=pdfa))
            record(Entry.Kind.PDF, assessment, data={"file_name": path.name, "command": "export_report"})
            written += 1
            self.stdout.write(f"{path}")
        if not written:
            raise CommandError(f"ไม่มีผลการประเมินปี {year} ของหน่วยงานที่เลือก")
        self.stdout.write(self.style.SUCCESS(f"เขียนรายงาน {written} ไฟล์"))
