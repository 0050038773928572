"""Hypothesis settings of the fuzz tests, and what every fuzz test needs.

Two profiles, chosen with ``FUZZ_PROFILE``:

* ``fuzz`` (the default, CI): ``derandomize=True`` and no example database. Each run tries the
  same examples, so a red CI run is red again on a laptop with the same command, and a green one
  does not turn red on the next push because Hypothesis happened to explore elsewhere. The
  hand-written hostile lists in ``strategies.py`` are sampled in every run anyway; what
  randomness adds is exploration, which is the other profile's job. No ``.hypothesis`` directory
  is written into the tree.
* ``fuzz-random`` (CI, after ``make test``: ``make fuzz``): not derandomised, twice the examples, no example
  database. ``make fuzz`` picks a seed, prints it before the run and passes it to Hypothesis
  (``--hypothesis-seed``): a red run is replayed with ``make fuzz FUZZ_SEED=<the printed seed>``.
* ``fuzz-explore`` (by hand, e.g. before a release): random, ten times the examples, failures
  remembered in ``.tmp/hypothesis`` and replayed first on the next run.

Each test gives its own example budget through ``fuzz_settings(n)`` (about 800 requests in all):
the folder takes one to two and a half minutes on SQLite on the project's 2-core machine, depending
on what else runs. A bug found by exploring is kept as a plain test beside its fuzz test (e.g. the
calendar's last day in the admin's date range, ``test_fuzz_admin.py``).

On SQLite, ``refuse_nul_like_postgresql`` makes any query carrying a NUL character fail as it
would on PostgreSQL, so that the default database catches what only PostgreSQL would refuse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import DataError, connection
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

_COMMON = {
    "deadline": None,  # a loaded CI machine makes one request slow now and then: not a failure
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                              HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("fuzz", derandomize=True, database=None, **_COMMON)
# CI's second pass (`make fuzz`): random examples, twice the budget, the seed printed by the Makefile.
settings.register_profile("fuzz-random", database=None, **_COMMON)
settings.register_profile(
    "fuzz-explore",
    database=DirectoryBasedExampleDatabase(str(Path(__file__).resolve().parents[2] / ".tmp" / "hypothesis")),
    **_COMMON,
)


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploaded files of the fuzz tests go to a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path / "private"


def _strings(params):
    if isinstance(params, str):
        yield params
    elif isinstance(params, dict):
        for value in params.values():
            yield from _strings(value)
    elif isinstance(params, list | tuple):
        for value in params:
            yield from _strings(value)


@pytest.fixture(autouse=True)
def refuse_nul_like_postgresql():
    """On SQLite, refuse a query carrying a NUL character as PostgreSQL does, so that a NUL reaching
    the database (written or only compared) fails the fuzz tests on the default database too."""
    if connection.vendor == "postgresql":
        yield
        return

    def refuse(execute, sql, params, many, context):
        if any("\x00" in value for value in _strings(params)):
            raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes (emulated on SQLite)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield
