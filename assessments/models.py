"""Organisations, the NACC's reference data per fiscal year, and each year's assessment.

Reference data (indicators, sub-indicators, question and item codes, level rules, weights) is
kept per fiscal year because the NACC changes it every year; nothing about a year is a constant
in code. Scores are checked by the database as well as by forms.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Max, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from . import display, scoring


class ChangeRefused(PermissionDenied):
    """A change that the record does not accept now (a past year, an approved plan), with the
    reason in the reader's language. A PermissionDenied, so that a refusal nobody catches is a
    403 page that says why."""


SCORE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def score_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs
    )


def score_range(field_name, name):
    """A database check that a nullable score lies between 0 and 100."""
    return models.CheckConstraint(
        condition=Q(**{f"{field_name}__isnull": True})
        | Q(**{f"{field_name}__gte": 0, f"{field_name}__lte": 100}),
        name=name,
    )


class Tool(models.TextChoices):
    IIT = "IIT", _("IIT แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน")
    EIT = "EIT", _("EIT แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก")
    OIT = "OIT", _("OIT แบบตรวจการเปิดเผยข้อมูลสาธารณะ")


class Confidence(models.TextChoices):
    HIGH = "high", _("สูง")
    MEDIUM = "medium", _("ปานกลาง")
    LOW = "low", _("ต่ำ (อนุมาน)")
    UNKNOWN = "unknown", _("ไม่ทราบ")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SAO = "อบต.", _("องค์การบริหารส่วนตำบล")
        MUNICIPALITY = "เทศบาล", _("เทศบาล")
        PAO = "อบจ.", _("องค์การบริหารส่วนจังหวัด")
        OTHER = "อื่น ๆ", _("หน่วยงานอื่น")

    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    short_name = models.CharField(_("ชื่อย่อ"), max_length=100, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices, default=Kind.SAO)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    admins_need_two_factor = models.BooleanField(
        _("ผู้ดูแลระบบต้องใช้การยืนยันตัวตนสองขั้นตอน"), default=False,
        help_text=_("ผู้ดูแลระบบของหน่วยงานที่ยังไม่ได้ตั้งค่าจะถูกพาไปตั้งค่าก่อนใช้งาน (accounts/two_factor.py)"),
    )

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        ordering = ["name"]
        # Local government names repeat across the country (there is an อบต.หนองบัว in many
        # provinces); within one district a name is one organisation.
        constraints = [
            models.UniqueConstraint(
                fields=["province", "district", "name"], name="organisation_unique_name_in_district"
            )
        ]

    def __str__(self):
        return self.short_name or self.name


class UnitQuerySet(models.QuerySet):
    def active(self):
        """The units that new plan rows and people can be assigned to (not retired)."""
        return self.filter(retired_at__isnull=True)

    def for_picker(self, current=()):
        """The active units, and those of `current` (what an object already names) even when
        retired, so that editing it never drops a retired unit silently."""
        return self.filter(Q(retired_at__isnull=True) | Q(pk__in=[unit.pk for unit in current]))


class Unit(models.Model):
    """A division of an organisation (สำนักปลัด, กองคลัง, ...) to which plan rows are assigned.

    A unit is never deleted while anything names it: an organisation that merges or renames its
    divisions retires the old one. A retired unit leaves the pickers for new assignments, and the
    rows and people that name it keep it and show it marked as retired."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("หน่วยงาน")
    )
    name = models.CharField(_("ชื่อสำนัก/กอง"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    other_names = models.TextField(
        _("ชื่ออื่นและงานในสังกัด"), blank=True,
        help_text=_("หนึ่งชื่อต่อบรรทัด เช่น งานพัสดุและทรัพย์สิน: ช่อง “ผู้รับผิดชอบ” ที่เขียนชื่อเหล่านี้จะจับคู่กับสำนัก/กองนี้"),
    )
    retired_at = models.DateTimeField(_("เลิกใช้เมื่อ"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("สำนัก/กอง")
        verbose_name_plural = _("สำนัก/กอง")
        ordering = ["organisation", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name")
        ]

    def __str__(self):
        if self.retired_at:
            return _("%(name)s (เลิกใช้แล้ว)") % {"name": self.name}
        return self.name

    @property
    def is_retired(self):
        return self.retired_at is not None

    def names(self):
        """Its name and the other names a plan row's responsible text may give it."""
        return [self.name] + [line.strip() for line in self.other_names.splitlines() if line.strip()]


# The weights have three decimals, so any sum that is not 1 misses it by 0.001 or more; the
# database check allows half of that for SQLite, which adds decimals as binary floats.
WEIGHT_SUM = F("iit_weight") + F("eit_weight") + F("oit_weight")


class FiscalYear(models.Model):
    """A Buddhist Era fiscal year (FY2568 = 1 Oct 2024 to 30 Sep 2025) and its scoring rule."""

    class Rounding(models.TextChoices):
        PUBLISHED = scoring.PUBLISHED, _("ตัดสินจากคะแนนที่ปัดครึ่งขึ้นเป็นทศนิยมสองตำแหน่ง ตามที่ ป.ป.ช. ประกาศ")
        EXACT = scoring.EXACT, _("ตัดสินจากคะแนนที่ยังไม่ปัด และแสดงผลโดยไม่ปัดขึ้นข้ามเกณฑ์")

    year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), primary_key=True)
    iit_weight = models.DecimalField(_("น้ำหนัก IIT"), max_digits=4, decimal_places=3, default=Decimal("0.30"))
    eit_weight = models.DecimalField(_("น้ำหนัก EIT"), max_digits=4, decimal_places=3, default=Decimal("0.30"))
    oit_weight = models.DecimalField(_("น้ำหนัก OIT"), max_digits=4, decimal_places=3, default=Decimal("0.40"))
    pass_mark = score_field(_("เกณฑ์ผ่าน"), default=Decimal(85))
    rounding = models.CharField(
        _("การปัดเศษก่อนตัดสินระดับ"), max_length=10, choices=Rounding.choices, default=Rounding.PUBLISHED,
        help_text=_("ระดับและเงื่อนไขรายเครื่องมือตัดสินจากตัวเลขใด ทุกหน้า รายงาน PDF และการตรวจข้อมูลใช้กฎเดียวกัน"),
    )
    oit_list_complete = models.BooleanField(
        _("รายการข้อ OIT ของปีนี้ครบ"), default=False,
        help_text=_("เมื่อยังไม่ครบ การตรวจข้อมูลจะไม่รายงานข้อ OIT ที่ไม่พบในรายการว่าผิด"),
    )
    notes = models.TextField(_("หมายเหตุ/แหล่งที่มา"), blank=True)

    class Meta:
        verbose_name = _("ปีงบประมาณ")
        verbose_name_plural = _("ปีงบประมาณ")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(iit_weight__gte=0) & Q(eit_weight__gte=0) & Q(oit_weight__gte=0),
                name="fiscal_year_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(WEIGHT_SUM, Decimal("0.9995")))
                & Q(LessThanOrEqual(WEIGHT_SUM, Decimal("1.0005"))),
                name="fiscal_year_weights_sum_to_1",
            ),
        ]

    def __str__(self):
        return str(self.year)

    def clean(self):
        if None not in self.weights().values() and sum(self.weights().values()) != 1:
            raise ValidationError(weights_error(self.year, self.weights()), code="weights_sum")

    def weights(self):
        return {"IIT": self.iit_weight, "EIT": self.eit_weight, "OIT": self.oit_weight}


