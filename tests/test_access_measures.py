"""The whole matrix of read and change rights on plan rows, for every view and every persona.

The row belongs to สำนักปลัด: `staff` is of its unit, `other_staff` (กองคลัง) is not,
`executive` reads only, `org_admin` does everything in the organisation, `outsider` is an admin
of another organisation (404: the row's existence is not confirmed) and `anonymous` is sent to
sign in.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import Measure, ProgressNote

from .conftest import make_measure
from .plan_helpers import edit_data

LOGIN = "sent to the sign-in page"
PERSONAS = ["staff", "other_staff", "executive", "org_admin", "outsider", "anonymous"]
READ = {"staff": 200, "other_staff": 200, "executive": 200, "org_admin": 200, "outsider": 404, "anonymous": LOGIN}
CHANGE = {"staff": 200, "other_staff": 403, "executive": 403, "org_admin": 200, "outsider": 404, "anonymous": LOGIN}


@pytest.fixture
def row(assessment, palad):
    return make_measure(assessment, units=[palad], activity="มาตรการของสำนักปลัด")


@pytest.fixture
def note(row, personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    note = ProgressNote(measure=row, text="ประชุมแล้ว", author=personas["staff"],
                        file_name="รายงาน.pdf", file_type="application/pdf")
    note.file.save("a.pdf", SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"), save=True)
    return note


def expect(status, response):
    if status == LOGIN and response.has_header("HX-Redirect"):
        # An HTMX request is sent to the sign-in page as a whole page (accounts/sessions.py).
        assert response.status_code == 200 and response["HX-Redirect"].startswith(reverse("login"))
    elif status == LOGIN:
        assert response.status_code == 302 and reverse("login") in response["Location"]
    else:
        assert response.status_code == status, response.content[:300]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", ["detail", "row", "history"])
def test_who_may_read_a_row(view, persona, row, client_for):
    response = client_for(persona).get(reverse(f"measures:{view}", args=[row.pk]))
    expect(READ[persona], response)
    if response.status_code == 200:
        assert "มาตรการของสำนักปลัด" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_download_evidence(persona, note, client_for):
    response = client_for(persona).get(reverse("measures:evidence", args=[note.pk]))
    expect(READ[persona], response)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"


@pytest.mark.parametrize("persona", PERSONAS)
def test_plan_page_shows_only_the_own_organisations_rows(persona, row, client_for):
    response = client_for(persona).get(reverse("measures:plan", args=[2569]))
    expect(READ[persona] if persona != "outsider" else 200, response)
    if response.status_code == 200:
        shown = "มาตรการของสำนักปลัด" in response.content.decode()
        assert shown == (persona != "outsider")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", ["edit", "delete"])
def test_who_may_open_a_rows_change_forms(view, persona, row, client_for):
    expect(CHANGE[persona], client_for(persona).get(reverse(f"measures:{view}", args=[row.pk])))


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_save_a_row(persona, row, client_for):
    data = edit_data(row, activity="แก้โดยผู้มีสิทธิ์", status="in_progress", progress=30)
    response = client_for(persona).post(reverse("measures:edit", args=[row.pk]), data, HTTP_HX_REQUEST="true")
    expect(CHANGE[persona], response)
    row.refresh_from_db()
    allowed = CHANGE[persona] == 200
    assert (row.activity == "แก้โดยผู้มีสิทธิ์") == allowed
    assert row.version == (2 if allowed else 1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_delete_a_row(persona, row, client_for):
    response = client_for(persona).post(reverse("measures:delete", args=[row.pk]), {"version": 1})
    allowed = CHANGE[persona] == 200
    expect(302 if allowed else CHANGE[persona], response)
    assert Measure.objects.filter(pk=row.pk).exists() != allowed


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_move_a_row(persona, row, assessment, palad, client_for):
    above = make_measure(assessment, units=[palad], position=0)
    row.position = 1
    row.save()
    response = client_for(persona).post(reverse("measures:move", args=[row.pk]), {"direction": "up"})
    allowed = CHANGE[persona] == 200
    expect(302 if allowed else CHANGE[persona], response)
    row.refresh_from_db()
    above.refresh_from_db()
    assert (row.position < above.position) == allowed


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_add_a_progress_note(persona, row, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    data = {"date": "2026-01-15", "text": "จัดประชุมคณะทำงาน", "link": "https://example.go.th/ita"}
    response = client_for(persona).post(reverse("measures:add_note", args=[row.pk]), data)
    allowed = CHANGE[persona] == 200
    expect(302 if allowed else CHANGE[persona], response)
    assert row.notes.filter(text="จัดประชุมคณะทำงาน").exists() == allowed


ADD = {"staff": 200, "other_staff": 200, "executive": 403, "org_admin": 200, "outsider": 404, "anonymous": LOGIN}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_the_add_form(persona, assessment, client_for):
    """Staff add rows for their own units; the outsider's organisation has no 2568 assessment."""
    expect(ADD[persona], client_for(persona).get(reverse("measures:add", args=[2569])))


@pytest.mark.parametrize("persona", ["staff", "other_staff", "org_admin"])
def test_a_row_for_every_unit_is_open_to_every_units_staff(persona, assessment, client_for):
    shared = make_measure(assessment, for_all_units=True, responsible="ทุกสำนัก/กองงาน")
    data = edit_data(shared, progress=10, status="in_progress")
    response = client_for(persona).post(reverse("measures:edit", args=[shared.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    shared.refresh_from_db()
    assert shared.progress == 10


def test_executive_sees_no_edit_controls(row, client_for):
    html = client_for("executive").get(reverse("measures:plan", args=[2569])).content.decode()
    assert "มาตรการของสำนักปลัด" in html
    assert reverse("measures:edit", args=[row.pk]) not in html
    assert reverse("measures:add", args=[2569]) not in html


def test_staff_see_edit_controls_only_on_their_units_rows(row, assessment, klang, client_for):
    theirs = make_measure(assessment, units=[klang], activity="มาตรการของกองคลัง")
    html = client_for("staff").get(reverse("measures:plan", args=[2569])).content.decode()
    assert reverse("measures:edit", args=[row.pk]) in html
    assert reverse("measures:edit", args=[theirs.pk]) not in html
