"""The audit log: one table of entries, django-auditlog's own model with two columns added.

django-auditlog writes an entry for every creation, change (each field's old and new value,
many-to-many included) and deletion of the models listed in `audit/registry.py`, with the user
and address of the request (`audit.middleware`). The portal writes the other events (sign-ins,
exports, PDFs, evidence downloads, the bin) through `audit.log.record`. Every entry names the
organisation it belongs to, in an indexed column, so that an organisation's log is one index
range, newest first.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import registry

Action = AbstractLogEntry.Action


class EntryManager(LogEntryManager):
    """The library's manager, filling in the kind and the organisation of every entry it writes."""

    def log_create(self, instance, force_log=False, **kwargs):
        if force_log or kwargs.get("changes") is not None:
            _fill_in(instance, kwargs)
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        kwargs.setdefault("action", Action.UPDATE)
        _fill_in(instance, kwargs)
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class Entry(AbstractLogEntry):
    # With a context: the same Thai words are buttons elsewhere ("ลบ" Delete, here Deleted).
    class Kind(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit kind", "สร้าง")
        UPDATE = "update", pgettext_lazy("audit kind", "แก้ไข")
        DELETE = "delete", pgettext_lazy("audit kind", "ลบ")
        SIGN_IN = "sign_in", pgettext_lazy("audit kind", "เข้าสู่ระบบ")
        SIGN_IN_FAILED = "sign_in_failed", pgettext_lazy("audit kind", "เข้าสู่ระบบไม่สำเร็จ")
        SIGN_OUT = "sign_out", pgettext_lazy("audit kind", "ออกจากระบบ")
        EXPORT = "export", pgettext_lazy("audit kind", "ส่งออกข้อมูล")
        PDF = "pdf", pgettext_lazy("audit kind", "ดาวน์โหลด PDF")
        EVIDENCE = "evidence", pgettext_lazy("audit kind", "ดาวน์โหลดไฟล์หลักฐาน")
        BINNED = "binned", pgettext_lazy("audit kind", "ย้ายไปถังขยะ")
        RESTORED = "restored", pgettext_lazy("audit kind", "กู้คืนจากถังขยะ")
        PURGED = "purged", pgettext_lazy("audit kind", "ลบถาวรเมื่อล้างถังขยะ")
        BIN_EMPTIED = "bin_emptied", pgettext_lazy("audit kind", "ล้างถังขยะ")
        PASSWORD_RESET = "password_reset", pgettext_lazy("audit kind", "ตั้งรหัสผ่านใหม่ด้วยลิงก์ลืมรหัสผ่าน")

    # Kept as the organisation's id even after the organisation itself is deleted (no database
    # constraint, nothing cascades): the record outlives the data it is about. Indexed together
    # with the time (Meta.indexes): an organisation's log, newest first, is one index range.
    organisation = models.ForeignKey(
        "assessments.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, null=True,
        blank=True, related_name="+", verbose_name=_("หน่วยงาน"),
    )
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)

    objects = EntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("รายการในบันทึกการใช้งาน")
        verbose_name_plural = _("บันทึกการใช้งาน")
        indexes = [models.Index(fields=["organisation", "-timestamp"], name="audit_entry_org_newest")]


# The kind of the entries django-auditlog writes by itself; the portal's own events name theirs.
KIND_OF_ACTION = {Action.CREATE: Entry.Kind.CREATE, Action.UPDATE: Entry.Kind.UPDATE, Action.DELETE: Entry.Kind.DELETE}
ACTION_OF_KIND = {
    **{kind: action for action, kind in KIND_OF_ACTION.items()},
    Entry.Kind.BINNED: Action.UPDATE,
    Entry.Kind.RESTORED: Action.UPDATE,
    Entry.Kind.PURGED: Action.DELETE,
    Entry.Kind.BIN_EMPTIED: Action.DELETE,
    Entry.Kind.PASSWORD_RESET: Action.UPDATE,
}


_kind_of_changes = ContextVar("audit_kind_of_changes", default=None)


@contextmanager
def recording_as(kind, actor=None):
    """The changes django-auditlog records inside the block are entries of `kind` (the deletions
    of an emptied bin are PURGED, not plain deletions), by `actor` when given (a password reset
    is made by someone not signed in, who proved to be the account's owner)."""
    token = _kind_of_changes.set((kind, actor))
    try:
        yield
    finally:
        _kind_of_changes.reset(token)


def _fill_in(instance, kwargs):
    kind, actor = _kind_of_changes.get() or (None, None)
    kwargs.setdefault("kind", kind or KIND_OF_ACTION.get(kwargs.get("action"), Entry.Kind.UPDATE))
    if actor is not None:
        kwargs.setdefault("actor", actor)
    if "organisation_id" not in kwargs and "organisation" not in kwargs:
        kwargs["organisation_id"] = registry.organisation_of(instance)
