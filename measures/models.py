"""The improvement plan: one Plan per assessment, with its approval cycle and record, and one
Measure per row of the official table, with its tracking.

The six official columns are kept exactly as written (Thai digits, odd spacing, wrong quoted
scores and all); the structured fields beside them (indicator, units) are what the software
reads, so that the data-quality check can compare the two instead of hiding the difference.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Avg, Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, ChangeRefused, FiscalYear, Indicator, Unit
from lib import thai


class PlanQuerySet(models.QuerySet):
    def of_assessment(self, assessment):
        """The plan made from this assessment's results, created as a draft if it has none yet.
        The next fiscal year must be in the reference data (callers check it first)."""
        plan, _created = self.get_or_create(
            assessment=assessment, defaults={"fiscal_year_id": assessment.fiscal_year_id + 1}
        )
        return plan

    def refresh_progress(self):
        """Store on these plans the count of their rows, of rows done and the mean progress
        (half up to 0.1; None without rows) of the rows outside the bin and not cancelled.
        Returns the number of plans written."""
        figures = {
            row["plan_id"]: row
            for row in Measure.objects.filter(plan__in=self).exclude(status=Measure.Status.CANCELLED)
            .values("plan_id").order_by()
            .annotate(n=Count("id"), done=Count("id", filter=Q(status=Measure.Status.DONE)), mean=Avg("progress"))
        }
        plans = list(self.only("pk").order_by())
        for plan in plans:
            row = figures.get(plan.pk, {"n": 0, "done": 0, "mean": None})
            plan.rows_count, plan.rows_done = row["n"], row["done"]
            plan.progress = None if row["mean"] is None else Decimal(str(row["mean"])).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        self.model.objects.bulk_update(plans, ["rows_count", "rows_done", "progress"], batch_size=200)
        return len(plans)

    def lock(self, pk, part):
        """The plan, locked for a write to its rows until the transaction ends; ChangeRefused
        when it does not accept `part` now. Every write of plan rows calls this inside its
        transaction, so that an edit and an approval never cross."""
        plan = self.select_for_update().get(pk=pk)
        reason = plan.refusal(part)
        if reason:
            raise ChangeRefused(reason)
        return plan


class Plan(models.Model):
    """The improvement plan made from one assessment's results (year N) and carried out in the
    next fiscal year (N+1), with its approval cycle.

    Its key is its assessment: one plan per assessment, and each row (Measure) names the plan
    of its own assessment, which the database checks. The state moves draft -> submitted ->
    approved -> reported (see TRANSITIONS); every step is a PlanEvent. An approved or reported
    plan is locked: only the rows' tracking changes. A plan of a past year changes not at all.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("ร่าง")
        SUBMITTED = "submitted", _("เสนอผู้บริหารแล้ว")
        APPROVED = "approved", _("ผู้บริหารอนุมัติแล้ว")
        REPORTED = "reported", _("รายงานผลแล้ว")

    # What a change touches: the plan itself (the six columns, units, planned dates, adding,
    # deleting and ordering rows), or only the tracking of its rows (status, progress, notes).
    CONTENT, TRACKING = "content", "tracking"
    LOCKED_STATES = (State.APPROVED, State.REPORTED)

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="plan",
        verbose_name=_("ผลการประเมินที่ตอบสนอง"),
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="plans", verbose_name=_("ปีงบประมาณที่ดำเนินการ"),
    )
    state = models.CharField(_("สถานะแผน"), max_length=20, choices=State.choices, default=State.DRAFT)
    # The approval in force, as the executive signed it (name and position typed when signing).
    # Reopening clears it; the PlanEvent of the approval keeps it in the plan's record.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="approved_plans", verbose_name=_("บัญชีผู้อนุมัติ"),
    )
    approver_name = models.CharField(_("ชื่อผู้อนุมัติ"), max_length=200, blank=True)
    approver_position = models.CharField(_("ตำแหน่งผู้อนุมัติ"), max_length=200, blank=True)
    approved_on = models.DateField(_("วันที่อนุมัติ"), null=True, blank=True)
    approval_comment = models.TextField(_("ความเห็นผู้อนุมัติ"), blank=True)
    # The plan's progress, stored by `refresh_progress` in the transaction that moves it, so
    # that lists over thousands of plans read columns: rows outside the bin and not cancelled.
    rows_count = models.PositiveIntegerField(_("จำนวนมาตรการ"), default=0, editable=False)
    rows_done = models.PositiveIntegerField(_("มาตรการที่เสร็จสิ้น"), default=0, editable=False)
    progress = models.DecimalField(
        _("ความก้าวหน้าเฉลี่ย (ร้อยละ)"), max_digits=4, decimal_places=1, null=True, blank=True, editable=False
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("แผนพัฒนาองค์กร")
        verbose_name_plural = _("แผนพัฒนาองค์กร")
        ordering = ["assessment__organisation", "fiscal_year"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["draft", "submitted", "approved", "reported"]),
                                   name="plan_state_known"),
            # An approved (or reported) plan carries its signature; any other carries none.
            models.CheckConstraint(
                condition=(
                    Q(state__in=["approved", "reported"], approved_on__isnull=False)
                    & ~Q(approver_name="") & ~Q(approver_position="")
                ) | (
                    Q(state__in=["draft", "submitted"], approved_on__isnull=True, approver_name="",
                      approver_position="", approved_by__isnull=True)
                ),
                name="plan_approved_means_signed",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} -> {self.fiscal_year_id}"

    def get_absolute_url(self):
        return reverse("measures:plan", args=[self.fiscal_year_id])

    def refresh_progress(self):
        """Store the plan's progress from its rows (see PlanQuerySet.refresh_progress); call it
        in the transaction that adds, changes, bins, restores or deletes rows."""
        Plan.objects.filter(pk=self.pk).refresh_progress()
        self.rows_count, self.rows_done, self.progress = (
            Plan.objects.filter(pk=self.pk).values_list("rows_count", "rows_done", "progress").get()
        )

    def new_row(self, **fields):
        """An unsaved row of this plan."""
        return Measure(plan=self, assessment_id=self.assessment_id, fiscal_year_id=self.fiscal_year_id, **fields)

    @property
    def is_locked(self):
        return self.state in self.LOCKED_STATES

    @cached_property
    def newest_year(self):
        """The organisation's newest started year."""
        return Assessment.objects.filter(organisation__assessments=self.assessment_id).newest_year()

    @property
    def is_past(self):
        """The plan carried out in year Y is past once a year after Y is started: the plan
        being carried out stays open while its successor is drafted from the new results."""
        return self.newest_year is not None and self.fiscal_year_id < self.newest_year

    def refusal(self, part=CONTENT):
        """Why the plan does not accept a change of `part` (CONTENT or TRACKING) now, or "".

        The one place that says what a past year and an approved plan refuse: the access
        helpers, the row writes, the import and the draft acceptance all ask it."""
        if self.is_past:
            return gettext(
                "แผนปี %(year)s เป็นของปีที่ผ่านมาแล้ว (หน่วยงานเริ่มปีงบประมาณ %(newest)s แล้ว) "
                "จึงอ่านได้อย่างเดียว"
            ) % {"year": self.fiscal_year_id, "newest": self.newest_year}
        if part == self.CONTENT and self.is_locked:
            return gettext(
                "แผนปี %(year)s ผู้บริหารอนุมัติแล้ว จึงแก้ไขได้เฉพาะสถานะ ความก้าวหน้า และบันทึกความก้าวหน้า "
                "หากต้องแก้ไขเนื้อหาของแผน ผู้ดูแลระบบต้องเปิดแผนเพื่อแก้ไขพร้อมระบุเหตุผล แล้วเสนอขออนุมัติใหม่"
            ) % {"year": self.fiscal_year_id}
        return ""

    @property
    def content_open(self):
        return not self.refusal(self.CONTENT)

    @property
    def tracking_open(self):
        return not self.refusal(self.TRACKING)

    def approval_at(self, moment):
        """The approval (a PlanEvent) in force at `moment`: the last one recorded by then,
        unless the plan was reopened after it; None when there is none."""
        last = self.events.filter(
            at__lte=moment, kind__in=[PlanEvent.Kind.APPROVED, PlanEvent.Kind.REOPENED]
        ).order_by("-at", "-id").first()
        return last if last is not None and last.kind == PlanEvent.Kind.APPROVED else None

    def next_steps(self):
        """The steps (PlanEvent kinds) the plan's state allows now, whoever takes them."""
        if self.is_past:
            return []
        return [kind for kind, (sources, _target) in TRANSITIONS.items() if self.state in sources]

    def take_step(self, kind, *, by, comment="", signer_name="", signer_position="", signed_on=None):
        """Move the plan one step (a PlanEvent kind) and record it; returns the event.

        Raises WrongState (with a Thai message) when the plan's state does not allow the step,
        and ChangeRefused for a past plan. Who may take which step is for accounts.access."""
        with transaction.atomic():
            plan = Plan.objects.select_for_update().get(pk=self.pk)
            if plan.is_past:
                raise ChangeRefused(plan.refusal())
            sources, target = TRANSITIONS[kind]
            if plan.state not in sources:
                raise WrongState(kind, plan.state)
            if kind == PlanEvent.Kind.SUBMITTED and not plan.measures.exists():
                raise WrongState(kind, plan.state, gettext("แผนยังไม่มีมาตรการ จึงยังเสนอผู้บริหารไม่ได้"))
            plan.state = target
            if kind == PlanEvent.Kind.APPROVED:
                plan.approved_by, plan.approved_on = by, signed_on
                plan.approver_name, plan.approver_position = signer_name, signer_position
                plan.approval_comment = comment
            elif kind == PlanEvent.Kind.REOPENED:
                plan.approved_by, plan.approved_on = None, None
                plan.approver_name = plan.approver_position = plan.approval_comment = ""
            plan.save()
            event = plan.events.create(
                kind=kind, by=by, comment=comment, signer_name=signer_name,
                signer_position=signer_position, signed_on=signed_on,
            )
        self.refresh_from_db()
        return event


