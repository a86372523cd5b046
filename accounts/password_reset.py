""""ลืมรหัสผ่าน?": how many reset e-mails may be asked for, counted in Django's cache.

Every request counts, whether or not the address is anyone's: the answer, the limit included,
is then the same for an unknown address as for a known one, and says nothing about who has an
account. Two counts, each over a fixed hour from its first request: per e-mail address, so that
nobody's mailbox is filled with reset mails (PASSWORD_RESET_PER_EMAIL_PER_HOUR), and per client
address, so that one machine cannot try address after address (PASSWORD_RESET_PER_IP_PER_HOUR,
higher because an office's staff share one public address).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from lib.http import request_address

WINDOW_SECONDS = 60 * 60


def _count(key):
    """Add one to the count under `key` and return it; a new count lives WINDOW_SECONDS."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the count expired between add() and incr()
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def _digest(text):
    # Keys hold no address in clear (a shared cache may be read by others).
    return hashlib.sha256(text.encode()).hexdigest()


def reset_request_allowed(request, email):
    """Count this request for its client address and for `email`; False once either count is
    over its limit within the hour (then no e-mail is to be sent)."""
    address = request_address(request) or "unknown"
    if _count(f"password-reset:ip:{_digest(address)}") > settings.PASSWORD_RESET_PER_IP_PER_HOUR:
        return False
    return _count(f"password-reset:email:{_digest(email.strip().lower())}") <= settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR
