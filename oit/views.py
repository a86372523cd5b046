from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import require_admin
from audit.display import readable
from audit.log import record
from audit.models import Entry
from jobs.tasks import start_job
from lib.http import private_download
from lib.uploads import PendingUpload

from . import imports, services
from .access import (
    current_year,
    get_file_for_user,
    get_item_for_user,
    get_item_to_assign,
    get_item_to_prepare,
    get_item_to_review,
    get_link_to_change,
    get_public_workspace,
    get_workspace_for_admin,
    get_workspace_for_user,
    may_prepare,
    may_review,
)
from .estimate import estimate, latest_scored_assessment
from .forms import AssignForm, ConfirmForm, FileForm, LinkForm, ReviewForm, SettingsForm, StatusForm, UploadForm
from .models import LINK_CHECK_KIND, EvidenceFile, Item
from .published import checklist_xlsx, grouped, item_urls, portal_documents

CHECKLIST_UPLOADS = PendingUpload("pending-oit-imports", "oit_import")


def _estimate(workspace, items):
    basis = latest_scored_assessment(workspace.organisation_id, workspace.fiscal_year_id)
    return estimate(workspace.fiscal_year, items, basis)


@require_safe
@login_required
def current(request):
    """The organisation's newest workspace, or the newest year of the reference data with an OIT
    list (the coming assessment) before it has one."""
    year = current_year(request)
    if year is None:
        raise Http404(_("ยังไม่มีรายการข้อ OIT ในข้อมูลอ้างอิง"))
    return redirect("oit:workspace", year)


@require_safe
@login_required
def workspace(request, year):
    """The year's items with who prepares them, where they are published, their review and the
    estimate they add up to; staff see their own units' items first."""
    membership, space, fiscal_year = get_workspace_for_user(request, year)
    context = {"membership": membership, "workspace": space, "fiscal_year": fiscal_year}
    if space is not None:
        space.fiscal_year = fiscal_year  # with its indicators and levels prefetched
        items = list(Item.objects.filter(workspace=space).for_table())
        mine = [item for item in items if membership.is_staff_member and may_prepare(membership, item)]
        context |= {
            "groups": grouped(items),
            "mine": mine,
            "estimate": _estimate(space, items),
            "broken": [item for item in items if item.broken_links()],
            "settings_form": SettingsForm(instance=space) if membership.is_admin else None,
            "refusal": space.change_refusal(),
        }
    return render(request, "oit/workspace.html", context)


@require_POST
@login_required
def start(request, year):
    """An admin starts the year's workspace: one item per OIT code of the year's list."""
    membership = require_admin(request)
    _membership, _space, fiscal_year = get_workspace_for_user(request, year)
    services.workspace_start(organisation=membership.organisation, fiscal_year=fiscal_year)
    messages.success(request, _("เริ่มเตรียม OIT ปี %(year)s แล้ว") % {"year": year})
    return redirect("oit:workspace", year)


@require_POST
@login_required
def workspace_settings(request, year):
    space = get_workspace_for_admin(request, year, past_ok=True)
    form = SettingsForm(request.POST, instance=space)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("oit:workspace", year)
    form.save()
    messages.success(request, _("บันทึกการตั้งค่าแล้ว"))
    return redirect("oit:workspace", year)


def _history(item):
    """The item's history from the audit log: its own entries and those of its links and files."""
    entries = Entry.objects.select_related("actor", "content_type").filter(
        Q(content_type__app_label="oit", content_type__model="item", object_id=item.pk)
        | Q(content_type__app_label="oit", content_type__model__in=["link", "evidencefile"],
            additional_data__oit_item=item.pk)
    ).order_by("-timestamp", "-id")
    return readable(entries)


def _item_page(request, item, status=200, **forms):
    membership = request.user.membership
    refusal = item.workspace.change_refusal()
    can_prepare = not refusal and may_prepare(membership, item)
    can_review = not refusal and may_review(membership, item)
    context = {
        "item": item, "membership": membership, "can_prepare": can_prepare, "can_review": can_review,
        "refusal": refusal,
        "history": _history(item),
        "documents": item_urls(item, portal_documents(item.workspace)),
        "assign_form": forms.get("assign_form") or (AssignForm(instance=item) if membership.is_admin and not refusal
                                                    else None),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": item.status}),
        "link_form": forms.get("link_form") or LinkForm(),
        "file_form": forms.get("file_form") or FileForm(),
        "review_form": forms.get("review_form") or ReviewForm(initial={"review": item.review,
                                                                       "comment": item.review_comment}),
    }
    return render(request, "oit/item.html", context, status=status)


@require_safe
@login_required
def item(request, pk):
    return _item_page(request, get_item_for_user(request, pk))


@require_POST
@login_required
def assign(request, pk):
    item = get_item_to_assign(request, pk)
    form = AssignForm(request.POST, instance=item)
    if not form.is_valid():
        return _item_page(request, item, status=422, assign_form=form)
    form.save()
    messages.success(request, _("บันทึกผู้รับผิดชอบและกำหนดเสร็จแล้ว"))
    return redirect(item)


@require_POST
@login_required
def item_status(request, pk):
    item = get_item_to_prepare(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, status=422, status_form=form)
    services.item_set_status(item=item, status=form.cleaned_data["status"], user=request.user)
    messages.success(request, _("บันทึกสถานะแล้ว"))
    return redirect(item)


@require_POST
@login_required
def link_add(request, pk):
    item = get_item_to_prepare(request, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, status=422, link_form=form)
    services.link_add(item=item, url=form.cleaned_data["url"], user=request.user)
    messages.success(request, _("เพิ่มลิงก์แล้ว"))
    return redirect(item)


