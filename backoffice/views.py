from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from backoffice import charts
from backoffice.permissions import sees_sales
from backoffice.selectors import dashboard_section


# The chart is an image of its own: no script at all, and its own inline <style> (pygal's) allowed there only.
@login_required
@require_GET
@csp_replace({"script-src": ["'none'"], "style-src": ["'unsafe-inline'"], "default-src": ["'none'"]})
def chart(request, name: str):
    if name not in charts.CHARTS:
        raise Http404
    section, part, draw = charts.CHARTS[name]
    if not sees_sales(request.user):
        raise PermissionDenied
    response = HttpResponse(draw(dashboard_section(section)[part]), content_type="image/svg+xml; charset=utf-8")
    patch_cache_control(response, private=True, max_age=settings.BACKOFFICE_DASHBOARD_CACHE_SECONDS)
    return response
