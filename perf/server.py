"""The portal under gunicorn, as in production, on a free loopback port: ``with gunicorn_server(...) as server``.

Production settings (DEBUG off, a secret key, strict hosts), except what plain HTTP on
loopback needs switched off: the HTTPS redirect, secure cookies and HSTS. The application is
``perf.wsgi`` (the portal plus the bare view of ``perf.urls``). The server is stopped by the
PID gunicorn writes to its pidfile.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from perf import BARE_PATH

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# What the settings read (see tests/settings.py): production values, plain HTTP on loopback.
PRODUCTION_LIKE_ENV = {
    "DJANGO_SETTINGS_MODULE": "perf.settings",
    "DEBUG": "false",
    "SECRET_KEY": "perf-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class GunicornServer:
    url: str  # http://127.0.0.1:<port>, no trailing slash
    port: int
    pid: int
    workers: int
    logfile: Path

    def log(self) -> str:
        try:
            return self.logfile.read_text(errors="replace")
        except OSError:
            return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_ready(url: str, process: subprocess.Popen, *, timeout: float, logfile: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{logfile.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + BARE_PATH, timeout=2) as response:  # noqa: S310 (loopback URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{logfile.read_text(errors='replace')}")
        time.sleep(0.1)


def _stop(pid: int, process: subprocess.Popen, *, timeout: float = 30) -> None:
    """Graceful stop (SIGTERM to the master, which stops its workers), a kill if it takes too long."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def gunicorn_server(
    *,
    database_url: str,
    workers: int | None = None,
    worker_class: str = "sync",
    threads: int = 1,
    timeout_s: int = 30,
    env: Mapping[str, str] | None = None,
    ready_timeout_s: float = 60,
) -> Iterator[GunicornServer]:
    """Start ``gunicorn perf.wsgi:application`` against ``database_url``; stop it on exit.

    ``workers`` defaults to twice the number of cores; ``env`` adds or overrides variables
    (the broker URL, the email backend...). The server's own log is in ``server.logfile``.
    """
    workers = workers or default_workers()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mybusiness-gunicorn-") as folder:
        pidfile = Path(folder, "gunicorn.pid")
        logfile = Path(folder, "gunicorn.log")
        child_env = {**os.environ, **PRODUCTION_LIKE_ENV, "DATABASE_URL": database_url, **(env or {})}
        child_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        command = [
            sys.executable, "-m", "gunicorn", "perf.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
            "--worker-class", worker_class,
            "--threads", str(threads),
            "--timeout", str(timeout_s),
            "--graceful-timeout", "10",
            "--backlog", "2048",
            "--pid", str(pidfile),
            "--error-logfile", str(logfile),
            "--chdir", str(PROJECT_ROOT),
            "--worker-tmp-dir", folder,
        ]
        with open(logfile, "wb") as log:
            process = subprocess.Popen(
                command, env=child_env, cwd=str(PROJECT_ROOT), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal reaches us, and we stop it in order
            )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(url, process, timeout=ready_timeout_s, logfile=logfile)
            pid = int(pidfile.read_text().strip())
            server = GunicornServer(url=url, port=port, pid=pid, workers=workers, logfile=logfile)
            yield server
        finally:
            pid = process.pid
            with contextlib.suppress(OSError, ValueError):
                pid = int(pidfile.read_text().strip())
            if process.poll() is None:
                _stop(pid, process)
            if os.environ.get("PERF_SHOW_SERVER_LOG") and logfile.exists():
                print(f"--- gunicorn log (tail)\n{logfile.read_text(errors='replace')[-4000:]}", file=sys.stderr)
