"""The partner REST API's shared parts (django-ninja): keys, errors, idempotency, pages.

Each app writes its own routes in its ``api.py`` over its services and selectors; the root URLconf
assembles them (``build_api``). What every route shares lives here:

* **Keys.** ``Authorization: Bearer mbk_…``; the key acts as the partner admin who created it, so every
  selector scopes it to their company as a page would. A read-only key is refused on a write.
* **Rate limit** per key (``API_RATE_LIMIT``): a counter per key and time window in the shared cache
  answers 429 with ``Retry-After``. (ninja's throttles keep each request's state on an object shared
  by every thread, and rewrite a list of every request's time in the cache at each request.)
* **Errors** are RFC 9457 problem details (``application/problem+json``), in the language of
  ``Accept-Language``: a refused form gives one message per field, the portal's own messages.
* **Idempotency-Key** on POST (``idempotent``): the same key and request answer the first answer again,
  without a second change; the same key with another request is refused.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, Generic, TypeVar

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import HttpBearer

from mybusiness import services
from mybusiness.models import ApiIdempotentRequest, ApiKey

PROBLEM_CONTENT_TYPE = "application/problem+json"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_PER_PAGE = 100
MAX_PAGE = 400

TITLES = {
    400: gettext_lazy("Requête incorrecte"),
    401: gettext_lazy("Clé d'API absente ou non valable"),
    403: gettext_lazy("Accès refusé"),
    404: gettext_lazy("Introuvable"),
    405: gettext_lazy("Méthode non permise"),
    409: gettext_lazy("Conflit"),
    413: gettext_lazy("Contenu trop volumineux"),
    422: gettext_lazy("Données refusées"),
    429: gettext_lazy("Trop de requêtes"),
}


class ApiProblem(Exception):
    """An answer other than success, as a problem details document."""

    def __init__(self, status: int, detail: str = "", *, errors: list[dict] | None = None, headers=None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, str(detail), errors or [], headers or {}


class Problem(Schema):
    """RFC 9457 problem details; ``errors`` holds one message per refused field (``pointer``: the field)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[dict[str, str]] = []


# Every answer other than success, documented on each operation.
PROBLEMS = dict.fromkeys((400, 401, 403, 404, 409, 413, 422, 429), Problem)


def answers(schema, status: int = 200) -> dict:
    """An operation's ``response``: its success, and the problems any operation may answer."""
    return {status: schema, **PROBLEMS}


def problem_response(request: HttpRequest, problem: ApiProblem) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(problem.status, "")),
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.path,
    }
    if problem.errors:
        body["errors"] = problem.errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=problem.status,
                            content_type=PROBLEM_CONTENT_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response


def field_error(field: str, message: str) -> dict[str, str]:
    return {"pointer": f"#/{field}" if field else "", "detail": str(message)}


def refused(error: DjangoValidationError, *, fields: dict[str, str] | None = None) -> ApiProblem:
    """A 422 from a domain or form error: one message per field (``fields`` renames a form field to the
    API's name), the general messages in ``detail``."""
    fields = fields or {}
    if hasattr(error, "error_dict"):
        general = error.error_dict.get(forms.forms.NON_FIELD_ERRORS, [])
        errors = [
            field_error(fields.get(name, name), " ".join(DjangoValidationError(items).messages))
            for name, items in error.error_dict.items()
            if name != forms.forms.NON_FIELD_ERRORS
        ]
        detail = " ".join(DjangoValidationError(general).messages) if general else ""
        return ApiProblem(422, detail or (errors[0]["detail"] if len(errors) == 1 else _("Des champs sont refusés.")),
                          errors=errors)
    return ApiProblem(422, " ".join(error.messages))


def form_refused(form: forms.BaseForm, *, fields: dict[str, str] | None = None) -> ApiProblem:
    """The form's errors as a 422, each field under the API's name for it."""
    return refused(DjangoValidationError(form.errors.as_data()), fields=fields)


