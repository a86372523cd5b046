"""Two-factor sign-in: a code from an authenticator app (TOTP, RFC 6238) after the password.

Built on django-otp: a `TOTPDevice` per user holds the shared secret, a `StaticDevice` holds
ten backup codes (each works once), and django-otp's `OTPMiddleware` marks a session verified
once a code has been accepted in it. Both devices throttle wrong codes (1, 2, 4, 8 ... seconds
between tries after each failure).

- A user turns it on at "การยืนยันตัวตนสองขั้นตอน" (`setup`): the page shows a QR code (SVG
  drawn on the server by segno), the otpauth link and the secret as text, and the device
  counts only once a code from the app has been typed back. The backup codes are then shown
  once. Turning it off needs a verified session and a current code (from the app or a backup
  code): the password alone never does, as the password is what a stolen sign-in has.
- After the password, a user with a device must type a code (`verify`) before any page.
- An organisation can require it of its admins (`Organisation.admins_need_two_factor`, set by
  its admins here or by platform staff in the Django admin): an admin without a device is
  sent to set one up before anything else.

`TwoFactorMiddleware` enforces the last two: until the session has given what it owes it
reaches only the code page (and the set-up page when it owes a device), signing out, the
language switch, static files and the health check; every other page, the other two-factor
pages included, sends it to the code page. Making backup codes, turning two-factor sign-in
off and changing the organisation's requirement check again in the view (`owes_nothing`), so
that a page moved out from behind the middleware stays closed. The middleware answers an HTMX request with HX-Redirect (as
accounts/sessions.py does) so that the code page never lands inside a table row. What a
session owes (a code, or a device) is decided when the user signs in and kept in the session,
so that the pages of users without two-factor sign-in cost no query more; a requirement an
organisation turns on therefore reaches its other admins at their next sign-in (sessions end
within 12 hours), and the admin who turns it on at once.
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import require_admin
from .sessions import current_page

BACKUP_CODES = 10
# What the session owes before any page: a code ("verify") or a device ("set_up").
OWED = "two_factor_owed"
VERIFY, SET_UP = "verify", "set_up"
# The session key holding freshly made backup codes until the page that shows them once.
NEW_CODES = "two_factor_new_codes"
# Paths a session that still owes a code (or a device) may reach besides the code page (and
# the set-up page, when it owes a device): signing out, the language switch, static files and
# the health check. Nothing else: the other two-factor pages change what protects the account.
OPEN_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/healthz/")


def totp_device(user, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def has_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_set_up(user):
    """Whether the user's organisation requires a device of its admins and they have none."""
    membership = getattr(user, "membership", None)
    return (
        membership is not None
        and membership.is_admin
        and membership.organisation.admins_need_two_factor
        and not has_device(user)
    )


def note_sign_in(sender, request, user, **kwargs):
    """On user_logged_in: what this session owes."""
    if request is not None and hasattr(request, "session"):
        request.session[OWED] = VERIFY if has_device(user) else SET_UP if must_set_up(user) else ""


def redirect_to(request, url):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def with_next(url, request):
    return f"{url}?{urlencode({'next': current_page(request)})}"


def owes_nothing(request):
    """Whether the session has given what two-factor sign-in asks of it: a code when the user
    has a device, a device when their organisation requires one of its admins."""
    user = request.user
    return user.is_verified() or not (has_device(user) or must_set_up(user))


def to_code_page(request):
    return redirect_to(request, with_next(reverse("two_factor_verify"), request))


