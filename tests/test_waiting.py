"""What waits for me, at the top of each role's landing page: short, linked, one line when
nothing waits."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.invitations import invitations_send
from accounts.services import NewPerson, people_create
from assessments.models import Organisation
from dashboard.waiting import waiting_for
from measures.models import Plan, PlanEvent, ProgressNote
from oversight.models import OversightMembership

from .conftest import make_assessment, make_measure
from .plan_helpers import approve

NOTHING = "ไม่มีงานที่รอท่านในขณะนี้"


def texts(user, today=None):
    return [item.text for item in waiting_for(user, today)]


def box(client, landing):
    """The box of what waits as the landing page shows it: the page holds its place, which asks
    for the box once loaded (HTMX)."""
    page = client.get(landing).content.decode()
    assert 'data-testid="waiting-slot"' in page and f'hx-get="{reverse("dashboard:waiting")}"' in page
    return client.get(reverse("dashboard:waiting"), headers={"HX-Request": "true"}).content.decode()


def test_the_executive_sees_the_plan_waiting_for_approval_with_its_link(assessment, palad, personas, client_for):
    make_measure(assessment, [palad])
    plan = Plan.objects.get(assessment=assessment)
    page = box(client_for("executive"), reverse("dashboard:latest"))
    assert "งานที่รอฉัน" in page and NOTHING in page
    plan.take_step(PlanEvent.Kind.SUBMITTED, by=personas["org_admin"])
    [item] = waiting_for(personas["executive"])
    assert item.text == "แผนพัฒนาองค์กรปี 2569 รอท่านอนุมัติ"
    assert item.link == reverse("measures:plan_approve", args=[2569])
    page = box(client_for("executive"), reverse("dashboard:latest"))
    assert item.link in page and NOTHING not in page
    # Another organisation's executive sees nothing of it.
    assert texts(personas["outsider"]) == []


def test_staff_see_their_late_due_and_quiet_rows_on_the_plan_page(assessment, palad, klang, personas, client_for):
    today = timezone.localdate()
    make_measure(assessment, [palad], activity="ล่าช้าของปลัด", end_date=today - timedelta(days=1))
    make_measure(assessment, [palad], activity="ใกล้ครบของปลัด", end_date=today + timedelta(days=10))
    make_measure(assessment, [palad], activity="อีกนาน", end_date=today + timedelta(days=60))
    make_measure(assessment, [klang], activity="ล่าช้าของคลัง", end_date=today - timedelta(days=1))
    noted = make_measure(assessment, [palad], activity="มีบันทึกล่าสุด", end_date=today + timedelta(days=90))
    approve(Plan.objects.get(assessment=assessment), personas, signed_on=today - timedelta(days=40))
    ProgressNote.objects.create(measure=noted, text="ทำแล้ว", author=personas["staff"], date=today)
    found = texts(personas["staff"])
    assert found[0].startswith("ล่าช้า: ล่าช้าของปลัด")
    assert found[1].startswith("ครบกำหนดภายใน 14 วัน: ใกล้ครบของปลัด")
    assert found[2].startswith("ไม่มีบันทึกความคืบหน้า 30 วัน: อีกนาน")
    assert len(found) == 3  # not กองคลัง's row, not the row with a recent note
    page = box(client_for("staff"), reverse("measures:plan", args=[2569]))
    assert "ล่าช้า: ล่าช้าของปลัด" in page
    assert [t.split(":")[1].strip()[:12] for t in texts(personas["other_staff"])] == ["ล่าช้าของคลั"]


def test_a_long_list_is_cut_to_five_with_a_link_to_the_rest(assessment, palad, personas):
    today = timezone.localdate()
    for n in range(8):
        make_measure(assessment, [palad], activity=f"ล่าช้า {n}", end_date=today - timedelta(days=1))
    items = waiting_for(personas["staff"])
    assert len(items) == 6 and items[-1].text == "และอีก 3 มาตรการ"
    assert items[-1].link == reverse("measures:current") + "?mine=on"


def test_the_admin_sees_unreviewed_checks_pending_invitations_and_the_plans_next_step(
        assessment, palad, personas, org, client_for):
    make_measure(assessment, [palad], analysis="ได้รับคะแนน ๘๐.๐๐ คะแนน", number=4, indicator_label="ตัวชี้วัดที่ ๔")
    [invitee] = people_create([NewPerson(org, "ผู้ได้รับเชิญ", "invitee@example.go.th", "staff", [palad])])
    invitations_send([invitee], invited_by=personas["org_admin"])
    found = texts(personas["org_admin"])
    assert any(text.startswith("รายการตรวจข้อมูลปี 2568 ที่ยังไม่ได้ตรวจทาน") for text in found)
    assert "คำเชิญที่ยังไม่ได้ตอบรับ 1 คน" in found
    assert found[-1] == "แผนพัฒนาองค์กรปี 2569 เป็นร่าง: ขั้นต่อไปคือเสนอผู้บริหารอนุมัติ"
    page = box(client_for("org_admin"), reverse("dashboard:latest"))
    assert reverse("measures:plan_submit", args=[2569]) in page and reverse("people") in page


def test_the_admin_of_a_new_organisation_sees_it_on_the_welcome_page(reference, client):
    org = Organisation.objects.create(name="อบต.ใหม่", province="นครราชสีมา")
    from accounts.models import Membership

    from .conftest import make_user

    admin = make_user("new_admin", org, Membership.Role.ADMIN)
    client.force_login(admin)
    page = box(client, reverse("home"))
    assert "งานที่รอฉัน" in page and NOTHING in page


def test_the_area_office_sees_organisations_without_a_plan_or_with_late_rows(reference, client):
    today = date(2026, 3, 2)  # fiscal year 2569
    late = Organisation.objects.create(name="อบต.ล่าช้า", province="ชัยภูมิ")
    planned = Organisation.objects.create(name="อบต.มีแผน", province="ชัยภูมิ")
    Organisation.objects.create(name="อบต.ไม่มีแผน", province="ชัยภูมิ")
    Organisation.objects.create(name="อบต.จังหวัดอื่น", province="ขอนแก่น")
    for organisation in (late, planned):
        make_measure(make_assessment(organisation, 2568), [], end_date=today - timedelta(days=1)
                     if organisation == late else today + timedelta(days=30))
    office = get_user_model().objects.create_user("office", password="pw-for-tests-2569")
    OversightMembership.objects.create(user=office, province="ชัยภูมิ")
    assert texts(office, today) == ["ยังไม่มีแผนพัฒนาองค์กรปี 2569: อบต.ไม่มีแผน", "มีมาตรการล่าช้า: อบต.ล่าช้า"]
    client.force_login(office)
    assert "อบต.ไม่มีแผน" in box(client, reverse("oversight:area"))


@pytest.mark.parametrize("persona", ["staff", "executive", "org_admin"])
def test_what_waits_runs_in_a_fixed_number_of_queries(persona, assessment, palad, personas, django_assert_num_queries):
    """Guards what waits against a query per row, plan or check item: the same count with one
    row as with twenty, for each role."""
    today = timezone.localdate()
    make_measure(assessment, [palad], end_date=today - timedelta(days=1))
    user = get_user_model().objects.select_related("membership").get(pk=personas[persona].pk)
    user.membership.unit_ids  # read once per request by the page already
    with CaptureQueriesContext(connection) as one:
        waiting_for(user)
    for n in range(19):
        make_measure(assessment, [palad], end_date=today - timedelta(days=1))
    user = get_user_model().objects.select_related("membership").get(pk=personas[persona].pk)
    user.membership.unit_ids
    with django_assert_num_queries(len(one.captured_queries)):
        waiting_for(user)


def test_without_htmx_what_waits_is_a_page_of_its_own(assessment, palad, personas, client_for):
    make_measure(assessment, [palad])
    Plan.objects.get(assessment=assessment).take_step(PlanEvent.Kind.SUBMITTED, by=personas["org_admin"])
    page = client_for("executive").get(reverse("dashboard:waiting")).content.decode()
    assert "<html" in page and "แผนพัฒนาองค์กรปี 2569 รอท่านอนุมัติ" in page
