from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware

from lib.http import request_address


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware (who and from where, for every entry written during the
    request) with the portal's reading of the address: behind nginx the entry the proxy appended
    to X-Forwarded-For, as for sign-in throttling, never the leftmost one, which the client
    writes itself (the library's choice)."""

    def __call__(self, request):
        # The library leaves the request's user and address behind in the context variable;
        # nothing that runs after the request may take them for its own.
        token = auditlog_value.set({})
        try:
            return super().__call__(request)
        finally:
            auditlog_value.reset(token)

    @staticmethod
    def _get_remote_addr(request):
        return request_address(request)

    @staticmethod
    def _get_remote_port(request):
        # X-Forwarded-Port is whatever the client sent: not worth recording.
        return None

    @staticmethod
    def _get_actor(request):
        # Left lazy: the user is loaded only if an entry is written, so that a request writing
        # none (most of them, /healthz/ above all) costs no query for it.
        return getattr(request, "user", None)
