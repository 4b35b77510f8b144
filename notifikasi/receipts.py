"""Delivery receipts outside PostgreSQL, so that a message is not sent twice when the database
goes away between "the channel took it" and "the row is marked sent".

Right after an e-mail or SMS leaves, ``record`` writes ``notification-sent:<public_id>`` to
the Redis cache (``NOTIFICATION_RECEIPT_CACHE``, the default cache on ``REDIS_URL``) for
``NOTIFICATION_RECEIPT_SECONDS`` (14 days). Before sending, the outbox asks ``exists``: a row
still pending with a receipt was sent by an earlier attempt, and is only marked sent.

Redis being down never stops a delivery: both functions log a warning and answer as if there
were no receipt. With PostgreSQL and Redis both failing at that moment, delivery stays
at-least-once (the stable ``Message-ID`` lets mail systems drop the copy). In-app messages are
delivered by being stored and need no receipt.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from config.logs import log_event
from notifikasi.models import Channel, Notifikasi

logger = logging.getLogger("notifikasi")

DEFAULT_SECONDS = 14 * 24 * 3600


def _key(row: Notifikasi) -> str:
    return f"notification-sent:{row.public_id}"


def _cache():
    return caches[getattr(settings, "NOTIFICATION_RECEIPT_CACHE", "default")]


def applies_to(row: Notifikasi) -> bool:
    """Channels that hand the message to another system (which may deliver it twice)."""
    return row.channel in (Channel.EMAIL, Channel.SMS)


def record(row: Notifikasi) -> bool:
    """Remember that the message of ``row`` left; False when Redis could not be written."""
    if not applies_to(row):
        return False
    seconds = int(getattr(settings, "NOTIFICATION_RECEIPT_SECONDS", DEFAULT_SECONDS))
    try:
        _cache().set(_key(row), timezone.now().isoformat(), timeout=seconds)
    except Exception as exc:  # noqa: BLE001 - any Redis error: delivery goes on without it
        _unavailable("write", row, exc)
        return False
    return True


def exists(row: Notifikasi) -> bool:
    """Whether an earlier attempt sent the message of ``row``; False when Redis is down."""
    if not applies_to(row):
        return False
    try:
        return _cache().get(_key(row)) is not None
    except Exception as exc:  # noqa: BLE001 - any Redis error: delivery goes on without it
        _unavailable("read", row, exc)
        return False


def _unavailable(operation: str, row: Notifikasi, exc: Exception) -> None:
    log_event(
        logger,
        "notification_receipt_unavailable",
        level=logging.WARNING,
        op=operation,
        id=row.pk,
        error=exc.__class__.__name__,
    )
