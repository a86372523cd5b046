from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """For load balancers and uptime checks: the process answers. Touches no database, which
    also makes it the floor against which the load benchmark compares the real pages."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers ask /favicon.ico of pages that name no icon (error pages, PDFs opened in a tab):
    the shipped icon, not a 404 in the log."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
