"""The bin: deleting a plan row, a progress note or an evidence file moves it to the
bin, from which the organisation's admin restores it or empties the bin; nothing is destroyed by
one click, and every step is in the audit log."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import Organisation
from audit.models import Entry
from measures.models import BinnedEvidence, Measure, ProgressNote
from measures.digests import due_rows
from oversight.summary import AreaRows, area_queryset

from .conftest import make_measure

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
GONE = "แถวที่ถูกลบไปถังขยะ"


@pytest.fixture
def row(assessment, palad):
    return make_measure(assessment, [palad], activity=GONE, end_date=date.today() - timedelta(days=3))


@pytest.fixture
def kept(assessment, palad):
    return make_measure(assessment, [palad], number=4, activity="แถวที่ยังอยู่ในแผน")


def add_notes(row, author, count):
    return [
        ProgressNote.objects.create(
            measure=row, text=f"บันทึกที่ {n}", author=author, file=ContentFile(PDF, name=f"e{n}.pdf"),
            file_name=f"หลักฐาน {n}.pdf", file_type="application/pdf",
        )
        for n in range(1, count + 1)
    ]


def on_disk(settings, note_or_name):
    name = note_or_name if isinstance(note_or_name, str) else note_or_name.file.name
    return (Path(settings.MEDIA_ROOT) / name).exists()


def delete_row(client, row):
    return client.post(reverse("measures:delete", args=[row.pk]), {"version": Measure.all_objects.get(pk=row.pk).version})


def test_staff_delete_a_row_with_13_notes_and_files_and_the_admin_restores_it_whole(
        row, personas, client_for, settings, django_capture_on_commit_callbacks):
    notes = add_notes(row, personas["staff"], 13)
    names = [note.file.name for note in notes]
    with django_capture_on_commit_callbacks(execute=True):
        response = delete_row(client_for("staff"), row)
    assert response.status_code == 302

    # Gone from the plan, but nothing is gone from the database or the disk.
    assert not Measure.objects.filter(pk=row.pk).exists()
    assert not ProgressNote.objects.filter(measure_id=row.pk).exists()
    assert ProgressNote.all_objects.filter(measure_id=row.pk).count() == 13
    assert all(on_disk(settings, name) for name in names)
    assert client_for("staff").get(reverse("measures:detail", args=[row.pk])).status_code == 404
    assert client_for("staff").get(reverse("measures:evidence", args=[notes[0].pk])).status_code == 404

    admin = client_for("org_admin")
    page = admin.get(reverse("measures:bin"))
    assert page.status_code == 200
    html = page.content.decode()
    assert GONE in html and "13 บันทึก" in html and "13 ไฟล์" in html and "staff" in html

    response = admin.post(reverse("measures:restore", args=["measure", row.pk]))
    assert response.status_code == 302
    restored = Measure.objects.get(pk=row.pk)
    assert restored.deleted_at is None and restored.deleted_by is None
    assert restored.notes.count() == 13
    download = client_for("staff").get(reverse("measures:evidence", args=[notes[12].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert all(on_disk(settings, name) for name in names)


def test_emptying_the_bin_removes_the_rows_notes_and_files_for_good(
        row, kept, personas, client_for, settings, django_capture_on_commit_callbacks):
    notes = add_notes(row, personas["staff"], 13)
    names = [note.file.name for note in notes]
    kept_note = add_notes(kept, personas["staff"], 1)[0]
    delete_row(client_for("staff"), row)
    admin = client_for("org_admin")

    confirm = admin.get(reverse("measures:empty_bin"))
    assert confirm.status_code == 200 and "ยืนยันการล้างถังขยะ" in confirm.content.decode()
    assert Measure.all_objects.filter(pk=row.pk).exists()  # asking first deleted nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("measures:empty_bin"))
    assert response.status_code == 302
    assert not Measure.all_objects.filter(pk=row.pk).exists()
    assert not ProgressNote.all_objects.filter(measure_id=row.pk).exists()
    assert not any(on_disk(settings, name) for name in names)
    # What was not in the bin is untouched.
    assert Measure.objects.filter(pk=kept.pk).exists() and on_disk(settings, kept_note)


def in_digest(row):
    """Whether the weekly digest of late and due rows would name the row."""
    return any(row == listed for rows in due_rows(date.today()).values() for listed, *_rest in rows)


def test_a_row_in_the_bin_is_on_no_page_report_export_figure_or_reminder(
        row, kept, assessment, personas, client_for):
    """Every reader of plan rows goes through the default manager, which hides the bin."""
    personas["staff"].email = "staff@example.go.th"
    personas["staff"].save()
    assert in_digest(row)
    organisations = Organisation.objects.filter(pk=assessment.organisation_id)
    assert AreaRows(area_queryset(organisations))[0].measures == 2
    delete_row(client_for("staff"), row)
    assessment.is_public = True
    assessment.save()

    client = client_for("org_admin")
    pages = [
        reverse("measures:plan", args=[2569]),
        reverse("dashboard:year", args=[assessment.pk]),
        reverse("dashboard:indicator", args=[assessment.pk, 9]),
        reverse("dashboard:compare"),
        reverse("reports:ita", args=[assessment.pk]),
        reverse("reports:progress", args=[assessment.pk]),
        reverse("assessment_check", args=[assessment.pk]),
        reverse("reports:data", args=[assessment.pk, "plan", "csv"]),
        reverse("reports:data", args=[assessment.pk, "plan", "json"]),
        reverse("public:page", args=[assessment.organisation_id, 2568]),
        reverse("public:data", args=[assessment.organisation_id, 2568, "plan", "csv"]),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode("utf-8-sig")
        assert GONE not in body, path
        assert "แถวที่ยังอยู่ในแผน" in body or "dashboard" in path or "check" in path, path
    plan = json.loads(client.get(reverse("reports:data", args=[assessment.pk, "plan", "json"])).content)
    assert [m["id"] for m in plan["measures"]] == [kept.pk]
    xlsx = client.get(reverse("reports:plan_xlsx", args=[assessment.pk]))
    assert GONE.encode() not in b"".join(xlsx.streaming_content)

    progress = client.get(reverse("dashboard:year", args=[assessment.pk])).context["plan"]["progress"]
    assert progress.total.rows == 1 and progress.total.late == 0
    assert not in_digest(row)
    assert AreaRows(area_queryset(organisations))[0].measures == 1  # the plan's stored progress


def test_a_note_goes_to_the_bin_with_its_file_and_comes_back(row, personas, client_for, settings):
    note = add_notes(row, personas["staff"], 1)[0]
    client = client_for("staff")
    confirm = client.get(reverse("measures:delete_note", args=[note.pk]))
    assert confirm.status_code == 200 and "ลบบันทึกความก้าวหน้านี้?" in confirm.content.decode()
    assert ProgressNote.objects.filter(pk=note.pk).exists()

    response = client.post(reverse("measures:delete_note", args=[note.pk]))
    assert response.status_code == 302
    assert "บันทึกที่ 1" not in client.get(reverse("measures:detail", args=[row.pk])).content.decode()
    assert client.get(reverse("measures:evidence", args=[note.pk])).status_code == 404
    assert on_disk(settings, note)
    assert ProgressNote.all_objects.get(pk=note.pk).deleted_by == personas["staff"]

    client_for("org_admin").post(reverse("measures:restore", args=["note", note.pk]))
    assert ProgressNote.objects.filter(pk=note.pk).exists()
    assert client.get(reverse("measures:evidence", args=[note.pk])).status_code == 200


def test_a_note_whose_row_is_in_the_bin_cannot_be_restored_without_its_row(row, personas, client_for):
    first, second = add_notes(row, personas["staff"], 2)
    client_for("staff").post(reverse("measures:delete_note", args=[first.pk]))
    delete_row(client_for("staff"), row)
    admin = client_for("org_admin")
    html = admin.get(reverse("measures:bin")).content.decode()
    assert "แถวของบันทึกนี้อยู่ในถังขยะด้วย: กู้คืนแถวก่อน" in html

    response = admin.post(reverse("measures:restore", args=["note", first.pk]), follow=True)
    assert "กู้คืนแถวก่อน แล้วจึงกู้คืนบันทึกนี้" in response.content.decode()
    assert ProgressNote.all_objects.get(pk=first.pk).deleted_at is not None

    # The row comes back with the note that went with it; the one binned on its own stays.
    admin.post(reverse("measures:restore", args=["measure", row.pk]))
    assert list(ProgressNote.objects.filter(measure=row)) == [second]
    admin.post(reverse("measures:restore", args=["note", first.pk]))
    assert set(ProgressNote.objects.filter(measure=row)) == {first, second}


def test_an_evidence_file_goes_to_the_bin_and_its_note_stays(row, personas, client_for, settings):
    note = add_notes(row, personas["staff"], 1)[0]
    name = note.file.name
    client = client_for("staff")
    confirm = client.get(reverse("measures:delete_file", args=[note.pk]))
    assert confirm.status_code == 200 and "หลักฐาน 1.pdf" in confirm.content.decode()

    client.post(reverse("measures:delete_file", args=[note.pk]))
    note.refresh_from_db()
    assert note.file.name == "" and note.file_name == ""
    assert client.get(reverse("measures:evidence", args=[note.pk])).status_code == 404
    assert client.get(reverse("measures:delete_file", args=[note.pk])).status_code == 404
    detail = client.get(reverse("measures:detail", args=[row.pk])).content.decode()
    assert "บันทึกที่ 1" in detail and "หลักฐาน 1.pdf" not in detail
    binned = BinnedEvidence.objects.get()
    assert binned.file.name == name and binned.deleted_by == personas["staff"] and on_disk(settings, name)

    client_for("org_admin").post(reverse("measures:restore", args=["file", binned.pk]))
    note.refresh_from_db()
    assert note.file.name == name and note.file_name == "หลักฐาน 1.pdf"
    assert not BinnedEvidence.objects.exists()
    assert client.get(reverse("measures:evidence", args=[note.pk])).status_code == 200


def test_a_file_in_the_bin_is_removed_from_disk_when_the_bin_is_emptied(
        row, personas, client_for, settings, django_capture_on_commit_callbacks):
    note = add_notes(row, personas["staff"], 1)[0]
    name = note.file.name
    client_for("staff").post(reverse("measures:delete_file", args=[note.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client_for("org_admin").post(reverse("measures:empty_bin"))
    assert not on_disk(settings, name) and not BinnedEvidence.objects.exists()
    assert ProgressNote.objects.filter(pk=note.pk).exists()  # the note itself was not in the bin


def test_staff_of_another_unit_may_not_delete_a_note_or_its_file(row, personas, client_for):
    note = add_notes(row, personas["staff"], 1)[0]
    for name in ("delete_note", "delete_file"):
        assert client_for("other_staff").post(reverse(f"measures:{name}", args=[note.pk])).status_code == 403
        assert client_for("executive").post(reverse(f"measures:{name}", args=[note.pk])).status_code == 403
    note.refresh_from_db()
    assert note.deleted_at is None and note.file


def test_only_admins_see_restore_and_empty_the_bin(row, client_for):
    delete_row(client_for("staff"), row)
    for persona in ("staff", "executive"):
        client = client_for(persona)
        assert client.get(reverse("measures:bin")).status_code == 403
        assert client.post(reverse("measures:restore", args=["measure", row.pk])).status_code == 403
        assert client.post(reverse("measures:empty_bin")).status_code == 403
    assert client_for("outsider").post(reverse("measures:restore", args=["measure", row.pk])).status_code == 404
    assert client_for("org_admin").post(reverse("measures:restore", args=["thing", row.pk])).status_code == 404
    client_for("outsider").post(reverse("measures:empty_bin"))  # empties the outsider's own bin
    assert Measure.all_objects.get(pk=row.pk).deleted_at is not None


def test_a_restored_row_refuses_a_form_read_before_it_was_deleted(row, client_for):
    """Binning and restoring move the row's version: a stale edit cannot overwrite it."""
    delete_row(client_for("staff"), row)
    client_for("org_admin").post(reverse("measures:restore", args=["measure", row.pk]))
    assert Measure.objects.get(pk=row.pk).version == row.version + 2
    response = client_for("staff").post(reverse("measures:delete", args=[row.pk]), {"version": row.version})
    assert response.status_code == 409


