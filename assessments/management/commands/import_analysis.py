"""Read the NACC's analysis of one organisation's year from a text file and save it.

    manage.py import_analysis analysis.txt --organisation อบต.วังหมี --year 2568

The same reader as the page that takes the pasted analysis (assessments.analysis): every point
read and every line not read are printed; the year's assessment is created when there is none.
Nothing is saved, and the command exits 1 with the reasons, when the file cannot be read.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from assessments import analysis, services
from assessments.forms import analysis_names, describe_skipped
from assessments.models import Assessment, FiscalYear, Organisation


class Command(BaseCommand):
    help = "อ่านผลการวิเคราะห์ของ ป.ป.ช. จากไฟล์ข้อความ แล้วบันทึกเป็นผลการวิเคราะห์ของปีนั้น (แทนที่ของเดิม)"

    def add_arguments(self, parser):
        parser.add_argument("file", help="ไฟล์ข้อความ UTF-8 ที่มีส่วนการวิเคราะห์ผลการประเมิน")
        parser.add_argument("--organisation", required=True, help="ชื่อหรือชื่อย่อของหน่วยงาน")
        parser.add_argument("--year", type=int, required=True, help="ปีงบประมาณ พ.ศ. ของผลการประเมิน")

    def handle(self, *args, file, organisation, year, **options):
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"อ่านไฟล์ {file} ไม่ได้: {error.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"ไฟล์ {file} ไม่ใช่ข้อความ UTF-8: บันทึกไฟล์เป็น UTF-8 แล้วลองใหม่") from None
        found = Organisation.objects.filter(Q(name=organisation) | Q(short_name=organisation))
        if found.count() != 1:
            raise CommandError(
                f"ไม่พบหน่วยงาน “{organisation}”" if not found else f"ชื่อ “{organisation}” ตรงกับหลายหน่วยงาน"
            )
        fiscal_year = FiscalYear.objects.filter(year=year, indicators__isnull=False).distinct().first()
        if fiscal_year is None:
            raise CommandError(f"ยังไม่มีตัวชี้วัดของปีงบประมาณ {year} ในข้อมูลอ้างอิง")
        result = analysis.read_analysis(text, analysis_names(fiscal_year))
        for line in result.skipped:
            self.stdout.write(f"  บรรทัด {line.line} ไม่ได้อ่าน: {describe_skipped(line)}")
        if not result.points:
            raise CommandError(f"ไม่พบจุดเด่นหรือจุดที่ควรพัฒนาใน {file}: ไม่ได้บันทึก")
        with transaction.atomic():
            assessment, created = Assessment.objects.get_or_create(
                organisation=found.get(), fiscal_year=fiscal_year
            )
            if assessment.change_refusal():
                raise CommandError(assessment.change_refusal())
            differences = services.score_differences(result, assessment)
            fills = services.fills_scores(result, assessment)
            services.analysis_save(assessment=assessment, analysis=result)
        for point in result.points:
            kind = "จุดเด่น" if point.kind == analysis.STRENGTH else "จุดที่ควรพัฒนา"
            details = [point.code or "-", f"คะแนน {point.score}" if point.score is not None else ""]
            if point.oit_refs:
                details.append("OIT " + ", ".join(point.oit_refs))
            self.stdout.write(
                f"ตัวชี้วัดที่ {point.indicator} {kind} {' '.join(d for d in details if d)}: {point.text[:60]}"
            )
        for difference in differences:
            self.stdout.write(
                f"  คะแนนในหัวข้อตัวชี้วัดที่ {difference.indicator} ({difference.heading}) "
                f"ต่างจากคะแนนที่บันทึกไว้ ({difference.saved}): คงคะแนนที่บันทึกไว้"
            )
        self.stdout.write(
            f"{'สร้างผลการประเมินปี ' + str(year) + ' และ' if created else ''}"
            f"บันทึก {len(result.points)} ประเด็นแล้ว"
            f"{' พร้อมคะแนนสิบตัวชี้วัดจากหัวข้อ' if fills else ''}"
        )
