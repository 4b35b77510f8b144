"""Notifications about applications.

``perizinan.services.transition`` sends ``perizinan.signals.status_changed`` inside its
transaction; the receiver below reacts to it. For now it only logs after commit (one line per
event, with the application number); the notification issue replaces it with the outbox.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.dispatch import receiver

from perizinan.signals import status_changed

logger = logging.getLogger("perizinan.notifications")


def _log_event(number: str, event: str) -> None:
    logger.info("event=%s number=%s", event, number or "-")


@receiver(status_changed, dispatch_uid="perizinan.notifications.on_status_changed")
def on_status_changed(sender, permohonan, transition, **kwargs):
    transaction.on_commit(partial(_log_event, permohonan.number, f"permohonan.{transition}"))
