"""R7: the production settings pass ``check --deploy`` and send the security headers.

Each check runs ``manage.py`` in a subprocess with production variables (DEBUG off,
a long secret key, a host name): the settings module is read as in production,
not through tests/settings.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "production-like-key-for-tests-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
    "ALLOWED_HOSTS": "mybusiness.example",
    "DJANGO_SETTINGS_MODULE": "mybusiness.settings",
}
# Variables the test session sets for itself (tests/settings.py relaxes security for the
# test client; browser tests allow the ORM beside Playwright's loop): production has none.
TEST_ONLY = (
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "EMAIL_BACKEND",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_manage(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return run_python("manage.py", *args, extra_env=extra_env, script=True)


def run_python(
    *args: str, extra_env: dict[str, str] | None = None, script: bool = False
) -> subprocess.CompletedProcess:
    """``python manage.py …`` (script) or ``python -c …`` with the production variables."""
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    env.update(PRODUCTION_ENV)
    env.update(extra_env or {})
    command = [sys.executable, *args] if script else [sys.executable, "-c", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_gives_no_warning_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings
client = Client(HTTP_HOST="mybusiness.example")
# Production serves static files from collectstatic's manifest; this probe has not run it.
unhashed = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=unhashed):
    plain = client.get("/compte/connexion/")
    secure = client.get("/compte/connexion/", secure=True)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "secure_status": secure.status_code,
    "headers": dict(secure.headers),
    "cookies": {name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"])}
                for name, m in secure.cookies.items()},
    "settings": {name: getattr(settings, name) for name in (
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS", "AXES_ENABLED", "AXES_FAILURE_LIMIT")},
}))
"""


@pytest.fixture(scope="module")
def production_probe():
    result = run_manage("shell", "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_to_https(production_probe):
    assert production_probe["plain_status"] == 301
    assert production_probe["plain_location"] == "https://mybusiness.example/compte/connexion/"


def test_production_sends_hsts_on_https(production_probe):
    assert production_probe["secure_status"] == 200
    hsts = production_probe["headers"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_production_sends_a_strict_content_security_policy(production_probe):
    csp = production_probe["headers"]["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no CDN
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_production_sends_the_other_security_headers(production_probe):
    headers = production_probe["headers"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_production_cookies_are_secure(production_probe):
    assert production_probe["cookies"]["csrftoken"]["secure"] is True
    assert production_probe["settings"]["SESSION_COOKIE_SECURE"] is True
    assert production_probe["settings"]["CSRF_COOKIE_SECURE"] is True
    assert production_probe["settings"]["SESSION_COOKIE_HTTPONLY"] is True
    assert production_probe["settings"]["SECURE_SSL_REDIRECT"] is True


def test_production_locks_logins_after_repeated_failures(production_probe):
    assert production_probe["settings"]["AXES_ENABLED"] is True
    assert production_probe["settings"]["AXES_FAILURE_LIMIT"] == 5


def test_the_csp_header_is_on_every_portal_page(client):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


# Strict start-up: the settings refuse to start on a malformed or missing value.


def test_the_portal_refuses_to_start_on_a_malformed_boolean():
    result = run_manage("check", extra_env={"DEBUG": "ture"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_the_portal_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", "--deploy", extra_env={"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "mybusiness.E001" in result.stderr and "SECRET_KEY is required when DEBUG is off" in result.stderr
    served = run_python("import mybusiness.wsgi", extra_env={"SECRET_KEY": ""})
    assert served.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in served.stderr


def test_commands_that_sign_nothing_run_without_a_secret_key():
    result = run_manage("makemigrations", "--check", "--dry-run", extra_env={"SECRET_KEY": ""})
    assert result.returncode == 0, result.stderr


def test_a_shared_cache_also_holds_sessions_and_without_one_they_stay_in_the_database():
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.CACHE_IS_SHARED]))"
    )
    shared = run_python(probe, extra_env={"CACHE_URL": "redis://127.0.0.1:6379/1"})
    assert shared.returncode == 0, shared.stderr
    assert json.loads(shared.stdout) == [
        "django.core.cache.backends.redis.RedisCache", "django.contrib.sessions.backends.cached_db", True,
    ]
    alone = run_python(probe, extra_env={"CACHE_URL": ""})
    assert alone.returncode == 0, alone.stderr
    assert json.loads(alone.stdout) == [
        "django.core.cache.backends.locmem.LocMemCache", "django.contrib.sessions.backends.db", False,
    ]
