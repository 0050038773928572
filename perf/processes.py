"""The broker and the Celery worker as processes a run stops, kills and starts again (soak R4/R5, bench B8).

``RedisServer`` stops and restarts a redis-server by its pidfile; ``CeleryWorker`` runs
``celery -A mybusiness worker`` in a process group of its own, so that a SIGKILL reaches its pool
too; ``Sweeper`` publishes the hand-off and outbox sweeps every few seconds, as beat does every minute.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from perf.server import PROJECT_ROOT


class RedisServer:
    """A redis-server that may be stopped and started again by its pidfile: the broker of the soak
    (the one scripts/with-services.sh started, or a private one) and of the test suite's services tests."""

    def __init__(self, *, port: int, directory: str) -> None:
        self.port = port
        self.directory = directory
        self.pidfile = os.path.join(directory, "redis.pid")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self, *, timeout: float = 15) -> None:
        if self.ping():
            return
        subprocess.run(
            [
                "redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--daemonize", "yes",
                "--save", "", "--appendonly", "no", "--dir", self.directory,
                "--pidfile", self.pidfile, "--logfile", os.path.join(self.directory, "redis.log"),
            ],
            check=True,
        )
        wait_for(self.ping, timeout=timeout, what=f"redis-server on port {self.port}")

    def stop(self, *, timeout: float = 15) -> None:
        """Stop it as a crash would: nothing saved, the queued messages lost with it."""
        try:
            pid = int(Path(self.pidfile).read_text().strip())
        except (OSError, ValueError):
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        wait_for(lambda: not self.ping() and not pid_alive(pid), timeout=timeout, what="redis-server to stop")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def holds_messages(self, queue: str = "celery") -> bool:
        """Whether a task message waits in ``queue`` or is held, unacknowledged, by a worker (kombu's keys)."""
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        return bool(client.llen(queue) or client.hlen("unacked"))


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


class CeleryWorker:
    """``celery -A mybusiness worker`` in a process group of its own (a SIGKILL reaches its pool too)."""

    def __init__(self, *, directory: Path, env: dict[str, str], concurrency: int = 2, name: str = "soak") -> None:
        self.directory = Path(directory)
        self.env = env
        self.concurrency = concurrency
        self.name = name
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def logfile(self) -> Path:
        return self.directory / f"worker-{self.starts}.log"

    def log(self) -> str:
        try:
            return self.logfile.read_text(errors="replace")
        except OSError:
            return ""

    def start(self, *, timeout: float = 60) -> None:
        self.starts += 1
        pidfile = self.directory / "worker.pid"
        pidfile.unlink(missing_ok=True)  # left by a killed worker: celery would refuse to start
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "mybusiness", "worker", "--pool=prefork",
                f"--concurrency={self.concurrency}", "--without-mingle", "--without-gossip", "--loglevel=INFO",
                f"--hostname={self.name}-{os.getpid()}-{self.starts}@%h",
                f"--pidfile={pidfile}", f"--logfile={self.logfile}",
            ],
            env=self.env, cwd=str(PROJECT_ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while " ready." not in self.log():
            if self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"the Celery worker was not ready within {timeout} s:\n{self.log()[-3000:]}")
            time.sleep(0.1)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def restart(self) -> None:
        self.stop()
        self.start()

    def kill(self) -> None:
        """A crash: SIGKILL to the worker's process group; nothing acknowledged or given back."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._wait_group_gone()

    def stop(self, *, timeout: float = 30) -> None:
        """A warm shutdown (SIGTERM): the task in progress finishes, unacknowledged messages go back."""
        if not self.running:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        self._wait_group_gone()

    def _wait_group_gone(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


def wait_for(predicate: Callable[[], object], *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not reached within {timeout} s")
        time.sleep(interval)


class Sweeper:
    """Beat's job, faster: publish ``sweep_lost_handoffs`` and ``sweep_unsent_emails`` every ``interval_s``."""

    def __init__(self, *, interval_s: float = 2) -> None:
        self.interval_s = interval_s
        self.published = 0
        self.failed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from mybusiness.tasks import sweep_unsent_emails
        from orders.tasks import sweep_lost_handoffs

        while not self._stop.wait(self.interval_s):
            try:
                sweep_lost_handoffs.apply_async(retry=False)
                sweep_unsent_emails.apply_async(retry=False)
                self.published += 1
            except Exception:  # the broker is down or its connection broke: the next tick publishes again
                self.failed += 1

    def __enter__(self) -> Sweeper:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
