"""The improvement plan: one Measure per row of the official table, with its tracking.

The six official columns are kept exactly as written (Thai digits, odd spacing, wrong quoted
scores and all); the structured fields beside them (indicator, units) are what the software
reads, so that the data-quality check can compare the two instead of hiding the difference.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assessments import thai
from assessments.models import Assessment, FiscalYear, Indicator, Unit


class MeasureQuerySet(models.QuerySet):
    def for_table(self):
        """Everything the plan table shows, in two queries whatever the number of rows."""
        return self.select_related("indicator", "fiscal_year").prefetch_related("units")

    def late(self, today=None):
        """Rows past their planned end that are neither done nor cancelled (as Measure.is_late)."""
        today = today or date.today()
        return self.filter(end_date__lt=today).exclude(
            status__in=[Measure.Status.DONE, Measure.Status.CANCELLED]
        )

    def in_plan_order(self):
        """Grouped by indicator number (rows without one last), then in the plan's order."""
        return self.order_by(F("indicator__number").asc(nulls_last=True), "position", "id")

    def for_unit(self, unit):
        """Rows the unit is responsible for, including the rows for every unit."""
        of_unit = Measure.units.through.objects.filter(unit=unit).values("measure_id")
        return self.filter(Q(for_all_units=True) | Q(pk__in=of_unit))

    def search(self, text):
        """Rows whose official columns contain the text, written with Thai or Arabic digits."""
        query = Q()
        for variant in {text, thai.to_thai(text), thai.to_arabic(text)}:
            for column in Measure.OFFICIAL_COLUMNS:
                query |= Q(**{f"{column}__icontains": variant})
        return self.filter(query)


class OutsideTheBin(models.Manager):
    """The default manager of what can go to the bin: what is in the bin is on no page, report,
    export, count, check or reminder, because they all read through the default manager (and
    the related managers made from it, `assessment.measures`, `measure.notes`). The bin's
    own pages, backups and the admin site use `all_objects`."""

    in_plan = Q(deleted_at__isnull=True)

    def get_queryset(self):
        return super().get_queryset().filter(self.in_plan)


class MeasureManager(OutsideTheBin.from_queryset(MeasureQuerySet)):
    pass


class NoteManager(OutsideTheBin):
    # A note of a row in the bin is in the bin with its row.
    in_plan = Q(deleted_at__isnull=True, measure__deleted_at__isnull=True)


class UnitsWithTheRow(HistoricalRecords):
    """History that keeps the row's units with each saved version of the row.

    simple_history would also write a record for every change of the units on its own, which
    splits one edit in two and makes `loaddata` (restoring a backup) invent history. Here
    the units are recorded only when the row is saved, as `save_if_current` does after
    setting them.
    """

    def m2m_changed(self, *args, **kwargs):
        pass


class Measure(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
        IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
        DONE = "done", _("เสร็จสิ้น")
        # With a context: the same Thai word is the "Cancel" of every form's button.
        CANCELLED = "cancelled", pgettext_lazy("measure status", "ยกเลิก")

    # The six columns of the official plan table, kept as written.
    OFFICIAL_COLUMNS = ("indicator_label", "analysis", "activity", "method", "period", "responsible")
    # The longest analysis, activity or method the forms and the import accept (the seed's longest
    # is under 200): a cell of megabytes would slow every page, export and PDF that shows it.
    LONG_TEXT_MAX_LENGTH = 5000

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
    # Set when the row is moved to the bin (measures/bin.py); it leaves the database only when an
    # admin empties the bin.
    deleted_at = models.DateTimeField(_("ย้ายไปถังขยะเมื่อ"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ย้ายไปถังขยะโดย"),
    )

    # The bin is not part of the row's history page: the audit log records it.
    history = UnitsWithTheRow(excluded_fields=["updated_at", "deleted_at", "deleted_by"], m2m_fields=["units"])
    objects = MeasureManager()
    all_objects = MeasureQuerySet.as_manager()

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

    def get_absolute_url(self):
        return reverse("measures:detail", args=[self.pk])

    def save_if_current(self, version, fields, units=None):
        """Save `fields` (and `units`, if given) only if the row is still at `version`; False
        when someone saved first.

        The conditional UPDATE takes the row's lock, so of two simultaneous saves from the same
        version exactly one matches; the loser changes nothing. The winner then saves through
        the ORM so that django-simple-history records who changed what, units included, as one
        history record.
        """
        with transaction.atomic():
            won = Measure.objects.filter(pk=self.pk, version=version).update(version=F("version") + 1)
            if not won:
                return False
            if units is not None:
                self.units.set(units)  # recorded by the save below (see UnitsWithTheRow)
            self.version = version + 1
            self.save(update_fields=[*fields, "version", "updated_at"])
        return True

    def move(self, direction):
        """Swap the row with its neighbour among the rows of its indicator ("up" or "down").

        The plan is renumbered 1..n in its new order, so rows that shared a position (rows
        added in the admin site, say) end up in a definite order too. Returns False when
        the row is already first or last of its indicator.
        """
        with transaction.atomic():
            rows = list(
                Measure.objects.select_for_update()
                .filter(assessment_id=self.assessment_id, fiscal_year_id=self.fiscal_year_id)
                .order_by("position", "id")
            )
            group = [row for row in rows if row.indicator_id == self.indicator_id]
            here = next(i for i, row in enumerate(group) if row.pk == self.pk)
            there = here - 1 if direction == "up" else here + 1
            if not 0 <= there < len(group):
                return False
            a, b = rows.index(group[here]), rows.index(group[there])
            rows[a], rows[b] = rows[b], rows[a]
            for position, row in enumerate(rows, start=1):
                if row.position != position:
                    row.position = position
                    row.version += 1
                    row.save(update_fields=["position", "version", "updated_at"])
        return True

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
    deleted_at = models.DateTimeField(_("ย้ายไปถังขยะเมื่อ"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ย้ายไปถังขยะโดย"),
    )

    objects = NoteManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = _("บันทึกความก้าวหน้า")
        verbose_name_plural = _("บันทึกความก้าวหน้า")
        ordering = ["measure", "-date", "-created_at"]

    def __str__(self):
        return f"{self.date} {self.text[:60]}"


class BinnedEvidence(models.Model):
    """An evidence file taken off its note and put in the bin. The note no longer has a file, so
    no page, report or download can show it; the file stays on disk until the bin is emptied,
    and restoring puts it back on the note."""

    note = models.ForeignKey(
        ProgressNote, on_delete=models.CASCADE, related_name="binned_files",
        verbose_name=_("บันทึกความก้าวหน้า"),
    )
    file = models.FileField(_("ไฟล์หลักฐาน"), max_length=300)
    file_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255, blank=True)
    file_type = models.CharField(_("ชนิดไฟล์"), max_length=100, blank=True)
    deleted_at = models.DateTimeField(_("ย้ายไปถังขยะเมื่อ"), default=timezone.now)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ย้ายไปถังขยะโดย"),
    )

    class Meta:
        verbose_name = _("ไฟล์หลักฐานในถังขยะ")
        verbose_name_plural = _("ไฟล์หลักฐานในถังขยะ")
        ordering = ["-deleted_at", "-id"]

    def __str__(self):
        return self.file_name
