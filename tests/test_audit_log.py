"""The audit log: every change to an organisation's data, every sign-in, export, PDF
and evidence download, with who, when, from where and what, read by the organisation's admins
and by nobody else, never edited or deleted through the portal."""

import io
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin as django_admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Membership
from assessments.models import Assessment, Finding, Organisation, Unit
from audit import registry
from audit.models import Entry
from measures.models import Measure, ProgressNote

from .conftest import make_measure
from .plan_helpers import edit_data

LOG = reverse("audit:log")
EXPORT = reverse("audit:export")
PASSWORD = "pw-for-tests-2569"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def row(assessment, palad):
    return make_measure(assessment, [palad], activity="มาตรการเดิม")


def latest(**filters):
    return Entry.objects.filter(**filters).order_by("-pk").first()


def changes_in_words(response, item):
    """The readable changes of the newest row of the log page about `item`."""
    row = next(r for r in response.context["rows"] if item in r.item)
    return {(c.label, c.old, c.new) for c in row.changes}


def test_a_plan_edit_is_recorded_with_who_where_and_old_and_new_values(row, client_for, personas, org, klang):
    client = client_for("org_admin")
    data = edit_data(row, activity="มาตรการใหม่", status="in_progress", progress=40, end_date="2026-09-30",
                     units=[klang.pk])
    assert client.post(reverse("measures:edit", args=[row.pk]), data, REMOTE_ADDR="203.0.113.9").status_code == 302
    entry = latest(content_type__model="measure", kind=Entry.Kind.UPDATE, changes__has_key="activity")
    assert entry.actor == personas["org_admin"] and entry.organisation == org
    assert entry.remote_addr == "203.0.113.9"
    assert entry.changes["activity"] == ["มาตรการเดิม", "มาตรการใหม่"]
    assert "version" not in entry.changes and "updated_at" not in entry.changes
    units = Entry.objects.filter(content_type__model="measure", changes__has_key="units").order_by("pk")
    assert [e.changes["units"]["operation"] for e in units.filter(actor=personas["org_admin"])] == ["delete", "add"]

    page = client.get(LOG)
    words = changes_in_words(page, "มาตรการใหม่")
    assert ("มาตรการ/โครงการ/กิจกรรม", "มาตรการเดิม", "มาตรการใหม่") in words
    assert ("สถานะ", "ยังไม่เริ่ม", "กำลังดำเนินการ") in words
    assert ("ความก้าวหน้า (%)", "0", "40") in words
    assert ("วันสิ้นสุดตามแผน", "–", "30 กันยายน 2569") in words
    html = page.content.decode()
    assert "เพิ่ม: กองคลัง" in html and "นำออก: สำนักปลัด" in html and "203.0.113.9" in html


