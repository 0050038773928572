"""Email backends for the back-office tests.

``FlakyBackend`` fails like a mail server that drops the connection, a given number
of times, then delivers to the test outbox. ``WorkerFileBackend`` is for the real
Celery worker (another process): it writes each email to the folder named by
MYBUSINESS_TEST_MAIL_DIR, and, while the file named by MYBUSINESS_TEST_MAIL_PAUSE
exists, stops in the middle of sending (after touching ``<dir>/sending``) so that a
test can kill the worker during a hand-off. When that file names addresses, only the
emails to one of them stop (the cloud team's: the partner's emails of the outbox pass).
"""

from __future__ import annotations

import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend


class FlakyBackend(LocmemEmailBackend):
    failures_left = 0

    def send_messages(self, messages):
        if FlakyBackend.failures_left > 0:
            FlakyBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
        return super().send_messages(messages)


class WorkerFileBackend(FileEmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["MYBUSINESS_TEST_MAIL_DIR"]
        super().__init__(*args, **kwargs)

    def send_messages(self, messages):
        pause = os.environ.get("MYBUSINESS_TEST_MAIL_PAUSE")
        if pause and self._paused(pause, messages):
            Path(self.file_path, "sending").touch()
            deadline = time.monotonic() + 60
            while os.path.exists(pause) and time.monotonic() < deadline:
                time.sleep(0.05)
        return super().send_messages(messages)

    @staticmethod
    def _paused(pause: str, messages) -> bool:
        try:
            only = Path(pause).read_text().split()
        except FileNotFoundError:
            return False
        return not only or any(address in only for message in messages for address in message.to)
