"""Sign-ins, sign-outs and failed sign-ins in the organisation's log, from Django's own signals."""

from django.contrib.auth import get_user_model, signals

from .log import record
from .models import Entry


def connect():
    signals.user_logged_in.connect(_signed_in, dispatch_uid="audit.signed_in")
    signals.user_logged_out.connect(_signed_out, dispatch_uid="audit.signed_out")
    signals.user_login_failed.connect(_failed, dispatch_uid="audit.sign_in_failed")


def _signed_in(sender, request, user, **kwargs):
    record(Entry.Kind.SIGN_IN, user, actor=user, request=request)


def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(Entry.Kind.SIGN_OUT, user, actor=user, request=request)


def _failed(sender, credentials, request=None, **kwargs):
    """A failure under the username of a member goes to that organisation's log, with no actor:
    nobody is known to have tried. A name that is nobody's belongs to no organisation (django-axes
    keeps those for the admin site), and writing them would let anyone fill the log."""
    username = credentials.get("username")
    user = get_user_model().objects.filter(username=username, membership__isnull=False).first()
    if user is None:
        return
    locked_out = bool(getattr(request, "axes_locked_out", False))
    record(Entry.Kind.SIGN_IN_FAILED, user, request=request, data={"locked_out": locked_out})
