"""docker-compose's reverse proxy (deploy/nginx.conf.template), run for real in front of the portal.

A real nginx with the repository's configuration forwards to the live test server: bodies over a route's
size are refused by nginx itself, its limits are the portal's own, and the client address the portal
counts logins by is the one nginx saw, never the one a client writes in ``X-Forwarded-For``.
"""

from __future__ import annotations

import http.cookiejar
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from mybusiness.settings import BASE_DIR
from tests.conftest import skip_or_fail

TEMPLATE = BASE_DIR / "deploy" / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIB = 1024 * 1024


def sizes() -> dict[str, int]:
    """Each location's ``client_max_body_size``, in bytes: {"/": ..., "documents": ..., "import": ...}."""
    found, location = {}, "/"
    for line in TEMPLATE.read_text().splitlines():
        if match := re.match(r"\s*location\s+(?:~\s+)?(\S+)", line):
            location = "documents" if "documents" in match.group(1) else "import" if "import" in match.group(1) else "/"
        if match := re.match(r"\s*client_max_body_size\s+(\d+)m;", line):
            found[location] = int(match.group(1)) * MIB
    return found


def test_the_proxys_body_sizes_match_the_portals_limits():
    found = sizes()
    assert found["/"] == settings.REQUEST_BODY_MAX_BYTES
    documents = settings.REQUEST_BODY_LIMITS["order_document_upload"]
    assert documents <= found["documents"] < documents + MIB
    imports = settings.REQUEST_BODY_LIMITS["admin:customer_sites_site_import"]
    assert imports <= found["import"] < imports + MIB


def test_gunicorn_is_started_with_its_limits_file():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "mybusiness.wsgi:application"]' in dockerfile
    config: dict = {}
    exec((BASE_DIR / "gunicorn.conf.py").read_text(), config)
    assert config["limit_request_line"] <= 8190 and config["limit_request_fields"] <= 100
    assert config["timeout"] <= 60
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    assert "nginx.conf.template:/etc/nginx/templates/default.conf.template" in compose
    assert 'TRUSTED_PROXY_COUNT: "1"' in compose


@pytest.fixture
def nginx(live_server, tmp_path, settings):
    """nginx on a free port, configured from the template, forwarding to the live server."""
    if not Path(NGINX).exists():
        skip_or_fail("nginx is missing (apt-get install nginx)")
    from perf.server import free_port

    port = free_port()
    upstream = urlsplit(live_server.url).netloc
    server = TEMPLATE.read_text().replace("${PORTAL_UPSTREAM}", upstream)
    server = server.replace("listen 8000;", f"listen 127.0.0.1:{port};")
    (tmp_path / "server.conf").write_text(server)
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / folder).mkdir()
    (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
daemon off;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/server.conf;
}}
""")
    test = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True, check=False)
    assert test.returncode == 0, test.stderr
    process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")])
    url = f"http://127.0.0.1:{port}"
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLOWED_HOSTS = ["*"]
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def post(url: str, body: bytes, headers: dict | None = None) -> int:
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_nginx_refuses_a_body_over_its_routes_size(nginx):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    # Over 3 MiB on the login page: nginx answers 413 itself.
    assert post(nginx + "/compte/connexion/", b"x" * (3 * MIB + 1), form) == 413
    # The upload's location takes more: the body reaches the portal (which sends the anonymous client to log in).
    upload = nginx + "/commandes/7d5e8a1c-0000-4000-8000-000000000000/documents/"
    assert post(upload, b"x" * (4 * MIB), form) != 413


@pytest.mark.django_db(transaction=True)
def test_a_login_through_the_proxy_is_counted_for_the_address_nginx_saw(nginx, partner_user):
    from perf.load import CSRF_INPUT, NoRedirect

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    page = opener.open(nginx + "/compte/connexion/", timeout=5).read().decode()
    token = CSRF_INPUT.search(page).group(1)
    request = urllib.request.Request(
        nginx + "/compte/connexion/",
        data=f"csrfmiddlewaretoken={token}&username=user%40own.example&password=wrong".encode(),
        headers={"X-Forwarded-For": "203.0.113.66", "Referer": nginx + "/compte/connexion/"},
    )
    assert opener.open(request, timeout=5).status == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]
