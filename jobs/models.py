"""Long work done off the request: one Job per thing a user asked for, with its progress and file.

A job is created `queued` by the view that starts it, taken by a worker (`running`), and ends
`done`, `failed` or `cancelled`. The worker reports `done` out of `total` steps after every
step, which is also its heartbeat: a running job that has not reported for JOBS_STALE_MINUTES
is taken for lost and marked failed (`jobs/runner.py`). Its file lives in MEDIA_ROOT under a
random name, is served only through `jobs:download`, and is deleted with the job after
JOBS_KEEP_DAYS days (`manage.py sweep_jobs`).

What the job page says on failure (and on success) is an outcome key with its parameters,
translated when shown, so that each reader gets it in their language.
"""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry

OUTCOMES = {
    # Failures: what happened and what to do about it.
    "error": _(
        "งานล้มเหลวเพราะเกิดข้อผิดพลาดที่ระบบไม่คาดไว้ ไม่มีข้อมูลใดถูกบันทึกและไม่มีไฟล์ค้างอยู่ "
        "ลองสั่งงานใหม่อีกครั้ง หากยังล้มเหลว โปรดแจ้งผู้ดูแลระบบพร้อมหมายเลขงาน %(job)s"
    ),
    "lost": _(
        "งานหยุดกลางคันเพราะเครื่องประมวลผลงานหยุดทำงาน ไม่มีข้อมูลใดถูกบันทึกและไม่มีไฟล์ค้างอยู่ "
        "ลองสั่งงานใหม่อีกครั้ง หากเกิดซ้ำ โปรดแจ้งผู้ดูแลระบบพร้อมหมายเลขงาน %(job)s"
    ),
    "stale": _(
        "งานไม่รายงานความคืบหน้านานกว่า %(minutes)s นาที จึงถือว่าเครื่องประมวลผลงานหยุดทำงาน "
        "ไม่มีข้อมูลใดถูกบันทึก ลองสั่งงานใหม่อีกครั้ง หากเกิดซ้ำ โปรดแจ้งผู้ดูแลระบบพร้อมหมายเลขงาน %(job)s"
    ),
    "time_limit": _(
        "งานใช้เวลานานเกิน %(minutes)s นาที จึงถูกหยุด ไม่มีข้อมูลใดถูกบันทึก "
        "ลองแบ่งงานให้เล็กลง (เช่น เลือกทีละอำเภอ) แล้วสั่งใหม่"
    ),
    "unsendable": _(
        "ระบบประมวลผลงานไม่พร้อมใช้งานในขณะนี้ จึงยังไม่ได้เริ่มงาน ไม่มีข้อมูลใดถูกบันทึกและไม่มีไฟล์ค้างอยู่ "
        "กรุณาลองใหม่ภายหลัง หากยังเป็นเช่นนี้ โปรดแจ้งผู้ดูแลระบบพร้อมหมายเลขงาน %(job)s"
    ),
    "not_taken": _(
        "ไม่มีเครื่องประมวลผลงานรับงานนี้ภายใน %(minutes)s นาที จึงยกเลิกงาน ไม่มีข้อมูลใดถูกบันทึก "
        "โปรดแจ้งผู้ดูแลระบบให้ตรวจสอบว่าบริการประมวลผลงาน (worker) ทำงานอยู่ แล้วสั่งงานใหม่"
    ),
    # Jobs failed before queued jobs were swept after JOBS_STALE_MINUTES keep their message.
    "never_started": _(
        "ไม่มีเครื่องประมวลผลงานรับงานนี้ภายใน %(hours)s ชั่วโมง จึงยกเลิกงาน "
        "โปรดแจ้งผู้ดูแลระบบให้ตรวจสอบว่าบริการประมวลผลงาน (worker) ทำงานอยู่ แล้วสั่งงานใหม่"
    ),
    "stale_import": _(
        "แผนถูกแก้ไขหลังจากที่ตรวจสอบไฟล์ จึงยังไม่ได้บันทึกสิ่งใด กรุณาอัปโหลดไฟล์อีกครั้งเพื่อดูตัวอย่างใหม่"
    ),
    "upload_missing": _("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาอัปโหลดไฟล์อีกครั้ง"),
    "no_reports": _(
        "ไม่มีหน่วยงานที่เลือกซึ่งมีผลการประเมินปี %(year)s จึงไม่มีรายงานให้รวม "
        "เลือกปีอื่นหรือเปลี่ยนตัวกรองแล้วสั่งใหม่"
    ),
    # Successes.
    "reports_done": _("รวมรายงาน %(written)s ฉบับแล้ว"),
    "reports_done_skipped": _(
        "รวมรายงาน %(written)s ฉบับแล้ว (หน่วยงานที่ไม่มีผลการประเมินปี %(year)s จึงไม่มีในไฟล์: %(skipped)s แห่ง)"
    ),
    "export_done": _("ส่งออกแล้ว %(rows)s แถว"),
    "preview_done": _(
        "ตรวจสอบไฟล์แล้ว: เพิ่ม %(added)s แถว · แก้ไข %(changed)s แถว · ไม่เปลี่ยน %(unchanged)s แถว · "
        "ข้อผิดพลาด %(errors)s รายการ"
    ),
    "import_done": _("นำเข้าแผนแล้ว: เพิ่ม %(added)s แถว แก้ไข %(changed)s แถว"),
    "oit_links_done": _("ตรวจลิงก์แล้ว %(checked)s ลิงก์: ใช้งานไม่ได้ %(broken)s ลิงก์"),
    "cancelled": _("ยกเลิกงานแล้ว ไม่มีข้อมูลหรือไฟล์ใดถูกบันทึก"),
}


