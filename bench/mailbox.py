"""The mailbox of the resilience run (``make resilience``): Django's file backend with the
latency of an SMTP server, and a marker file while a message is being sent, so that the run
can kill a worker in the middle of a delivery (``bench/resilience.py``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    """One file per message in ``EMAIL_FILE_PATH``, after ``BENCH_MAIL_DELAY`` seconds; while
    it waits, ``<EMAIL_FILE_PATH>/../inflight/<pid>-<notification id>`` exists."""

    def send_messages(self, email_messages):
        sent = 0
        inflight = Path(settings.EMAIL_FILE_PATH).parent / "inflight"
        inflight.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            ident = message.extra_headers.get("X-Satupintu-Notification", "none")
            marker = inflight / f"{os.getpid()}-{ident}"
            marker.write_text(str(os.getpid()))
            try:
                time.sleep(float(getattr(settings, "BENCH_MAIL_DELAY", 0.3)))
                sent += super().send_messages([message])
            finally:
                marker.unlink(missing_ok=True)
        return sent
