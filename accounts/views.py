from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .access import get_membership, sign_ins_for_admin
from .forms import ReminderSettingsForm, SignInLogForm
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


@login_required
def reminder_settings(request):
    """Each user turns their own daily reminder e-mail on or off."""
    membership = get_membership(request)
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST)
        if form.is_valid():
            membership.reminders_enabled = form.cleaned_data["reminders_enabled"]
            membership.save(update_fields=["reminders_enabled"])
            messages.success(
                request,
                _("เปิดการแจ้งเตือนทางอีเมลแล้ว") if membership.reminders_enabled else _("ปิดการแจ้งเตือนทางอีเมลแล้ว"),
            )
            return redirect("reminder_settings")
    else:
        form = ReminderSettingsForm(initial={"reminders_enabled": membership.reminders_enabled})
    return render(request, "accounts/reminders.html", {"form": form, "has_email": bool(request.user.email)})


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
