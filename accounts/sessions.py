"""Sessions that end, and HTMX requests that find no session sent to the sign-in page.

A session ends after `SESSION_IDLE_TIMEOUT_MINUTES` without a request and
`SESSION_MAX_AGE_HOURS` after signing in, whatever happens in between. Both moments are kept
in the session itself and checked on every request, so neither depends on the browser keeping
to the cookie's expiry. The time of the last request is written at most once a minute
(writing the session row on every request would add a write to every page), so idleness is
measured to the minute.

A request made by HTMX (a row's form, the what-if panel) that finds the session gone would
otherwise follow the redirect to the sign-in page and put that page inside the table row;
such a request gets `HX-Redirect`, and the browser opens the sign-in page as a page, with
the page the person was on as `next`.
"""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

SIGNED_IN_AT, LAST_SEEN = "signed_in_at", "last_seen"
TOUCH_SECONDS = 60


def stamp_sign_in(sender, request, user, **kwargs):
    """On user_logged_in: the session's start and last request."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


def has_expired(session, now=None):
    """Whether the session is past either limit; otherwise notes this request in it."""
    now = time.time() if now is None else now
    started = session.setdefault(SIGNED_IN_AT, now)  # a session from before the limits existed
    last = session.get(LAST_SEEN, now)
    if now - started > settings.SESSION_MAX_AGE_HOURS * 3600:
        return True
    if now - last > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
        return True
    if now - last >= TOUCH_SECONDS or LAST_SEEN not in session:
        session[LAST_SEEN] = now
    return False


def current_page(request):
    """The page the person is on: for HTMX the page that made the request (its path), not
    the fragment it asked for."""
    current = request.headers.get("HX-Current-URL") if request.htmx else None
    if current:
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def sign_in_url(request):
    """The sign-in page, returning to the page the person is on."""
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': current_page(request)})}"


def to_sign_in(request):
    url = sign_in_url(request)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and has_expired(request.session):
            logout(request)
            messages.info(request, _("หมดเวลาการใช้งาน เพื่อความปลอดภัย กรุณาเข้าสู่ระบบอีกครั้ง"))
            return to_sign_in(request)
        response = self.get_response(request)
        if request.htmx and is_redirect_to_sign_in(response):
            return to_sign_in(request)
        return response


def is_redirect_to_sign_in(response):
    return response.status_code == 302 and urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
