"""The bin: deleting a plan row, a progress note or an evidence file moves it here instead of
destroying it. An organisation admin restores it, or empties the bin, which is the only way
anything of the plan leaves the database and the disk. Every move, restore and emptying is in the
audit log.

A row in the bin takes its notes and their files with it (they are hidden through the row) and
brings them back when it is restored. A note or file binned on its own stays in the bin until it
is restored on its own, which needs its row (and note) out of the bin first.

The writes are conditional UPDATEs: they take the row's lock, so of two people binning the same
thing at once one does it and the other finds nothing to do, and they leave the row's
simple_history alone (the audit log records the bin; the row's history page stays its edits).
"""

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import ChangeRefused
from audit.log import record
from audit.models import Entry, recording_as

from .models import BinnedEvidence, Measure, Plan, ProgressNote


class CannotRestore(Exception):
    """The item's row or note is itself in the bin; the message says what to restore first."""


def measure_bin(measure, *, version, user):
    """Move the row, with its notes and files, to the bin if it is still at `version`; False
    when someone changed it since (the row's optimistic lock, as for a save).

    ChangeRefused when its plan takes no change of content (approved, or of a past year), or
    when the row was carried over to a later plan: the copy points at it for its history and
    notes, so it must stay (and emptying the bin could not delete it)."""
    with transaction.atomic():
        Plan.objects.lock(measure.plan_id, Plan.CONTENT)
        copy = Measure.all_objects.filter(carried_from=measure.pk).select_related("plan").first()
        if copy is not None:
            raise ChangeRefused(_(
                "แถวนี้ถูกยกไปแผนปี %(year)s แล้ว จึงลบไม่ได้: แถวที่ยกไปอ้างถึงประวัติและบันทึกความก้าวหน้าของแถวนี้"
            ) % {"year": copy.plan.fiscal_year_id})
        moved = Measure.objects.filter(pk=measure.pk, version=version).update(
            deleted_at=timezone.now(), deleted_by=user, version=F("version") + 1
        )
        if moved:
            record(Entry.Kind.BINNED, measure)
            measure.plan.refresh_progress()
    return bool(moved)


def note_bin(note, *, user):
    """ChangeRefused when the note's plan takes no change of its tracking (a past year)."""
    with transaction.atomic():
        Plan.objects.lock(note.measure.plan_id, Plan.TRACKING)
        if ProgressNote.objects.filter(pk=note.pk).update(deleted_at=timezone.now(), deleted_by=user):
            record(Entry.Kind.BINNED, note)


def evidence_bin(note, *, user):
    """Take the note's file off it into the bin; the note itself stays. ChangeRefused as for
    the note."""
    with transaction.atomic():
        Plan.objects.lock(note.measure.plan_id, Plan.TRACKING)
        note = ProgressNote.objects.select_for_update().filter(pk=note.pk).exclude(file="").first()
        if note is None:
            return
        BinnedEvidence.objects.create(
            note=note, file=note.file.name, file_name=note.file_name, file_type=note.file_type, deleted_by=user
        )
        ProgressNote.objects.filter(pk=note.pk).update(file="", file_name="", file_type="")
        record(Entry.Kind.BINNED, note, data={"file_name": note.file_name})


def contents(organisation_id):
    """(rows, notes, files) in the organisation's bin, each newest first.

    Rows carry `notes_count` and `files_count` (what comes back with them); notes and files
    carry `restorable`, False when their row or note is in the bin too."""
    live_notes = Q(notes__deleted_at__isnull=True)
    rows = (
        Measure.all_objects.filter(assessment__organisation_id=organisation_id, deleted_at__isnull=False)
        .select_related("deleted_by")
        .annotate(notes_count=Count("notes", filter=live_notes),
                  files_count=Count("notes", filter=live_notes & ~Q(notes__file="")))
        .order_by("-deleted_at", "-id")
    )
    notes = list(
        ProgressNote.all_objects.filter(measure__assessment__organisation_id=organisation_id, deleted_at__isnull=False)
        .select_related("measure", "deleted_by", "author").order_by("-deleted_at", "-id")
    )
    for note in notes:
        note.restorable = note.measure.deleted_at is None
    files = list(
        BinnedEvidence.objects.filter(note__measure__assessment__organisation_id=organisation_id)
        .select_related("note__measure", "deleted_by")
    )
    for binned in files:
        binned.restorable = binned.note.deleted_at is None and binned.note.measure.deleted_at is None
    return list(rows), notes, files


