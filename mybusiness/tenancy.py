"""Tenant scoping, in one place.

Every partner-facing query goes through ``PartnerScopedQuerySet.visible_to(user)``
(a partner user sees only their own partner's rows; a sales admin sees every row;
anyone else sees nothing), and views reach objects through ``get_visible_or_404``
so that a guessed identifier of another partner's object is a plain 404.
Partner-only views use ``PartnerRequiredMixin`` / ``partner_required``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

Q_ = TypeVar("Q_", bound=models.QuerySet)


class PartnerScopedQuerySet(models.QuerySet):
    """A queryset whose rows each belong to one partner through ``partner_lookup``."""

    partner_lookup = "partner"

    def for_partner(self, partner_id: int):
        return self.filter(**{self.partner_lookup: partner_id})

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_partner:
            return self.for_partner(user.partner_id)
        if user.is_sales_admin:
            return self
        return self.none()


def get_visible_or_404(queryset: models.QuerySet, user, **lookup: Any):
    """The one object of ``queryset`` visible to ``user`` matching ``lookup``, or 404."""
    if any(isinstance(value, str) and "\x00" in value for value in lookup.values()):
        # A typed address with a NUL character: no row holds one, and PostgreSQL refuses to compare.
        raise Http404
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


class PartnerRequiredMixin(AccessMixin):
    """A portal page for partner users: anonymous → login, anyone else → 403."""

    partner_admin_only = False

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not user.is_partner or (self.partner_admin_only and not user.is_partner_admin):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PortalAccessMixin(AccessMixin):
    """A portal page readable by partner users and sales admins (each in their own scope)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not (user.is_partner or user.is_sales_admin):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def partner_required(view: Callable | None = None, *, admin_only: bool = False):
    """Function-view form of ``PartnerRequiredMixin``."""

    def decorator(func: Callable) -> Callable:
        @wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_partner or (admin_only and not user.is_partner_admin):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def portal_access_required(func: Callable) -> Callable:
    """Function-view form of ``PortalAccessMixin``: partner users and sales admins, each in their scope."""

    @wraps(func)
    def wrapper(request: HttpRequest, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_partner or user.is_sales_admin):
            raise PermissionDenied
        return func(request, *args, **kwargs)

    return wrapper
