"""The area offices' jobs: every report of an area in one zip, and the area's Excel overview.

Each function gets the job and its `Progress` (jobs/runner.py), reports its steps, writes its
file through `progress.result_file()` and ends with `progress.complete(...)`; an error it raises
ends the job failed with nothing kept. Rights were checked when the job was started; the work
uses only what the job names (its area and filters).
"""

import re
import zipfile

from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from audit.log import record
from audit.models import Entry
from jobs.registry import register
from jobs.runner import JobFailed
from reports.reports import ita_report_pdf

from .exports import area_xlsx
from .access import NATION, Scope, scope_from
from .summary import filtered_area_rows

AREA_REPORTS = "area_reports"
AREA_XLSX = "area_xlsx"
UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _area_rows(job):
    """The rows of the oversight page as the job's starter filtered them, for the job's area
    (a region or the nation in its parameters; a province or district in its fields)."""
    scope = scope_from(job.params.get("scope") or {"province": job.province, "district": job.district}) or Scope(NATION)
    return filtered_area_rows(scope, QueryDict(job.params.get("query", "")))[1]


def area_reports(job, progress):
    """The ITA report PDF of every filtered organisation of the area that has the year, one zip."""
    year = job.params["year"]
    organisations = [row.organisation for row in _area_rows(job)]
    assessments = {
        a.organisation_id: a
        for a in Assessment.objects.with_scores().filter(fiscal_year_id=year, organisation__in=organisations)
    }
    chosen = [assessments[o.pk] for o in organisations if o.pk in assessments]
    if not chosen:
        raise JobFailed("no_reports", year=year)
    progress.start(len(chosen))
    thai_digits = job.params.get("digits", "thai") != "arabic"
    # PDFs are compressed already: storing them is as small as deflating them, and faster.
    with progress.result_file() as out, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        with translation.override("th"):
            for assessment in chosen:
                name = UNSAFE_IN_FILE_NAME.sub("-", assessment.organisation.name)
                archive.writestr(f"{assessment.organisation_id}-{name}-{year}.pdf",
                                 ita_report_pdf(assessment, thai_digits=thai_digits))
                progress.advance()
    skipped = len(organisations) - len(chosen)
    progress.complete(
        "reports_done_skipped" if skipped else "reports_done", result_name=f"ita-reports-{year}.zip",
        written=len(chosen), skipped=skipped, year=year,
    )


def area_export(job, progress):
    """The oversight page's Excel export, for an area too large to export in a request."""
    progress.start(2)
    rows = _area_rows(job)
    progress.advance()
    with progress.result_file() as out:
        out.write(area_xlsx(rows))
    progress.advance()
    progress.complete("export_done", result_name="ita-oversight.xlsx", rows=rows.count())


def _recorded(kind):
    """The job's file in the audit log like the direct downloads: a PDF zip, or an export."""
    return lambda job: record(kind, job, data={"file_name": job.result_name})


register(AREA_REPORTS, area_reports, label=_("รายงาน ITA ทุกหน่วยงานในพื้นที่ (.zip)"),
         downloaded=_recorded(Entry.Kind.PDF))
register(AREA_XLSX, area_export, label=_("ภาพรวมหน่วยงานในพื้นที่ (Excel)"), downloaded=_recorded(Entry.Kind.EXPORT))
