"""The outbox: write a message in the caller's transaction, deliver it once after commit.

This module writes and schedules (``queue_message``); ``notifikasi.delivery`` sends, sweeps
and retries.

``queue_message`` writes one ``Notifikasi`` row (unique ``key``) and schedules
``notifikasi.tasks.deliver_notification`` with ``transaction.on_commit``. ``deliver``
(the task's body) counts the attempt in its own short transaction, then sends while holding
the row lock and marks the row sent in the same transaction, so two runs of the task (a
re-delivered message, a sweep) never send twice. ``sweep`` re-enqueues what is still pending
(the broker was down, a worker was killed) with exponential backoff and gives up after
``NOTIFICATION_MAX_ATTEMPTS``, marking the row failed with the reason (visible in admin).

When PostgreSQL goes away after the channel took the message but before the row is marked
sent, the row stays pending. Two things keep the message from going out again: the delivery
receipt written to Redis right after the send (``notifikasi.receipts``; the next
attempt finds it and only marks the row sent), and a few short retries of the "sent" mark on
a fresh connection (``NOTIFICATION_MARK_SENT_RETRIES``). Every e-mail carries a ``Message-ID``
made from the row's ``public_id``, so a copy that still slips through (PostgreSQL and Redis
down together) is the same message to mail systems and clients.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.logs import log_event
from notifikasi.models import Channel, Notifikasi

logger = logging.getLogger("notifikasi")

SUBJECT_MAX = 250
ERROR_MAX = 2000


# --- Settings ------------------------------------------------------------------------------------


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 6))


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff after the ``attempts``-th attempt: base, 2·base, 4·base … capped."""
    base = int(getattr(settings, "NOTIFICATION_RETRY_BASE_SECONDS", 60))
    cap = int(getattr(settings, "NOTIFICATION_RETRY_MAX_SECONDS", 3600))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def mark_sent_retries() -> int:
    """Fresh-connection retries of the "sent" mark after the database connection was lost."""
    return int(getattr(settings, "NOTIFICATION_MARK_SENT_RETRIES", 3))


def sweep_grace() -> dt.timedelta:
    """How long a new row is left to its on-commit task before the sweeper takes it."""
    return dt.timedelta(seconds=int(getattr(settings, "NOTIFICATION_SWEEP_GRACE_SECONDS", 60)))


# --- Writing -------------------------------------------------------------------------------------


def address_problem(channel: str, email: str, phone: str) -> str:
    """Why this address cannot receive a message, or "" when it can."""
    if channel == Channel.EMAIL:
        try:
            validate_email(email)
        except ValidationError:
            return f"invalid e-mail address: {email!r}"
        if email.lower().endswith(".invalid"):
            # A walk-in applicant without e-mail (accounts.services.walk_in_placeholder_email).
            return f"address cannot receive mail: {email!r}"
    if channel == Channel.SMS:
        from accounts.validators import validate_phone

        try:
            validate_phone(phone)
        except ValidationError:
            return f"invalid phone number: {phone!r}"
    return ""


def queue_message(
    *,
    key: str,
    event: str,
    subject: str,
    body: str,
    channel: str = Channel.EMAIL,
    user=None,
    email: str = "",
    phone: str = "",
    reference: str = "",
    body_html: str = "",
    link: str = "",
    language: str = "",
) -> Notifikasi | None:
    """Write one outbox row in the CALLER's transaction (unique ``key``: a second call with the
    same key is a no-op and returns None) and schedule its delivery after commit.

    ``user`` fills the address, phone and language when they are not given. An in-app message
    needs a ``user`` and is delivered by being stored. An invalid address never raises: the row
    is stored as failed with the reason, so the caller's change goes through.
    """
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}.")
    if channel == Channel.INAPP and user is None:
        raise ValueError("An in-app notification needs a user.")
    if user is not None:
        email = email or (user.email if channel == Channel.EMAIL else "")
        phone = phone or (getattr(user, "phone", "") if channel == Channel.SMS else "")
        language = language or getattr(user, "language", "") or ""
    language = language or settings.LANGUAGE_CODE
    key = key[:200]
    if Notifikasi.objects.filter(key=key).exists():
        return None

    now = timezone.now()
    notification = Notifikasi(
        key=key,
        event=event,
        channel=channel,
        recipient=user,
        email=email.strip() if channel == Channel.EMAIL else "",
        phone=phone.strip() if channel == Channel.SMS else "",
        language=language,
        reference=(reference or "")[:60],
        subject=" ".join((subject or "").split())[:SUBJECT_MAX],
        body=body,
        body_html=body_html,
        link=link[:500],
    )
    problem = address_problem(channel, notification.email, notification.phone)
    if channel == Channel.INAPP:
        notification.state = Notifikasi.State.SENT
        notification.sent_at = now
    elif problem:
        notification.state = Notifikasi.State.FAILED
        notification.last_error = problem
    else:
        notification.next_attempt_at = now + sweep_grace()
    try:
        # A savepoint: a concurrent duplicate is a no-op, never an error in the caller's change.
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return None
    log_event(
        logger,
        "notification_queued",
        id=notification.pk,
        kind=event,
        channel=channel,
        state=notification.state,
        number=reference or "-",
    )
    if notification.state == Notifikasi.State.PENDING:
        transaction.on_commit(partial(enqueue_delivery, notification.pk), robust=True)
    if channel == Channel.INAPP:
        from notifikasi import bell

        bell.forget(user.pk)
    return notification


def enqueue_delivery(notification_id: int) -> bool:
    """Hand the row to the worker. A broker outage is logged and left to the sweeper: it never
    fails the request that caused the message."""
    from notifikasi.tasks import deliver_notification

    try:
        deliver_notification.apply_async(args=[notification_id], retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker error: the outbox row stays pending
        log_event(
            logger,
            "notification_enqueue_failed",
            level=logging.WARNING,
            id=notification_id,
            error=exc.__class__,
        )
        return False
    return True
