"""Sign-in records and throttling (django-axes) for the sign-in log."""

from axes.handlers.database import AxesDatabaseHandler
from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Case, Sum, Value, When

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
