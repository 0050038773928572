"""Request bodies bounded before anything reads them (targets.md R14).

Django reads a request's body when something first asks for ``request.POST`` or ``request.body``: the
CSRF check does, in its ``process_view``, for every POST, anonymous ones included, and a multipart body's
files are written to disk as they are parsed. ``BodyLimitMiddleware`` comes before it and answers 413
from the declared ``Content-Length`` alone, without reading a byte, when the body is over its route's
limit: ``REQUEST_BODY_LIMITS`` (by view name) or ``REQUEST_BODY_MAX_BYTES``. A body without a
``Content-Length`` (chunked) is never read by Django under WSGI: it sees an empty body.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


def body_limit(request) -> int:
    """The largest body the request's route accepts, in bytes."""
    match = request.resolver_match
    name = match.view_name if match is not None else ""
    return settings.REQUEST_BODY_LIMITS.get(name, settings.REQUEST_BODY_MAX_BYTES)


def declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


class BodyLimitMiddleware:
    """Answers 413 to a body over its route's limit (and 400 to an unreadable length), before the CSRF check
    or a view reads it. Placed before ``CsrfViewMiddleware``: its ``process_view`` runs first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        length = declared_length(request)
        if length is None or length < 0:
            return render(request, "400.html", status=400)
        limit = body_limit(request)
        if length > limit:
            limit_mb = max(1, limit // (1024 * 1024))
            if request.path.startswith(settings.API_PATH_PREFIX):
                from mybusiness.api import ApiProblem, problem_response

                return problem_response(request, ApiProblem(
                    413, _("Le contenu envoyé dépasse %(limit)s Mo : il n'a pas été lu.") % {"limit": limit_mb}))
            return render(request, "413.html", {"limit_mb": limit_mb}, status=413)
        return None
