"""An uploaded file waiting between its preview and its confirmation.

Every import of the portal shows what a file would do before writing anything; the file waits in
the media storage meanwhile (so that any app server behind the load balancer can confirm it),
under a random name that is kept only in the uploader's session: nobody else can confirm it or
read it, and a forged or stale token finds nothing. A file whose preview is never confirmed is
deleted a day later, the next time anyone uploads.
"""

import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

ABANDONED_AFTER = timedelta(days=1)


class PendingUpload:
    """One kind of waiting upload: its folder in the media storage and its session key."""

    def __init__(self, folder, session_key):
        self.folder = folder
        self.session_key = session_key

    def keep(self, request, data, suffix="", **facts):
        """Store `data` for this user's confirmation and return its token; `facts` (JSON
        values) are kept in the session beside it and handed back by `take`."""
        self.discard(request)
        token = secrets.token_urlsafe(24)
        self.sweep_abandoned()
        default_storage.save(self._path(token, suffix), ContentFile(data))
        request.session[self.session_key] = {"token": token, "suffix": suffix, **facts}
        return token

    def take(self, request, token, **expected):
        """(data, facts) of the upload this user's session holds under `token`, if its facts
        include `expected`; the upload is discarded either way. None when there is none."""
        pending = request.session.get(self.session_key)
        if not (pending and token and pending["token"] == token
                and all(pending.get(name) == value for name, value in expected.items())):
            return None
        path = self._path(pending["token"], pending["suffix"])
        data = b""
        if default_storage.exists(path):
            with default_storage.open(path) as handle:
                data = handle.read()
        self.discard(request)
        return data, pending

    def discard(self, request):
        pending = request.session.pop(self.session_key, None)
        if pending:
            default_storage.delete(self._path(pending["token"], pending.get("suffix", "")))

    def _path(self, token, suffix):
        return f"{self.folder}/{token}{suffix}"

    def sweep_abandoned(self):
        """Delete uploads whose preview was never confirmed, a day after they were left."""
        if not default_storage.exists(self.folder):
            return
        cutoff = timezone.now() - ABANDONED_AFTER
        for name in default_storage.listdir(self.folder)[1]:
            path = f"{self.folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