def test_behind_the_proxy_the_address_is_the_one_nginx_appended(row, client_for, settings):
    """The client writes the leftmost X-Forwarded-For entries itself; the proxy's is the last."""
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    client_for("staff").post(reverse("measures:add_note", args=[row.pk]), {"date": "2026-02-01", "text": "ทำแล้ว"},
                             REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert latest(content_type__model="progressnote").remote_addr == "198.51.100.7"
    settings.BEHIND_TLS_PROXY = False
    client_for("staff").post(reverse("measures:add_note", args=[row.pk]), {"date": "2026-02-02", "text": "อีกครั้ง"},
                             REMOTE_ADDR="192.0.2.4", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert latest(content_type__model="progressnote").remote_addr == "192.0.2.4"


def test_changes_to_every_kind_of_organisation_data_are_recorded(assessment, client_for, personas, org, palad):
    """Scores and published figures, publishing, findings, check reviews, units, memberships
    and roles (and their units), notes: each lands in the organisation's log."""
    admin = client_for("org_admin")
    scores = {f"score_{s.indicator.number}": str(s.score) for s in assessment.scores.select_related("indicator")}
    scores["score_9"] = "88.00"
    admin.post(reverse("assessment_edit", args=[assessment.pk]),
               {**scores, "action": "save", "published_overall": "91.00", "published_level": ""})
    admin.post(reverse("reports:publish", args=[assessment.pk]), {"is_public": "on"})
    indicator = assessment.fiscal_year.indicators.get(number=9)
    admin.post(reverse("finding_add", args=[assessment.pk, 9]),
               {"indicator": indicator.pk, "kind": "improve", "code": "", "score": "", "text": "ควรเปิดเผยข้อมูล"})
    finding = Finding.objects.get()
    admin.post(reverse("finding_delete", args=[assessment.pk, finding.pk]))
    membership = Membership.objects.get(user=personas["other_staff"])
    membership.role = Membership.Role.EXECUTIVE
    membership.save()
    membership.units.add(palad)
    Unit.objects.create(organisation=org, name="กองช่าง", position=3)

    kinds = {(e.content_type.model, e.kind) for e in Entry.objects.filter(organisation=org)}
    assert {("indicatorscore", "update"), ("assessment", "update"), ("finding", "create"), ("finding", "delete"),
            ("membership", "update"), ("unit", "create")} <= kinds
    assert latest(content_type__model="indicatorscore").changes["score"] == ["82.50", "88.00"]
    published = Entry.objects.filter(content_type__model="assessment", kind="update", changes__has_key="is_public").get()
    assert published.changes["is_public"] == [False, True] and published.actor == personas["org_admin"]
    assert latest(content_type__model="membership", changes__has_key="role").changes["role"] == ["staff", "executive"]
    assert latest(content_type__model="membership", changes__has_key="units").changes["units"]["objects"] == ["สำนักปลัด"]
    deleted = latest(content_type__model="finding", kind=Entry.Kind.DELETE)
    assert deleted.changes["text"][0] == "ควรเปิดเผยข้อมูล"  # what was deleted stays readable


def test_check_reviews_are_recorded(assessment, palad, client_for, org):
    from assessments.checks import check_assessment

    make_measure(assessment, [palad], number=4, analysis="ได้รับคะแนน ๘๐.๐๐ คะแนน")
    key = check_assessment(assessment)[0].key
    client_for("org_admin").post(reverse("check_review", args=[assessment.pk]), {"key": key, "comment": "ตรวจแล้ว"})
    client_for("org_admin").post(reverse("check_unreview", args=[assessment.pk]), {"key": key})
    assert [e.kind for e in Entry.objects.filter(content_type__model="checkreview", organisation=org)] == [
        Entry.Kind.DELETE, Entry.Kind.CREATE]


def test_sign_ins_and_failures_for_members_are_recorded(client, personas, org, other_org):
    client.post(reverse("login"), {"username": "staff", "password": "wrong"}, REMOTE_ADDR="192.0.2.8")
    client.post(reverse("login"), {"username": "nobody-at-all", "password": "wrong"})
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="192.0.2.8")
    client.post(reverse("logout"))
    entries = list(Entry.objects.filter(kind__in=["sign_in", "sign_in_failed", "sign_out"]).order_by("pk"))
    assert [(e.kind, e.object_repr, e.actor_id, e.organisation_id) for e in entries] == [
        ("sign_in_failed", "staff", None, org.pk),
        ("sign_in", "staff", personas["staff"].pk, org.pk),
        ("sign_out", "staff", personas["staff"].pk, org.pk),
    ]
    assert entries[0].remote_addr == entries[1].remote_addr == "192.0.2.8"
    assert entries[0].additional_data == {"locked_out": False}


def test_a_locked_out_attempt_is_marked(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert latest(kind=Entry.Kind.SIGN_IN_FAILED).additional_data == {"locked_out": True}


def test_exports_pdfs_and_evidence_downloads_are_recorded(assessment, row, client_for, personas, org):
    note = ProgressNote.objects.create(measure=row, text="หลักฐาน", author=personas["staff"],
                                       file=ContentFile(PDF, name="e.pdf"), file_name="หลักฐาน.pdf",
                                       file_type="application/pdf")
    admin = client_for("org_admin")
    b"".join(admin.get(reverse("reports:plan_xlsx", args=[assessment.pk])).streaming_content)
    admin.get(reverse("reports:data", args=[assessment.pk, "scores", "csv"]))
    admin.get(reverse("reports:data", args=[assessment.pk, "plan", "json"]))
    admin.get(reverse("reports:progress_pdf", args=[assessment.pk]))
    b"".join(client_for("staff").get(reverse("measures:evidence", args=[note.pk])).streaming_content)
    assessment.is_public = True
    assessment.save()
    before = Entry.objects.count()
    client_for("anonymous").get(reverse("public:data", args=[org.pk, 2568, "plan", "csv"]))
    assert Entry.objects.count() == before  # public downloads are not recorded

    got = [(e.kind, e.actor.username, e.additional_data["file_name"]) for e in Entry.objects.filter(
        organisation=org, kind__in=["export", "pdf", "evidence"]).order_by("pk")]
    assert got == [
        ("export", "org_admin", f"plan-{org.pk}-2568.xlsx"),
        ("export", "org_admin", f"scores-{org.pk}-2568.csv"),
        ("export", "org_admin", f"plan-{org.pk}-2568.json"),
        ("pdf", "org_admin", f"progress-report-{org.pk}-2568.pdf"),
        ("evidence", "staff", "หลักฐาน.pdf"),
    ]


def test_a_plan_import_records_every_added_and_changed_row(assessment, row, client_for, personas, org):
    from measures import imports

    workbook_rows = [["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม"],
                     [row.pk, row.indicator_label, "มาตรการจากไฟล์"],
                     ["", "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล", "มาตรการใหม่จากไฟล์"]]
    from openpyxl import Workbook

    workbook = Workbook()
    for values in workbook_rows:
        workbook.active.append(values)
    out = io.BytesIO()
    workbook.save(out)
    preview = imports.read_plan(out.getvalue(), assessment)
    assert preview.can_apply, preview.errors
    imports.apply_plan(preview, assessment, personas["org_admin"])
    changed = latest(content_type__model="measure", object_id=row.pk)
    assert changed.kind == Entry.Kind.UPDATE and changed.changes["activity"] == ["มาตรการเดิม", "มาตรการจากไฟล์"]
    assert set(changed.changes) == {"activity"} and changed.actor == personas["org_admin"]
    added = Measure.objects.get(activity="มาตรการใหม่จากไฟล์")
    created = latest(content_type__model="measure", object_id=added.pk)
    assert created.kind == Entry.Kind.CREATE and created.organisation == org


def test_admins_read_only_their_own_organisations_log(row, client_for, personas, other_org, org):
    outsider_row_text = "แถวของหน่วยงานอื่น"
    other = Assessment.objects.create(organisation=other_org, fiscal_year_id=2568)
    make_measure(other, [], activity=outsider_row_text)
    client_for("outsider").get(reverse("measures:plan", args=[2569]))
    page = client_for("org_admin").get(LOG)
    assert page.status_code == 200
    assert {r.entry.organisation_id for r in page.context["rows"]} == {org.pk}
    assert outsider_row_text not in page.content.decode()
    outsider_page = client_for("outsider").get(LOG)
    assert outsider_row_text in outsider_page.content.decode() and "มาตรการเดิม" not in outsider_page.content.decode()
    for persona in ("staff", "executive"):
        assert client_for(persona).get(LOG).status_code == 403


def test_the_log_is_newest_first_and_paged_by_50(org, client_for, personas):
    for n in range(55):
        Unit.objects.create(organisation=org, name=f"หน่วย {n:02d}")
    page = client_for("org_admin").get(LOG, {"kind": "create", "model": "assessments.unit"})
    items = [r.item for r in page.context["rows"]]
    assert len(items) == 50 and items[0] == "หน่วย 54" and items[-1] == "หน่วย 05"
    second = client_for("org_admin").get(LOG, {"kind": "create", "model": "assessments.unit", "page": 2})
    assert [r.item for r in second.context["rows"]] == [
        "หน่วย 04", "หน่วย 03", "หน่วย 02", "หน่วย 01", "หน่วย 00", "กองคลัง", "สำนักปลัด"]  # the fixture's units
    assert "kind=create" in page.content.decode()  # the pages keep the filters


def test_the_log_filters_by_person_kind_model_and_dates(row, client_for, personas, client):
    client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    client_for("staff").post(reverse("measures:add_note", args=[row.pk]), {"date": "2026-02-01", "text": "ทำแล้ว"})
    old = latest(content_type__model="progressnote")
    Entry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - timedelta(days=40))
    admin = client_for("org_admin")

    by_staff = admin.get(LOG, {"person": personas["staff"].pk}).context["rows"]
    assert {r.entry.kind for r in by_staff} == {"sign_in", "sign_in_failed", "create"}
    assert all(r.entry.actor_id in (personas["staff"].pk, None) for r in by_staff)
    notes = admin.get(LOG, {"model": "measures.progressnote"}).context["rows"]
    assert [r.entry.pk for r in notes] == [old.pk]
    recent = admin.get(LOG, {"date_from": (timezone.localdate() - timedelta(days=1)).isoformat()}).context["rows"]
    assert old.pk not in [r.entry.pk for r in recent] and recent
    before = admin.get(LOG, {"date_to": (timezone.localdate() - timedelta(days=30)).isoformat()}).context["rows"]
    assert [r.entry.pk for r in before] == [old.pk]
    failed = admin.get(LOG, {"kind": "sign_in_failed"}).context["rows"]
    assert [r.who for r in failed] == ["ไม่ทราบ (ชื่อผู้ใช้ staff)"]


@pytest.mark.parametrize("params, message", [
    ({"date_from": "31/02/2026"}, "วันที่ไม่ถูกต้อง: ไม่มีวันนี้ในปฏิทิน"),
    ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"),
    ({"kind": "hack"}, "ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ"),
    ({"model": "auth.permission"}, "ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ"),
    ({"person": "999999"}, "ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ"),
    ({"page": "x"}, "เลขหน้าต้องเป็นจำนวนเต็ม"),
])
def test_a_bad_filter_gets_a_thai_message_and_the_export_refuses_it(params, message, client_for, personas):
    admin = client_for("org_admin")
    page = admin.get(LOG, params)
    assert page.status_code == 200 and message in page.content.decode()
    if "page" not in params:
        export = admin.get(EXPORT, params)
        assert export.status_code == 400 and message in export.content.decode()


def test_a_person_of_another_organisation_is_not_a_filter_choice(client_for, personas):
    """The person filter offers only the organisation's own members: a forged id shows nothing."""
    page = client_for("org_admin").get(LOG, {"person": personas["outsider"].pk})
    assert "ตัวเลือกไม่ถูกต้อง" in page.content.decode()


def test_the_export_has_the_filtered_entries_with_formula_like_text_neutralised(org, client_for, personas):
    Unit.objects.create(organisation=org, name="=HYPERLINK(\"http://evil\")")
    Unit.objects.create(organisation=org, name="กองช่าง")
    response = client_for("org_admin").get(EXPORT, {"model": "assessments.unit", "kind": "create"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("เมื่อ", "ผู้ใช้", "ที่อยู่ IP", "ประเภท", "ข้อมูล", "รายการ")
    assert [r[5] for r in rows[1:]] == ["กองช่าง", "'=HYPERLINK(\"http://evil\")", "กองคลัง", "สำนักปลัด"]
    assert rows[1][3] == "สร้าง" and rows[1][4] == "สำนัก/กอง" and "ชื่อสำนัก/กอง: – → กองช่าง" in rows[1][7]
    assert latest(kind=Entry.Kind.EXPORT).additional_data["file_name"].startswith(f"audit-log-{org.pk}-")


def test_the_log_page_query_count_does_not_grow_with_entries(row, client_for, personas, palad, klang,
                                                             django_assert_num_queries):
    """Guards an N+1 over the page's entries (their users, models and the rows their changes
    name): session, the user with their membership, count, the page of entries, one query per related model
    the changes name (measure, user, assessment, fiscal year, indicator, plan), the
    organisation in the heading and the filter's people."""
    admin = client_for("org_admin")

    def activity(n):
        measure = make_measure(row.assessment, [palad], activity=f"มาตรการ {n}")
        admin.post(reverse("measures:edit", args=[measure.pk]), edit_data(measure, status="in_progress", progress=n, units=[klang.pk]))
        ProgressNote.objects.create(measure=measure, text=f"บันทึก {n}", author=personas["staff"])

    Entry.objects.all().delete()  # the fixtures' own entries, so that both pages show the same kinds
    activity(1)
    admin.get(LOG)
    with django_assert_num_queries(11):
        admin.get(LOG)
    for n in range(2, 12):
        activity(n)
    with django_assert_num_queries(11):
        admin.get(LOG)


def test_nobody_edits_or_deletes_entries_in_the_admin(row, client, personas):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    entry = Entry.objects.first()
    model_admin = django_admin.site._registry[Entry]
    request = client.get(reverse("admin:audit_entry_changelist")).wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert client.get(reverse("admin:audit_entry_change", args=[entry.pk])).status_code == 200  # read-only view
    assert client.post(reverse("admin:audit_entry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_the_history_page_of_a_row_still_works(row, client_for, klang):
    client_for("org_admin").post(reverse("measures:edit", args=[row.pk]), edit_data(row, activity="แก้แล้ว"))
    page = client_for("staff").get(reverse("measures:history", args=[row.pk]))
    assert page.status_code == 200 and "แก้แล้ว" in page.content.decode()


def test_old_entries_are_pruned_after_the_retention_period(org, settings):
    settings.AUDIT_LOG_RETENTION_YEARS = 5
    Unit.objects.create(organisation=org, name="กองช่าง")
    Unit.objects.create(organisation=org, name="กองการศึกษา")
    old, recent = Entry.objects.filter(object_repr__in=["กองช่าง", "กองการศึกษา"]).order_by("pk")
    Entry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - timedelta(days=5 * 366))
    Entry.objects.filter(pk=recent.pk).update(timestamp=timezone.now() - timedelta(days=4 * 365))
    out = StringIO()
    call_command("prune_audit_log", "--dry-run", stdout=out)
    assert "1 entries" in out.getvalue() and Entry.objects.filter(pk=old.pk).exists()
    call_command("prune_audit_log", "--years", "0", stdout=StringIO())
    assert Entry.objects.filter(pk=old.pk).exists()
    call_command("prune_audit_log", stdout=StringIO())
    assert not Entry.objects.filter(pk=old.pk).exists() and Entry.objects.filter(pk=recent.pk).exists()


def test_every_model_holding_organisation_data_is_tracked():
    """A model that leads to an organisation (through foreign keys) must be listed in
    audit/registry.py, so that models added later are not silently left out of the log."""
    exempt = {
        "audit.entry",  # the log itself
        "measures.binnedevidence",  # recorded as bin actions (measures/bin.py)
        "notifications.notification",  # a message to one person, made by the portal's own events
    }
    tracked = {model._meta.label_lower for model in registry.organisation_models()}
    owned, grew = {Organisation}, True
    while grew:
        grew = False
        for model in apps.get_models():
            label = model._meta.label_lower
            if model in owned or label in exempt or label.startswith("measures.historical"):
                continue
            if any(f.related_model in owned for f in model._meta.fields if f.many_to_one or f.one_to_one):
                owned.add(model)
                grew = True
    labels = {model._meta.label_lower for model in owned}
    assert labels - tracked - exempt == set()
    assert "auth.user" in tracked and "accounts.membership" in tracked


def test_related_rows_are_named_not_numbered(client_for, personas):
    """A foreign key or one-to-one value (a membership's user, its organisation) reads as the
    related row's name."""
    page = client_for("org_admin").get(LOG, {"model": "accounts.membership", "kind": "create"})
    words = changes_in_words(page, "other_staff (")
    assert ("ผู้ใช้", "–", "other_staff") in words and ("หน่วยงาน", "–", "อบต.ทดสอบ") in words