def measure_restore(measure):
    """ChangeRefused when the row's plan takes no change of content now (restoring a row
    changes the plan the executive approved)."""
    with transaction.atomic():
        Plan.objects.lock(measure.plan_id, Plan.CONTENT)
        restored = Measure.all_objects.filter(pk=measure.pk, deleted_at__isnull=False).update(
            deleted_at=None, deleted_by=None, version=F("version") + 1
        )
        if restored:
            record(Entry.Kind.RESTORED, measure)
            measure.plan.refresh_progress()


def note_restore(note):
    if note.measure.deleted_at is not None:
        raise CannotRestore(_(
            "กู้คืนบันทึกนี้ไม่ได้ เพราะแถว “%(row)s” ของบันทึกนี้อยู่ในถังขยะด้วย: "
            "กู้คืนแถวก่อน แล้วจึงกู้คืนบันทึกนี้"
        ) % {"row": note.measure.activity[:80]})
    with transaction.atomic():
        Plan.objects.lock(note.measure.plan_id, Plan.TRACKING)
        if ProgressNote.all_objects.filter(pk=note.pk, deleted_at__isnull=False).update(deleted_at=None, deleted_by=None):
            record(Entry.Kind.RESTORED, note)


def evidence_restore(binned):
    """Put the file back on its note."""
    note = binned.note
    if note.deleted_at is not None or note.measure.deleted_at is not None:
        raise CannotRestore(_(
            "กู้คืนไฟล์ “%(file)s” ไม่ได้ เพราะบันทึกหรือแถวของไฟล์นี้อยู่ในถังขยะด้วย: "
            "กู้คืนบันทึก (หรือแถว) ก่อน"
        ) % {"file": binned.file_name})
    with transaction.atomic():
        Plan.objects.lock(note.measure.plan_id, Plan.TRACKING)
        put_back = ProgressNote.all_objects.filter(pk=note.pk, file="").update(
            file=binned.file.name, file_name=binned.file_name, file_type=binned.file_type
        )
        if not put_back:
            raise CannotRestore(_("บันทึกนี้มีไฟล์หลักฐานอยู่แล้ว จึงกู้คืนไฟล์ “%(file)s” ไม่ได้") % {
                "file": binned.file_name})
        binned.delete()
        record(Entry.Kind.RESTORED, note, data={"file_name": binned.file_name})


def bin_empty(organisation, *, user):
    """Delete everything in the organisation's bin for good, then its files once the transaction
    has committed. Returns (rows, notes, files) deleted."""
    with transaction.atomic():
        rows = Measure.all_objects.filter(assessment__organisation=organisation, deleted_at__isnull=False)
        notes = ProgressNote.all_objects.filter(
            measure__assessment__organisation=organisation, deleted_at__isnull=False, measure__deleted_at__isnull=True
        )
        binned = BinnedEvidence.objects.filter(note__measure__assessment__organisation=organisation).select_related("note")
        going = ProgressNote.all_objects.filter(Q(measure__in=rows) | Q(pk__in=notes)).exclude(file="")
        files = list(going.values_list("file", flat=True))
        # As the bin page counts them: every note binned on its own, its row in the bin or not.
        binned_notes = ProgressNote.all_objects.filter(
            measure__assessment__organisation=organisation, deleted_at__isnull=False
        )
        counts = {"rows": rows.count(), "notes": binned_notes.count(), "files": len(binned)}
        for item in binned:
            files.append(item.file.name)
            record(Entry.Kind.PURGED, item.note, data={"file_name": item.file_name})
        # django-auditlog records each row and note deleted, with every value it had.
        with recording_as(Entry.Kind.PURGED):
            binned.delete()
            notes.delete()
            rows.delete()
        record(Entry.Kind.BIN_EMPTIED, organisation, actor=user, data=counts)
        storage = ProgressNote._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return counts["rows"], counts["notes"], counts["files"]
