"""The plan import's jobs: check a large uploaded file, then write it once confirmed.

Each function gets the job and its `Progress` (jobs/runner.py), reports its steps, writes its
file through `progress.result_file()` and ends with `progress.complete(...)`; an error it raises
ends the job failed with nothing kept. Rights were checked when the job was started; the work
uses only what the job names (its assessment and uploaded file).
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from jobs.registry import register
from jobs.runner import JobFailed, discard_leftovers

from . import imports

IMPORT_PREVIEW = "import_preview"
IMPORT_COMMIT = "import_commit"


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


register(IMPORT_PREVIEW, import_preview, label=_("ตรวจสอบไฟล์นำเข้าแผน"))
register(IMPORT_COMMIT, import_commit, label=_("นำเข้าแผนจากไฟล์"))
