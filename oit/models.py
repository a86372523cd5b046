"""An organisation's OIT workspace for one assessment year: each item of the year's list, who
prepares it, where it is published, its evidence and its internal review.

The items are the year's OIT codes in the reference data (assessments.QuestionCode, tool OIT),
never a list in code; what the NACC asks for under each is `Criteria`, per year, which platform
staff edit in the admin. Every change of a workspace, an item, a link or a file is in the audit
log (audit/registry.py), and an item's history is read from there (`Item.history_entries`).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, IntegerField, OuterRef, Q
from django.db.models.functions import Cast, Substr
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import Confidence, FiscalYear, Organisation, QuestionCode, Unit

# The kind of job that checks a workspace's published links (registered in apps.py).
LINK_CHECK_KIND = "oit_links"


class Criteria(models.Model):
    """What the NACC asks for under one OIT item of one year, and whether the portal itself
    publishes the item (the improvement plan and its progress report)."""

    class PortalDocument(models.TextChoices):
        PLAN = "plan", _("แผนพัฒนาองค์กรที่อนุมัติแล้ว (หน้าสาธารณะของพอร์ทัล)")
        PROGRESS = "progress", _("รายงานความก้าวหน้าของแผน (หน้าสาธารณะของพอร์ทัล)")

    question = models.OneToOneField(
        QuestionCode, on_delete=models.CASCADE, related_name="oit_criteria", verbose_name=_("ข้อ OIT"),
        limit_choices_to={"tool": "OIT"},
    )
    text = models.TextField(_("สิ่งที่ ป.ป.ช. กำหนด"), blank=True, help_text=_("เว้นว่างเมื่อยังไม่ทราบ"))
    confidence = models.CharField(
        _("ความเชื่อมั่น"), max_length=10, choices=Confidence.choices, default=Confidence.UNKNOWN
    )
    source = models.TextField(_("แหล่งที่มา"), blank=True)
    portal_document = models.CharField(
        _("พอร์ทัลเผยแพร่ข้อนี้เอง"), max_length=10, choices=PortalDocument.choices, blank=True,
    )

    class Meta:
        verbose_name = _("เกณฑ์ข้อ OIT")
        verbose_name_plural = _("เกณฑ์ข้อ OIT")
        ordering = ["question__fiscal_year", "question__code"]

    def __str__(self):
        return f"{self.question.fiscal_year_id} {self.question}"


class Workspace(models.Model):
    """One organisation's OIT preparation for one assessment year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="oit_workspaces", verbose_name=_("หน่วยงาน")
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="oit_workspaces", verbose_name=_("ปีงบประมาณ")
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="oit_reviews", verbose_name=_("ผู้ตรวจภายใน"),
        help_text=_("นอกจากผู้ดูแลระบบ ผู้ที่ผู้ดูแลระบบมอบหมายให้ตรวจข้อ OIT"),
    )
    is_public = models.BooleanField(
        _("เผยแพร่หน้า OIT สาธารณะ"), default=False,
        help_text=_("เปิดหน้าที่ไม่ต้องเข้าสู่ระบบ รวมลิงก์และไฟล์ของทุกข้อ สำหรับผู้ประเมินของ ป.ป.ช."),
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("พื้นที่เตรียม OIT")
        verbose_name_plural = _("พื้นที่เตรียม OIT")
        ordering = ["organisation", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="oit_workspace_one_per_year")
        ]

    def __str__(self):
        return f"OIT {self.organisation} {self.fiscal_year_id}"

    def get_absolute_url(self):
        return reverse("oit:workspace", args=[self.fiscal_year_id])

    def change_refusal(self):
        """Why the workspace takes no change now, or "": once the organisation has started a
        later year's workspace, this one is history (as a past year's plan is)."""
        newest = max(Workspace.objects.filter(
            organisation_id=self.organisation_id, fiscal_year_id__gt=self.fiscal_year_id
        ).values_list("fiscal_year_id", flat=True), default=None)
        if newest is None:
            return ""
        return gettext("การเตรียม OIT ปี %(year)s เป็นของปีที่ผ่านมาแล้ว (หน่วยงานเริ่มเตรียมปี %(newest)s แล้ว) "
                       "จึงอ่านได้อย่างเดียว") % {"year": self.fiscal_year_id, "newest": newest}


class ItemQuerySet(models.QuerySet):
    def in_order(self):
        """In the NACC's order: o1, o2, ..., o10 (by the code's number, not its text)."""
        return self.annotate(code_number=Cast(Substr("question__code", 2), IntegerField())).order_by("code_number")

    def current(self):
        """Items of each organisation's newest workspace: an earlier year's is history."""
        return self.exclude(Exists(Workspace.objects.filter(
            organisation_id=OuterRef("workspace__organisation_id"),
            fiscal_year_id__gt=OuterRef("workspace__fiscal_year_id"),
        )))

    def unpassed(self):
        return self.exclude(review=Item.Review.PASSED)

    def to_follow(self, today, days):
        """Items not passed yet that are late, due within `days`, or failed their review."""
        return self.unpassed().filter(Q(due_date__lte=today + timedelta(days=days)) | Q(review=Item.Review.FAILED))

    def awaiting_review(self):
        """Items marked published that nobody has reviewed yet."""
        return self.filter(status=Item.Status.PUBLISHED, review="")

    def for_table(self):
        return self.select_related(
            "question__indicator", "question__sub_indicator", "question__oit_criteria", "reviewed_by"
        ).prefetch_related("units", "links", "files").in_order()


