"""R11 on the SQLite demo: simultaneous writers wait for each other instead of failing « database is locked ».

Five threads submit one order at once on a SQLite file with the demo's database options (a child process:
the suite's own database is in memory, or PostgreSQL in CI). One submission wins; the others get the domain's
refusal (no longer a draft), never a database error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(tmp_path, **extra_env) -> dict:
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE="tests.sqlite_file_settings", SQLITE_FILE=str(tmp_path / "demo.sqlite3"),
               DEBUG="true", **extra_env)
    done = subprocess.run([sys.executable, "-m", "tests.sqlite_concurrency"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_five_simultaneous_submits_of_one_order_make_one_submission_and_no_database_error(tmp_path):
    outcome = run(tmp_path)
    assert outcome["results"] == ["refused"] * 4 + ["submitted"], outcome
    assert outcome["status"] == "submitted"


def test_the_same_run_fails_with_djangos_default_sqlite_options(tmp_path):
    # Shows the test above can fail: without IMMEDIATE transactions and the busy timeout, the losers'
    # reads turned writes find the file locked.
    outcome = run(tmp_path, SQLITE_PLAIN="1")
    assert "OperationalError" in outcome["results"], outcome  # « database is locked »
