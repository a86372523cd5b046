from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .access import get_membership
from .forms import ReminderSettingsForm


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
