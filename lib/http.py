"""Helpers about the request and the response: the client's address behind the reverse proxy, the
portal's base address for links in mail, and private file downloads."""

import ipaddress

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def client_ip(request):
    """The address the nearest trusted proxy saw the request come from.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    `TRUSTED_PROXY_COUNT` proxies the client is that many entries from the right. Entries further
    left were written by the client and could be anything: trusting them would let an attacker
    give every guess a new address and never be locked out. Without a usable entry, the
    proxy's own view (REMOTE_ADDR) stands.
    """
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    count = settings.TRUSTED_PROXY_COUNT
    if count >= 1 and len(forwarded) >= count:
        candidate = forwarded[-count]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def request_address(request):
    """The client's address as the portal records it: behind the reverse proxy (BEHIND_TLS_PROXY)
    the proxy's entry of X-Forwarded-For, otherwise REMOTE_ADDR, the header being then the
    client's own invention."""
    if settings.BEHIND_TLS_PROXY:
        return client_ip(request)
    return request.META.get("REMOTE_ADDR")

DEVELOPMENT_BASE_URL = "http://127.0.0.1:8000"


def portal_base_url(request=None):
    """The address links in e-mails start with: PORTAL_BASE_URL when set, else the address of the
    request that sends the mail (host and port as the sender reached the portal), else the
    development server's."""
    if settings.PORTAL_BASE_URL:
        return settings.PORTAL_BASE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return DEVELOPMENT_BASE_URL


def private_download(field_file, name, content_type):
    """A stored file as a download of its detected type, never cached on the way (evidence is
    read only by those the view let through); 404 when the file is missing from the storage."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("ไม่พบไฟล์")) from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
