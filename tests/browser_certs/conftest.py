"""Fixtures of the certificates journey: Debian's Chromium, and a real Celery worker that emails into files."""

from __future__ import annotations

import pytest


@pytest.fixture
def worker_mail_dir(tmp_path, monkeypatch):
    """The folder where the worker's emails land (``tests.mail_backends.WorkerFileBackend``)."""
    folder = tmp_path / "mail"
    folder.mkdir()
    monkeypatch.setenv("EMAIL_BACKEND", "tests.mail_backends.WorkerFileBackend")
    monkeypatch.setenv("MYBUSINESS_TEST_MAIL_DIR", str(folder))
    return folder


@pytest.fixture
def worker(worker_mail_dir, celery_worker):
    """The real Celery worker, started once its email folder is in the environment it inherits."""
    return celery_worker
