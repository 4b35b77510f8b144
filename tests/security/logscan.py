"""A log handler that looks for personal data in every log record of the test run.

ASVS 5.0.0 16.2.5 / UU PDP: no NIK, password or session id in a log line. ``tests/conftest.py``
attaches one ``PersonalDataLogScanner`` to the root logger for the whole session; each test
fails if a record emitted during it matched, and the session fails for records emitted
outside any test.

Session ids: every session key Django generates during the run is remembered
(``remember_session_keys``) and searched for literally, so a leaked key is caught whatever
the surrounding text.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager

from django.contrib.sessions.backends.base import SessionBase

#: A NIK is 16 digits (Permendagri 73/2022); a 16-digit NPWP is the same number.
NIK_RE = re.compile(r"(?<![0-9.])\d{16}(?![0-9])")
#: A cookie header or dump naming the session cookie (with or without the __Host- prefix).
SESSION_COOKIE_RE = re.compile(r"sessionid=[a-z0-9]{8,}", re.IGNORECASE)

#: Attributes every LogRecord has; anything else came in through ``extra=``.
_STANDARD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def mask(text: str) -> str:
    """A finding as it may be shown in a failure message: never the value itself."""
    return text[:4] + "*" * max(0, len(text) - 8) + text[-4:] if len(text) > 8 else "****"


class PersonalDataLogScanner(logging.Handler):
    def __init__(self, session_keys: set[str] | None = None):
        super().__init__(level=logging.NOTSET)
        self.session_keys = session_keys if session_keys is not None else set()
        self.findings: list[str] = []
        #: Findings from records emitted between tests (session fixtures, collection).
        self.outside_tests: list[str] = []
        self.context = "outside any test"

    def matches(self, text: str) -> list[str]:
        """What in ``text`` is personal data: ``["NIK 6212…0001", "session id …"]``."""
        found = [f"NIK {mask(m.group(0))}" for m in NIK_RE.finditer(text)]
        found += [f"session cookie {mask(m.group(0))}" for m in SESSION_COOKIE_RE.finditer(text)]
        found += [f"session id {mask(key)}" for key in self.session_keys if key and key in text]
        return found

    def record_text(self, record: logging.LogRecord) -> str:
        try:
            parts = [record.getMessage()]
        except Exception:  # a broken format string is still scanned
            parts = [str(record.msg), repr(record.args)]
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        if record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(record.stack_info)
        parts += [
            f"{name}={value!r}"
            for name, value in record.__dict__.items()
            if name not in _STANDARD_ATTRS
        ]
        return "\n".join(parts)

    def emit(self, record: logging.LogRecord) -> None:
        found = self.matches(self.record_text(record))
        if found:
            self.findings.append(
                f"{self.context}: logger {record.name!r} ({record.levelname}): {', '.join(found)}"
            )

    def take_findings(self) -> list[str]:
        findings, self.findings = self.findings, []
        return findings


@contextmanager
def remember_session_keys(keys: set[str]):
    """Record every session key Django creates (the real generator runs unchanged)."""
    original = SessionBase._get_new_session_key

    def _get_new_session_key(self):
        key = original(self)
        keys.add(key)
        return key

    SessionBase._get_new_session_key = _get_new_session_key
    try:
        yield keys
    finally:
        SessionBase._get_new_session_key = original
