"""The admin site, logged into through the portal's own login page.

One login page means one set of guards: the per-address cap and the lockout of the portal's login form, then
the second factor (mybusiness.middleware.SecondFactorMiddleware) before any admin page.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


class PortalAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Logged in without the admin's access (a partner): the portal's login would send them back here.
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, reverse("login"))
