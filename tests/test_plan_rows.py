"""The plan table's rows, written by measures/table.py for the plan page and for a row alone
(HTMX): every value escaped, each cell labelled for a phone, and the controls each reader is
offered in each state of the plan."""

import re
from datetime import date, timedelta

from django.urls import reverse

from measures.models import Measure, Plan, PlanEvent

from .conftest import make_measure

PLAN = reverse("measures:plan", args=[2569])


def row_of(html, measure):
    found = re.search(rf'<tr id="measure-{measure.pk}".*?</tr>', html, re.S)
    assert found, f"no row for measure {measure.pk}"
    return found.group(0)


def controls(row):
    """The controls of a row, by their kind."""
    kinds = []
    if 'data-testid="edit"' in row:
        kinds.append("edit")
    if 'value="up"' in row and 'value="down"' in row:
        kinds.append("move")
    if "/delete/" in row:
        kinds.append("delete")
    return kinds


def test_a_rows_values_are_escaped_and_its_cells_labelled(assessment, palad, client_for):
    hostile = '<script>alert("x")</script> & \'quote\''
    measure = make_measure(assessment, [palad], activity=hostile, analysis=hostile, method=hostile,
                           period=hostile, responsible=hostile, indicator_label=hostile,
                           start_date=date(2025, 10, 1), end_date=date(2026, 9, 30))
    row = row_of(client_for("staff").get(PLAN).content.decode(), measure)
    assert "<script>" not in row
    assert row.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quote&#x27;") == 6
    labels = re.findall(r'<td data-label="([^"]+)"', row)
    assert labels == ["ตัวชี้วัด", "ผลการวิเคราะห์", "มาตรการ/โครงการ/กิจกรรม", "วิธีการดำเนินการ", "ระยะเวลา",
                      "ผู้รับผิดชอบ", "สถานะ", "ความก้าวหน้า"]
    assert "1 ต.ค. 2568 – 30 ก.ย. 2569" in row
    assert 'data-testid="status">ยังไม่เริ่ม</span>' in row and 'value="0"' in row


def test_a_late_row_a_carried_row_and_a_saved_row_are_marked(assessment, palad, client_for):
    late = make_measure(assessment, [palad], end_date=date.today() - timedelta(days=1))
    done = make_measure(assessment, [palad], end_date=date.today() - timedelta(days=1),
                        status=Measure.Status.DONE, progress=100)
    carried = make_measure(assessment, [palad])
    carried.carried_from = late
    carried.save()
    html = client_for("staff").get(PLAN).content.decode()
    assert 'class="plan-row table-danger is-late"' in row_of(html, late) and "ล่าช้า" in row_of(html, late)
    assert "is-late" not in row_of(html, done) and "ล่าช้า" not in row_of(html, done)
    assert f'href="/plan/measure/{carried.pk}/history/" data-testid="carried"' in row_of(html, carried)
    alone = client_for("staff").get(reverse("measures:row", args=[late.pk]), HTTP_HX_REQUEST="true")
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # a new mask on every request
    assert token.sub("", alone.content.decode()) == token.sub("", row_of(html, late)) + "\n"


def test_each_reader_is_offered_the_controls_the_plan_accepts_now(assessment, palad, klang, client_for, personas):
    """A draft: staff change their own unit's rows (edit, move, delete), the admin every row,
    the executive none. Approved: tracking only (status and progress), no move or delete."""
    own = make_measure(assessment, [palad])
    others = make_measure(assessment, [klang])

    def offered(persona, measure):
        return controls(row_of(client_for(persona).get(PLAN, {"status": "not_started"}).content.decode(), measure))

    assert offered("staff", own) == ["edit", "move", "delete"]
    assert offered("staff", others) == []
    assert offered("org_admin", others) == ["edit", "move", "delete"]
    assert offered("executive", own) == []
    plan = Plan.objects.get(assessment=assessment)
    plan.take_step(PlanEvent.Kind.SUBMITTED, by=personas["org_admin"])
    Plan.objects.get(pk=plan.pk).take_step(PlanEvent.Kind.APPROVED, by=personas["executive"], signer_name="นายก ทดสอบ",
                                           signer_position="นายก", signed_on=date.today())
    row = row_of(client_for("staff").get(PLAN).content.decode(), own)
    assert controls(row) == ["edit"] and "ปรับสถานะ/ความก้าวหน้า" in row


def test_a_rows_move_form_keeps_the_filters_and_works(assessment, palad, client_for):
    first = make_measure(assessment, [palad], position=1)
    second = make_measure(assessment, [palad], position=2)
    staff = client_for("staff")
    html = staff.get(PLAN, {"status": "not_started", "q": "มาตรการ"}).content.decode()
    row = row_of(html, second)
    assert '<input type="hidden" name="query" value="status=not_started&amp;q=%E0%B8%A1' in row
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row).group(1)
    staff.handler.enforce_csrf_checks = True
    response = staff.post(reverse("measures:move", args=[second.pk]),
                          {"csrfmiddlewaretoken": token, "direction": "up", "query": "status=not_started"})
    assert response.status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert second.position < first.position
