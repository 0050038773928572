"""The portal's URLs plus ``/perf/bare/``: a view that does nothing, the floor of a request's cost."""

from django.http import HttpResponse
from django.urls import path

from mybusiness.urls import handler400, handler403, handler404, handler500
from mybusiness.urls import urlpatterns as portal_urlpatterns
from perf import BARE_PATH


def bare(request):
    """No database, no template, no session access: what Django and the middleware cost alone."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare, name="perf_bare"), *portal_urlpatterns]

__all__ = ["BARE_PATH", "handler400", "handler403", "handler404", "handler500", "urlpatterns"]