# The messages of a request refused before any form saw it (a wrong type, a missing field): Django's own
# sentences, translated like the forms' ones.
_PARSE_MESSAGES = {
    "missing": forms.Field.default_error_messages["required"],
    "int_parsing": forms.IntegerField.default_error_messages["invalid"],
    "int_type": forms.IntegerField.default_error_messages["invalid"],
    "date_from_datetime_parsing": forms.DateField.default_error_messages["invalid"],
    "date_parsing": forms.DateField.default_error_messages["invalid"],
    "date_type": forms.DateField.default_error_messages["invalid"],
    "uuid_parsing": forms.UUIDField.default_error_messages["invalid"],
}


# The first parts of a pydantic error's location, which say where (not which field).
WHERE = ("body", "query", "path", "form", "file", "payload", "filters")


def _request_refused(request: HttpRequest, error: RequestValidationError) -> HttpResponse:
    errors: dict[str, str] = {}
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in WHERE]
        name = "/".join(location)
        kind = item.get("type", "")
        if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
            limit = next(iter(item.get("ctx", {}).values()), "")
            message = (MaxValueValidator.message if kind.startswith("less")
                       else MinValueValidator.message) % {"limit_value": limit}
        elif kind in ("string_too_long",):
            message = _("Ce texte est trop long (%(max)s caractères au plus).") % {
                "max": item.get("ctx", {}).get("max_length", "")}
        else:
            message = str(_PARSE_MESSAGES.get(kind, forms.Field.default_error_messages.get(
                "invalid", gettext_lazy("Saisissez une valeur valide."))))
        errors.setdefault(name, str(message))
    problem = ApiProblem(
        422,
        _("Des champs sont refusés.") if len(errors) != 1 else next(iter(errors.values())),
        errors=[field_error(name, message) for name, message in errors.items()],
    )
    return problem_response(request, problem)


# ---------------------------------------------------------------------------------------------- keys

def api_key_for(request: HttpRequest) -> ApiKey | None:
    """The request's live key, looked up once per request (auth and ``idempotent`` both ask)."""
    if not hasattr(request, "api_key"):
        header = request.headers.get("Authorization", "")
        scheme, _space, token = header.partition(" ")
        key = services.api_key_authenticate(token.strip()) if scheme.lower() == "bearer" else None
        request.api_key = key
    return request.api_key


class ApiKeyAuth(HttpBearer):
    """``Authorization: Bearer <key>``. The request then runs as the key's user."""

    def __call__(self, request: HttpRequest):
        key = api_key_for(request)
        if key is None:
            return None
        if request.method not in SAFE_METHODS and not key.can_write:
            raise ApiProblem(403, _("Cette clé d'API est en lecture seule : elle ne peut rien modifier."))
        wait = rate_limit_wait(key)
        if wait:
            raise ApiProblem(429, _("Trop de requêtes pour cette clé d'API : réessayez dans %(seconds)s secondes.")
                             % {"seconds": wait}, headers={"Retry-After": str(wait)})
        request.user = key.user
        return key

    def authenticate(self, request: HttpRequest, token: str):  # ``__call__`` reads the header itself
        return api_key_for(request)


PERIODS = {"s": 1, "m": 60, "h": 3600}


