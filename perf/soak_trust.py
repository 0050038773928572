"""The soak run's trust checks (issue 20): R12 and R13 against gunicorn's worker processes, at once.

The unit tests prove each rule in one process; here many requests race across processes that share only
the database and the Redis cache, as in production behind the proxy (``TRUSTED_PROXY_COUNT=1``):

* R12 — one account attacked at once from many addresses, in many spellings of its email: it ends locked;
  one address trying many accounts at once: capped, while the same account from another address logs in;
  one email's password reset asked many times at once: no more emails than the limit.
* R13 — partner users loading their order list without pause while their company is deactivated: no
  request started after the deactivation's commit is answered with the page; after reactivation their
  old session cookies stay out, a fresh login works, and their orders are all still there.
"""

from __future__ import annotations

import http.cookiejar
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from perf.load import CSRF_INPUT, LOGIN_PATH, NoRedirect, login_session
from perf.soak_setup import DEMO_PARTNER_USER, DEMO_PASSWORD, say

DEMO_PARTNER_ADMIN = "partner-admin@demo.example"
ORDER_LIST_PATH = "/commandes/"
RESET_PATH = "/compte/mot-de-passe/oubli/"
THROTTLED_TEXT = "Trop de tentatives de connexion depuis votre"


def trust_env(cache_url: str) -> dict[str, str]:
    """What the server of these checks runs with: one trusted proxy, the throttles' counts shared in Redis."""
    return {"TRUSTED_PROXY_COUNT": "1", "CACHE_URL": cache_url}


def _random_address() -> str:
    return f"198.51.{random.randint(0, 255)}.{random.randint(1, 254)}"


