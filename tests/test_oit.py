"""The OIT workspace through the HTTP client: starting a year, assigning, preparing, reviewing,
the rights of each role, the item's history from the audit log, the public page and the export."""

import io
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Entry
from measures.models import Plan, PlanEvent
from oit.models import EvidenceFile, Item, Link, Workspace

from .bad_input.make_corpus import PDF
from .conftest import make_assessment, make_measure
from .oit_helpers import pass_items, start_workspace


@pytest.fixture
def workspace(org, assessment):
    return start_workspace(org, 2568)


@pytest.fixture
def o1(workspace, palad):
    item = Item.objects.get(workspace=workspace, question__code="o1")
    item.units.set([palad])
    return item


def url(name, *args):
    return reverse(f"oit:{name}", args=args)


def test_an_admin_starts_the_year_with_every_item_of_the_reference_list(client_for, org, assessment):
    staff = client_for("staff")
    assert "ยังไม่ได้เริ่มเตรียม OIT" in staff.get(url("workspace", 2568)).content.decode()
    assert staff.post(url("start", 2568)).status_code == 403
    assert not Workspace.objects.exists()
    response = client_for("org_admin").post(url("start", 2568))
    assert response.status_code == 302
    workspace = Workspace.objects.get(organisation=org, fiscal_year=2568)
    assert workspace.items.count() == 26
    item = workspace.items.get(question__code="o1")
    assert item.criteria.confidence == "medium" and "ฝ่ายการเมือง" in item.criteria.text
    assert workspace.items.get(question__code="o7").criteria.text == ""


def test_the_menu_opens_the_newest_workspace_or_the_coming_years_list(client_for, org, assessment):
    staff = client_for("staff")
    assert staff.get(url("current"))["Location"] == url("workspace", 2569)
    start_workspace(org, 2568)
    assert staff.get(url("current"))["Location"] == url("workspace", 2568)


def test_a_year_without_oit_items_is_a_404(client_for, assessment):
    assert client_for("org_admin").get(url("workspace", 2564)).status_code == 404


