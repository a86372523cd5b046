"""Onboarding: platform staff and area offices add organisations, one at a time or from a file,
each with its first admin, who is invited by e-mail to set a password (accounts/invitations.py).

Nothing here goes through Django's admin. An area office works within its own province (or
district); every check of a line is in organisations.py, shared by the form and the file.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .access import get_onboarded_admin, get_onboarded_organisation, get_onboarding_area
from accounts.invitations import invitations_send
from accounts.models import Membership
from accounts.services import NewPerson, people_create
from lib.uploads import PendingUpload

from . import organisations
from .forms import AdminInviteForm, ConfirmForm, ListFilterForm, OrganisationEditForm, OrganisationForm, UploadForm

PAGE_SIZE = 50
# A file of organisations waits between its preview and its confirmation (see lib/uploads.py).
UPLOADS = PendingUpload("pending-onboarding", "onboarding_import")


def _admins():
    return Prefetch(
        "memberships", queryset=Membership.objects.filter(role=Membership.Role.ADMIN).select_related("user"),
        to_attr="admins",
    )


def _say_sent(request, admins, failed):
    if failed:
        messages.warning(request, _(
            "ส่งอีเมลคำเชิญไม่สำเร็จ %(count)s ราย (%(emails)s): กด \"ส่งคำเชิญอีกครั้ง\" ในหน้าของหน่วยงานนั้นภายหลัง"
        ) % {"count": len(failed), "emails": ", ".join(m.user.email for m in failed)})
    sent = len(admins) - len(failed)
    if sent:
        messages.success(request, _("ส่งคำเชิญถึงผู้ดูแลระบบ %(count)s รายแล้ว") % {"count": sent})


@require_safe
@login_required
def organisation_list(request):
    """The organisations of the user's area, 50 a page, with their admins and invitations."""
    area = get_onboarding_area(request)
    form = ListFilterForm(request.GET)
    found = area.organisations()
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        found = found.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    found = found.annotate(unit_count=Count("units")).prefetch_related(_admins()).order_by(
        "province", "district", "name")
    page = Paginator(found, PAGE_SIZE).get_page((form.cleaned_data.get("page") if form.is_valid() else None) or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "onboarding/list.html", {"area": area, "form": form, "page": page,
                                                    "query": query.urlencode()})


@login_required
def organisation_add(request):
    """One organisation with its units and its first admin, who is sent an invitation."""
    area = get_onboarding_area(request)
    form = OrganisationForm(request.POST or None, area=area)
    if request.method == "POST":
        if form.is_valid():
            try:
                [admin] = organisations.organisations_create([form.entry])
            except IntegrityError:  # the same organisation or address added a moment ago
                form.add_error(None, _("มีหน่วยงานหรืออีเมลนี้เพิ่มเข้ามาในระบบพร้อมกัน กรุณาตรวจสอบอีกครั้ง"))
            else:
                messages.success(request, _("เพิ่ม%(name)s แล้ว") % {"name": admin.organisation.name})
                _say_sent(request, [admin], invitations_send([admin], invited_by=request.user, request=request))
                return redirect("onboarding:organisation", admin.organisation_id)
        return render(request, "onboarding/add.html", {"form": form, "area": area}, status=422)
    return render(request, "onboarding/add.html", {"form": form, "area": area})


