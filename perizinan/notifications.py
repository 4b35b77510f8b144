"""Notification hook. ``perizinan.services`` calls ``notify`` after a transaction commits.

For now it only logs; the notification issue fills it in (e-mail/WhatsApp through Celery tasks
that take the id and are idempotent). Keep the signature.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("perizinan.notifications")


def notify(permohonan_id: int, event: str) -> None:
    from perizinan.models import Permohonan

    number = (
        Permohonan.objects.filter(pk=permohonan_id).values_list("number", flat=True).first() or "-"
    )
    logger.info("event=%s permohonan_id=%s number=%s", event, permohonan_id, number)