def test_every_move_restore_and_emptying_is_in_the_audit_log(row, personas, client_for, org):
    note = add_notes(row, personas["staff"], 2)[0]
    client_for("staff").post(reverse("measures:delete_file", args=[note.pk]))
    client_for("staff").post(reverse("measures:delete_note", args=[note.pk]))
    delete_row(client_for("staff"), row)
    client_for("org_admin").post(reverse("measures:restore", args=["measure", row.pk]))
    delete_row(client_for("org_admin"), row)
    client_for("org_admin").post(reverse("measures:empty_bin"))

    entries = Entry.objects.filter(organisation=org, kind__in=[
        Entry.Kind.BINNED, Entry.Kind.RESTORED, Entry.Kind.PURGED, Entry.Kind.BIN_EMPTIED]).order_by("pk")
    got = [(e.kind, e.content_type.model, e.actor.username, (e.additional_data or {}).get("file_name")) for e in entries]
    assert got == [
        ("binned", "progressnote", "staff", "หลักฐาน 1.pdf"),
        ("binned", "progressnote", "staff", None),
        ("binned", "measure", "staff", None),
        ("restored", "measure", "org_admin", None),
        ("binned", "measure", "org_admin", None),
        ("purged", "progressnote", "org_admin", "หลักฐาน 1.pdf"),  # the binned file
        ("purged", "progressnote", "org_admin", None),  # the note binned on its own
        ("purged", "progressnote", "org_admin", None),  # the note that went with its row
        ("purged", "measure", "org_admin", None),
        ("bin_emptied", "organisation", "org_admin", None),
    ]
    purged_row = entries.get(kind=Entry.Kind.PURGED, content_type__model="measure")
    assert purged_row.changes["activity"][0] == GONE  # what was destroyed stays readable in the log
    assert entries.last().additional_data == {"rows": 1, "notes": 1, "files": 1}


def test_the_bin_page_query_count_does_not_grow_with_items(row, assessment, palad, personas, client_for,
                                                           django_assert_num_queries):
    """Guards an N+1 over the bin's rows, notes and files (who deleted them, their rows and
    notes): session, the user with their membership, then one query each for rows (with their counts), notes
    and files."""
    admin = client_for("org_admin")

    def fill():
        measure = make_measure(assessment, [palad])
        notes = add_notes(measure, personas["staff"], 2)
        client_for("staff").post(reverse("measures:delete_file", args=[notes[0].pk]))
        client_for("staff").post(reverse("measures:delete_note", args=[notes[1].pk]))
        delete_row(client_for("staff"), measure)

    fill()
    admin.get(reverse("measures:bin"))
    with django_assert_num_queries(5):
        admin.get(reverse("measures:bin"))
    for _ in range(3):
        fill()
    with django_assert_num_queries(5):
        admin.get(reverse("measures:bin"))
