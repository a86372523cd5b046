"""The reports' jobs: the plan's Excel export, for a plan too large to export in a request.

Each function gets the job and its `Progress` (jobs/runner.py), reports its steps, writes its
file through `progress.result_file()` and ends with `progress.complete(...)`; an error it raises
ends the job failed with nothing kept. Rights were checked when the job was started; the work
uses only what the job names (its assessment).
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from audit.log import record
from audit.models import Entry
from jobs.registry import register
from measures.models import Measure

from . import exports

PLAN_XLSX = "plan_xlsx"


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


def _recorded(job):
    """The job's file in the audit log like the direct downloads."""
    record(Entry.Kind.EXPORT, job, data={"file_name": job.result_name})


register(PLAN_XLSX, plan_export, label=_("ส่งออกแผนพัฒนา (Excel)"), downloaded=_recorded)
