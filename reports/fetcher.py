"""What the PDF renderer may read: the portal's own static files, and nothing else.

WeasyPrint fetches every URL a page names (images, stylesheets, fonts, url() in a style) with
urllib, which reads file://, http(s):// and data: alike. The reports print text the
organisation wrote; it is escaped, but were a template ever to let markup through, a plan row
could make the renderer read a local file (/etc/passwd, the database) into the PDF or reach
the network from the server. So the renderer is given one made-up origin for the static files
(`STATIC_BASE`, under the reserved .invalid domain that no resolver answers) and this fetcher,
which serves that origin's paths from the static files finders and refuses every other URL.
A refused URL is left out of the PDF (WeasyPrint logs a warning and goes on).
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

ORIGIN_HOST = "ita-portal.invalid"
ORIGIN = f"https://{ORIGIN_HOST}/"


def static_prefix():
    return "/" + settings.STATIC_URL.strip("/") + "/"


def static_base():
    """The URL the PDF's HTML and stylesheet are rendered at: static files are relative to it."""
    return f"https://{ORIGIN_HOST}{static_prefix()}"


class StaticFilesOnly(URLFetcher):
    def fetch(self, url, headers=None):
        path = static_path(url)
        if path is None:
            raise ValueError(f"the PDF renderer reads only the portal's static files, not {url[:200]!r}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_path(url):
    """The file on disk that a URL of the static origin names, or None for any other URL
    (another scheme, host or port, a path outside the static files, a query)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != ORIGIN_HOST or parts.query:
        return None
    prefix = static_prefix()
    if not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix):])
    # The finders join the path to their folders; a path that climbs out is refused here first.
    if not relative or "\\" in relative or "\0" in relative or posixpath.normpath(relative) != relative \
            or relative.startswith(("/", "../")):
        return None
    return finders.find(relative)
