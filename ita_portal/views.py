from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """For load balancers and uptime checks: the process answers. Touches no database, which
    also makes it the floor against which the load benchmark compares the real pages."""
    return HttpResponse("ok", content_type="text/plain")