def test_the_admin_assigns_units_and_a_due_date_and_it_is_in_the_history(client_for, workspace, klang):
    item = workspace.items.get(question__code="o5")
    admin = client_for("org_admin")
    response = admin.post(url("assign", item.pk), {"units": [klang.pk], "due_date": "31/03/2569"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert list(item.units.all()) == [klang] and item.due_date == date(2026, 3, 31)
    entries = Entry.objects.filter(content_type=ContentType.objects.get_for_model(Item), object_id=item.pk)
    assert entries.exists() and all(entry.organisation_id == workspace.organisation_id for entry in entries)
    history = admin.get(url("item", item.pk)).content.decode()
    assert "กองคลัง" in history and "สำนัก/กองที่รับผิดชอบ" in history


def test_staff_cannot_assign(client_for, o1, klang):
    assert client_for("staff").post(url("assign", o1.pk), {"units": [klang.pk]}).status_code == 403
    assert [unit.name for unit in o1.units.all()] == ["สำนักปลัด"]


def test_staff_of_the_unit_attach_a_url_and_a_file(client_for, o1, personas):
    staff = client_for("staff")
    response = staff.post(url("link_add", o1.pk), {"url": "  https://www.example.go.th/structure  "})
    assert response.status_code == 302
    response = staff.post(url("file_add", o1.pk), {"file": SimpleUploadedFile("ผังองค์กร.pdf", PDF)})
    assert response.status_code == 302
    o1.refresh_from_db()
    assert [link.url for link in o1.links.all()] == ["https://www.example.go.th/structure"]
    [evidence] = o1.files.all()
    assert evidence.file_name == "ผังองค์กร.pdf" and evidence.file_type == "application/pdf"
    assert "ผังองค์กร" not in evidence.file.name  # stored under a name of ours
    assert o1.prepared_by == personas["staff"]
    download = staff.get(url("file", evidence.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # Links and files are in the item's history too (from the audit log).
    history = staff.get(url("item", o1.pk)).content.decode()
    assert "ลิงก์ข้อ OIT" in history and "ไฟล์หลักฐานข้อ OIT" in history


def test_an_unsafe_file_is_refused_with_the_reason_and_nothing_is_kept(client_for, o1):
    response = client_for("staff").post(url("file_add", o1.pk),
                                        {"file": SimpleUploadedFile("setup.pdf", b"MZ\x90\x00 not a pdf")})
    assert response.status_code == 422
    assert "ไม่รับไฟล์ชนิดนี้" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_a_bad_url_is_refused(client_for, o1):
    response = client_for("staff").post(url("link_add", o1.pk), {"url": "javascript:alert(1)"})
    assert response.status_code == 422 and not Link.objects.exists()


@pytest.mark.parametrize("persona, expected", [("other_staff", 403), ("executive", 403), ("outsider", 404)])
def test_only_staff_of_the_unit_and_admins_prepare(client_for, o1, persona, expected):
    client = client_for(persona)
    assert client.post(url("link_add", o1.pk), {"url": "https://example.go.th/x"}).status_code == expected
    assert client.post(url("status", o1.pk), {"status": "published"}).status_code == expected
    o1.refresh_from_db()
    assert not o1.links.exists() and o1.status == Item.Status.NOT_STARTED


def test_executives_read_the_workspace_and_outsiders_get_404(client_for, o1):
    assert client_for("executive").get(url("workspace", 2568)).status_code == 200
    assert client_for("executive").get(url("item", o1.pk)).status_code == 200
    assert client_for("outsider").get(url("item", o1.pk)).status_code == 404


def test_the_review_is_by_someone_other_than_the_preparer(client_for, o1, personas, workspace):
    staff = client_for("staff")
    staff.post(url("link_add", o1.pk), {"url": "https://example.go.th/o1"})
    # A reviewer the admin named cannot review what they prepared themselves.
    workspace.reviewers.add(personas["staff"])
    assert staff.post(url("review", o1.pk), {"review": "passed"}).status_code == 403
    # An admin who prepared it cannot either.
    admin = client_for("org_admin")
    o2 = workspace.items.get(question__code="o2")
    admin.post(url("link_add", o2.pk), {"url": "https://example.go.th/o2"})
    assert admin.post(url("review", o2.pk), {"review": "passed"}).status_code == 403
    # The admin reviews what the staff member prepared.
    assert admin.post(url("review", o1.pk), {"review": "passed", "comment": "ครบ"}).status_code == 302
    o1.refresh_from_db()
    assert o1.review == Item.Review.PASSED and o1.reviewed_by == personas["org_admin"]
    # The named reviewer reviews an item someone else prepared.
    other = client_for("staff")
    assert other.post(url("review", o2.pk), {"review": "failed", "comment": "ไม่มีแผนผัง"}).status_code == 302
    o2.refresh_from_db()
    assert o2.review == Item.Review.FAILED and o2.reviewed_by == personas["staff"]


def test_ไม่ผ่าน_needs_a_comment(client_for, o1):
    response = client_for("org_admin").post(url("review", o1.pk), {"review": "failed", "comment": " "})
    assert response.status_code == 422 and "ต้องมีความเห็น" in response.content.decode()
    o1.refresh_from_db()
    assert o1.review == ""


def test_a_change_after_the_review_sends_the_item_back_to_be_reviewed(client_for, o1):
    client_for("org_admin").post(url("review", o1.pk), {"review": "passed"})
    client_for("staff").post(url("link_add", o1.pk), {"url": "https://example.go.th/new"})
    o1.refresh_from_db()
    assert o1.review == "" and o1.reviewed_by is None


def test_the_estimate_moves_when_an_item_passes(client_for, o1, workspace):
    """IIT and EIT from the seed scores (IIT 92.944, EIT 96.78); nothing passed: OIT 0,
    overall 27.8832 + 29.034 + 0 = 56.92. o1 passes: 9 = 100 / 20 = 5, OIT = 2.5,
    overall + 0.4 x 2.5 = 57.92."""
    admin = client_for("org_admin")
    before = admin.get(url("workspace", 2568)).content.decode()
    assert 'data-testid="oit-overall">56.92<' in before
    admin.post(url("review", o1.pk), {"review": "passed"})
    after = admin.get(url("workspace", 2568)).content.decode()
    assert 'data-testid="oit-overall">57.92<' in after
    assert "ผู้ประเมินของ ป.ป.ช. อาจให้น้ำหนักองค์ประกอบภายในข้อ" in after


def test_staff_see_their_units_items(client_for, o1):
    html = client_for("staff").get(url("workspace", 2568)).content.decode()
    mine = html.split('data-testid="oit-mine"')[1].split("</ul>")[0]
    assert "O1" in mine and "O2" not in mine
    assert 'data-testid="oit-mine"' not in client_for("other_staff").get(url("workspace", 2568)).content.decode()


def test_the_public_page_shows_links_and_files_once_published(client, client_for, o1, workspace):
    staff = client_for("staff")
    staff.post(url("link_add", o1.pk), {"url": "https://www.example.go.th/structure"})
    staff.post(url("file_add", o1.pk), {"file": SimpleUploadedFile("ผัง.pdf", PDF)})
    client_for("org_admin").post(url("review", o1.pk), {"review": "failed", "comment": "ความเห็นภายใน"})
    public = reverse("oit_public:page", args=[workspace.organisation_id, 2568])
    assert client.get(public).status_code == 404
    response = client_for("org_admin").post(url("settings", 2568), {"is_public": "on"})
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.is_public
    html = client.get(public).content.decode()
    assert "https://www.example.go.th/structure" in html and "ผัง.pdf" in html
    assert html.index(">O1<") < html.index(">O2<") < html.index(">O10<") < html.index(">O21<")
    assert "9.1 ข้อมูลพื้นฐาน" in html
    for internal in ("ความเห็นภายใน", "ไม่ผ่าน", "สำนักปลัด"):
        assert internal not in html
    evidence = o1.files.get()
    download = client.get(reverse("oit_public:file", args=[workspace.organisation_id, 2568, evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_the_plan_items_link_to_the_portals_own_public_page(client, client_for, org, assessment, personas):
    """2569: O25 is the improvement plan (made from the 2568 results), O26 its report."""
    workspace = start_workspace(org, 2569)
    Workspace.objects.filter(pk=workspace.pk).update(is_public=True)
    make_measure(assessment, [])
    plan = Plan.objects.get(assessment=assessment)
    public = reverse("oit_public:page", args=[org.pk, 2569])
    results_page = reverse("public:page", args=[org.pk, 2568])
    assert results_page not in client.get(public).content.decode()
    plan.take_step(PlanEvent.Kind.SUBMITTED, by=personas["org_admin"])
    plan.take_step(PlanEvent.Kind.APPROVED, by=personas["executive"], signer_name="นายก", signer_position="นายก",
                   signed_on=date(2025, 10, 20))
    assessment.is_public = True
    assessment.save(update_fields=["is_public"])
    html = client.get(public).content.decode()
    o25 = html.split('id="o25"')[1].split("</tr>")[0]
    o26 = html.split('id="o26"')[1].split("</tr>")[0]
    assert results_page in o25 and results_page not in o26


def test_the_export_lists_code_title_and_url_in_the_nacc_order(client_for, o1, workspace):
    client_for("staff").post(url("link_add", o1.pk), {"url": "https://www.example.go.th/a"})
    client_for("staff").post(url("link_add", o1.pk), {"url": "https://www.example.go.th/b"})
    response = client_for("executive").get(url("export", 2568))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("ข้อ", "หัวข้อ", "URL")
    assert [row[0] for row in rows[1:4]] == ["O1", "O2", "O3"] and rows[10][0] == "O10"
    assert rows[1][1] == "โครงสร้างและอำนาจหน้าที่"
    assert rows[1][2] == "https://www.example.go.th/a\nhttps://www.example.go.th/b"
    assert Entry.objects.filter(kind=Entry.Kind.EXPORT, organisation_id=workspace.organisation_id).exists()


def test_a_review_is_refused_by_the_database_when_the_reviewer_prepared_the_item(o1, personas):
    from django.db import IntegrityError, transaction

    o1.prepared_by = personas["org_admin"]
    o1.save(update_fields=["prepared_by"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=o1.pk).update(review="passed", reviewed_by=personas["org_admin"])


def test_the_workspace_query_count_does_not_grow_with_items(client_for, workspace, palad, django_assert_num_queries):
    """Guards the N+1 of the item table: each item's units, links, files, criteria and indicator
    are read in one query for all items, so 26 items cost what 1 would."""
    for item in workspace.items.all():
        item.units.set([palad])
        Link.objects.create(item=item, url=f"https://example.go.th/{item.pk}")
    pass_items(workspace, 9, 3)
    client = client_for("staff")
    client.get(url("workspace", 2568))
    with django_assert_num_queries(16):
        response = client.get(url("workspace", 2568))
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<td data-label=\"ลิงก์/ไฟล์\">1 / 0") == 26


def test_another_organisations_workspace_is_not_seen(client_for, workspace, other_org):
    make_assessment(other_org, 2568)
    html = client_for("outsider").get(url("workspace", 2568)).content.decode()
    assert "ยังไม่ได้เริ่มเตรียม OIT" in html


def test_the_workspace_in_english(client_for, o1):
    client = client_for("executive")
    client.cookies.load({"django_language": "en"})
    html = client.get(url("workspace", 2568)).content.decode()
    html = html.replace("&#x27;", "'")
    assert "Estimate" in html and "the NACC's assessors may weigh the components inside an item" in html
    assert "ประมาณการ" not in html


def test_the_public_page_and_the_export_cost_the_same_queries_for_any_number_of_links(
        client, client_for, workspace, django_assert_num_queries):
    """Guards the N+1 on each item's links, files and criteria (one query each for all items)
    on the public page (the workspace, the items, their units, links, files, the plan for O25/O26) and
    the export (the same plus the session, the user with their membership and the audit entry)."""
    Workspace.objects.filter(pk=workspace.pk).update(is_public=True)
    public = reverse("oit_public:page", args=[workspace.organisation_id, 2568])
    export = url("export", 2568)
    admin = client_for("org_admin")
    for _round in range(2):
        with django_assert_num_queries(6):
            client.get(public)
        with django_assert_num_queries(14):
            admin.get(export)
        for item in workspace.items.all():
            Link.objects.create(item=item, url=f"https://example.go.th/{item.pk}")
            EvidenceFile.objects.create(item=item, file="oit/x.pdf", file_name="x.pdf", file_type="application/pdf")
    assert client.get(public).content.decode().count('<a href="https://example.go.th/') == 2 * 26


def test_the_item_page_costs_the_same_queries_however_long_its_history(client_for, o1, django_assert_num_queries):
    """Guards the N+1 on the history rows' users and on the values they name (units): the
    audit entries with their users and content types in one query, the units they name in one;
    whether a later year's workspace makes this one read-only is one query too."""
    staff = client_for("staff")
    staff.post(url("link_add", o1.pk), {"url": "https://example.go.th/1"})
    staff.get(url("item", o1.pk))
    with django_assert_num_queries(15):
        staff.get(url("item", o1.pk))
    for n in range(2, 8):
        staff.post(url("link_add", o1.pk), {"url": f"https://example.go.th/{n}"})
        staff.post(url("status", o1.pk), {"status": "in_progress" if n % 2 else "published"})
    with django_assert_num_queries(15):
        response = staff.get(url("item", o1.pk))
    assert response.content.decode().count("https://example.go.th/") >= 7


def test_a_past_years_workspace_is_read_only_but_its_page_can_still_be_unpublished(client_for, o1, org, workspace):
    start_workspace(org, 2569)
    staff, admin = client_for("staff"), client_for("org_admin")
    response = staff.post(url("link_add", o1.pk), {"url": "https://example.go.th/late"})
    assert response.status_code == 403 and "เป็นของปีที่ผ่านมาแล้ว" in response.content.decode()
    assert admin.post(url("review", o1.pk), {"review": "passed"}).status_code == 403
    assert admin.post(url("assign", o1.pk), {"units": []}).status_code == 403
    assert admin.post(url("check_links", 2568)).status_code == 403
    o1.refresh_from_db()
    assert not o1.links.exists() and o1.review == "" and o1.units.exists()
    page = admin.get(url("item", o1.pk)).content.decode()
    assert 'data-testid="past-year"' in page and 'data-testid="oit-link-form"' not in page
    assert admin.post(url("settings", 2568), {"is_public": "on"}).status_code == 302
    workspace.refresh_from_db()
    assert workspace.is_public
