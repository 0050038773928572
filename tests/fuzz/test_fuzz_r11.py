"""R11: no input yields a server error, generated like the authorization matrix (issue 20).

Every route of the URL configuration, the admin's included, is asked for:

* with each path parameter replaced by absurd values of its converter's kind (huge numbers, unknown
  UUIDs, very long or encoded text, NUL), the others valid, as anonymous and as the roles that reach it;
* with each query parameter the page knows given absurd values: the names of its own form inputs and
  links, the admin changelist's filters (``expected_parameters()`` of each filter) and date hierarchy
  (``__year``, ``__month``, ``__day``), and the parameters every list reads (page, sort, search...),
  with and without ``HX-Request`` (and the htmx headers naming a fragment);
* every htmx fragment name of the wizard, for every step;
* POSTed broken bodies: empty, malformed JSON, malformed multipart, NUL in every field of the page's
  forms, absurd numbers, and formset management forms out of range.

Any answer of 500 or more, and any exception escaping a view, fails the test with the request that
caused it. The values are fixed lists (every parameter gets them all, so nothing depends on luck).
"""

from __future__ import annotations

import itertools
import re
import uuid
from html import unescape
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test import RequestFactory

from orders.wizard import engine
from tests.factories import StaffFactory
from tests.urlconf import routes
from tests.world import partner_world

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
HUGE = "99999999999999999999"
PATH_ABSURD = {
    "int": [HUGE],
    "uuid": [str(uuid.UUID(int=0))],
    "slug": ["a" * 300, HUGE],
    "str": ["%00", "%C3%A9%F0%9F%92%A5%FF", HUGE],
    "path": ["%00", "a/b/../c"],
}
# Every parameter gets the first ones; the rest are spread over the parameters in turn.
QUERY_ALWAYS = [HUGE, "\x00"]
QUERY_SPREAD = ["abc", "-1", "x" * 3000, "1e309", "9999-99-99", "2026-02-30", "0", "é\u202e%"]
# What lists read whatever their own form shows.
COMMON_PARAMS = ["page", "p", "o", "q", "sort", "per_page", "columns", "e", "all", "next", "statut", "status",
                 "_changelist_filters", "_popup", "_to_field", "step", "fragment", "format"]
HTMX_HEADERS = [{}, {"HTTP_HX_REQUEST": "true"},
                {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "\x00x", "HTTP_HX_TRIGGER_NAME": "a" * 500}]
INPUT_NAME = re.compile(r'\bname="([^"]{1,200})"')
LINK_QUERY = re.compile(r'href="[^"?]*\?([^"#]{1,500})"')


ROUTES = routes()


@pytest.fixture
def world(partner, partner_user, partner_admin, sales_admin, cloud_member):
    """One of everything of ``partner``: the valid value of each path parameter, by view and parameter name."""
    from mybusiness.models import OutboxEmail, Partner, User

    world = partner_world(partner=partner, user=partner_admin)
    draft, document, certificate = world.draft, world.document, world.certificate
    site, opportunity, colleague = world.site, world.opportunity, world.colleague
    OutboxEmail.objects.create(template="t", to="a@b.example", subject="s", body="b")
    by_param = {
        "public_id": str(draft.public_id), "document_id": str(document.public_id), "step": "type",
        "fragment": "origins", "number": site.number, "file_format": "csv", "name": "commandes-par-semaine",
        "uidb64": "MQ", "token": "set-password",
    }
    by_view = {
        "certificate_download": {"public_id": str(certificate.public_id)},
        "partner_user_deactivate": {"public_id": str(colleague.public_id)},
        "partner_user_reactivate": {"public_id": str(colleague.public_id)},
        "opportunity_detail": {"number": opportunity.number},
    }
    # The admin's pages of one object: a row of that model.
    objects = {model: model._default_manager.order_by("pk").values_list("pk", flat=True).first()
               for model in admin.site._registry}
    objects[Partner], objects[User] = partner.pk, partner_user.pk
    users = {"anonymous": None, "partner": partner_admin, "sales_admin": sales_admin, "cloud": cloud_member,
             "superuser": StaffFactory(is_superuser=True, email="root@vendor.example")}
    return {"by_param": by_param, "by_view": by_view, "objects": objects, "users": users}


def admin_model(view_name: str):
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if view_name.startswith(prefix):
            return model, model_admin
    return None, None


def valid_value(world, view_name: str, param: str):
    model, _model_admin = admin_model(view_name)
    if model is not None and param == "object_id":
        return str(world["objects"].get(model) or 1)
    if param in world["by_view"].get(view_name, {}):
        return world["by_view"][view_name][param]
    if view_name.startswith("admin:") and param in ("app_label",):
        return "orders"
    return world["by_param"].get(param, "1")


def fill(world, view_name: str, route: str, override: dict | None = None) -> str:
    override = override or {}

    def value(match):
        name = match.group("name")
        return override.get(name, valid_value(world, view_name, name))

    return "/" + PLACEHOLDER.sub(value, route)


class Failures(list):
    def request(self, client, method: str, path: str, **kwargs):
        try:
            response = getattr(client, method)(path, **kwargs)
        except Exception as error:  # an exception escaping a view is a server error
            self.append(f"{method.upper()} {path[:200]} {kwargs.get('data', '')!r:.120}: {type(error).__name__}: "
                        f"{str(error)[:200]}")
            return None
        if response.status_code >= 500:
            self.append(f"{method.upper()} {path[:200]} {kwargs.get('data', '')!r:.120}: {response.status_code}")
        return response


