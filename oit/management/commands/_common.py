"""What the OIT commands share: finding the organisation and the year's workspace."""

from django.core.management.base import CommandError
from django.db.models import Q

from assessments.models import FiscalYear, Organisation

from ...models import Workspace
from ...services import workspace_start


def find_organisation(name):
    found = list(Organisation.objects.filter(Q(name=name) | Q(short_name=name))[:2])
    if not found:
        raise CommandError(f"ไม่พบหน่วยงาน “{name}”", returncode=2)
    if len(found) > 1:
        raise CommandError(f"มีหลายหน่วยงานชื่อ “{name}”: ระบุชื่อเต็ม", returncode=2)
    return found[0]


def find_workspace(organisation, year, create=False):
    """The organisation's workspace of the year (started from the year's list when `create`)."""
    fiscal_year = FiscalYear.objects.prefetch_related("indicators", "levels").filter(pk=year).first()
    if fiscal_year is None or not fiscal_year.codes.filter(tool="OIT").exists():
        raise CommandError(f"ปีงบประมาณ {year} ไม่มีรายการข้อ OIT ในข้อมูลอ้างอิง", returncode=2)
    workspace = Workspace.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()
    if workspace is None:
        if not create:
            raise CommandError(f"{organisation} ยังไม่ได้เริ่มเตรียม OIT ปี {year}", returncode=2)
        workspace = workspace_start(organisation=organisation, fiscal_year=fiscal_year)
    workspace.fiscal_year = fiscal_year
    return workspace
