"""The bell's count and list, opening and marking read, the e-mail preferences and the calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import calendar
from .access import get_notification_for_user, notifications_for_user, role_of
from .forms import PageForm, PreferencesForm
from .kinds import kinds_for_role
from .models import CalendarFeed, Preference

PAGE_SIZE = 50


@require_safe
@login_required
def badge(request):
    """The bell's unread count, asked for by the bell once the page has loaded (HTMX), so that no
    page pays for it before it is shown."""
    unread = notifications_for_user(request).unread().count()
    return render(request, "notifications/_badge.html", {"unread": unread})


@require_safe
@login_required
def notification_list(request):
    """The person's notifications, newest first, read and unread, 50 a page."""
    form = PageForm(request.GET)
    valid = form.is_valid()
    found = notifications_for_user(request)
    unread_only = valid and form.cleaned_data["unread"]
    if unread_only:
        found = found.unread()
    page = Paginator(found, PAGE_SIZE).get_page((form.cleaned_data["page"] if valid else None) or 1)
    return render(request, "notifications/list.html", {
        "page": page, "unread_only": unread_only, "query": "unread=on" if unread_only else "",
    })


@require_POST
@login_required
def notification_open(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_notification_for_user(request, pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:list")


@require_POST
@login_required
def read_all(request):
    marked = notifications_for_user(request).mark_read()
    messages.success(request, _("ทำเครื่องหมายว่าอ่านแล้ว %(count)s รายการ") % {"count": marked})
    return redirect("notifications:list")


@login_required
def preferences(request):
    """Which kinds also come by e-mail. Every kind is on until the person turns it off."""
    kinds = kinds_for_role(role_of(request.user))
    off = set(Preference.objects.filter(user=request.user, email=False).values_list("kind", flat=True))
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, kinds=kinds,
        initial={kind.key: kind.key not in off for kind in kinds},
    )
    if request.method == "POST" and form.is_valid():
        for kind in kinds:
            Preference.objects.update_or_create(
                user=request.user, kind=kind.key, defaults={"email": form.cleaned_data[kind.key]}
            )
        messages.success(request, _("บันทึกการตั้งค่าการแจ้งเตือนแล้ว"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {
        "form": form, "has_email": bool(request.user.email),
    })


@require_safe
@login_required
def calendar_page(request):
    return render(request, "notifications/calendar.html", {
        "feed": CalendarFeed.objects.filter(user=request.user).first(),
    })


@require_POST
@login_required
def calendar_reset(request):
    """Make the person's feed address, or a new one in place of the old (which stops working).
    The address is shown on this answer only: only a hash of its secret is kept."""
    token = CalendarFeed.reset(request.user)
    address = request.build_absolute_uri(reverse("notifications:calendar_feed", args=[token]))
    return render(request, "notifications/calendar.html", {
        "feed": CalendarFeed.objects.get(user=request.user), "address": address,
    })


@never_cache
@require_safe
def calendar_feed(request, token):
    """The .ics at the secret address; needs no sign-in (calendar programs cannot sign in)."""
    feed = CalendarFeed.find(token)
    if feed is None:
        raise Http404
    response = HttpResponse(calendar.feed(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ita-portal.ics"'
    return response
