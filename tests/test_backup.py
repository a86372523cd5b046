"""A backup restores into an empty database with every row and every uploaded file intact."""

import json
import tarfile
from io import BytesIO, StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from measures.models import Measure, ProgressNote


def snapshot():
    """Every row of every model (as dumpdata sees it), for comparing before and after."""
    out = StringIO()
    call_command("dumpdata", exclude=["contenttypes", "auth.permission", "sessions"],
                 natural_foreign=True, stdout=out)
    return sorted(json.dumps(o, sort_keys=True, ensure_ascii=False) for o in json.loads(out.getvalue()))


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# flush truncates tables, which PostgreSQL refuses inside the test's wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_empty_database_gives_everything_back(seed, personas, media, tmp_path):
    measure = Measure.objects.first()
    measure.progress = 40
    measure.save()
    note = ProgressNote(measure=measure, text="ประชุมคณะทำงาน", author=personas["staff"])
    note.file.save("evidence.pdf", ContentFile(b"%PDF-1.4 test evidence"), save=True)
    before = snapshot()
    history = measure.history.count()
    stored = (media / note.file.name).read_bytes()

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    call_command("flush", interactive=False)
    (media / note.file.name).unlink()
    assert Measure.objects.count() == 0

    call_command("restore", str(archive), stdout=StringIO())
    after = snapshot()
    assert sorted(set(before) - set(after)) == sorted(set(after) - set(before)) == []
    assert after == before
    assert (media / note.file.name).read_bytes() == stored
    restored = Measure.objects.get(pk=measure.pk)
    assert restored.progress == 40 and restored.history.count() == history >= 2


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