class WrongState(Exception):
    """A step the plan's state does not allow (approving a draft, reopening a submitted plan)."""

    def __init__(self, kind, state, message=None):
        self.kind, self.state = kind, state
        super().__init__(message or gettext(
            "ทำรายการ “%(step)s” ไม่ได้ เพราะแผนอยู่ในสถานะ “%(state)s” แล้ว (อาจมีผู้อื่นทำรายการไปก่อน)"
        ) % {"step": PlanEvent.Kind(kind).label, "state": Plan.State(state).label})


class PlanEvent(models.Model):
    """One entry of a plan's record: who moved it to which state, when, and why."""

    class Kind(models.TextChoices):
        STARTED = "started", _("เริ่มปีงบประมาณและสร้างแผน")
        SUBMITTED = "submitted", _("เสนอผู้บริหาร")
        RETURNED = "returned", _("ส่งกลับไปแก้ไข")
        APPROVED = "approved", _("อนุมัติแผน")
        REOPENED = "reopened", _("เปิดแผนเพื่อแก้ไข")
        REPORTED = "reported", _("รายงานผลการดำเนินงานแล้ว")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events", verbose_name=_("แผน"))
    kind = models.CharField(_("รายการ"), max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_events", verbose_name=_("โดย"),
    )
    at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)
    # The reason of a reopening or a return, the approver's comment, the note of a report.
    comment = models.TextField(_("เหตุผล/ความเห็น"), blank=True)
    signer_name = models.CharField(_("ชื่อผู้อนุมัติ"), max_length=200, blank=True)
    signer_position = models.CharField(_("ตำแหน่งผู้อนุมัติ"), max_length=200, blank=True)
    signed_on = models.DateField(_("วันที่อนุมัติ"), null=True, blank=True)

    class Meta:
        verbose_name = _("บันทึกสถานะแผน")
        verbose_name_plural = _("บันทึกสถานะแผน")
        ordering = ["plan", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["reopened", "returned"]) | ~Q(comment=""), name="plan_event_reason_given",
            ),
            models.CheckConstraint(
                condition=~Q(kind="approved")
                | (Q(signed_on__isnull=False) & ~Q(signer_name="") & ~Q(signer_position="")),
                name="plan_event_approval_signed",
            ),
        ]

    def __str__(self):
        return f"{self.plan} {self.kind} {self.at:%Y-%m-%d}"