class Item(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
        IN_PROGRESS = "in_progress", _("กำลังจัดทำ")
        PUBLISHED = "published", _("เผยแพร่แล้ว")

    class Review(models.TextChoices):
        PASSED = "passed", _("ผ่าน")
        FAILED = "failed", _("ไม่ผ่าน")

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="items", verbose_name=_("พื้นที่เตรียม OIT")
    )
    question = models.ForeignKey(
        QuestionCode, on_delete=models.PROTECT, related_name="oit_items", verbose_name=_("ข้อ OIT")
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="oit_items", verbose_name=_("สำนัก/กองที่รับผิดชอบ"))
    due_date = models.DateField(_("กำหนดเสร็จ"), null=True, blank=True)
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ผู้จัดทำล่าสุด"),
    )
    review = models.CharField(_("ผลการตรวจภายใน"), max_length=10, choices=Review.choices, blank=True)
    review_comment = models.TextField(_("ความเห็นผู้ตรวจ"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ผู้ตรวจ"),
    )
    reviewed_at = models.DateTimeField(_("ตรวจเมื่อ"), null=True, blank=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุดเมื่อ"), auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("ข้อ OIT ของหน่วยงาน")
        verbose_name_plural = _("ข้อ OIT ของหน่วยงาน")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "question"], name="oit_item_one_per_code"),
            models.CheckConstraint(condition=Q(review__in=["", "passed", "failed"]), name="oit_item_review_known"),
            # The internal review is by someone other than the person who prepared the item.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | Q(prepared_by__isnull=True) | ~Q(reviewed_by=F("prepared_by")),
                name="oit_item_reviewer_is_not_preparer",
            ),
        ]

    def __str__(self):
        return f"{self.code.upper()} {self.question.title}".strip()

    def get_absolute_url(self):
        return reverse("oit:item", args=[self.pk])

    @property
    def code(self):
        return self.question.code

    @property
    def passed(self):
        return self.review == self.Review.PASSED

    @property
    def score(self):
        """What the estimate counts for the item: 100 when the internal review passed it, else 0."""
        return 100 if self.passed else 0

    @property
    def criteria(self):
        try:
            return self.question.oit_criteria
        except Criteria.DoesNotExist:
            return None

    @property
    def failed(self):
        return self.review == self.Review.FAILED

    def broken_links(self):
        return [link for link in self.links.all() if link.is_broken]


class Link(models.Model):
    """A URL where the item is published, with what the last link check found there."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links", verbose_name=_("ข้อ OIT"))
    url = models.URLField(_("ลิงก์ที่เผยแพร่"), max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("ผู้เพิ่ม")
    )
    created_at = models.DateTimeField(_("เพิ่มเมื่อ"), auto_now_add=True)
    checked_at = models.DateTimeField(_("ตรวจลิงก์ล่าสุดเมื่อ"), null=True, blank=True)
    check_status = models.PositiveSmallIntegerField(_("รหัสตอบกลับ HTTP"), null=True, blank=True)
    check_error = models.CharField(_("ข้อผิดพลาดจากการตรวจ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ลิงก์ข้อ OIT")
        verbose_name_plural = _("ลิงก์ข้อ OIT")
        ordering = ["item", "created_at", "pk"]

    def __str__(self):
        return self.url

    @property
    def is_broken(self):
        """Checked, and no page answered there (an error status, a timeout, a refused connection)."""
        return self.checked_at is not None and (self.check_status is None or self.check_status >= 400)

    def get_additional_data(self):
        """Kept with each audit entry, so that the item's history finds it (django-auditlog)."""
        return {"oit_item": self.item_id}


def oit_file_path(evidence, filename):
    # The stored name never comes from the user: only the extension chosen by content sniffing.
    return f"oit/{evidence.item_id}/{filename}"


class EvidenceFile(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="files", verbose_name=_("ข้อ OIT"))
    file = models.FileField(_("ไฟล์หลักฐาน"), upload_to=oit_file_path, max_length=300)
    file_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    file_type = models.CharField(_("ชนิดไฟล์"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("ผู้อัปโหลด")
    )
    uploaded_at = models.DateTimeField(_("อัปโหลดเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("ไฟล์หลักฐานข้อ OIT")
        verbose_name_plural = _("ไฟล์หลักฐานข้อ OIT")
        ordering = ["item", "uploaded_at", "pk"]

    def __str__(self):
        return self.file_name

    def get_additional_data(self):
        return {"oit_item": self.item_id}
