"""The client's address for sign-in throttling and records behind the reverse proxy."""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Case, Sum, Value, When


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


class AccountThrottle(AxesDatabaseHandler):
    """django-axes counting failures per username and address (AXES_FAILURE_LIMIT) and per
    username from every address (AXES_ACCOUNT_FAILURE_LIMIT, higher).

    The pair stops one machine guessing; the account limit stops an attacker who gives every
    guess a new address. It is higher because anyone can reach it for someone else's account,
    locking its owner out everywhere: 20 in 15 minutes leaves a guesser about 2,000 tries a
    day against a password of 10 characters that is not a common one, and takes more than a
    few mistypes to reach. No limit counts an address alone: the staff of one office share one
    public address, and one person's mistakes must not lock out their colleagues.
    """

    def get_failures(self, request, credentials=None):
        """The failures compared with AXES_FAILURE_LIMIT: those of the username and address, or
        the limit itself once the username alone has reached AXES_ACCOUNT_FAILURE_LIMIT."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        failures = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials)):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "username":
                count = limit if count >= settings.AXES_ACCOUNT_FAILURE_LIMIT else 0
            failures = max(failures, count)
        return failures

    def account_failures(self, request, credentials=None):
        """The failures of the username from every address within the cool-off time."""
        username = get_client_username(request, credentials)
        recent = AccessAttempt.objects.filter(username=username, attempt_time__gte=get_cool_off_threshold(request))
        return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0
