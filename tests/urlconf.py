"""The URLconf's routes, walked once for the tests generated from it (the authorization matrix, the body
limits, R11's hostile inputs)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, *, admin: bool, prefix: str = "", namespace: str | None = None):
    """(qualified name or None, route with its placeholders); Django's regex routes (the admin's catch-alls)
    are left out: they have no placeholders to fill."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" and not admin:
                continue
            yield from _walk(pattern.url_patterns, admin=admin, prefix=route, namespace=pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and not (route.startswith("^") or "(?P" in route):
            name = (f"{namespace}:{pattern.name}" if namespace else pattern.name) if pattern.name else None
            yield name, route


def routes(*, admin: bool = True) -> list[tuple[str, str]]:
    """(view name, route) for every route; an unnamed route is named by itself."""
    return sorted({(name or route, route) for name, route in _walk(get_resolver().url_patterns, admin=admin)})


def url_names(*, admin: bool = False) -> list[str]:
    """The names of the named routes (the admin's left out unless asked)."""
    return sorted({name for name, _route in _walk(get_resolver().url_patterns, admin=admin) if name})
