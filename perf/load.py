"""A small local load generator: N keep-alive HTTP/1.1 connections for a given time (asyncio, stdlib only).

``run_load(url=..., connections=32, duration_s=60, cookies=...)`` returns a ``LoadResult``:
requests completed, errors by kind (``HTTP 404``, ``ConnectionResetError``, ``timeout``...),
requests per second and latency percentiles. Every response whose status is not the expected
one (200) is an error, redirects included: a session that expired shows up as ``HTTP 302``.

``login_session`` logs a user in through the portal's real login form (CSRF token and all) and
returns the cookies; ``measure_list_vs_bare`` is B6: the order list's requests/s against the bare
view's, on the same server in the same run.

One event loop in one thread drives every connection: on a 2-core machine the generator must
leave the cores to the server it measures, and a coroutine per connection costs far less than a
thread per connection.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from perf import BARE_PATH

LOGIN_PATH = "/compte/connexion/"


@dataclass
class LoadResult:
    url: str
    connections: int
    duration_s: float  # from the first request sent to the last response received
    requests: int  # every attempt that ended: a response (any status) or a failure
    errors: dict[str, int] = field(default_factory=dict)  # kind → count
    latencies_ms: list[float] = field(default_factory=list, repr=False)  # of the responses received
    reconnects: int = 0  # keep-alive connections the server closed between two requests (retried)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def ok(self) -> int:
        return self.requests - self.error_count

    @property
    def rps(self) -> float:
        """Requests per second that got the expected status."""
        return self.ok / self.duration_s if self.duration_s > 0 else 0.0

    def percentile_ms(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))  # nearest rank
        return ordered[rank]

    @property
    def p50_ms(self) -> float:
        return self.percentile_ms(50)

    @property
    def p95_ms(self) -> float:
        return self.percentile_ms(95)

    @property
    def p99_ms(self) -> float:
        return self.percentile_ms(99)

    def summary(self) -> str:
        errors = ", ".join(f"{kind}: {count}" for kind, count in sorted(self.errors.items())) or "none"
        return (
            f"{self.requests} requests in {self.duration_s:.1f} s at {self.connections} connections: "
            f"{self.rps:.1f} req/s, p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms, "
            f"p99 {self.p99_ms:.1f} ms; errors: {errors}"
        )


class _Stats:
    def __init__(self) -> None:
        self.requests = 0
        self.errors: Counter[str] = Counter()
        self.latencies_ms: list[float] = []
        self.reconnects = 0
        self.first_sent: float | None = None
        self.last_done = 0.0


class _ServerClosed(Exception):
    """A reused keep-alive connection was closed before any byte of the response: send again."""


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return (status, whether the connection stays open)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if not error.partial:
            raise _ServerClosed from None
        raise
    lines = head[:-4].split(b"\r\n")
    version, status_text = lines[0].split(b" ", 2)[:2]
    status = int(status_text)
    headers: dict[bytes, bytes] = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    connection = headers.get(b"connection", b"").lower()
    keep_alive = connection == b"keep-alive" if version == b"HTTP/1.0" else connection != b"close"
    if 100 <= status < 200 or status in (204, 304):
        return status, keep_alive
    if b"content-length" in headers:
        await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0].strip(), 16)
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                    pass
                break
            await reader.readexactly(size + 2)
    else:
        await reader.read()  # the body runs to the end of the connection
        keep_alive = False
    return status, keep_alive


async def _one_connection(
    *, host: str, port: int, request: bytes, deadline: float, stats: _Stats, expect_status: int, timeout_s: float
) -> None:
    writer: asyncio.StreamWriter | None = None
    reader: asyncio.StreamReader | None = None
    reused = False

    def close() -> None:
        nonlocal writer, reader
        if writer is not None:
            writer.close()
        writer = reader = None

    while time.monotonic() < deadline:
        started = time.perf_counter()
        if stats.first_sent is None:
            stats.first_sent = started
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
                reused = False
            writer.write(request)
            status, keep_alive = await asyncio.wait_for(_read_response(reader), timeout_s)
        except _ServerClosed:
            close()
            if reused:  # the server closed an idle keep-alive connection: not the request's failure
                stats.reconnects += 1
                continue
            stats.requests += 1
            stats.errors["connection closed without a response"] += 1
            continue
        except TimeoutError:
            close()
            stats.requests += 1
            stats.errors["timeout"] += 1
            continue
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError) as error:
            close()
            stats.requests += 1
            stats.errors[type(error).__name__] += 1
            await asyncio.sleep(0.01)  # a refused connection must not spin
            continue
        done = time.perf_counter()
        stats.requests += 1
        stats.latencies_ms.append((done - started) * 1000)
        stats.last_done = done
        if status != expect_status:
            stats.errors[f"HTTP {status}"] += 1
        if keep_alive:
            reused = True
        else:
            close()
    close()


def _request_bytes(parts: urllib.parse.SplitResult, cookies: Mapping[str, str] | None) -> bytes:
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    lines = [
        f"GET {target} HTTP/1.1",
        f"Host: {parts.netloc}",
        "User-Agent: mybusiness-perf",
        "Accept: text/html",
        "Accept-Encoding: identity",
    ]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items()))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _run(*, url, connections, duration_s, cookies, expect_status, timeout_s) -> LoadResult:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"an http:// URL is needed, got {url!r}")
    request = _request_bytes(parts, cookies)
    stats = _Stats()
    deadline = time.monotonic() + duration_s
    await asyncio.gather(
        *(
            _one_connection(
                host=parts.hostname, port=parts.port or 80, request=request, deadline=deadline, stats=stats,
                expect_status=expect_status, timeout_s=timeout_s,
            )
            for _ in range(connections)
        )
    )
    end = time.perf_counter()
    elapsed = end - stats.first_sent if stats.first_sent is not None else 0.0
    return LoadResult(
        url=url, connections=connections, duration_s=elapsed, requests=stats.requests, errors=dict(stats.errors),
        latencies_ms=stats.latencies_ms, reconnects=stats.reconnects,
    )


def run_load(
    *,
    url: str,
    connections: int,
    duration_s: float,
    cookies: Mapping[str, str] | None = None,
    expect_status: int = 200,
    timeout_s: float = 30,
) -> LoadResult:
    """GET ``url`` over ``connections`` connections for ``duration_s`` seconds, each connection
    sending its next request as soon as the previous response is read (a closed loop)."""
    return _run_to_completion(
        lambda: _run(
            url=url, connections=connections, duration_s=duration_s, cookies=cookies,
            expect_status=expect_status, timeout_s=timeout_s,
        )
    )


def _run_to_completion(make_coroutine):
    """``asyncio.run``, in a thread of its own when this thread already runs an event loop
    (Playwright's sync API leaves one running in the test suite's main thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = asyncio.run(make_coroutine())
        except BaseException as error:  # handed to the calling thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="perf-load")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


# ---------------------------------------------------------------------------
# A logged-in session.

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def login_session(*, base_url: str, email: str, password: str, login_path: str = LOGIN_PATH) -> dict[str, str]:
    """Log in through the real login form (GET it for the CSRF token, POST it); return the cookies.

    Raises ``RuntimeError`` if the portal does not answer the POST with the redirect of a
    successful login and a session cookie.
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    login_url = base_url.rstrip("/") + login_path
    with opener.open(login_url, timeout=30) as response:
        page = response.read().decode("utf-8", "replace")
    match = CSRF_INPUT.search(page)
    if match is None:
        raise RuntimeError(f"no CSRF token in the login form at {login_url}")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": email, "password": password}
    ).encode()
    request = urllib.request.Request(login_url, data=form, headers={"Referer": login_url})  # noqa: S310
    try:
        with opener.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:  # the 302 of a successful login, not followed
        status = error.code
    cookies = {cookie.name: cookie.value for cookie in jar}
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login as {email} failed (HTTP {status}, cookies: {sorted(cookies)})")
    return cookies


# ---------------------------------------------------------------------------
# B6: the order list against the bare view.


def measure_list_vs_bare(
    *,
    base_url: str,
    cookies: Mapping[str, str] | None,
    list_path: str,
    connections: int,
    duration_s: float,
    repeats: int = 3,
    warmup_s: float = 2,
    bare_path: str = BARE_PATH,
) -> dict:
    """Requests/s of ``list_path`` and of the bare view, alternated ``repeats`` times; medians and ratio.

    Both get the same cookies (the same logged-in session): the difference is the list view's own
    work, not the session and user lookups that any logged-in request pays. The order within each
    round alternates (list first, then bare first) so that a drift of the machine does not favour one.
    """
    base = base_url.rstrip("/")
    list_url, bare_url = base + list_path, base + bare_path
    for url in (list_url, bare_url):  # templates compiled, connections opened, in every worker
        run_load(url=url, connections=connections, duration_s=warmup_s, cookies=cookies)
    rounds = []
    for index in range(repeats):
        pair = [("list", list_url), ("bare", bare_url)]
        if index % 2:
            pair.reverse()
        results = {name: run_load(url=url, connections=connections, duration_s=duration_s, cookies=cookies)
                   for name, url in pair}
        rounds.append(results)
    list_rps = statistics.median(r["list"].rps for r in rounds)
    bare_rps = statistics.median(r["bare"].rps for r in rounds)
    return {
        "list_path": list_path,
        "bare_path": bare_path,
        "connections": connections,
        "duration_s": duration_s,
        "repeats": repeats,
        "list_rps": list_rps,
        "bare_rps": bare_rps,
        "ratio": list_rps / bare_rps if bare_rps else 0.0,
        "list_p95_ms": statistics.median(r["list"].p95_ms for r in rounds),
        "bare_p95_ms": statistics.median(r["bare"].p95_ms for r in rounds),
        "errors": sum(r[name].error_count for r in rounds for name in ("list", "bare")),
        "rounds": [{name: result.summary() for name, result in r.items()} for r in rounds],
    }
