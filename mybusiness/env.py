"""Strict parsing of environment variables.

A malformed value is an error at start-up, never a silent default: a typo in
``DEBUG=ture`` must not quietly turn a production switch off (or on).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = self._raw(name)
        if value is None:
            if required:
                raise ImproperlyConfigured(f"The environment variable {name} is required.")
            return default
        return value

    def bool(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a boolean: use one of {sorted(_TRUE | _FALSE)}."
        )

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
        return number

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default or [])
        items = [item.strip() for item in value.split(",")]
        if any(not item for item in items):
            raise ImproperlyConfigured(f"{name}={value!r} has an empty item in its comma-separated list.")
        return items

    def email(self, name: str, default: str) -> str:
        value = self.str(name, default)
        assert value is not None
        local, _, domain = value.rpartition("@")
        if not local or "." not in domain or " " in value:
            raise ImproperlyConfigured(f"{name}={value!r} is not an email address.")
        return value

    def database(self, name: str, sqlite_path: str) -> dict:
        """``postgres://user:pass@host:port/db`` → a Django DATABASES entry; unset → SQLite."""
        value = self._raw(name)
        if value is None:
            # The demo's writers wait for each other instead of failing with « database is locked »: a
            # write transaction takes the lock when it begins (IMMEDIATE), a waiting one waits up to 20 s,
            # and readers do not block the writer (WAL).
            return {
                "ENGINE": "django.db.backends.sqlite3", "NAME": sqlite_path,
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20,
                            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
            }
        parts = urlsplit(value)
        if parts.scheme not in {"postgres", "postgresql"}:
            raise ImproperlyConfigured(f"{name} must start with postgres:// or postgresql://, got {parts.scheme!r}.")
        dbname = parts.path.lstrip("/")
        if not dbname:
            raise ImproperlyConfigured(f"{name} names no database.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{name} has an invalid port.") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(dbname),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # Django would read choice lists (every ModelChoiceField) through a server-side cursor:
            # DECLARE, FETCH and CLOSE, three round trips for a ten-row catalog. Nothing here streams
            # a result too large for memory, and this also keeps the portal usable behind PgBouncer.
            "DISABLE_SERVER_SIDE_CURSORS": True,
        }

    def redis_url(self, name: str) -> str | None:
        value = self._raw(name)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
            raise ImproperlyConfigured(f"{name}={value!r} is not a redis:// URL.")
        return value


env = Env()
