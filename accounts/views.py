from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import Entry, recording_as
from notifications.models import LineChannel

from .access import (
    get_person_for_admin,
    get_unit_for_admin,
    people_for_admin,
    require_admin,
    sign_ins_for_admin,
)
from .forms import (
    InvitePersonForm,
    LineChannelForm,
    OwnPasswordForm,
    PersonActiveForm,
    PersonEditForm,
    ResetRequestForm,
    SignInLogForm,
    UnitForm,
    UnitMoveForm,
)
from .invitations import invitation_accepted, invitation_tokens, invitations_send
from .models import Membership
from .password_reset import reset_request_allowed
from .services import NewPerson, people_create, person_set_active, person_update
from .signins import AccountThrottle, sign_in_rows

SIGN_INS_PER_PAGE = 50


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers (429) while a username is locked out after repeated failures."""
    cool_off = get_cool_off(request)
    account_limit = settings.AXES_ACCOUNT_FAILURE_LIMIT
    account_wide = AccountThrottle().account_failures(request, credentials) >= account_limit
    context = {
        "failure_limit": account_limit if account_wide else get_failure_limit(request, credentials),
        "account_wide": account_wide,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


class PasswordChange(auth_views.PasswordChangeView):
    """Every signed-in user changes their own password. Django keeps this session signed in
    (update_session_auth_hash) and every other session of the user ends at its next request,
    because it carries a hash of the old password."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("เปลี่ยนรหัสผ่านแล้ว การเข้าสู่ระบบจากเครื่องอื่นของท่านสิ้นสุดลงทั้งหมด"))
        return response


