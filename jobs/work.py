"""What each kind of job does: call the portal's own report, export and import functions.

Each function gets the job and its `Progress` (jobs/runner.py), reports its steps, writes its
file through `progress.result_file()` and ends with `progress.complete(...)`; an error it raises
ends the job failed with nothing kept. Rights were checked when the job was started; the work
uses only what the job names (its assessment, or its area and filters).
"""

import re
import zipfile

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from assessments.models import Assessment
from measures.models import Measure
from oversight.exports import area_xlsx
from oversight.access import NATION, Scope, scope_from
from oversight.summary import filtered_area_rows
from reports import exports, imports
from reports.reports import ita_report_pdf

from .models import Job
from .runner import JobFailed, discard_leftovers

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


def plan_export(job, progress):
    """The plan's .xlsx (reports:plan_xlsx), for a plan too large to export in a request."""
    progress.start(1)
    assessment = Assessment.objects.with_scores().get(pk=job.assessment_id)
    with progress.result_file() as out, translation.override("th"):
        exports.plan_xlsx(assessment, out)
    progress.advance()
    progress.complete(
        "export_done", rows=Measure.objects.filter(assessment=assessment).count(),
        result_name=f"plan-{assessment.organisation_id}-{assessment.fiscal_year_id}.xlsx",
    )


def _upload(job):
    if not job.upload or not default_storage.exists(job.upload.name):
        raise JobFailed("upload_missing")
    with default_storage.open(job.upload.name, "rb") as handle:
        return handle.read()


def import_preview(job, progress):
    """Check an uploaded plan file: the same preview as the import page, kept on the job.
    A file that can be imported stays for the confirmation (which starts `import_commit`)."""
    progress.start(1)
    data = _upload(job)
    preview = imports.read_plan(data, job.assessment)
    html = render_to_string("reports/_import_preview.html", {"preview": preview, "assessment": job.assessment})
    progress.advance()
    if not preview.can_apply:
        discard_leftovers(job)  # nothing to confirm
    progress.complete(
        "preview_done", report_html=html, can_apply=preview.can_apply, versions=preview.versions,
        added=len(preview.added), changed=len(preview.changed), unchanged=preview.unchanged,
        errors=len(preview.errors),
    )


def import_commit(job, progress):
    """Write a previewed file in one transaction, if no row it names changed since the preview;
    the job becomes done in the same transaction, so a cancel or a failure writes nothing."""
    progress.start(2)
    try:
        preview = imports.read_plan(_upload(job), job.assessment)
        progress.advance()
        if not preview.can_apply or preview.versions != job.params["versions"]:
            raise JobFailed("stale_import")
        with transaction.atomic():
            added, changed = imports.apply_plan(preview, job.assessment, job.user)
            progress.complete("import_done", added=added, changed=changed)
    except imports.StaleImport:
        raise JobFailed("stale_import") from None
    discard_leftovers(job)  # written: the file is not needed any more (on failure, the runner)


WORK = {
    Job.Kind.AREA_REPORTS: area_reports,
    Job.Kind.AREA_XLSX: area_export,
    Job.Kind.PLAN_XLSX: plan_export,
    Job.Kind.IMPORT_PREVIEW: import_preview,
    Job.Kind.IMPORT_COMMIT: import_commit,
}