def expiry():
    """When a job asked for now is deleted with its file."""
    return timezone.now() + timedelta(days=settings.JOBS_KEEP_DAYS)


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("รอคิว")
        RUNNING = "running", _("กำลังทำงาน")
        DONE = "done", _("เสร็จแล้ว")
        FAILED = "failed", _("ล้มเหลว")
        CANCELLED = "cancelled", _("ยกเลิกแล้ว")

    FINISHED = (State.DONE, State.FAILED, State.CANCELLED)

    # The kinds are the apps' (jobs/registry.py), registered when they are ready.
    kind = models.CharField(_("ประเภทงาน"), max_length=20, choices=registry.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("ผู้สั่งงาน")
    )
    # An organisation's job (its plan's export or import) or an area's (province, district).
    organisation = models.ForeignKey(
        "assessments.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs",
        verbose_name=_("หน่วยงาน"),
    )
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs",
        verbose_name=_("ผลการประเมิน"),
    )
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    params = models.JSONField(_("ค่าที่สั่ง"), default=dict, blank=True)
    language = models.CharField(_("ภาษา"), max_length=10, default="th")

    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("ทำแล้ว"), default=0)
    total = models.PositiveIntegerField(_("ทั้งหมด"), default=0)
    cancel_requested = models.BooleanField(_("ขอยกเลิก"), default=False)
    outcome = models.CharField(_("ผลลัพธ์"), max_length=20, blank=True)  # a key of OUTCOMES
    outcome_params = models.JSONField(default=dict, blank=True)
    # The import preview, rendered by the import page's own template when the job ran.
    report_html = models.TextField(blank=True)
    upload = models.FileField(_("ไฟล์ที่อัปโหลด"), upload_to="jobs/uploads/", max_length=200, blank=True)
    result = models.FileField(_("ไฟล์ผลลัพธ์"), upload_to="jobs/", max_length=200, blank=True)
    result_name = models.CharField(_("ชื่อไฟล์ผลลัพธ์"), max_length=200, blank=True)
    worker = models.CharField(_("เครื่องประมวลผล"), max_length=200, blank=True)

    created_at = models.DateTimeField(_("สั่งเมื่อ"), default=timezone.now)
    started_at = models.DateTimeField(_("เริ่มเมื่อ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("รายงานล่าสุดเมื่อ"), null=True, blank=True)
    expires_at = models.DateTimeField(_("ลบเมื่อ"), default=expiry)

    class Meta:
        verbose_name = _("งานเบื้องหลัง")
        verbose_name_plural = _("งานเบื้องหลัง")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="job_user_recent"),
            models.Index(fields=["organisation", "-created_at"], name="job_organisation_recent"),
            models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat"),
            models.Index(fields=["expires_at"], name="job_expiry"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="job_done_within_total"),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed", "cancelled"]), name="job_state_known"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self):
        return self.state in self.FINISHED

    @property
    def percent(self):
        if self.state == self.State.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0

    @property
    def message(self):
        """The outcome in the reader's language, or "" before there is one."""
        text = OUTCOMES.get(self.outcome)
        return str(text) % {"job": f"#{self.pk}", **self.outcome_params} if text else ""

    @property
    def area(self):
        return f"{self.province} {self.district}".strip()

    @property
    def downloadable(self):
        return self.state == self.State.DONE and bool(self.result)

    @property
    def result_size(self):
        try:
            return self.result.size if self.result else None
        except OSError:  # deleted from the disk by hand
            return None

    def part_path(self):
        """Where the worker writes the file until it is complete; renamed only on success."""
        return Path(settings.MEDIA_ROOT) / "jobs" / f"job-{self.pk}.part"