class PasswordReset(auth_views.PasswordResetView):
    """"ลืมรหัสผ่าน?": a link by e-mail to set a new password. Every address gets the same
    answer, so the page tells nobody whether it belongs to an account; over the hourly limits
    (accounts/password_reset.py) the answer is a 429 page and no e-mail is sent."""

    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def form_valid(self, form):
        if not reset_request_allowed(self.request, form.cleaned_data["email"]):
            return render(self.request, "accounts/password_reset_throttled.html", status=429)
        return super().form_valid(form)


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(minutes=settings.PASSWORD_RESET_TIMEOUT // 60, **kwargs)


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """The reset link: a new password, checked by AUTH_PASSWORD_VALIDATORS. The person is not
    signed in: they sign in with the new password, and with their code when they use two-factor
    sign-in, which a reset never skips. Every session of the user ends at its next request (it
    carries a hash of the old password). Recorded in the audit log as the user's own reset."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = OwnPasswordForm

    def get_user(self, uidb64):
        # A deactivated account cannot sign in anyway; someone invited who has not set a
        # password needs a new invitation from their admin, not a reset.
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active and user.has_usable_password() else None

    def form_valid(self, form):
        with recording_as(Entry.Kind.PASSWORD_RESET, actor=self.user):
            return super().form_valid(form)


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def line_channel(request):
    """The organisation's LINE channel (its admins only): the token is written, never shown
    back; every save is in the audit log (the token masked)."""
    membership = require_admin(request)
    channel = LineChannel.objects.filter(organisation=membership.organisation).first()
    channel = channel or LineChannel(organisation=membership.organisation)
    form = LineChannelForm(request.POST or None, instance=channel)
    if request.method == "POST":
        if form.is_valid():
            channel = form.save(commit=False)
            channel.updated_by = request.user
            channel.save()
            messages.success(request, _("บันทึกการตั้งค่า LINE แล้ว"))
            return redirect("line_channel")
        return render(request, "accounts/line_channel.html", {"form": form, "channel": channel}, status=422)
    return render(request, "accounts/line_channel.html", {"form": form, "channel": channel})


@login_required
def sign_in_log(request):
    """The sign-ins and failed sign-ins of the organisation's users, newest first, 50 a page:
    for its admins, who are not Django staff and do not see the admin site's records."""
    successes, failures = sign_ins_for_admin(request)
    form = SignInLogForm(request.GET)
    valid = form.is_valid()
    rows = sign_in_rows(successes, failures, form.cleaned_data["kind"] if valid else "")
    page = Paginator(rows, SIGN_INS_PER_PAGE).get_page((form.cleaned_data["page"] if valid else None) or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/sign_ins.html", {"form": form, "page": page, "query": query.urlencode()})


class AcceptInvitationView(PasswordResetConfirmView):
    """The invitation link: the person sets their own password, is signed in and lands on their
    home page. Django's view keeps the token out of the page's address (it moves to the session
    and the browser is sent on), so it never leaks in a Referer header. An expired, used or
    altered link, or one of a deactivated account, gets a page that says what to do."""

    template_name = "accounts/invitation.html"
    form_class = OwnPasswordForm
    token_generator = invitation_tokens
    reset_url_token = "set-password"
    post_reset_login = True
    post_reset_login_backend = "accounts.backends.MemberBackend"
    success_url = reverse_lazy("home")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        invitation_accepted(self.user)
        messages.success(self.request, _("ตั้งรหัสผ่านแล้ว ยินดีต้อนรับสู่ ITA Portal"))
        return response


def _say_failed_invitations(request, failed):
    if failed:
        messages.warning(request, _(
            "ส่งอีเมลคำเชิญไม่สำเร็จ %(count)s ราย (%(emails)s) กรุณากด \"ส่งคำเชิญอีกครั้ง\" ภายหลัง"
        ) % {"count": len(failed), "emails": ", ".join(m.user.email for m in failed)})


@login_required
def people(request):
    """The organisation's members: role, units, whether they can sign in, their invitation."""
    membership, members = people_for_admin(request)
    members = members.select_related("user").prefetch_related(
        Prefetch("units", queryset=Membership.unit_model().objects.order_by("position", "name"))
    ).order_by("-user__is_active", "role", "user__first_name", "user__username")
    return render(request, "accounts/people.html", {"members": members, "organisation": membership.organisation})


@login_required
def person_invite(request):
    """Invite someone into the organisation: they get an e-mail with a link to set a password."""
    membership = require_admin(request)
    organisation = membership.organisation
    form = InvitePersonForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            person = NewPerson(organisation, data["name"], data["email"], data["role"], list(data["units"]))
            try:
                with transaction.atomic():
                    [invited] = people_create([person])
            except IntegrityError:  # the same address invited by someone else a moment ago
                form.add_error("email", _("อีเมลนี้มีผู้ใช้ในระบบแล้ว"))
            else:
                _say_failed_invitations(request, invitations_send([invited], invited_by=request.user, request=request))
                messages.success(request, _("ส่งคำเชิญถึง %(email)s แล้ว") % {"email": invited.user.email})
                return redirect("people")
        return render(request, "accounts/person_invite.html", _invite_context(form), status=422)
    return render(request, "accounts/person_invite.html", _invite_context(form))


def _invite_context(form):
    return {"form": form, "invitation_days": settings.INVITATION_TIMEOUT_DAYS}


@login_required
def person_edit(request, pk):
    """Change a member's name, e-mail, role and units. A pending invitee whose address changes
    gets a new invitation there, and the old link stops working."""
    person = get_person_for_admin(request, pk)
    current = list(person.units.all())
    initial = {"name": person.user.get_full_name(), "email": person.user.email, "role": person.role,
               "units": current}
    form = PersonEditForm(request.POST or None, initial=initial, person=person, current_units=current)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    invite_again = person_update(membership=person, name=data["name"], role=data["role"],
                                                 units=list(data["units"]), email=data["email"] or None)
            except ValidationError as error:
                form.add_error(None, error)
            except IntegrityError:  # the address taken as a username by someone else a moment ago
                form.add_error("email", _("อีเมลนี้มีผู้ใช้ในระบบแล้ว"))
            else:
                messages.success(request, _("บันทึกข้อมูลของ %(name)s แล้ว") % {"name": data["name"]})
                if invite_again:
                    failed = invitations_send([person], invited_by=request.user, request=request)
                    _say_failed_invitations(request, failed)
                    if not failed:
                        messages.success(request, _("ส่งคำเชิญใหม่ถึง %(email)s แล้ว ลิงก์เดิมใช้ไม่ได้อีก")
                                         % {"email": person.user.email})
                # An admin who has just handed over their seat may no longer see the list.
                stepped_down = person.user_id == request.user.pk and not person.is_admin
                return redirect("home" if stepped_down else "people")
            person.user.refresh_from_db()
        return render(request, "accounts/person_edit.html", {"person": person, "form": form}, status=422)
    return render(request, "accounts/person_edit.html", {"person": person, "form": form})


@require_POST
@login_required
def person_active(request, pk):
    """Deactivate or reactivate a member (never oneself, never the last active admin)."""
    person = get_person_for_admin(request, pk)
    form = PersonActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("คำสั่งไม่ถูกต้อง"))
        return redirect("people")
    active = form.cleaned_data["active"]
    try:
        person_set_active(membership=person, active=active, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = person.user.get_full_name() or person.user.username
        if active:
            messages.success(request, _("เปิดใช้บัญชีของ %(name)s แล้ว") % {"name": name})
        else:
            messages.success(request, _("ระงับบัญชีของ %(name)s แล้ว: เข้าสู่ระบบไม่ได้จนกว่าจะเปิดใช้อีกครั้ง") % {"name": name})
    return redirect("people")


@require_POST
@login_required
def person_resend(request, pk):
    """A new invitation link; the earlier ones stop working."""
    person = get_person_for_admin(request, pk)
    if not (person.invitation_pending and person.user.is_active):
        messages.error(request, _("ส่งคำเชิญได้เฉพาะผู้ที่ยังไม่ได้ตั้งรหัสผ่านและบัญชียังใช้งานได้"))
        return redirect("people")
    failed = invitations_send([person], invited_by=request.user, request=request)
    _say_failed_invitations(request, failed)
    if not failed:
        messages.success(request, _("ส่งคำเชิญใหม่ถึง %(email)s แล้ว ลิงก์เดิมใช้ไม่ได้อีก") % {"email": person.user.email})
    return redirect("people")


@login_required
def units(request):
    """The organisation's units in their order, and a form to add one."""
    membership = require_admin(request)
    organisation = membership.organisation
    form = UnitForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    last = organisation.units.aggregate(p=Max("position"))["p"] or 0
                    organisation.units.create(name=form.cleaned_data["name"], position=last + 1)
            except IntegrityError:  # the same name added by someone else a moment ago
                form.add_error("name", _("มีสำนัก/กองชื่อนี้ในหน่วยงานนี้แล้ว"))
            else:
                messages.success(request, _("เพิ่ม %(name)s แล้ว") % {"name": form.cleaned_data["name"]})
                return redirect("units")
        status = 422
    else:
        status = 200
    listed = organisation.units.order_by("position", "name")
    return render(request, "accounts/units.html", {"units": listed, "form": form, "organisation": organisation},
                  status=status)


@login_required
def unit_edit(request, pk):
    """Rename a unit: rows and people that name it follow, as they refer to it, not its name."""
    unit = get_unit_for_admin(request, pk)
    form = UnitForm(request.POST or None, initial={"name": unit.name}, organisation=unit.organisation, unit=unit)
    if request.method == "POST":
        if form.is_valid():
            unit.name = form.cleaned_data["name"]
            try:
                with transaction.atomic():
                    unit.save(update_fields=["name"])
            except IntegrityError:  # the same name given to another unit a moment ago
                form.add_error("name", _("มีสำนัก/กองชื่อนี้ในหน่วยงานนี้แล้ว"))
            else:
                messages.success(request, _("เปลี่ยนชื่อเป็น %(name)s แล้ว") % {"name": unit.name})
                return redirect("units")
        return render(request, "accounts/unit_edit.html", {"unit": unit, "form": form}, status=422)
    return render(request, "accounts/unit_edit.html", {"unit": unit, "form": form})


@require_POST
@login_required
def unit_move(request, pk):
    """Move a unit one place up or down in the organisation's order (the order of the pickers)."""
    unit = get_unit_for_admin(request, pk)
    form = UnitMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("ย้ายไม่ได้: คำสั่งไม่ถูกต้อง"))
    elif not _move(unit, form.cleaned_data["direction"]):
        messages.info(request, _("%(name)s อยู่ลำดับแรกหรือลำดับสุดท้ายแล้ว") % {"name": unit.name})
    return redirect("units")


@transaction.atomic
def _move(unit, direction):
    """Number the organisation's units 1..n in their order, then swap this one with its
    neighbour; the rows are locked so that two moves at once cannot give two units one place."""
    ordered = list(
        type(unit).objects.select_for_update().filter(organisation_id=unit.organisation_id).order_by("position", "name")
    )
    index = next(i for i, u in enumerate(ordered) if u.pk == unit.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, each in enumerate(ordered, start=1):
        each.position = position
    type(unit).objects.bulk_update(ordered, ["position"])
    return True


@require_POST
@login_required
def unit_retire(request, pk):
    """Retire a unit: it leaves the pickers; the rows and people that name it keep it."""
    unit = get_unit_for_admin(request, pk)
    if unit.retired_at is None:
        unit.retired_at = timezone.now()
        unit.save(update_fields=["retired_at"])
    messages.success(request, _(
        "เลิกใช้ %(name)s แล้ว: เลือกให้มาตรการหรือบุคลากรใหม่ไม่ได้ ส่วนมาตรการและบุคลากรเดิมยังแสดงไว้"
    ) % {"name": unit.name})
    return redirect("units")


@require_POST
@login_required
def unit_reactivate(request, pk):
    unit = get_unit_for_admin(request, pk)
    if unit.retired_at is not None:
        unit.retired_at = None
        unit.save(update_fields=["retired_at"])
    messages.success(request, _("กลับมาใช้ %(name)s แล้ว") % {"name": unit.name})
    return redirect("units")
