"""The link check: does each published URL of a workspace still answer?

`check_url` asks one URL with HEAD and, where a server refuses HEAD (405, 501, or a 403 that some
servers give HEAD only), with GET; it follows redirects, gives up after a timeout and reads no
body. The URLs are typed by organisations, so an address inside the server's own network is
never asked, nor redirected to (settings.OIT_LINK_CHECK_PRIVATE_ADDRESSES lets the tests' local
server be). `check_links` asks a few at a time and records each link's status and the time. The job
(`link_check_job`, registered with the jobs app in apps.py) runs it for one workspace.
"""

import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.conf import settings
from django.utils import timezone

from .models import Link, Workspace

TIMEOUT_SECONDS = 10
AT_A_TIME = 4
HEAD_REFUSED = {403, 405, 501}
USER_AGENT = "ITA-Portal-LinkCheck/1.0"


@dataclass(frozen=True)
class Checked:
    status: int | None  # the HTTP status of the final answer, None when none came
    error: str = ""

    @property
    def broken(self):
        return self.status is None or self.status >= 400


PRIVATE = "private address"


def _is_private(url):
    """Whether the URL's host is (or resolves to) an address that is not on the internet."""
    host = urlsplit(url).hostname
    if not host:
        return True
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        return False  # no such host: the request itself says so
    return any(not ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses)


def _refused(url):
    return not settings.OIT_LINK_CHECK_PRIVATE_ADDRESSES and _is_private(url)


class _Redirects(HTTPRedirectHandler):
    """Follows http(s) redirects only, and none into the server's own network."""

    def redirect_request(self, request, fp, code, msg, headers, new_url):
        if not new_url.lower().startswith(("http://", "https://")) or _refused(new_url):
            raise URLError(PRIVATE if _refused(new_url) else "redirect to another scheme")
        return super().redirect_request(request, fp, code, msg, headers, new_url)


def _ask(url, method, timeout):
    request = Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with build_opener(_Redirects).open(request, timeout=timeout) as response:
            return Checked(response.status)
    except HTTPError as error:
        return Checked(error.code)


def check_url(url, timeout=TIMEOUT_SECONDS):
    """What the server at `url` answers (HEAD, then GET where HEAD is refused)."""
    if not url.lower().startswith(("http://", "https://")):
        return Checked(None, "not http")
    if _refused(url):
        return Checked(None, PRIVATE)
    try:
        checked = _ask(url, "HEAD", timeout)
        if checked.status in HEAD_REFUSED:
            checked = _ask(url, "GET", timeout)
        return checked
    except (URLError, OSError, ValueError) as error:  # refused, no such host, timeout, bad URL
        reason = getattr(error, "reason", error)
        return Checked(None, str(reason)[:200] or error.__class__.__name__)


def check_links(links, timeout=TIMEOUT_SECONDS, at_a_time=AT_A_TIME, advance=None):
    """Check every link, `at_a_time` at once, and record what each answered; returns the
    number of broken links. `advance` is called after each link (the job's progress)."""
    links = list(links)
    broken = 0
    with ThreadPoolExecutor(max_workers=at_a_time) as pool:
        for link, checked in zip(links, pool.map(lambda link: check_url(link.url, timeout), links)):
            # An UPDATE, not a save: what the check found is nobody's change to the audit log.
            Link.objects.filter(pk=link.pk).update(
                checked_at=timezone.now(), check_status=checked.status, check_error=checked.error)
            broken += checked.broken
            if advance:
                advance()
    return broken


def link_check_job(job, progress):
    """The job: check the published links of the workspace the job names (params workspace)."""
    workspace = Workspace.objects.get(pk=job.params["workspace"], organisation_id=job.organisation_id)
    links = list(Link.objects.filter(item__workspace=workspace).order_by("pk"))
    progress.start(len(links))
    broken = check_links(links, advance=progress.advance)
    progress.complete("oit_links_done", checked=len(links), broken=broken)
