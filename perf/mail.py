"""An email backend that several processes (the soak run, a Celery worker) can share to be counted.

Django's file backend, writing each connection's emails to a file of its own in ``EMAIL_FILE_PATH``
(the process id in its name: two worker processes never append to the same file). With
``PERF_MAIL_DELAY_S`` set, each send first waits that long with a ``sending-<pid>`` marker in the
folder: a hand-off then spends long enough inside its transaction for a kill to land there, and the
soak run can tell that it did. ``read_sent`` parses the folder back into (recipient, subject) pairs.
"""

from __future__ import annotations

import email.parser
import email.policy
import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class SoakFileBackend(FileEmailBackend):
    def _get_filename(self):
        if self._fname is None:
            self._fname = os.path.join(self.file_path, f"{time.time_ns()}-{os.getpid()}-{uuid.uuid4().hex}.log")
        return self._fname

    def send_messages(self, email_messages):
        delay = float(os.environ.get("PERF_MAIL_DELAY_S") or 0)
        if not delay or not email_messages:
            return super().send_messages(email_messages)
        marker = Path(self.file_path, f"sending-{os.getpid()}")
        marker.touch()
        try:
            time.sleep(delay)
            return super().send_messages(email_messages)
        finally:
            marker.unlink(missing_ok=True)


def read_sent(folder: str | os.PathLike) -> list[tuple[str, str]]:
    """(recipient, subject) of every email written to ``folder``, one pair per recipient."""
    parser = email.parser.BytesParser(policy=email.policy.default)
    sent = []
    for path in sorted(Path(folder).glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if not chunk.strip():
                continue
            message = parser.parsebytes(chunk.lstrip(b"\n"))
            subject = str(message["Subject"] or "")
            for recipient in str(message["To"] or "").split(","):
                sent.append((recipient.strip(), subject))
    return sent
