"""Helpers of the API tests: a key of a partner admin, and a client that sends it."""

from __future__ import annotations

import json

from django.test import Client

from mybusiness.models import ApiScope
from mybusiness.services import api_key_create

API = "/api/v1"


def api_key(admin, scope: str = ApiScope.WRITE, name: str = "ERP") -> str:
    """A new key of ``admin``'s company (through the service), as the ERP would hold it."""
    return api_key_create(admin=admin, name=name, scope=scope)[1]


class ApiClient(Client):
    """Django's test client, speaking JSON with a key (or none) and a language."""

    def __init__(self, token: str | None = None, language: str | None = None, **defaults):
        if token:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if language:
            defaults["HTTP_ACCEPT_LANGUAGE"] = language
        super().__init__(**defaults)

    def send(self, method: str, path: str, body=None, **extra):
        if method == "get":
            return self.get(f"{API}{path}", **extra)
        data = json.dumps(body) if body is not None else None
        return getattr(self, method)(f"{API}{path}", data=data, content_type="application/json", **extra)