def post_form(base_url: str, path: str, fields: dict[str, str], *, client_address: str) -> tuple[int, str]:
    """GET the form for its CSRF token, POST it as the client at ``client_address`` (through the proxy)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    headers = {"X-Forwarded-For": client_address}
    url = base_url + path
    with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:  # noqa: S310
        token = CSRF_INPUT.search(response.read().decode("utf-8", "replace")).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    request = urllib.request.Request(url, data=body, headers={**headers, "Referer": url})  # noqa: S310
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _spellings(email: str) -> list[str]:
    return [email, email.upper(), f"  {email}", email.capitalize(), f"{email} ", email.swapcase()]


def check_r12(*, base_url: str, connections: int) -> tuple[bool, str]:
    from axes.models import AccessAttempt
    from django.conf import settings

    from mybusiness.models import OutboxEmail

    problems: list[str] = []
    with ThreadPoolExecutor(connections) as pool:
        # One account, many spellings, many addresses, all at once.
        spellings = _spellings(DEMO_PARTNER_USER)
        statuses = list(pool.map(
            lambda n: post_form(base_url, LOGIN_PATH, {"username": spellings[n % len(spellings)],
                                                         "password": "wrong"}, client_address=_random_address())[0],
            range(connections)))
        locked_status, _page = post_form(base_url, LOGIN_PATH, {"username": DEMO_PARTNER_USER.upper(),
                                                                 "password": DEMO_PASSWORD},
                                         client_address=_random_address())
        if locked_status != 429:
            problems.append(f"the account was not locked after {connections} wrong passwords (HTTP {locked_status})")
        if AccessAttempt.objects.values("username").distinct().count() != 1:
            problems.append("the failures were counted under several usernames")
        account = f"{statuses.count(429)} of {connections} attempts answered 429, then the right password 429"
        AccessAttempt.objects.all().delete()

        # One address, many accounts, at once.
        address = _random_address()
        tries = settings.LOGIN_FAILURES_PER_ADDRESS + 2 * connections
        answers = list(pool.map(
            lambda n: post_form(base_url, LOGIN_PATH, {"username": f"nobody{n}@demo.example", "password": "x"},
                                client_address=address)[1],
            range(tries)))
        throttled = sum(THROTTLED_TEXT in page for page in answers)
        if throttled < tries - settings.LOGIN_FAILURES_PER_ADDRESS - connections:
            problems.append(f"only {throttled} of {tries} attempts from one address were throttled")
        _status, page = post_form(base_url, LOGIN_PATH, {"username": DEMO_PARTNER_ADMIN, "password": DEMO_PASSWORD},
                                  client_address=address)
        if THROTTLED_TEXT not in page:
            problems.append("the capped address still logged in")
        elsewhere, _page = post_form(base_url, LOGIN_PATH, {"username": DEMO_PARTNER_ADMIN, "password": DEMO_PASSWORD},
                                     client_address=_random_address())
        if elsewhere != 302:
            problems.append(f"the account tried from the capped address could not log in elsewhere (HTTP {elsewhere})")
        per_address = f"{throttled} of {tries} attempts from one address throttled, the account fine elsewhere"

        # One email's password reset asked for at once.
        before = OutboxEmail.objects.filter(to=DEMO_PARTNER_USER).count()
        resets = list(pool.map(
            lambda n: post_form(base_url, RESET_PATH, {"email": spellings[n % len(spellings)]},
                                client_address=_random_address())[0], range(connections)))
        sent = OutboxEmail.objects.filter(to=DEMO_PARTNER_USER).count() - before
        if sent > settings.PASSWORD_RESETS_PER_EMAIL or set(resets) != {302}:
            problems.append(f"{sent} reset emails for {connections} requests, answers {sorted(set(resets))}")
        reset = f"{connections} resets at once: {sent} emails (limit {settings.PASSWORD_RESETS_PER_EMAIL})"
    AccessAttempt.objects.all().delete()
    return not problems, "; ".join(problems) or f"{account}; {per_address}; {reset}"


def _get(base_url: str, path: str, cookies: dict[str, str]) -> int:
    request = urllib.request.Request(  # noqa: S310 (loopback)
        base_url + path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    )
    opener = urllib.request.build_opener(NoRedirect())
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_r13(*, base_url: str, connections: int, seconds: float) -> tuple[bool, str]:
    from django.db import transaction

    from mybusiness.models import Partner, User
    from mybusiness.services import sessions_end
    from orders.models import Order

    sessions = [login_session(base_url=base_url, email=email, password=DEMO_PASSWORD)
                for email in (DEMO_PARTNER_USER, DEMO_PARTNER_ADMIN)]
    partner = User.objects.get(email=DEMO_PARTNER_USER).partner
    orders_before = Order.objects.filter(partner=partner).count()
    results: list[tuple[float, int]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def load(n: int) -> None:
        while not stop.is_set():
            started = time.monotonic()
            status = _get(base_url, ORDER_LIST_PATH, sessions[n % len(sessions)])
            with lock:
                results.append((started, status))

    with ThreadPoolExecutor(connections) as pool:
        for n in range(connections):
            pool.submit(load, n)
        time.sleep(seconds / 2)
        # What the admin's partner form does (mybusiness.admin.PartnerAdmin.save_model).
        with transaction.atomic():
            Partner.objects.filter(pk=partner.pk).update(is_active=False)
            sessions_end(users=User.objects.filter(partner=partner))
        deactivated_at = time.monotonic()
        time.sleep(seconds / 2)
        stop.set()

    before = [status for started, status in results if started < deactivated_at]
    after = [status for started, status in results if started > deactivated_at]
    problems = []
    if not before or set(before) - {200, 302}:
        problems.append(f"before the deactivation: {sorted(set(before))}")
    if 200 in after:
        problems.append(f"{after.count(200)} pages served after the deactivation")
    Partner.objects.filter(pk=partner.pk).update(is_active=True)
    stale = [_get(base_url, ORDER_LIST_PATH, cookies) for cookies in sessions]
    if stale != [302, 302]:
        problems.append(f"old sessions after reactivation answered {stale}")
    fresh = login_session(base_url=base_url, email=DEMO_PARTNER_USER, password=DEMO_PASSWORD)
    if _get(base_url, ORDER_LIST_PATH, fresh) != 200:
        problems.append("a fresh login after reactivation did not reach the list")
    if Order.objects.filter(partner=partner).count() != orders_before:
        problems.append("orders were lost")
    say(f"R13: {len(before)} requests before the deactivation, {len(after)} after ({after.count(302)} redirected)")
    happened = (f"{len(before)} pages before, {len(after)} requests after the deactivation all sent to the login; "
                f"old sessions out after reactivation; {orders_before} orders kept")
    return not problems, "; ".join(problems) or happened