def rate_limit_wait(key: ApiKey) -> int:
    """0 if the key may make this request, else the seconds until its window ends (``API_RATE_LIMIT``,
    e.g. "600/m": 600 requests per key per clock minute). ``incr`` is atomic in Redis."""
    count, _slash, unit = settings.API_RATE_LIMIT.partition("/")
    allowed, period = int(count), PERIODS[unit[:1] or "m"]
    now = time.time()
    window = int(now // period)
    counter = f"api-rate:{key.pk}:{window}"
    cache.add(counter, 0, timeout=period + 1)
    try:
        used = cache.incr(counter)
    except ValueError:  # gone between add and incr (the window just ended)
        cache.set(counter, 1, timeout=period + 1)
        used = 1
    if used <= allowed:
        return 0
    return max(1, math.ceil((window + 1) * period - now))


# ---------------------------------------------------------------------------------------- idempotency

def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        # An upload is parsed (its files streamed to disk) rather than read whole into memory as ``body``.
        for name, values in sorted(request.POST.lists()):
            digest.update(json.dumps([name, values]).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(json.dumps([name, upload.name, upload.size]).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def idempotent(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For ``decorate_view`` on a POST: with an ``Idempotency-Key`` header, the first answer is kept and
    given again to the same request; another request with the same key is refused (422), and one sent
    while the first still runs is told to wait (409). A refusal or an error keeps nothing: the client
    may correct and send again with the same key."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        idempotency_key = request.headers.get("Idempotency-Key", "").strip()
        key = api_key_for(request)
        if not idempotency_key or key is None or request.method != "POST":
            return run(request, *args, **kwargs)
        if len(idempotency_key) > 255:
            return problem_response(request, ApiProblem(
                400, _("L'en-tête Idempotency-Key est limité à 255 caractères.")))
        fingerprint = _fingerprint(request)
        since = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
        ApiIdempotentRequest.objects.filter(api_key=key, key=idempotency_key, created_at__lt=since).delete()
        try:
            with transaction.atomic():
                record = ApiIdempotentRequest.objects.create(
                    api_key=key, key=idempotency_key, fingerprint=fingerprint)
        except IntegrityError:
            record = ApiIdempotentRequest.objects.filter(api_key=key, key=idempotency_key).first()
            if record is None:  # the first one failed meanwhile and let go of the key
                return run(request, *args, **kwargs)
            if record.fingerprint != fingerprint:
                return problem_response(request, ApiProblem(422, _(
                    "Cette clé Idempotency-Key a déjà servi pour une autre requête : choisissez-en une nouvelle.")))
            if record.status_code is None:
                return problem_response(request, ApiProblem(409, _(
                    "Une requête avec cette clé Idempotency-Key est en cours : réessayez dans un instant."),
                    headers={"Retry-After": "1"}))
            response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
            if record.location:
                response["Location"] = record.location
            response["Idempotent-Replayed"] = "true"
            return response
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            record.delete()
            raise
        if response.status_code >= 400 or getattr(response, "streaming", False):
            record.delete()
        else:
            ApiIdempotentRequest.objects.filter(pk=record.pk).update(
                status_code=response.status_code, content_type=response.get("Content-Type", ""),
                body=response.content, location=response.get("Location", ""))
        return response

    return wrapper


# ---------------------------------------------------------------------------------------------- pages

T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    page: int
    per_page: int
    has_next: bool


def page_of(queryset, *, page: int, per_page: int) -> dict[str, Any]:
    """Page ``page`` of an ordered queryset without counting it (one row more than a page)."""
    offset = (page - 1) * per_page
    rows = list(queryset[offset: offset + per_page + 1])
    return {"items": rows[:per_page], "page": page, "per_page": per_page, "has_next": len(rows) > per_page}


def form_data(payload: Schema, **renamed: str) -> dict[str, Any]:
    """A request body as a form's data: the fields sent (``None`` is left out, as a field left empty),
    dates as ISO text; ``renamed`` maps an API name to the form's."""
    data = {}
    for name, value in payload.model_dump(exclude_unset=True).items():
        if value is None:
            continue
        data[renamed.get(name, name)] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


# ------------------------------------------------------------------------------------------------ api

def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="myBusiness — API partenaires",
        version="1",
        description=(
            "Commander depuis votre ERP avec les règles du portail. Authentification : "
            "`Authorization: Bearer <clé>` (clés créées par un administrateur partenaire : menu de l’utilisateur, "
            "« Clés d’API »). "
            "Erreurs : RFC 9457 (`application/problem+json`), dans la langue d'`Accept-Language`."
        ),
        auth=ApiKeyAuth(),
        urls_namespace="api",
        docs_url="/docs",
    )

    @api.exception_handler(ApiProblem)
    def _problem(request, exc: ApiProblem):
        return problem_response(request, exc)

    @api.exception_handler(RequestValidationError)
    def _parse(request, exc):
        return _request_refused(request, exc)

    @api.exception_handler(DjangoValidationError)
    def _domain(request, exc):
        return problem_response(request, refused(exc))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return problem_response(request, ApiProblem(
            401, _("Indiquez une clé d'API valable : en-tête « Authorization: Bearer <clé> »."),
            headers={"WWW-Authenticate": 'Bearer realm="api"'}))

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return problem_response(request, ApiProblem(404, _("Cet objet n'existe pas ou n'est pas visible avec "
                                                           "cette clé d'API.")))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return problem_response(request, ApiProblem(403, str(exc) or _("Accès refusé.")))

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        return problem_response(request, ApiProblem(exc.status_code, str(exc)))

    return api