# step -> (the states it starts from, the state it leads to)
TRANSITIONS = {
    PlanEvent.Kind.SUBMITTED: ((Plan.State.DRAFT,), Plan.State.SUBMITTED),
    PlanEvent.Kind.RETURNED: ((Plan.State.SUBMITTED,), Plan.State.DRAFT),
    PlanEvent.Kind.APPROVED: ((Plan.State.SUBMITTED,), Plan.State.APPROVED),
    PlanEvent.Kind.REPORTED: ((Plan.State.APPROVED,), Plan.State.REPORTED),
    PlanEvent.Kind.REOPENED: ((Plan.State.APPROVED, Plan.State.REPORTED), Plan.State.DRAFT),
}


class MeasureQuerySet(models.QuerySet):
    def for_table(self):
        """Everything the plan table shows, in two queries whatever the number of rows."""
        # A row's units are all its organisation's: position and name put them in Unit's own
        # order without the join to the organisation that ordering would cost.
        return self.select_related("indicator").prefetch_related(
            models.Prefetch("units", Unit.objects.order_by("position", "name"))
        )

    def unfinished(self):
        """Rows neither done nor cancelled: what a new year's plan may carry over."""
        return self.exclude(status__in=[Measure.Status.DONE, Measure.Status.CANCELLED])

    def late(self, today=None):
        """Rows past their planned end that are neither done nor cancelled (as Measure.is_late)."""
        today = today or date.today()
        return self.filter(end_date__lt=today).unfinished()

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
    # What an approved plan still lets its rows change (with progress notes).
    TRACKING_FIELDS = ("status", "progress")
    # The longest analysis, activity or method the forms and the import accept (the seed's longest
    # is under 200): a cell of megabytes would slow every page, export and PDF that shows it.
    LONG_TEXT_MAX_LENGTH = 5000

    # The plan of the assessment: its key is the assessment's, and a constraint below keeps
    # the two equal, so a row can neither lack its plan nor name another assessment's.
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("แผน"))
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="measures",
        verbose_name=_("ผลการประเมินที่ตอบสนอง"),
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="measures",
        verbose_name=_("ปีงบประมาณที่ดำเนินการ"),
    )
    # The unfinished row of an earlier plan this row was carried over from: its history and
    # progress notes stay there, and the origin cannot be deleted while a copy points at it.
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="carried_to",
        verbose_name=_("ยกมาจากมาตรการ"),
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

    # The bin is not part of the row's history page (the audit log records it); the plan and the
    # origin of a carried row never change, so the history leaves them out too.
    history = UnitsWithTheRow(
        excluded_fields=["updated_at", "deleted_at", "deleted_by", "plan", "carried_from"], m2m_fields=["units"]
    )
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
            models.CheckConstraint(condition=Q(plan=F("assessment")), name="measure_plan_of_its_assessment"),
            models.UniqueConstraint(fields=["plan", "carried_from"], name="measure_carried_once_per_plan"),
            # The rules of `tracking_errors`, which the forms and the import say in Thai first.
            models.CheckConstraint(condition=~Q(status="done") | Q(progress=100), name="measure_done_at_100"),
            models.CheckConstraint(
                condition=~Q(status="not_started") | Q(progress=0), name="measure_not_started_at_0"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_label}: {self.activity[:60]}"

    def get_absolute_url(self):
        return reverse("measures:detail", args=[self.pk])

    def save_if_current(self, version, fields, units=None):
        """Save `fields` (and `units`, if given) only if the row is still at `version`; False
        when someone saved first, ChangeRefused when the plan does not accept the change now
        (approved: only the tracking fields; past: nothing).

        The conditional UPDATE takes the row's lock, so of two simultaneous saves from the same
        version exactly one matches; the loser changes nothing. The winner then saves through
        the ORM so that django-simple-history records who changed what, units included, as one
        history record.
        """
        tracking_only = units is None and set(fields) <= set(self.TRACKING_FIELDS)
        with transaction.atomic():
            Plan.objects.lock(self.plan_id, Plan.TRACKING if tracking_only else Plan.CONTENT)
            won = Measure.objects.filter(pk=self.pk, version=version).update(version=F("version") + 1)
            if not won:
                return False
            if units is not None:
                self.units.set(units)  # recorded by the save below (see UnitsWithTheRow)
            self.version = version + 1
            self.save(update_fields=[*fields, "version", "updated_at"])
            if {"status", "progress"} & set(fields):
                self.plan.refresh_progress()
        return True

    def move(self, direction):
        """Swap the row with its neighbour among the rows of its indicator ("up" or "down").

        The plan is renumbered 1..n in its new order, so rows that shared a position (rows
        added in the admin site, say) end up in a definite order too. Returns False when
        the row is already first or last of its indicator.
        """
        with transaction.atomic():
            Plan.objects.lock(self.plan_id, Plan.CONTENT)
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

    def tracking_errors(self):
        """What is wrong with the row's status, progress and dates, as {field: ValidationError}
        (empty when nothing is): done means 100 %, not started means 0 %, and the end is not
        before the start. The forms and the plan import ask it before anything is saved; the
        database refuses such a row too (Meta.constraints)."""
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError(_("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"), code="dates_order")
        if self.status == self.Status.DONE and self.progress is not None and self.progress != 100:
            errors["progress"] = ValidationError(_("แถวที่เสร็จสิ้นต้องมีความก้าวหน้า 100%"), code="done_not_100")
        if self.status == self.Status.NOT_STARTED and self.progress:
            errors["status"] = ValidationError(
                _("มีความก้าวหน้าแล้ว สถานะจึงไม่ใช่ “ยังไม่เริ่ม”"), code="started"
            )
        return errors

    @property
    def status_label(self):
        """The status in the reader's language: what get_status_display() shows, without
        rebuilding the field's choices on every call (a plan page shows a status per row)."""
        try:
            return self.Status(self.status).label
        except ValueError:
            return self.status

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
