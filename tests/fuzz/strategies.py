"""Hostile input for the fuzz tests (R2): strings, numbers, dates, wrong types and files.

Every strategy yields what a browser (or someone with curl) can put in a request: text that
reaches the form as ``str`` once Django has decoded the body, or raw bytes (``RawBytes``) that
are percent-encoded as they are, invalid UTF-8 and lone surrogates included. A value that is a
``list`` is sent as the same key repeated (a scalar field receiving several values).
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.factories_steps import PDF_BYTES

HUGE = 100_000


@dataclass(frozen=True)
class RawBytes:
    """Bytes sent as they are (percent-encoded), never decoded by the test: invalid UTF-8 reaches the server."""

    value: bytes


# Text that always breaks a database or a naive parser if it reaches one unchecked.
NUL_TEXT = ["\x00", "a\x00b", "\x00" * 8, "C012345\x00", "\x00' OR 1=1 --"]

HOSTILE_TEXT = [
    "",
    " ",
    "   \t\n ",
    "A" * HUGE,
    "é" * 5_000,
    "9" * 400,
    "\u202egpj.exe",  # right-to-left override
    "a\u200bb\u200c\u200d\ufeff",  # zero-width characters and a BOM
    "🙂" * 60,
    "👨\u200d👩\u200d👧\u200d👦",
    "ｆｕｌｌｗｉｄｔｈ",
    "e\u0301" * 30,  # combining accents (NFD)
    "' OR '1'='1' --",
    "'; DROP TABLE orders_order; --",
    "1; SELECT pg_sleep(5)",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% debug %}",
    "%s%s%s%n%(x)s",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "\r\nX-Injected: 1\r\n\r\n",
    "\x1b[31m\x7f\x08",
    "\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
    "null",
    "None",
    "undefined",
    "true",
    "[]",
    "{}",
    '{"a": [1, 2]}',
    "NaN",
    "Infinity",
    "-Infinity",
]

NUMBER_LIKE = [
    "0",
    "-1",
    "-0",
    "1e308",
    "-1e308",
    "1e309",
    "1E3",
    "0x10",
    "1_000",
    "1 000",
    "1,5",
    "1.5",
    "+7",
    str(2**31),
    str(2**63),
    str(2**63 - 1),
    str(-(2**63) - 1),
    str(2**64),
    "9" * 30,
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # full-width digits
    "²",
    "Ⅻ",
]

DATE_LIKE = [
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "31/12/9999",
    "00/00/0000",
    "1/1/1",
    "2026-1-1",
    "-2026-01-01",
    "2026-01-01T00:00:00+99:00",
    "٢٠٢٦-٠١-٠١",
]

UUID_LIKE = ["", "0", "not-a-uuid", "00000000-0000-0000-0000-000000000000", "{" + "f" * 32 + "}", "g" * 32]

RAW_BYTES = [
    RawBytes(b"\xff\xfe\xfd"),
    RawBytes(b"\xc3"),  # truncated UTF-8
    RawBytes(b"\xed\xa0\x80"),  # a lone surrogate, as UTF-8 would write it
    RawBytes(b"\xc0\xaf"),  # overlong encoding of "/"
    RawBytes(b"abc\x00def"),
]


def hostile_text(*, nul: bool = True) -> st.SearchStrategy:
    """Any hostile string: the lists above, or generated text of every category (surrogates excluded:
    they cannot reach the server as ``str``; ``RAW_BYTES`` sends their bytes instead)."""
    fixed = HOSTILE_TEXT + NUMBER_LIKE + DATE_LIKE + (NUL_TEXT if nul else [])
    return st.one_of(
        st.sampled_from(fixed),
        st.text(st.characters(exclude_categories=["Cs"] if nul else ["Cs", "Cc"]), max_size=60),
    )


def nul_text() -> st.SearchStrategy:
    """Text with a NUL character somewhere: PostgreSQL refuses it in any text column."""
    return st.one_of(
        st.sampled_from(NUL_TEXT),
        st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=20), st.text(max_size=20)),
    )


def too_long(max_length: int) -> st.SearchStrategy:
    """A string longer than ``max_length`` (after stripping), up to the huge one."""
    return st.one_of(
        st.just("x" * (max_length + 1)),
        st.just("é" * (max_length + 1)),
        st.just("A" * HUGE),
    )


def hostile_value(*, nul: bool = True) -> st.SearchStrategy:
    """A hostile scalar, raw bytes, or several values for one key (a list)."""
    scalar = st.one_of(hostile_text(nul=nul), st.sampled_from(RAW_BYTES))
    return st.one_of(scalar, scalar, scalar, st.lists(scalar, min_size=2, max_size=4))


def hostile_int_text() -> st.SearchStrategy:
    """What a number field receives: overflowing, negative, non-ASCII digits, floats, words."""
    return st.one_of(
        st.sampled_from([*NUMBER_LIKE, "", "abc", "\x00", "1\x00"]),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )


def hostile_date_text() -> st.SearchStrategy:
    return st.one_of(st.sampled_from([*DATE_LIKE, "", "demain", "\x00"]), st.dates().map(lambda d: d.isoformat()))


def hostile_uuid_text() -> st.SearchStrategy:
    return st.one_of(st.sampled_from([*UUID_LIKE, "\x00", str(uuid.uuid4()) + "\x00"]), hostile_text())


def hostile_query(keys: list[str], *, extra_keys: bool = True) -> st.SearchStrategy:
    """A query string as a dict: some of ``keys`` (and maybe unknown ones) with hostile values."""
    key = st.sampled_from(keys)
    if extra_keys:
        key = st.one_of(key, key, st.sampled_from(["", "\x00", "page[]", "a" * 300, "__proto__", "sort", "page"]))
    return st.dictionaries(key, hostile_value(), max_size=len(keys) + 2)


def page_numbers() -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(["-1", "0", "abc", "", "1.5", "1e308", "last", "\x00", str(2**63), str(2**64), "9" * 40,
                         "１", "٣"]),
        st.integers(min_value=-(2**64), max_value=2**64).map(str),
    )


# ---------------------------------------------------------------------------
# Files


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


HOSTILE_FILE_NAMES = [
    "bon.pdf",
    "",
    ".",
    "..",
    "../../etc/passwd",
    "..\\..\\boot.ini",
    "/etc/shadow",
    "C:\\Windows\\system32\\cmd.exe",
    "bon\x00.pdf",
    "facture\u202efdp.exe",
    "a" * 1_000 + ".pdf",
    "<script>alert(1)</script>.pdf",
    '"; filename="evil.html',
    "con.pdf",
    "bon.PDF.exe",
    "🙂🙂.pdf",
    " .pdf",
    "noextension",
    "x." + "y" * 50,
    "\r\nContent-Type: text/html\r\n.pdf",
]

FILE_CONTENTS = [
    b"",
    b"\x00",
    PDF_BYTES,
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"PK\x03\x04" + b"\x00" * 100,  # a ZIP signature without an archive behind it
    _zip({"mimetype": b"x" * 1_000}),
    _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}),
    _zip({"[Content_Types].xml": b"<Types/>"}),
    b"<html><script>alert(1)</script></html>",
    b"MZ\x90\x00" + b"\x00" * 60,  # a Windows executable
    b"%PDF" + b"\x00" * 10,
]

CONTENT_TYPES = [
    "application/pdf",
    "text/html",
    "application/octet-stream",
    "image/svg+xml",
    "",
    "application/pdf\r\nX-Injected: 1",
    "../../x",
    "a" * 300,
]


@dataclass(frozen=True)
class HostileFile:
    name: str
    content: bytes
    content_type: str


def hostile_files() -> st.SearchStrategy:
    return st.builds(
        HostileFile,
        name=st.one_of(st.sampled_from(HOSTILE_FILE_NAMES), st.text(max_size=40)),
        content=st.one_of(st.sampled_from(FILE_CONTENTS), st.binary(max_size=2_048)),
        content_type=st.sampled_from(CONTENT_TYPES),
    )


# ---------------------------------------------------------------------------
# Settings


def fuzz_settings(max_examples: int):
    """The profile chosen by ``FUZZ_PROFILE`` (see conftest), with this test's example budget."""
    import os

    from hypothesis import settings

    name = os.environ.get("FUZZ_PROFILE", "fuzz")
    scale = {"fuzz-explore": 10, "fuzz-random": 2}.get(name, 1)
    return settings(settings.get_profile(name), max_examples=max_examples * scale)


# ---------------------------------------------------------------------------
# Form data whose refused fields are known

OK, REFUSED, UNKNOWN = False, True, None


def field(valid: st.SearchStrategy, *, max_length: int | None = None, nul: bool = True) -> st.SearchStrategy:
    """``(value, refused)`` for one field: a valid value (False), a value the form must refuse (True:
    a NUL character, or longer than ``max_length``), or any hostile value (None: accepted or refused,
    never a crash)."""
    options = [valid.map(lambda v: (v, OK)), valid.map(lambda v: (v, OK)), hostile_value(nul=nul).map(
        lambda v: (v, UNKNOWN))]
    if nul:
        options.append(nul_text().map(lambda v: (v, REFUSED)))
    if max_length is not None:
        options.append(too_long(max_length).map(lambda v: (v, REFUSED)))
    return st.one_of(*options)


def form_data(**fields: st.SearchStrategy) -> st.SearchStrategy:
    """``(data, refused)``: the data to post, and the names of the fields the form must refuse."""

    def split(values: dict) -> tuple[dict, set[str]]:
        return {k: v for k, (v, _r) in values.items()}, {k for k, (_v, r) in values.items() if r is REFUSED}

    return st.fixed_dictionaries(fields).map(split)
