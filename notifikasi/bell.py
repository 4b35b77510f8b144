"""The unread count of the bell in the header, on every signed-in page.

Kept in the cache per user (one cache read instead of one query per page) and forgotten when it
changes: a new in-app message (``outbox.queue_message``, after its transaction commits) and
marking read (``inbox``). ``BELL_CACHE_SECONDS`` bounds what a change made some other way (the
admin) can leave stale. When the cache cannot be reached the count comes from the database.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction

from config.logs import log_event

logger = logging.getLogger(__name__)

BELL_CACHE_SECONDS = 60


def _key(user_id) -> str:
    return f"bell:{user_id}"


def unread_count(user) -> int:
    from notifikasi.models import Notifikasi

    try:
        value = cache.get(_key(user.pk))
    except Exception:  # noqa: BLE001 - the cache is an optimisation; the page must not fail
        log_event(logger, "bell_cache_unavailable", level=logging.WARNING)
        return Notifikasi.objects.for_user(user).unread().count()
    if value is None:
        value = Notifikasi.objects.for_user(user).unread().count()
        try:
            cache.set(_key(user.pk), value, timeout=BELL_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            log_event(logger, "bell_cache_unavailable", level=logging.WARNING)
    return value


def forget(user_id) -> None:
    """Drop the cached count of ``user_id`` now and again once the current transaction
    commits: a request that cached the old count in between is corrected too."""

    def drop():
        try:
            cache.delete(_key(user_id))
        except Exception:  # noqa: BLE001
            log_event(logger, "bell_cache_unavailable", level=logging.WARNING)

    drop()
    transaction.on_commit(drop)
