from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .access import get_membership, sign_ins_for_admin
from .forms import ReminderSettingsForm, SignInLogForm
from .signins import sign_in_rows

SIGN_INS_PER_PAGE = 50


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers (429) while a username is locked out after repeated failures."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


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
