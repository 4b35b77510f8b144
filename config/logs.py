"""Structured logging: every event goes through ``log_event``, never a hand-formatted string.

``log_event(logger, "notification_sent", id=row.pk, channel=row.channel)`` writes one record
whose ``event`` and ``fields`` attributes carry the data. Two formatters read them:

- ``KeyValueFormatter`` (the default, ``LOG_FORMAT=kv``): one line per event,
  ``time=… level=… logger=… event=notification_sent id=42 channel=email``;
- ``JsonFormatter`` (``LOG_FORMAT=json``): one JSON object per line with the same keys, for a
  log pipeline (Loki, ELK, Cloud Logging).

The record's message is the same ``event=… key=value`` text, so a record that reaches any
other handler still reads well. Never log an NIK, a session id or a token: the test suite
scans every record for them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
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