def weights_error(year, weights):
    """The Thai message for a year whose weights do not add up to 1 (forms and the loader)."""
    total = sum(Decimal(w) for w in weights.values())
    return _("น้ำหนักของปี %(year)s รวมกันได้ %(total)s (IIT %(iit)s + EIT %(eit)s + OIT %(oit)s) ต้องรวมกันได้ 1") % {
        "year": year, "total": f"{total.normalize():f}",
        **{tool.lower(): f"{Decimal(w).normalize():f}" for tool, w in weights.items()},
    }


class Level(models.Model):
    """One level of a year's result rule, best first by `rank` (see scoring.LevelRule)."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="levels", verbose_name=_("ปีงบประมาณ")
    )
    rank = models.PositiveSmallIntegerField(_("ลำดับ (1 = ดีที่สุด)"))
    name = models.CharField(_("ชื่อระดับ"), max_length=50)
    min_overall = score_field(_("คะแนนภาพรวมขั้นต่ำ"))
    min_tool_mean = score_field(
        _("ค่าเฉลี่ยขั้นต่ำของทุกเครื่องมือ"), null=True, blank=True,
        help_text=_("เว้นว่างเมื่อระดับนี้ไม่มีเงื่อนไขรายเครื่องมือ"),
    )
    passed = models.BooleanField(_("ถือว่าผ่าน"), default=False)

    class Meta:
        verbose_name = _("ระดับผลการประเมิน")
        verbose_name_plural = _("ระดับผลการประเมิน")
        ordering = ["fiscal_year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "rank"], name="level_unique_rank"),
            models.UniqueConstraint(fields=["fiscal_year", "name"], name="level_unique_name"),
        ]

    def __str__(self):
        return f"{self.fiscal_year_id} {self.name}"

    def as_rule(self):
        return scoring.LevelRule(self.name, self.min_overall, self.min_tool_mean, self.passed)


class Indicator(models.Model):
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("ปีงบประมาณ")
    )
    number = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"))
    name = models.CharField(_("ชื่อตัวชี้วัด"), max_length=200)
    tool = models.CharField(_("เครื่องมือ"), max_length=3, choices=Tool.choices)
    variant_names = models.TextField(
        _("ชื่อที่เขียนต่างออกไป"), blank=True,
        help_text=_("หนึ่งชื่อต่อบรรทัด: ชื่อที่ใช้กันจริงในเอกสาร ถือว่าถูกต้องเท่ากับชื่อทางการ"),
    )
    misspellings = models.TextField(
        _("ชื่อที่เขียนผิดที่พบในเอกสาร"), blank=True,
        help_text=_("หนึ่งชื่อต่อบรรทัด: ระบบรู้ว่าหมายถึงตัวชี้วัดนี้ แต่การตรวจข้อมูลยังรายงานว่าต่างจากชื่อทางการ"),
    )

    class Meta:
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")
        ordering = ["fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="indicator_unique_number")
        ]

    def __str__(self):
        return f"{self.number} {self.display_name}"

    @property
    def display_name(self):
        """The name in the reader's language (the stored name stays Thai)."""
        return display.indicator_name(self.name)

    def known_names(self):
        """The official name first, then the variant spellings in real use: all accepted."""
        return [self.name] + _lines(self.variant_names)

    def misspelt_names(self):
        """Misspellings found in documents: recognised as this indicator, never accepted."""
        return _lines(self.misspellings)


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class SubIndicator(models.Model):
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="sub_indicators", verbose_name=_("ปีงบประมาณ")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="sub_indicators", verbose_name=_("ตัวชี้วัด")
    )
    code = models.CharField(_("รหัส"), max_length=10, help_text=_("เช่น 9.1"))
    name = models.CharField(_("ชื่อตัวชี้วัดย่อย"), max_length=200)
    confidence = models.CharField(_("ความเชื่อมั่น"), max_length=10, choices=Confidence.choices)

    class Meta:
        verbose_name = _("ตัวชี้วัดย่อย")
        verbose_name_plural = _("ตัวชี้วัดย่อย")
        ordering = ["fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="subindicator_unique_code")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class QuestionCode(models.Model):
    """A survey question (i1.., e1..) or OIT item (o1..) of one year, keyed by (year, code)."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="codes", verbose_name=_("ปีงบประมาณ")
    )
    code = models.CharField(_("รหัส"), max_length=10, help_text=_("ตัวพิมพ์เล็ก เช่น i1, e4, o8"))
    tool = models.CharField(_("เครื่องมือ"), max_length=3, choices=Tool.choices)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="codes", verbose_name=_("ตัวชี้วัด")
    )
    sub_indicator = models.ForeignKey(
        SubIndicator, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="codes", verbose_name=_("ตัวชี้วัดย่อย"),
    )
    title = models.CharField(_("ชื่อข้อ"), max_length=300, blank=True)
    confidence = models.CharField(_("ความเชื่อมั่น"), max_length=10, choices=Confidence.choices)
    source = models.TextField(_("แหล่งที่มา"), blank=True)

    class Meta:
        verbose_name = _("รหัสข้อคำถาม")
        verbose_name_plural = _("รหัสข้อคำถาม")
        ordering = ["fiscal_year", "tool", "indicator__number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="code_unique_per_year")
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()


# The stored results that `Assessment.computed_results` gives.
RESULT_FIELDS = (
    "result_overall", "result_level", "result_passed", "iit_mean", "eit_mean", "oit_mean",
    "weakest_indicator_id", "weakest_score",
)
# ... and those that depend on the organisation's other years too.
STORED_FIELDS = (*RESULT_FIELDS, "previous_year", "result_change", "is_latest_result")


class ResultsVersion(models.Model):
    """One row whose token changes, in the same transaction, whenever what an area's summary
    counts or a dashboard draws changes: a stored result (`AssessmentQuerySet.refresh_results`),
    an assessment or an organisation saved or removed, an indicator renamed, every `migrate`
    (assessments/signals.py), a region's provinces (oversight). What is cached under the token
    (an area's summary, a dashboard's results: oversight/summary.py, dashboard/views.py) is
    read afresh after any such change. A new random token rather than a counter: a
    restored backup or an emptied table cannot bring back a token that a cache still holds."""

    token = models.CharField(max_length=32)

    KEPT_SECONDS = 24 * 3600  # how long what is kept under a token lasts: a bound on memory only

    class Meta:
        verbose_name = _("รุ่นของผลการประเมินที่เก็บไว้")

    def __str__(self):
        return self.token

    @classmethod
    def current(cls):
        """The token now ("" before the first change)."""
        return cls.objects.filter(pk=1).values_list("token", flat=True).first() or ""

    @classmethod
    def key(cls, name, *parts):
        """A cache key for something kept under the token now, in the reader's language."""
        return ":".join([name, cls.current(), *map(str, parts), get_language() or ""])

    @classmethod
    def bump(cls, using="default"):
        token = uuid.uuid4().hex
        rows = cls.objects.using(using)
        if not rows.filter(pk=1).update(token=token):
            rows.update_or_create(pk=1, defaults={"token": token})


class AssessmentQuerySet(models.QuerySet):
    def with_scores(self):
        return self.select_related("organisation", "fiscal_year").prefetch_related(
            "scores__indicator", "fiscal_year__indicators", "fiscal_year__levels"
        )

    def newest_year(self):
        """The newest fiscal year among these assessments (None without any): filtered to one
        organisation, its newest started year, which makes every earlier year past."""
        return self.aggregate(newest=Max("fiscal_year"))["newest"]

    def refresh_results(self):
        """Store the score engine's results on these assessments and on every other assessment
        of their organisations (the latest result and each year's change depend on the others).

        Run in the same transaction as the change that moves a score, a published figure or a
        year's rule; lists and summaries then read the stored columns with SQL aggregates.
        Returns the number of assessments written."""
        fields = list(STORED_FIELDS)
        everything = Assessment.objects.filter(organisation_id__in=self.values("organisation_id"))
        written, pending, organisation = 0, [], []

        def close(assessments):
            """Chain one organisation's years: each year's change from the one before, and
            its latest result."""
            previous = None
            for assessment in assessments:
                assessment.previous_year = assessment.result_change = None
                assessment.is_latest_result = False
                if assessment.result_overall is not None:
                    if previous is not None:
                        assessment.previous_year = previous.fiscal_year_id
                        assessment.result_change = assessment.result_overall - previous.result_overall
                    previous = assessment
            if previous is not None:
                previous.is_latest_result = True
            pending.extend(assessments)

        def flush():
            # bulk_update writes CASE WHEN chains whose cost grows with the square of the
            # batch: 2,000 rows took PostgreSQL 35 s, 200 rows a fraction of a second.
            Assessment.objects.bulk_update(pending, fields, batch_size=200)
            pending.clear()

        with transaction.atomic():
            rows = everything.with_scores().order_by("organisation_id", "fiscal_year_id")
            for assessment in rows.iterator(chunk_size=2000):
                if organisation and organisation[0].organisation_id != assessment.organisation_id:
                    close(organisation)
                    organisation = []
                    if len(pending) >= 2000:
                        written += len(pending)
                        flush()
                for name, value in assessment.computed_results().items():
                    setattr(assessment, name, value)
                organisation.append(assessment)
            close(organisation)
            written += len(pending)
            flush()
            ResultsVersion.bump()
        return written


class Assessment(models.Model):
    """One organisation's ITA result for one fiscal year.

    A history year may hold only the overall score the NACC published; a full year holds the
    ten indicator scores, from which the portal computes the overall score and level itself.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("หน่วยงาน")
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("ปีงบประมาณ")
    )
    published_overall = score_field(_("คะแนนภาพรวมที่ประกาศ"), null=True, blank=True)
    published_level = models.CharField(_("ระดับที่ประกาศ"), max_length=50, blank=True)
    complaint_count = models.PositiveIntegerField(_("จำนวนเรื่องร้องเรียน"), null=True, blank=True)
    complaint_deduction = score_field(_("คะแนนที่ถูกหักจากเรื่องร้องเรียน"), null=True, blank=True)
    summary = models.TextField(_("สรุปผล"), blank=True)
    is_public = models.BooleanField(
        _("เผยแพร่หน้าสาธารณะ"), default=False,
        help_text=_("เปิดหน้าที่ไม่ต้องเข้าสู่ระบบ สำหรับลิงก์จากเว็บไซต์หน่วยงานเป็นหลักฐาน OIT"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The score engine's results, stored by `refresh_results` in the transaction that moves
    # them, so that lists and summaries over thousands of organisations are SQL aggregates.
    # Figures as every page prints them (two decimals under the year's rounding rule).
    result_overall = score_field(_("คะแนนภาพรวม (ที่คำนวณหรือประกาศ)"), null=True, blank=True, editable=False)
    result_level = models.CharField(_("ระดับ (ที่คำนวณหรือตามเอกสาร)"), max_length=50, blank=True, editable=False)
    result_passed = models.BooleanField(_("ผ่านเกณฑ์"), null=True, editable=False)
    iit_mean = score_field(_("ค่าเฉลี่ย IIT"), null=True, blank=True, editable=False)
    eit_mean = score_field(_("ค่าเฉลี่ย EIT"), null=True, blank=True, editable=False)
    oit_mean = score_field(_("ค่าเฉลี่ย OIT"), null=True, blank=True, editable=False)
    weakest_indicator = models.ForeignKey(
        "Indicator", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("ตัวชี้วัดที่อ่อนที่สุด"),
    )
    weakest_score = score_field(_("คะแนนตัวชี้วัดที่อ่อนที่สุด"), null=True, blank=True, editable=False)
    previous_year = models.PositiveSmallIntegerField(_("ปีก่อนหน้าที่มีผล"), null=True, blank=True, editable=False)
    result_change = models.DecimalField(
        _("เปลี่ยนแปลงจากปีก่อนหน้า"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    is_latest_result = models.BooleanField(_("ผลล่าสุดของหน่วยงาน"), default=False, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("ผลการประเมิน")
        verbose_name_plural = _("ผลการประเมิน")
        ordering = ["organisation", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="assessment_one_per_year"
            ),
            score_range("published_overall", "assessment_published_overall_range"),
            score_range("complaint_deduction", "assessment_complaint_deduction_range"),
        ]
        indexes = [
            # The oversight list: an area's latest results, best first.
            models.Index(fields=["is_latest_result", "result_overall"], name="assessment_latest_overall"),
            # An area's summary: each organisation's latest result read from the index alone
            # (PostgreSQL; other databases leave the included columns out).
            models.Index(
                fields=["organisation"], include=["result_overall", "result_passed", "result_level", "fiscal_year"],
                condition=Q(is_latest_result=True), name="assessment_latest_by_org",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.fiscal_year_id}"

    @cached_property
    def newest_year(self):
        """The organisation's newest started year (the newest year it has an assessment of)."""
        return Assessment.objects.filter(organisation_id=self.organisation_id).newest_year()

    @property
    def is_past(self):
        """A year is past once the organisation has started a later one: its results (scores,
        findings, check reviews) are then history, read but never changed."""
        return self.newest_year is not None and self.fiscal_year_id < self.newest_year

    def change_refusal(self):
        """Why the results of this year cannot be changed now, or "" when they can."""
        if not self.is_past:
            return ""
        return gettext(
            "ผลการประเมินปี %(year)s เป็นของปีที่ผ่านมาแล้ว (หน่วยงานเริ่มปีงบประมาณ %(newest)s แล้ว) "
            "จึงอ่านได้อย่างเดียว"
        ) % {"year": self.fiscal_year_id, "newest": self.newest_year}

    def lock(self):
        """Hold this assessment's row lock until the transaction ends.

        Rows of its plan and its findings are numbered last position + 1; two writers at the
        same moment would both read the same last position. Each takes this lock first, so the
        second waits until the first has committed and then reads its row (PostgreSQL; SQLite
        runs one write transaction at a time anyway)."""
        Assessment.objects.select_for_update().filter(pk=self.pk).values_list("pk", flat=True).get()

    def score_map(self):
        """Indicator number -> score, from the (prefetched) score rows."""
        return {s.indicator.number: s.score for s in self.scores.all()}

    @cached_property
    def result(self):
        """The computed result (scoring.Result) under this year's weights and level rule."""
        return self.evaluate(self.score_map())

    def evaluate(self, scores):
        """Score any set of indicator scores under this year's rule (used by the what-if too)."""
        year = self.fiscal_year
        tools = {i.number: i.tool for i in year.indicators.all()}
        rules = [level.as_rule() for level in year.levels.all()]
        return scoring.evaluate(scores, tools, year.weights(), rules, year.rounding)

    @property
    def has_scores(self):
        return bool(self.score_map())

    @property
    def overall(self):
        """The overall score: computed (exact) when the ten scores are known, else published."""
        computed = self.result.overall
        return computed if computed is not None else self.published_overall

    @property
    def overall_shown(self):
        """The overall as every page prints it: the computed one under the year's rounding rule
        (`scoring.shown`), else the published one."""
        if self.result.overall is not None:
            return self.result.overall_display
        return self.published_overall

    @property
    def level_name(self):
        if self.result.level is not None:
            return self.result.level.name
        return self.published_level

    @property
    def overall_differs(self):
        """True when the published overall is not the computed one as shown (to 0.01)."""
        computed = self.result.overall_display
        if computed is None or self.published_overall is None:
            return False
        return computed != scoring.round2(self.published_overall)

    def refresh_results(self):
        """Store this assessment's results, and its organisation's latest result and changes,
        from the score engine (see AssessmentQuerySet.refresh_results)."""
        Assessment.objects.filter(pk=self.pk).refresh_results()
        # All of them, so that a later full save() of this instance writes them back unchanged.
        stored = Assessment.objects.filter(pk=self.pk).values(*STORED_FIELDS).get()
        for name, value in stored.items():
            setattr(self, name, value)

    def computed_results(self):
        """What the score engine says, as the stored result fields: the overall and tool means as
        every page prints them, the level (computed, else as the document wrote it), whether it
        passes, and the weakest indicator. Needs the scores and the year's rules prefetched."""
        result = self.result
        means = result.means_display
        scores = list(self.scores.all())
        weakest = min(scores, key=lambda s: (s.score, s.indicator.number)) if scores else None
        overall = self.overall_shown
        return {
            "result_overall": None if overall is None else scoring.round2(overall),
            "result_level": self.level_name.strip(),
            "result_passed": self.passes(),
            "iit_mean": means["IIT"], "eit_mean": means["EIT"], "oit_mean": means["OIT"],
            "weakest_indicator_id": weakest.indicator_id if weakest else None,
            "weakest_score": weakest.score if weakest else None,
        }

    def passes(self):
        """True or False under the year's rule; None with no overall. A year that holds only its
        published overall is decided on that overall: the best level without a tool-mean gate
        that it reaches (tool means are unknown)."""
        if self.result.level is not None:
            return self.result.level.passed
        rule = self.published_rule()
        return None if rule is None else rule.passed

    def published_rule(self):
        """The level of the year's rule that the published overall alone reaches (levels with a
        tool-mean gate need the means and are passed over), or None without a published overall."""
        if self.published_overall is None:
            return None
        year = self.fiscal_year
        overall = scoring.decided(self.published_overall, year.rounding)
        for level in year.levels.all():
            if level.min_tool_mean is None and overall >= level.min_overall:
                return level.as_rule()
        return None

    @property
    def level_differs(self):
        level = self.result.level
        if level is None or not self.published_level:
            return False
        return level.name != self.published_level.strip()


class IndicatorScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("ผลการประเมิน")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="scores", verbose_name=_("ตัวชี้วัด")
    )
    score = score_field(_("คะแนน"))
    name_as_written = models.CharField(
        _("ชื่อตามตารางคะแนนในเอกสาร"), max_length=200, blank=True
    )
    heading_as_written = models.CharField(
        _("หัวข้อการวิเคราะห์ตามเอกสาร"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("คะแนนรายตัวชี้วัด")
        verbose_name_plural = _("คะแนนรายตัวชี้วัด")
        ordering = ["assessment", "indicator__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="score_one_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="score_between_0_and_100"
            ),
        ]

    def __str__(self):
        return f"{self.assessment} ตัวชี้วัดที่ {self.indicator.number}: {self.score}"


class Finding(models.Model):
    """A strength or a point to improve that the NACC's analysis names under one indicator.

    `code` and `oit_refs` are kept as the document gives them (normalised to i10, o8, ...),
    even when they do not exist in that year's list: the data-quality check reports those.
    `text` is the point as written; `recommendation` is its part that says what to do, kept
    apart so that the draft plan carries it out.
    """

    class Kind(models.TextChoices):
        STRENGTH = "strength", _("จุดเด่น")
        IMPROVE = "improve", _("จุดที่ควรพัฒนา")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="findings", verbose_name=_("ผลการประเมิน")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="findings", verbose_name=_("ตัวชี้วัด")
    )
    kind = models.CharField(_("ประเภท"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("รหัสข้อคำถาม"), max_length=10, blank=True)
    score = score_field(_("คะแนนข้อ"), null=True, blank=True)
    text = models.TextField(_("ข้อความ"))
    recommendation = models.TextField(
        _("ข้อเสนอแนะ"), blank=True,
        help_text=_("สิ่งที่หน่วยงานควรทำตามผลการวิเคราะห์ (ข้อความหลัง “ดังนั้น” หรือ “ควร”): ร่างแผนใช้เป็นวิธีการดำเนินการ"),
    )
    oit_refs = models.JSONField(
        _("ข้อ OIT ที่อ้างอิง"), default=list, blank=True, help_text=_('เช่น ["o8", "o9"]')
    )
    sub_indicator_refs = models.JSONField(
        _("ตัวชี้วัดย่อยที่อ้างอิง"), default=list, blank=True, help_text=_('เช่น ["9.3"]')
    )
    position = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        verbose_name = _("ผลการวิเคราะห์")
        verbose_name_plural = _("ผลการวิเคราะห์")
        ordering = ["assessment", "indicator__number", "position"]
        constraints = [score_range("score", "finding_score_range")]

    def __str__(self):
        return f"{self.indicator.number} {self.get_kind_display()} {self.code}".strip()


class Recommendation(models.Model):
    """The standard recommendation for one question code of one year, from which the portal
    drafts a measure of the next year's plan when that code is a point to improve.

    Data, not code: seeded from the seed document's own recommendation texts and editable in
    the admin, because the NACC's questions and the advice that fits them change by year.
    """

    question = models.OneToOneField(
        QuestionCode, on_delete=models.CASCADE, related_name="recommendation",
        verbose_name=_("รหัสข้อคำถาม"),
    )
    analysis = models.TextField(_("ผลการวิเคราะห์ (ประเด็นที่พบ)"))
    activity = models.CharField(_("มาตรการ/โครงการ/กิจกรรม"), max_length=300)
    method = models.TextField(_("วิธีการดำเนินการ"))
    oit_refs = models.JSONField(
        _("ข้อ OIT ที่อ้างอิง"), default=list, blank=True, help_text=_('เช่น ["o8", "o9"]')
    )
    responsible = models.CharField(
        _("ผู้รับผิดชอบที่เสนอ"), max_length=200, blank=True,
        help_text=_("ชื่อสำนัก/กองตามที่หน่วยงานใช้ เช่น สำนักปลัด กองคลัง"),
    )
    for_all_units = models.BooleanField(_("เสนอให้ทุกสำนัก/กอง"), default=False)
    source = models.TextField(_("ที่มาของข้อความ"), blank=True)

    class Meta:
        verbose_name = _("ข้อเสนอแนะมาตรฐาน")
        verbose_name_plural = _("ข้อเสนอแนะมาตรฐาน")
        ordering = ["question__fiscal_year", "question__tool", "question__indicator__number", "question__code"]

    def __str__(self):
        return f"{self.question.fiscal_year_id} {self.question.code}: {self.activity}"


class CheckReview(models.Model):
    """An admin's mark that one item of the data-quality check was looked at, and why it stays.

    Keyed by the item's stable key (see checks.Issue.key), so the mark survives re-running the
    check; an item whose facts change gets a new key and is unreviewed again.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="check_reviews",
        verbose_name=_("ผลการประเมิน"),
    )
    key = models.CharField(_("รหัสรายการตรวจ"), max_length=300)
    comment = models.TextField(_("ความเห็นผู้ตรวจ"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="check_reviews", verbose_name=_("ผู้ตรวจ"),
    )
    reviewed_at = models.DateTimeField(_("ตรวจเมื่อ"), auto_now=True)

    class Meta:
        verbose_name = _("การตรวจทานรายการตรวจข้อมูล")
        verbose_name_plural = _("การตรวจทานรายการตรวจข้อมูล")
        ordering = ["assessment", "key"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="check_review_one_per_key")
        ]

    def __str__(self):
        return f"{self.assessment} {self.key}"