def login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def page_params(response) -> set[str]:
    """The query parameters a page shows it reads: its inputs' names and its links' query keys."""
    if response is None or response.status_code != 200 or response.streaming:
        return set()
    if "html" not in response.get("Content-Type", ""):
        return set()
    body = response.content.decode(errors="replace")
    names = {unescape(name) for name in INPUT_NAME.findall(body)}
    for query in LINK_QUERY.findall(body):
        names.update(part.split("=", 1)[0] for part in unescape(query).split("&") if part)
    return {name for name in names if name and name != "csrfmiddlewaretoken"}


def admin_params(model_admin, user) -> set[str]:
    """The changelist's filter and date-hierarchy parameters, from the admin's own filter objects."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = set(itertools.chain.from_iterable(spec.expected_parameters() for spec in changelist.filter_specs))
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        names |= {f"{field}__year", f"{field}__month", f"{field}__day"}
    return names


def reaching_users(client, world, path: str) -> list:
    """The signed-in users who get the page (200), or the first who gets anything but a refusal."""
    reached = []
    for role in ("partner", "sales_admin", "cloud", "superuser"):
        response = login(client, world["users"][role]).get(path)
        if response.status_code == 200:
            reached.append(world["users"][role])
    return reached[:1] or [world["users"]["superuser"]]


def broken_bodies(names: set[str]) -> list[tuple[object, str | None]]:
    fields = sorted(names)[:60]
    prefixes = {name[: -len("TOTAL_FORMS")] for name in fields if name.endswith("TOTAL_FORMS")} | {"form-"}
    management = [
        {f"{prefix}TOTAL_FORMS": total, f"{prefix}INITIAL_FORMS": initial, f"{prefix}MAX_NUM_FORMS": "1000"}
        for prefix in prefixes for total, initial in (("-1", "0"), (HUGE, "0"), ("abc", "x"), ("5", "9"))
    ]
    return [
        ({}, None),
        ("{", "application/json"),
        ("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n", "multipart/form-data; boundary=b"),
        ("x=1", "multipart/form-data"),
        ("\x00=\x00&%ZZ=%", "application/x-www-form-urlencoded"),
        (dict.fromkeys(fields, "\x00"), None),
        (dict.fromkeys(fields, HUGE), None),
        ({name: ["a" * 5000, "b"] for name in fields}, None),
        *[(data, None) for data in management],
    ]


@pytest.mark.parametrize(("view_name", "route"), ROUTES, ids=[name for name, _route in ROUTES])
def test_no_input_gives_a_server_error(client, world, view_name, route):
    failures = Failures()
    path = fill(world, view_name, route)
    users = reaching_users(client, world, path)
    cycle = itertools.cycle(HTMX_HEADERS)

    # Each path parameter, absurd in turn, as anonymous and as the users who reach the page.
    for match in PLACEHOLDER.finditer(route):
        converter, name = match.group("converter") or "str", match.group("name")
        for value in PATH_ABSURD.get(converter, PATH_ABSURD["str"]):
            absurd = fill(world, view_name, route, {name: value})
            for user in [None, *users]:
                failures.request(login(client, user), "get", absurd, **next(cycle))
        login(client, None)

    # Each query parameter the page knows, absurd, with and without htmx.
    for user in users:
        login(client, user)
        known = page_params(failures.request(client, "get", path))
        _model, model_admin = admin_model(view_name)
        if model_admin is not None and view_name.endswith("_changelist"):
            known |= admin_params(model_admin, user)
        spread = itertools.cycle(QUERY_SPREAD)
        for param in sorted(known | set(COMMON_PARAMS)):
            for value in [*QUERY_ALWAYS, next(spread)]:
                failures.request(client, "get", f"{path}?{urlencode({param: value})}", **next(cycle))

        # Broken bodies, to every route (a GET-only one answers 405).
        for data, content_type in broken_bodies(known):
            kwargs = {"data": data, **next(cycle)}
            if content_type:
                kwargs["content_type"] = content_type
            failures.request(client, "post", path, **kwargs)

    assert failures == [], "\n".join(failures[:30])


@pytest.mark.parametrize("step", [step.identifier for step in engine.STEPS])
def test_every_fragment_name_of_every_step(client, world, step, partner_admin):
    """The wizard's htmx fragments: every step × every known fragment name and absurd ones."""
    from orders.views import FRAGMENTS

    failures = Failures()
    login(client, partner_admin)
    draft = world["by_param"]["public_id"]
    names = {name for _step, name in FRAGMENTS} | {"x", "a" * 300, HUGE, "-"}
    for name, headers in itertools.product(sorted(names), HTMX_HEADERS):
        failures.request(client, "get", f"/commandes/{draft}/etapes/{step}/{name}/", **headers)
        failures.request(client, "get", f"/commandes/nouvelle/{name}/?type=%00&origin={HUGE}", **headers)
    assert failures == [], "\n".join(failures)


def test_a_missing_csrf_token_is_refused_not_a_server_error(world):
    from tests.otp import Client

    client = Client(enforce_csrf_checks=True)
    for view_name, route in ROUTES:
        response = client.post(fill(world, view_name, route), {"x": "\x00"})
        assert response.status_code < 500, view_name