class TwoFactorMiddleware:
    """After django-otp's middleware: no page until the code is given or the device made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        owed = request.session.get(OWED)
        user = request.user
        if owed and user.is_authenticated and not user.is_verified():
            refused = self.refuse(request, owed)
            if refused is not None:
                return refused
        return self.get_response(request)

    def refuse(self, request, owed):
        """The answer to a session that owes `owed` (a code or a device), or None for a page it
        may reach."""
        path, user = request.path, request.user
        if path.startswith(OPEN_PREFIXES) or path == reverse("two_factor_verify"):
            return None
        if owed == SET_UP and has_device(user):  # set up in another session since
            request.session[OWED] = owed = VERIFY
        if owed == VERIFY:
            return to_code_page(request)
        if not must_set_up(user):  # the requirement was lifted since the sign-in
            request.session[OWED] = ""
            return None
        if path == reverse("two_factor_setup"):
            return None
        messages.warning(request, _("หน่วยงานของท่านกำหนดให้ผู้ดูแลระบบใช้การยืนยันตัวตนสองขั้นตอน "
                                    "กรุณาตั้งค่าก่อนใช้งาน"))
        return redirect_to(request, reverse("two_factor_setup"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("รหัสจากแอป (6 หลัก) หรือรหัสสำรอง"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": gettext_lazy("กรุณากรอกรหัส")},
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


class DisableForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("รหัสจากแอปหรือรหัสสำรอง"), max_length=16, required=False)


class RequirementForm(forms.Form):
    admins_need_two_factor = forms.BooleanField(
        label=gettext_lazy("ผู้ดูแลระบบของหน่วยงานต้องใช้การยืนยันตัวตนสองขั้นตอน"), required=False)


def check_code(user, code):
    """The device that accepts the code (the app's, else a backup code, which is used up), or
    None; with the time until the next try when wrong codes have throttled the device."""
    # Six digits are the app's; a backup code has letters. Trying only the one device keeps a
    # wrong code from throttling the other.
    device = totp_device(user) if code.isdigit() else StaticDevice.objects.filter(user=user).first()
    devices = [device] if device else []
    with transaction.atomic():
        for device in devices:
            device = type(device).objects.select_for_update().get(pk=device.pk)
            if device.verify_token(code):
                return device, None
    waits = []
    for device in devices:
        device.refresh_from_db()
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            waits.append(details["locked_until"])
    return None, min(waits) if waits else None


def wrong_code_message(wait_until):
    if wait_until is None:
        return _("รหัสไม่ถูกต้อง กรุณาลองใหม่ (ใช้รหัสล่าสุดที่แอปแสดง)")
    seconds = max(1, int((wait_until - timezone.now()).total_seconds()) + 1)
    return _("ใส่รหัสผิดหลายครั้ง กรุณารอ %(seconds)s วินาทีแล้วลองใหม่") % {"seconds": seconds}


def qr_svg(url):
    # A viewBox and no fixed size: access.css draws it 245 px wide, narrower on a 320 px phone.
    return segno.make(url, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff", omitsize=True,
                                                  title=_("คิวอาร์โค้ดสำหรับแอปยืนยันตัวตน"))


def grouped_secret(device):
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def new_backup_codes(user):
    """Ten fresh backup codes in place of any earlier ones; returned to be shown once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "backup"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@login_required
def status(request):
    """Whether two-factor sign-in is on, and the ways to turn it on or off."""
    backup = StaticDevice.objects.filter(user=request.user).first()
    membership = getattr(request.user, "membership", None)
    context = {
        "device": totp_device(request.user),
        "backup_left": backup.token_set.count() if backup else 0,
        "disable_form": DisableForm(),
        "required": membership is not None and membership.is_admin and membership.organisation.admins_need_two_factor,
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
def setup(request):
    """Scan, then confirm with a code: only then does the device count."""
    if has_device(request.user):
        return redirect("two_factor")
    device = totp_device(request.user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("แอปยืนยันตัวตน"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[OWED] = VERIFY
            request.session[NEW_CODES] = new_backup_codes(request.user)
            messages.success(request, _("เปิดการยืนยันตัวตนสองขั้นตอนแล้ว"))
            return redirect("two_factor_backup_codes")
        device.refresh_from_db()
        allowed, details = device.verify_is_allowed()
        form.add_error("code", wrong_code_message(None if allowed else details.get("locked_until")))
    context = {"form": form, "qr": qr_svg(device.config_url), "url": device.config_url,
               "secret": grouped_secret(device)}
    return render(request, "accounts/two_factor_setup.html", context, status=422 if form.errors else 200)


def verify(request):
    """The code after the password; only for a signed-in user who has a device."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    if request.user.is_verified() or not has_device(request.user):
        return redirect(next_url or "home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, wait_until = check_code(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, _("ใช้รหัสสำรองแล้ว เหลืออีก %(left)s รหัส") % {"left": left})
            return redirect(next_url or "home")
        form.add_error("code", wrong_code_message(wait_until))
    status_code = 422 if form.errors else 200
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url}, status=status_code)


@login_required
def backup_codes(request):
    """GET shows freshly made backup codes once; POST makes a new set (the old ones stop working).
    Only in a verified session: the codes let whoever sees them in."""
    if not request.user.is_verified():
        request.session.pop(NEW_CODES, None)
        return to_code_page(request) if has_device(request.user) else redirect("two_factor")
    if request.method == "POST":
        if not has_device(request.user):
            messages.error(request, _("ยังไม่ได้เปิดการยืนยันตัวตนสองขั้นตอน"))
            return redirect("two_factor")
        request.session[NEW_CODES] = new_backup_codes(request.user)
        return redirect("two_factor_backup_codes")
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("two_factor")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes})


@login_required
@require_POST
def disable(request):
    """Turn it off, in a verified session, with a current code from the app or a backup code
    (never the password alone); not for an admin whose organisation requires it."""
    if not has_device(request.user):
        return redirect("two_factor")
    if not request.user.is_verified():
        return to_code_page(request)
    membership = getattr(request.user, "membership", None)
    if membership is not None and membership.is_admin and membership.organisation.admins_need_two_factor:
        messages.error(request, _("หน่วยงานของท่านกำหนดให้ผู้ดูแลระบบใช้การยืนยันตัวตนสองขั้นตอน จึงปิดไม่ได้"))
        return redirect("two_factor")
    form = DisableForm(request.POST)
    form.is_valid()
    code = "".join(form.cleaned_data.get("code", "").split()).lower()
    if not code:
        messages.error(request, _("ยังไม่ได้ปิดการยืนยันตัวตนสองขั้นตอน: กรุณากรอกรหัสจากแอปหรือรหัสสำรอง "
                                  "(รหัสผ่านอย่างเดียวใช้ปิดไม่ได้)"))
        return redirect("two_factor")
    device, wait_until = check_code(request.user, code)
    if device is None:
        messages.error(request, _("รหัสไม่ถูกต้อง จึงยังไม่ได้ปิดการยืนยันตัวตนสองขั้นตอน") if wait_until is None
                       else wrong_code_message(wait_until))
        return redirect("two_factor")
    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    request.session[OWED] = ""
    messages.success(request, _("ปิดการยืนยันตัวตนสองขั้นตอนแล้ว"))
    return redirect("two_factor")


@login_required
def organisation_requirement(request):
    """The organisation's admins decide whether its admins must use two-factor sign-in, in a
    session that owes no code (lifting the requirement would otherwise open the way to turning
    two-factor sign-in off with the password alone)."""
    membership = require_admin(request)
    if not owes_nothing(request):
        return to_code_page(request)
    organisation = membership.organisation
    initial = {"admins_need_two_factor": organisation.admins_need_two_factor}
    form = RequirementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation.admins_need_two_factor = form.cleaned_data["admins_need_two_factor"]
        organisation.save(update_fields=["admins_need_two_factor"])
        if must_set_up(request.user):
            request.session[OWED] = SET_UP
        if organisation.admins_need_two_factor:
            messages.success(request, _("ผู้ดูแลระบบของหน่วยงานต้องใช้การยืนยันตัวตนสองขั้นตอนแล้ว "
                                        "ผู้ที่ยังไม่ได้ตั้งค่าจะถูกพาไปตั้งค่าเมื่อใช้งานครั้งถัดไป"))
        else:
            messages.success(request, _("ยกเลิกการบังคับใช้การยืนยันตัวตนสองขั้นตอนแล้ว"))
        return redirect("two_factor_organisation")
    return render(request, "accounts/two_factor_organisation.html", {"form": form, "organisation": organisation})
