"""The client's address for sign-in throttling and records behind the reverse proxy."""

import ipaddress

from django.conf import settings
from django.db.models import Case, Value, When


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


SIGN_IN, FAILED, LOCKED_OUT = "sign_in", "failed", "locked_out"
COLUMNS = ["attempt_time", "username", "ip_address", "user_agent", "outcome"]


def sign_in_rows(successes, failures, kind=""):
    """Sign-ins and failures as one list of rows (dicts of COLUMNS), newest first, for paging in
    the database. `kind` "sign_in" or "failed" keeps only those."""
    successes = successes.annotate(outcome=Value(SIGN_IN)).values(*COLUMNS)
    failures = failures.annotate(
        outcome=Case(When(locked_out=True, then=Value(LOCKED_OUT)), default=Value(FAILED))
    ).values(*COLUMNS)
    rows = {SIGN_IN: successes, FAILED: failures}.get(kind) or successes.union(failures, all=True)
    return rows.order_by("-attempt_time")
