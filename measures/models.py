"""The improvement plan: one Measure per row of the official table, with its tracking.

The six official columns are kept exactly as written (Thai digits, odd spacing, wrong quoted
scores and all); the structured fields beside them (indicator, units) are what the software
reads, so that the data-quality check can compare the two instead of hiding the difference.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, FiscalYear, Indicator, Unit


class MeasureQuerySet(models.QuerySet):
    def for_table(self):
        """Everything the plan table shows, in two queries whatever the number of rows."""
        return self.select_related("indicator", "fiscal_year").prefetch_related("units")

    def late(self, today=None):
        today = today or date.today()
        return self.filter(end_date__lt=today).exclude(status=Measure.Status.DONE)


class Measure(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
        IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
        DONE = "done", _("เสร็จสิ้น")
        CANCELLED = "cancelled", _("ยกเลิก")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="measures",
        verbose_name=_("ผลการประเมินที่ตอบสนอง"),
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="measures",
        verbose_name=_("ปีงบประมาณที่ดำเนินการ"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="measures",
        verbose_name=_("ตัวชี้วัด"),
    )
    indicator_label = models.CharField(_("ตัวชี้วัด (ตามที่เขียน)"), max_length=300)
    analysis = models.TextField(_("ผลการวิเคราะห์"), blank=True)
    activity = models.TextField(_("มาตรการ/โครงการ/กิจกรรม"))
    method = models.TextField(_("วิธีการดำเนินการ"), blank=True)
    period = models.CharField(_("ระยะเวลา"), max_length=200, blank=True)
    responsible = models.CharField(_("ผู้รับผิดชอบ"), max_length=300, blank=True)
    units = models.ManyToManyField(
        Unit, blank=True, related_name="measures", verbose_name=_("สำนัก/กองที่รับผิดชอบ")
    )
    for_all_units = models.BooleanField(
        _("ทุกสำนัก/กอง"), default=False, help_text=_("ทุกสำนัก/กองแก้ไขแถวนี้ได้")
    )
    block = models.PositiveSmallIntegerField(
        _("ตารางที่"), default=1, help_text=_("เอกสารอาจแบ่งแผนเป็นหลายตาราง")
    )
    position = models.PositiveIntegerField(_("ลำดับในแผน"), default=0)

    status = models.CharField(
        _("สถานะ"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("ความก้าวหน้า (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    start_date = models.DateField(_("วันเริ่มตามแผน"), null=True, blank=True)
    end_date = models.DateField(_("วันสิ้นสุดตามแผน"), null=True, blank=True)
    # Bumped on every save through the portal; a form carries the version it was read at, and
    # a save whose version is stale is refused instead of overwriting someone else's change.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("มาตรการ")
        verbose_name_plural = _("มาตรการ")
        ordering = ["fiscal_year", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="measure_progress_max_100"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="measure_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_label}: {self.activity[:60]}"


    def is_late(self, today=None):
        today = today or date.today()
        return (
            self.end_date is not None
            and self.end_date < today
            and self.status not in (self.Status.DONE, self.Status.CANCELLED)
        )


def evidence_path(note, filename):
    # The stored name never comes from the user: only the extension chosen by content sniffing.
    return f"evidence/{note.measure_id}/{filename}"


class ProgressNote(models.Model):
    """A dated account of what was done on a measure, by whom, with its evidence."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="notes", verbose_name=_("มาตรการ")
    )
    date = models.DateField(_("วันที่ดำเนินการ"), default=date.today)
    text = models.TextField(_("สิ่งที่ดำเนินการ"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_notes",
        verbose_name=_("ผู้บันทึก"),
    )
    link = models.URLField(_("ลิงก์หลักฐาน"), blank=True, max_length=500)
    file = models.FileField(_("ไฟล์หลักฐาน"), upload_to=evidence_path, blank=True, max_length=300)
    file_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255, blank=True)
    file_type = models.CharField(_("ชนิดไฟล์"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("บันทึกเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("บันทึกความก้าวหน้า")
        verbose_name_plural = _("บันทึกความก้าวหน้า")
        ordering = ["measure", "-date", "-created_at"]

    def __str__(self):
        return f"{self.date} {self.text[:60]}"
