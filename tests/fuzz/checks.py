"""How the fuzz tests send hostile requests and judge the answers (R2).

``post_form`` and ``get_query`` encode the body or query string themselves, so that raw bytes
(invalid UTF-8, lone surrogates), NUL characters and repeated keys reach the server exactly as a
hostile client would send them. The judgement: never a server error (the test client re-raises a
view's uncaught exception, so an exception fails the example too), and a refused form names every
refused field with a message a French-speaking partner can read, shown on the page.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from urllib.parse import quote_from_bytes

from django.contrib.messages import get_messages
from django.db import transaction
from django.utils.html import escape

from tests.fuzz.strategies import HostileFile, RawBytes


def _encode(value) -> bytes:
    if isinstance(value, RawBytes):
        return value.value
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")


def _pairs(data: dict) -> list[tuple[bytes, bytes]]:
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append((_encode(key), _encode(item)))
    return pairs


def urlencode(data: dict) -> str:
    return "&".join(f"{quote_from_bytes(k, safe='')}={quote_from_bytes(v, safe='')}" for k, v in _pairs(data))


def post_form(client, url: str, data: dict, **extra):
    """POST ``data`` as application/x-www-form-urlencoded, byte for byte."""
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded", **extra)


def get_query(client, url: str, params: dict, **extra):
    query = urlencode(params)
    return client.get(f"{url}?{query}" if query else url, **extra)


def post_multipart(client, url: str, fields: dict, files: list[tuple[str, HostileFile]], **extra):
    """POST a multipart body built by hand: hostile file names and content types go out unescaped."""
    boundary = uuid.uuid4().hex
    lines: list[bytes] = []
    for key, value in _pairs(fields):
        lines += [b"--" + boundary.encode(), b'Content-Disposition: form-data; name="' + key + b'"', b"", value]
    for key, upload in files:
        lines += [
            b"--" + boundary.encode(),
            b'Content-Disposition: form-data; name="' + _encode(key) + b'"; filename="' + _encode(upload.name) + b'"',
            b"Content-Type: " + _encode(upload.content_type),
            b"",
            upload.content,
        ]
    lines += [b"--" + boundary.encode() + b"--", b""]
    return client.post(
        url, b"\r\n".join(lines), content_type=f"multipart/form-data; boundary={boundary}", **extra
    )


@contextlib.contextmanager
def rolled_back():
    """One example in a savepoint rolled back at its end: no example sees another's rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------
# Judging the answer

# Words of Django's English messages (and of any untranslated one): none belongs in a French message.
_ENGLISH = re.compile(
    r"\b(this|field|enter|ensure|select|value|characters?|allowed|required|please|must|invalid|number|"
    r"the|is|are|not|file|submitted|empty|choice|available)\b",
    re.IGNORECASE,
)


def looks_french(message: str) -> bool:
    return bool(message.strip()) and not _ENGLISH.search(message)


def assert_no_server_error(response) -> None:
    assert response.status_code < 500, f"server error {response.status_code}"


def form_of(response, name: str = "form"):
    assert response.context is not None, f"no template rendered (status {response.status_code})"
    return response.context[name]


def assert_errors_clear(response, form) -> None:
    """Each error of ``form`` is on one of its fields (or the form), non-empty, French, and on the page."""
    body = response.content.decode()
    for field, messages in form.errors.items():
        assert field == "__all__" or field in form.fields, f"error on an unknown field {field!r}"
        assert messages, f"{field}: an empty error list"
        for message in messages:
            assert looks_french(message), f"{field}: {message!r} is not a French message"
            assert escape(message) in body, f"{field}: {message!r} is not shown on the page"


def assert_refused(response, fields=(), *, form: str = "form") -> None:
    """The form came back (200/400), refusing at least each of ``fields`` with a clear message."""
    assert response.status_code in (200, 400), f"expected the form again, got {response.status_code}"
    bound = form_of(response, form)
    assert bound.errors, "the form came back without saying what is wrong"
    missing = [field for field in fields if field not in bound.errors]
    assert not missing, f"no message for the refused field(s) {missing}: {dict(bound.errors)}"
    assert_errors_clear(response, bound)


def assert_accepted_or_refused(response, *, form: str = "form", refused_fields=()) -> None:
    """Whatever the input: a redirect (accepted), or the form again with clear messages."""
    assert_no_server_error(response)
    if response.status_code in (301, 302, 303):
        assert not refused_fields, f"accepted although {list(refused_fields)} should have been refused"
        return
    assert_refused(response, refused_fields, form=form)


def flashed(response) -> list[str]:
    """The messages (django.contrib.messages) the request queued."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def assert_flashed_clear(response) -> list[str]:
    messages = flashed(response)
    for message in messages:
        assert looks_french(message), f"{message!r} is not a French message"
    return messages


def _stored_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _stored_strings(key)
            yield from _stored_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _stored_strings(item)


def assert_no_nul_stored() -> None:
    """No row of the portal's tables holds a NUL character: PostgreSQL would have refused it with a
    server error, so a form that let one through on SQLite is a crash waiting on PostgreSQL."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.app_label not in {"orders", "customer_sites", "opportunities", "certificates", "mybusiness"}:
            continue
        for row in model.objects.values():
            for column, value in row.items():
                for text in _stored_strings(value):
                    assert "\x00" not in text, f"{model._meta.label}.{column} stored a NUL character: {text[:80]!r}"