@require_POST
@login_required
def link_delete(request, pk):
    link = get_link_to_change(request, pk)
    item_pk = link.item_id
    services.link_delete(link=link, user=request.user)
    messages.success(request, _("ลบลิงก์แล้ว"))
    return redirect("oit:item", item_pk)


@require_POST
@login_required
def file_add(request, pk):
    item = get_item_to_prepare(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _item_page(request, item, status=422, file_form=form)
    services.file_add(item=item, upload=form.cleaned_data["file"], name=form.display_name,
                      content_type=form.kind.content_type, user=request.user)
    messages.success(request, _("แนบไฟล์แล้ว"))
    return redirect(item)


@require_POST
@login_required
def file_delete(request, pk):
    evidence = get_file_for_user(request, pk, for_change=True)
    item_pk = evidence.item_id
    services.file_delete(evidence=evidence, user=request.user)
    messages.success(request, _("ลบไฟล์แล้ว"))
    return redirect("oit:item", item_pk)


def _file_response(evidence):
    return private_download(evidence.file, evidence.file_name, evidence.file_type)


@require_safe
@login_required
def file_download(request, pk):
    """An evidence file, to members of its organisation, always as a download of the detected type."""
    evidence = get_file_for_user(request, pk)
    record(Entry.Kind.EVIDENCE, evidence, data={"file_name": evidence.file_name, "oit_item": evidence.item_id})
    return _file_response(evidence)


@require_POST
@login_required
def review(request, pk):
    """The internal review: ผ่าน or ไม่ผ่าน with a comment, by someone other than the preparer."""
    item = get_item_to_review(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, status=422, review_form=form)
    try:
        with transaction.atomic():
            services.item_review(item=item, verdict=form.cleaned_data["review"],
                                 comment=form.cleaned_data["comment"].strip(), user=request.user)
    except IntegrityError:  # the preparer changed between the page and the save
        messages.error(request, _("ผู้จัดทำข้อนี้ตรวจข้อของตนเองไม่ได้ ต้องเป็นผู้ตรวจคนอื่น"))
        return redirect("oit:item", pk)
    messages.success(request, _("บันทึกผลการตรวจแล้ว"))
    return redirect(item)


@require_safe
@login_required
def export(request, year):
    """The list as the submission asks (ข้อ, หัวข้อ, URL), in the NACC's order."""
    _membership, space, _fiscal_year = get_workspace_for_user(request, year)
    if space is None:
        raise Http404(_("ยังไม่ได้เริ่มเตรียม OIT ของปีนี้"))
    items = Item.objects.filter(workspace=space).for_table()
    content = checklist_xlsx(items, portal_documents(space), request.build_absolute_uri)
    record(Entry.Kind.EXPORT, space, data={"file": "oit.xlsx"})
    name = f"oit-{space.organisation_id}-{year}.xlsx"
    return HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@require_POST
@login_required
def check_links(request, year):
    """Start the link check of the workspace's published links (a job)."""
    space = get_workspace_for_admin(request, year)
    job = start_job(kind=LINK_CHECK_KIND, user=request.user, organisation=space.organisation,
                    params={"workspace": space.pk, "year": year})
    return redirect(job)


@login_required
def import_checklist(request, year):
    """Upload a checklist (.xlsx or .csv) and see what it would do; nothing is written here."""
    space = get_workspace_for_admin(request, year)
    preview = token = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        preview = imports.read_checklist(data, upload.name, space, request.user)
        CHECKLIST_UPLOADS.discard(request)
        if preview.can_apply:
            suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
            token = CHECKLIST_UPLOADS.keep(request, data, suffix, workspace=space.pk)
    return render(request, "oit/import.html", {
        "workspace": space, "form": form, "preview": preview,
        "confirm_form": ConfirmForm(initial={"token": token}) if token else None,
    })


@require_POST
@login_required
def import_confirm(request, year):
    """Write the previewed checklist: all of it, or nothing."""
    space = get_workspace_for_admin(request, year)
    form = ConfirmForm(request.POST)
    taken = form.is_valid() and CHECKLIST_UPLOADS.take(request, form.cleaned_data["token"], workspace=space.pk)
    if not taken:
        messages.error(request, _("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาอัปโหลดไฟล์อีกครั้ง"))
        return redirect("oit:import", year)
    data, pending = taken
    preview = imports.read_checklist(data, f"upload{pending['suffix']}", space, request.user)
    if not preview.can_apply:
        messages.error(request, _("ไฟล์ไม่ผ่านการตรวจสอบอีกครั้ง จึงยังไม่ได้บันทึกสิ่งใด กรุณาอัปโหลดใหม่"))
        return redirect("oit:import", year)
    changed = imports.apply_checklist(preview, space, request.user)
    messages.success(request, _("นำเข้ารายการ OIT แล้ว: %(count)s ข้อ") % {"count": changed})
    return redirect("oit:workspace", year)


def public_page(request, organisation, year):
    """The items in the NACC's order, grouped, each with its links and files; no sign-in, only
    once an admin has published it. Nothing internal (units, reviews) is shown."""
    space = get_public_workspace(organisation, year)
    items = list(Item.objects.filter(workspace=space).for_table())
    documents = portal_documents(space)
    groups = [
        (heading, [(item, item_urls(item, documents, request.build_absolute_uri)) for item in members])
        for heading, members in grouped(items)
    ]
    return render(request, "oit/public.html", {
        "workspace": space, "organisation": space.organisation,
        "groups": groups,
    })


def public_file(request, organisation, year, pk):
    """A published workspace's evidence file, for anyone (not in the audit log: it is public)."""
    space = get_public_workspace(organisation, year)
    return _file_response(get_object_or_404(EvidenceFile, pk=pk, item__workspace=space))
