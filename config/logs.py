"""Structured logging: every event goes through ``log_event``, never a hand-formatted string.

``log_event(logger, "notification_sent", id=row.pk, channel=row.channel)`` writes one record
whose ``event`` and ``fields`` attributes carry the data. Two formatters read them:

- ``KeyValueFormatter`` (the default, ``LOG_FORMAT=kv``): one line per event,
  ``time=… level=… logger=… event=notification_sent id=42 channel=email``;
- ``JsonFormatter`` (``LOG_FORMAT=json``): one JSON object per line with the same keys, for a
  log pipeline (Loki, ELK, Cloud Logging).

The record's message is the same ``event=… key=value`` text, so a record that reaches any
other handler still reads well. Never log an NIK, a session id or a token: the test suite
scans every record for them. ``RedactTokens``, the filter of the console handler (and of
gunicorn's logs, ``config/gunicorn_logging.py``), takes the credentials out of the paths that
carry one (``/akun/verifikasi/:token/``) and the query string out of request lines.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any


def _text(value: Any) -> str:
    return "-" if value is None or value == "" else str(value)


def log_event(
    logger: logging.Logger,
    event: str,
    /,
    *,
    level: int = logging.INFO,
    exc_info: bool = False,
    **fields: Any,
) -> None:
    """Log one event with its fields (see the module's docstring)."""
    if not logger.isEnabledFor(level):
        return
    message = " ".join([f"event={event}", *(f"{k}={_text(v)}" for k, v in fields.items())])
    logger.log(
        level,
        "%s",
        message,
        exc_info=exc_info,
        extra={"event": event, "fields": fields},
        stacklevel=2,
    )


class KeyValueFormatter(logging.Formatter):
    """``time=… level=… logger=…`` and then the event's ``key=value`` pairs (or ``msg=…``
    for records that did not come through ``log_event``, such as Django's own)."""

    def format(self, record: logging.LogRecord) -> str:
        head = f"time={self.formatTime(record)} level={record.levelname} logger={record.name} "
        body = record.getMessage()
        line = head + (body if hasattr(record, "event") else f"msg={body}")
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, event and its fields,
    or ``message`` for records that did not come through ``log_event``."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
        }
        event = getattr(record, "event", None)
        if event is not None:
            data["event"] = event
            for key, value in getattr(record, "fields", {}).items():
                data.setdefault(key, value)
        else:
            data["message"] = record.getMessage()
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


# --- Credentials in URLs ----------------------------------------------------------------------

_SEGMENT = r"[^/?#\s\"'<>]+"
#: ``(pattern, replacement)`` for each URL of the portal with a credential in its path (a
#: test walks the resolver: every route with a ``token`` or ``uidb64`` is listed here). A
#: segment is a token unless it is one of the fixed pages beside it (``/survei/umum/``).
_TOKEN_PATHS: tuple[tuple[re.Pattern[str], Any], ...] = (
    # The e-mail verification link (/akun/verifikasi/) and the permit check (/verifikasi/).
    (re.compile(rf"(/verifikasi/){_SEGMENT}"), r"\1:token"),
    (re.compile(rf"(/survei/)(?!(?:umum|terima-kasih)(?![^/?#\s\"'<>])){_SEGMENT}"), r"\1:token"),
    # The password reset link, and Django's page it redirects to (<uidb64>/set-password/).
    (
        re.compile(
            rf"(/akun/lupa-sandi/)(?!(?:terkirim|selesai)(?![^/?#\s\"'<>])){_SEGMENT}"
            rf"(/(?!set-password(?![^/?#\s\"'<>])){_SEGMENT})?"
        ),
        lambda m: m[1] + ":uidb64" + ("/:token" if m[2] else ""),
    ),
)
#: A query string in a request line or a referrer: it holds searches (names), the counter's
#: e-mail lookup, the tracking number.
_QUERY = re.compile(r"\?[^\s\"']*")
#: The loggers whose records are request lines: their query strings go too.
REQUEST_LINE_LOGGERS = frozenset({"django.server", "gunicorn.access"})


def redact_paths(text: str, *, strip_query: bool = False) -> str:
    """``text`` with every credential of a token URL replaced (``/survei/:token/``), and, with
    ``strip_query``, every query string removed."""
    for pattern, replacement in _TOKEN_PATHS:
        text = pattern.sub(replacement, text)
    if strip_query:
        text = _QUERY.sub("", text)
    return text


class RedactTokens(logging.Filter):
    """Rewrites a record whose message holds a token URL (Django's ``Bad Request: /akun/
    verifikasi/<token>/``, the development server's and gunicorn's request lines) before any
    handler writes it. Attached to the console handler in ``settings.LOGGING``; never drops
    a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is the formatter's to report
            return True
        redacted = redact_paths(message, strip_query=record.name in REQUEST_LINE_LOGGERS)
        if redacted != message:
            record.msg, record.args = redacted, ()
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            record.fields = {
                key: redact_paths(value) if isinstance(value, str) else value
                for key, value in fields.items()
            }
        return True
