"""Who is asking, and how often: the client's address behind the proxies, and the throttles of the login
and the password reset (targets.md R12).

* ``client_ip``: the address the last trusted proxy saw. With ``TRUSTED_PROXY_COUNT = n``, each of the n
  proxies appended the address it received from to ``X-Forwarded-For``, so the client is the n-th entry
  from the right; anything further left was written by the client and is not believed.
* ``login_username``: the email as the login form reads it (stripped, lowercased), so that django-axes keeps
  one count per account whatever the case or spaces typed.
* ``Throttle``: a count per key over a fixed window, in Django's cache (shared between processes when
  ``CACHE_URL`` is set, as in docker-compose).
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or the entry of ``X-Forwarded-For`` the trusted proxies vouch for;
    None when the request has none (a login made in-process, e.g. ``Client.force_login``, or a form checked
    without a request)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= trusted:
            address = _valid_ip(forwarded[-trusted])
            if address is not None:
                return address
    return _valid_ip(remote)


def normalize_login(value) -> str:
    """An email as typed in the login or reset form, in the spelling the form compares it in."""
    return str(value or "").strip().lower()


def login_username(request, credentials: dict | None = None) -> str:
    """django-axes' ``AXES_USERNAME_CALLABLE``: one lockout per account, however the address was typed."""
    if credentials:
        return normalize_login(credentials.get(settings.AXES_USERNAME_FORM_FIELD))
    data = getattr(request, "data", None) or request.POST
    return normalize_login(data.get(settings.AXES_USERNAME_FORM_FIELD))


@dataclass(frozen=True)
class Throttle:
    """At most ``limit`` hits per key within ``window`` seconds from the key's first hit."""

    name: str
    limit_setting: str
    window_setting: str

    @property
    def limit(self) -> int:
        return getattr(settings, self.limit_setting)

    @property
    def window(self) -> int:
        return getattr(settings, self.window_setting)

    def _key(self, value: str | None) -> str:
        # Hashed: an email or an address may hold characters a cache key cannot.
        return f"throttle:{self.name}:{hashlib.sha256((value or '').encode()).hexdigest()}"

    def count(self, value: str | None) -> int:
        return cache.get(self._key(value), 0)

    def exceeded(self, value: str | None) -> bool:
        return self.count(value) >= self.limit

    def hit(self, value: str | None) -> int:
        key = self._key(value)
        cache.add(key, 0, timeout=self.window)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.window)
            return 1


# Failed logins from one address, whatever the accounts tried (the per-account lock is django-axes').
LOGIN_FAILURES_PER_ADDRESS = Throttle("login-ip", "LOGIN_FAILURES_PER_ADDRESS", "LOGIN_THROTTLE_SECONDS")
# Password reset requests, per address typed and per client address.
RESET_REQUESTS_PER_EMAIL = Throttle("reset-email", "PASSWORD_RESETS_PER_EMAIL", "PASSWORD_RESET_THROTTLE_SECONDS")
RESET_REQUESTS_PER_ADDRESS = Throttle("reset-ip", "PASSWORD_RESETS_PER_ADDRESS", "PASSWORD_RESET_THROTTLE_SECONDS")


def second_factor_step(user) -> str | None:
    """The page a signed-in user must pass before any other (its URL name), or None.

    Whoever turned two-factor authentication on gives a code; the vendor's staff must have it
    (``OTP_REQUIRED_FOR_STAFF``) and add an application first if they have none. Once given, the session is
    verified (django-otp's ``is_verified``) until it ends.
    """
    if not user.is_authenticated:
        return None
    required = user.two_factor_enabled or (user.is_staff and settings.OTP_REQUIRED_FOR_STAFF)
    # django-otp's middleware gives the user is_verified(); a request built without it has verified nothing.
    is_verified = getattr(user, "is_verified", None)
    if not required or (is_verified is not None and is_verified()):
        return None
    return "two_factor_verify" if user.two_factor_enabled else "two_factor_setup"
