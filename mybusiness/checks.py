"""Start-up checks of the production settings.

A missing SECRET_KEY with DEBUG off is refused where it matters, not when the settings are read:
``manage.py check --deploy`` reports the error (mybusiness.E001) and the WSGI application refuses to
start, while commands that sign nothing (makemigrations, migrate, collectstatic) still run without a
key, e.g. while an image is built.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = "SECRET_KEY is required when DEBUG is off."


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    try:
        if settings.SECRET_KEY:
            return []
    except ImproperlyConfigured:  # Django refuses to read an empty key
        pass
    return [checks.Error(MISSING_SECRET_KEY, hint="Set the SECRET_KEY environment variable.", id="mybusiness.E001")]


def require_secret_key() -> None:
    """Refuse to serve requests without a secret key (sessions, CSRF and password resets sign with it)."""
    if check_secret_key(None):
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
