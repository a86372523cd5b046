"""A backup restores into an empty database with every row and every uploaded file intact."""

import json
import re
import tarfile
from datetime import datetime
from io import BytesIO, StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import Entry
from measures.bin import evidence_bin, measure_bin
from measures.models import BinnedEvidence, Measure, ProgressNote


# A moment as Django's JSON serialiser writes it: cut to the millisecond, and without a fraction
# at all when it has no microseconds.
MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")


def to_the_millisecond(value):
    """The archive keeps times to the millisecond (dumpdata's precision): 11:12:13.000500 is
    written "11:12:13.000" and comes back as 11:12:13, which dumpdata then writes without a
    fraction. Both spellings are one moment; any difference of a millisecond or more still shows."""
    if isinstance(value, dict):
        return {key: to_the_millisecond(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_the_millisecond(item) for item in value]
    if isinstance(value, str) and MOMENT.match(value):
        return datetime.fromisoformat(value).isoformat(timespec="milliseconds")
    return value


def snapshot():
    """Every row of every model (as dumpdata sees it through the base managers, the bin
    included), for comparing before and after."""
    out = StringIO()
    # The results version is a cache key that the restore renews, not data that must come back.
    call_command("dumpdata", exclude=["contenttypes", "auth.permission", "sessions", "assessments.resultsversion"],
                 natural_foreign=True, use_base_manager=True, stdout=out)
    return sorted(
        json.dumps(to_the_millisecond(o), sort_keys=True, ensure_ascii=False) for o in json.loads(out.getvalue())
    )


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# flush truncates tables, which PostgreSQL refuses inside the test's wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_empty_database_gives_everything_back(seed, personas, media, tmp_path):
    measure = Measure.objects.first()
    measure.status, measure.progress = Measure.Status.IN_PROGRESS, 40
    measure.save()
    note = ProgressNote(measure=measure, text="ประชุมคณะทำงาน", author=personas["staff"])
    note.file.save("evidence.pdf", ContentFile(b"%PDF-1.4 test evidence"), save=True)
    # The bin and the audit log are data like any other: a row in the bin with its note and
    # file, and a file binned on its own.
    binned_row = Measure.objects.exclude(pk=measure.pk).first()
    binned_note = ProgressNote(measure=binned_row, text="บันทึกของแถวในถังขยะ", author=personas["staff"])
    binned_note.file.save("binned.pdf", ContentFile(b"%PDF-1.4 binned"), save=True)
    measure_bin(binned_row, version=binned_row.version, user=personas["staff"])
    other = ProgressNote(measure=measure, text="ไฟล์ที่ถูกลบ", author=personas["staff"])
    other.file.save("other.pdf", ContentFile(b"%PDF-1.4 other"), save=True)
    evidence_bin(other, user=personas["staff"])
    # A moment within the first millisecond of its second, as about one saved time in a thousand
    # is: the archive writes it "….000" and reads it back as a whole second (see to_the_millisecond).
    Entry.objects.filter(pk=Entry.objects.earliest("pk").pk).update(
        timestamp=Entry.objects.earliest("pk").timestamp.replace(microsecond=500))
    before = snapshot()
    history = measure.history.count()
    entries = Entry.objects.count()
    assert entries and Entry.objects.filter(kind=Entry.Kind.BINNED).count() == 2
    stored = (media / note.file.name).read_bytes()
    binned_files = [binned_note.file.name, BinnedEvidence.objects.get().file.name]

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    call_command("flush", interactive=False)
    (media / note.file.name).unlink()
    for name in binned_files:
        (media / name).unlink()
    assert Measure.all_objects.count() == 0 and Entry.objects.count() == 0

    call_command("restore", str(archive), stdout=StringIO())
    after = snapshot()
    assert sorted(set(before) - set(after)) == sorted(set(after) - set(before)) == []
    assert after == before
    assert (media / note.file.name).read_bytes() == stored
    restored = Measure.objects.get(pk=measure.pk)
    assert restored.progress == 40 and restored.history.count() == history >= 2
    # The log came back as it was (restoring wrote no entries of its own), the bin too.
    assert Entry.objects.count() == entries
    assert Measure.all_objects.get(pk=binned_row.pk).deleted_at is not None
    assert not Measure.objects.filter(pk=binned_row.pk).exists()
    assert all((media / name).exists() for name in binned_files)


def test_restore_refuses_a_database_that_has_data(seed, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    count = Measure.objects.count()
    with pytest.raises(CommandError, match="มีข้อมูลอยู่แล้ว"):
        call_command("restore", str(archive), stdout=StringIO())
    assert Measure.objects.count() == count


def test_restore_refuses_a_file_that_is_not_a_backup(db, media, tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="อ่านไฟล์สำรองไม่ได้"):
        call_command("restore", str(bogus))


def test_restore_refuses_paths_outside_media(db, media, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in [("manifest.json", b'{"format": 1, "objects": 0, "files": 1}'),
                           ("data.json", b"[]"), ("media/../../escape.txt", b"x")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, BytesIO(data))
    with pytest.raises(CommandError, match="ไม่ปลอดภัย"):
        call_command("restore", str(archive))
    assert not (tmp_path / "escape.txt").exists()
