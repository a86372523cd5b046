"""A row's history page: every change with who made it, when, and the old and new values."""

from django.urls import reverse

from .conftest import make_measure
from .plan_helpers import edit_data


def test_history_shows_who_changed_which_field_from_what_to_what(assessment, palad, personas, client_for):
    row = make_measure(assessment, units=[palad], activity="มาตรการเดิม")
    staff = client_for("staff")
    staff.post(reverse("measures:edit", args=[row.pk]),
               edit_data(row, status="in_progress", progress=40, end_date="2026-03-31"), HTTP_HX_REQUEST="true")
    row.refresh_from_db()
    client_for("org_admin").post(reverse("measures:edit", args=[row.pk]),
                                 edit_data(row, activity="มาตรการใหม่"), HTTP_HX_REQUEST="true")

    record = row.history.filter(history_user=personas["staff"]).get()
    assert (record.progress, record.version) == (40, 2)

    response = client_for("executive").get(reverse("measures:history", args=[row.pk]))
    assert response.status_code == 200
    entries = response.context["entries"]
    newest, staff_edit = entries[0], entries[1]
    assert newest.who == "org_admin"
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("มาตรการ/โครงการ/กิจกรรม", "มาตรการเดิม", "มาตรการใหม่")
    ]
    assert staff_edit.who == "staff"
    assert {(c.label, c.old, c.new) for c in staff_edit.changes} == {
        ("สถานะ", "ยังไม่เริ่ม", "กำลังดำเนินการ"),
        ("ความก้าวหน้า (%)", "0", "40"),
        ("วันสิ้นสุดตามแผน", "–", "31 มีนาคม 2569"),
    }
    assert entries[-1].kind == "+"
    html = response.content.decode()
    assert "กำลังดำเนินการ" in html and "31 มีนาคม 2569" in html


def test_history_records_unit_changes_and_moves(assessment, palad, klang, client_for):
    row = make_measure(assessment, units=[palad], position=2)
    row.save()  # units are recorded with a save of the row, as the portal's add and edit do
    make_measure(assessment, position=1)
    client = client_for("org_admin")
    client.post(reverse("measures:edit", args=[row.pk]), edit_data(row, units=[klang.pk]), HTTP_HX_REQUEST="true")
    client.post(reverse("measures:move", args=[row.pk]), {"direction": "up"})
    changes = [(c.label, c.old, c.new) for e in client.get(reverse("measures:history", args=[row.pk])).context["entries"]
               for c in e.changes]
    assert ("ลำดับในแผน", "2", "1") in changes
    assert ("สำนัก/กองที่รับผิดชอบ", "สำนักปลัด", "กองคลัง") in changes


def test_history_page_query_count_does_not_grow_with_changes(assessment, palad, client_for, django_assert_num_queries):
    """Guards the N+1 on each record's user, units and indicator when the changes are diffed."""
    row = make_measure(assessment, units=[palad])
    row.save()
    client = client_for("staff")
    url = reverse("measures:history", args=[row.pk])
    # session, the user with their membership; the row and its units; the records, their units and those
    # units' names; the indicators; the navbar's organisation.
    with django_assert_num_queries(8):
        client.get(url)
    for progress in range(10, 60, 10):
        row.refresh_from_db()
        client.post(reverse("measures:edit", args=[row.pk]),
                    edit_data(row, progress=progress, status="in_progress"), HTTP_HX_REQUEST="true")
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["entries"]) == 6  # created, then five saves with changes
