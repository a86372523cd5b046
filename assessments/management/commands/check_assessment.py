from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from assessments.checks import check_assessment, errors_and_todos, oit_list_note
from assessments.models import Assessment


class Command(BaseCommand):
    help = (
        "ตรวจคุณภาพข้อมูลผลการประเมินและแผน แสดงทุกรายการที่ขัดกัน "
        "exit 0 เมื่อไม่มีรายการที่ยังไม่ได้ตรวจทาน, 1 เมื่อมี (ให้ตัวตั้งเวลาแจ้งเตือน), 2 เมื่อระบุตัวเลือกผิด"
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="ชื่อหรือชื่อย่อของหน่วยงาน (ค่าเริ่มต้น: ทุกหน่วยงาน)")
        parser.add_argument("--year", type=int, help="ปีงบประมาณ พ.ศ. (ค่าเริ่มต้น: ทุกปี)")

    def handle(self, *args, organisation=None, year=None, **options):
        assessments = Assessment.objects.with_scores().prefetch_related("check_reviews")
        if organisation:
            assessments = assessments.filter(
                Q(organisation__name=organisation) | Q(organisation__short_name=organisation)
            )
        if year:
            assessments = assessments.filter(fiscal_year=year)
        assessments = list(assessments.order_by("organisation__name", "fiscal_year"))
        if not assessments and (organisation or year):
            raise CommandError("ไม่พบผลการประเมินตามที่ระบุ", returncode=2)
        unreviewed = 0
        for assessment in assessments:
            issues = check_assessment(assessment)
            reviews = {r.key: r for r in assessment.check_reviews.all()}
            open_issues = [issue for issue in issues if issue.key not in reviews]
            unreviewed += len(open_issues)
            self.stdout.write(
                f"{assessment.organisation.name} ปี {assessment.fiscal_year_id}: "
                f"{len(issues)} รายการ ยังไม่ได้ตรวจทาน {len(open_issues)}"
            )
            note = oit_list_note(assessment.fiscal_year)
            if note:
                self.stdout.write(f"  หมายเหตุ: {note}")
            errors, todos = errors_and_todos(issues)
            for title, part in (("ข้อผิดพลาดในเอกสาร", errors), ("งานที่ยังต้องทำในระบบ", todos)):
                if not part:
                    continue
                unreviewed_here = sum(1 for issue in part if issue.key not in reviews)
                self.stdout.write(f"  {title}: {len(part)} รายการ ยังไม่ได้ตรวจทาน {unreviewed_here}")
                for issue in part:
                    self._write_issue(issue, reviews.get(issue.key))
        if unreviewed:
            raise CommandError(f"พบ {unreviewed} รายการที่ยังไม่ได้ตรวจทาน", returncode=1)

    def _write_issue(self, issue, review):
        mark = "[x]" if review else "[ ]"
        severity = "" if issue.todo else f"({issue.severity_label}) "
        self.stdout.write(f"    {mark} {severity}{issue.where}\n        {issue.problem}\n        เหตุที่สำคัญ: {issue.why}")
        if review:
            self.stdout.write(f"        ตรวจแล้ว: {review.comment}")
        self.stdout.write(f"        key: {issue.key}")
