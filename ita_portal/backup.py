"""A complete, restorable copy of the portal: every table's rows plus the uploaded files.

The archive is a .tar.gz holding `data.json` (Django's serialisation of every model, with
natural keys for content types and permissions so that it loads into any freshly migrated
database) and `media/` (the uploaded evidence, files in the bin included). The rows in the bin
and the audit log are in it like every other row. Restoring refuses a database that already
holds data, and loads everything in one transaction: it either all arrives or nothing does.
"""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from auditlog.context import disable_auditlog
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from assessments.models import Assessment
from measures.models import Plan

FORMAT_VERSION = 1
# Rebuilt by `migrate` in every database; copying them would clash with the new database's own.
# The results version is a cache key, not data: the restore renews it (refresh_results).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "assessments.resultsversion"]


class BackupError(Exception):
    pass


def backup_to(path):
    """Write the archive to `path`; returns the number of objects and files written."""
    with tempfile.TemporaryDirectory() as tmp:
        data_file = Path(tmp) / "data.json"
        # Through the base managers: the rows in the bin are data too (default managers hide them).
        call_command(
            "dumpdata", exclude=EXCLUDED, natural_foreign=True, use_base_manager=True,
            output=str(data_file), verbosity=0,
        )
        objects = len(json.loads(data_file.read_text(encoding="utf-8")))
        media = Path(settings.MEDIA_ROOT)
        files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
        with tarfile.open(path, "w:gz") as archive:
            manifest = json.dumps({"format": FORMAT_VERSION, "objects": objects, "files": len(files)})
            info = tarfile.TarInfo("manifest.json")
            info.size = len(manifest.encode())
            archive.addfile(info, io.BytesIO(manifest.encode()))
            archive.add(data_file, arcname="data.json")
            for file in files:
                archive.add(file, arcname=f"media/{file.relative_to(media).as_posix()}")
    return objects, len(files)


def _database_is_empty():
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in EXCLUDED or meta.label_lower in EXCLUDED:
            continue
        if model._base_manager.exists():
            return False
    return True


def restore_from(path):
    """Load an archive written by `backup_to` into an empty, migrated database."""
    try:
        archive = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"อ่านไฟล์สำรองไม่ได้: {error}") from error
    with archive, tempfile.TemporaryDirectory() as tmp:
        names = archive.getnames()
        if "manifest.json" not in names or "data.json" not in names:
            raise BackupError("ไฟล์นี้ไม่ใช่ไฟล์สำรองของ ITA Portal")
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError("รูปแบบไฟล์สำรองไม่ตรงกับรุ่นของระบบนี้")
        members = [m for m in archive.getmembers() if m.name.startswith("media/") and m.isfile()]
        for member in members:
            # Never write outside MEDIA_ROOT, whatever the archive claims.
            target = Path(member.name)
            if target.is_absolute() or ".." in target.parts:
                raise BackupError(f"ไฟล์สำรองมีชื่อไฟล์ที่ไม่ปลอดภัย: {member.name}")
        if not _database_is_empty():
            raise BackupError("ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว: กู้คืนได้เฉพาะฐานข้อมูลว่างที่ migrate แล้ว")
        archive.extract("data.json", tmp, filter="data")
        # loaddata runs in one transaction and moves PostgreSQL's id sequences past the rows.
        # The archive holds the change history and the audit log itself: recording the load as
        # new changes (both libraries do so for many-to-many fields even on raw saves) would
        # add to them.
        recording = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        settings.SIMPLE_HISTORY_ENABLED = False
        try:
            with disable_auditlog():
                call_command("loaddata", str(Path(tmp) / "data.json"), verbosity=0)
        finally:
            settings.SIMPLE_HISTORY_ENABLED = recording
        # An archive written before the results were stored holds none: compute them all.
        with transaction.atomic():
            Assessment.objects.all().refresh_results()
            Plan.objects.all().refresh_progress()
        media = Path(settings.MEDIA_ROOT)
        for member in members:
            archive.extract(member, tmp, filter="data")
            target = media / Path(member.name).relative_to("media")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((Path(tmp) / member.name).read_bytes())
    return manifest["objects"], len(members)