@login_required
def import_file(request):
    """Upload a file of organisations and see what it would create; nothing is written here."""
    area = get_onboarding_area(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    preview = token = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        preview = organisations.read_file(data, upload.name, area)
        UPLOADS.discard(request)
        if preview.can_apply:
            token = UPLOADS.keep(request, data, area=[area.province, area.district], filename=upload.name)
    return render(request, "onboarding/import.html", {
        "area": area, "form": form, "preview": preview,
        "confirm_form": ConfirmForm(initial={"token": token}) if token else None,
    })


@require_POST
@login_required
def import_confirm(request):
    """Create every organisation of the previewed file in one transaction, or none."""
    area = get_onboarding_area(request)
    form = ConfirmForm(request.POST)
    taken = form.is_valid() and UPLOADS.take(request, form.cleaned_data["token"], area=[area.province, area.district])
    if not taken:
        messages.error(request, _("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาอัปโหลดไฟล์อีกครั้ง"))
        return redirect("onboarding:import")
    data, pending = taken
    # Checked again: an organisation or an address may have been added since the preview.
    preview = organisations.read_file(data, pending["filename"], area)
    if preview.can_apply:
        try:
            admins = organisations.organisations_create(preview.entries)
        except IntegrityError:
            preview.errors.append(_("มีหน่วยงานหรืออีเมลในไฟล์เพิ่มเข้ามาในระบบพร้อมกัน"))
    if not preview.can_apply:
        messages.error(request, _(
            "ข้อมูลในระบบเปลี่ยนไปหลังจากตรวจสอบไฟล์ จึงยังไม่ได้บันทึกสิ่งใด: แก้ไขไฟล์ตามรายการด้านล่างแล้วอัปโหลดใหม่"))
        return render(request, "onboarding/import.html",
                      {"area": area, "form": UploadForm(), "preview": preview, "confirm_form": None}, status=409)
    messages.success(request, _("เพิ่มหน่วยงาน %(count)s แห่งแล้ว") % {"count": len(admins)})
    _say_sent(request, admins, invitations_send(admins, invited_by=request.user, request=request))
    return redirect("onboarding:list")


@require_safe
@login_required
def import_template(request):
    """An example file to fill in, with the header row and one line."""
    area = get_onboarding_area(request)
    return HttpResponse(
        organisations.example_workbook(area),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="ita-organisations.xlsx"'},
    )


@login_required
def organisation_detail(request, pk):
    """One organisation of the area: its units and admins, and a form to invite another admin."""
    area, organisation = get_onboarded_organisation(request, pk)
    form = AdminInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = NewPerson(organisation, form.cleaned_data["name"], form.cleaned_data["email"], Membership.Role.ADMIN)
        try:
            with transaction.atomic():
                [admin] = people_create([person])
        except IntegrityError:
            form.add_error("email", _("อีเมลนี้มีผู้ใช้ในระบบแล้ว"))
        else:
            _say_sent(request, [admin], invitations_send([admin], invited_by=request.user, request=request))
            return redirect("onboarding:organisation", organisation.pk)
    admins = organisation.memberships.filter(role=Membership.Role.ADMIN).select_related("user").order_by("pk")
    status = 422 if form.errors else 200
    return render(request, "onboarding/organisation.html", {
        "area": area, "organisation": organisation, "admins": admins, "form": form,
        "units": organisation.units.order_by("position", "name"),
    }, status=status)


@login_required
def organisation_edit(request, pk):
    """Correct an onboarded organisation's name, short name, type and place. An area office
    edits only organisations of its area and cannot move one out of it."""
    area, organisation = get_onboarded_organisation(request, pk)
    form = OrganisationEditForm(request.POST or None, area=area, organisation=organisation)
    if request.method == "POST":
        if form.is_valid():
            try:
                organisations.organisation_update(organisation, form.entry)
            except IntegrityError:  # the same name given to another organisation a moment ago
                organisation.refresh_from_db()
                form.add_error("name", _("มีหน่วยงานชื่อนี้ในอำเภอและจังหวัดเดียวกันในระบบแล้ว"))
            else:
                messages.success(request, _("บันทึกข้อมูลของ%(name)s แล้ว") % {"name": organisation.name})
                return redirect("onboarding:organisation", organisation.pk)
        return render(request, "onboarding/edit.html", {"form": form, "area": area, "organisation": organisation},
                      status=422)
    return render(request, "onboarding/edit.html", {"form": form, "area": area, "organisation": organisation})


@require_POST
@login_required
def admin_resend(request, pk, member):
    """A new invitation for an admin who has not set a password; the earlier links stop working."""
    organisation, admin = get_onboarded_admin(request, pk, member)
    if not (admin.invitation_pending and admin.user.is_active):
        messages.error(request, _("ส่งคำเชิญได้เฉพาะผู้ที่ยังไม่ได้ตั้งรหัสผ่านและบัญชียังใช้งานได้"))
    else:
        _say_sent(request, [admin], invitations_send([admin], invited_by=request.user, request=request))
    return redirect("onboarding:organisation", organisation.pk)
