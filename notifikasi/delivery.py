"""Delivering one outbox row: claim the attempt, send on its channel while holding the row
lock, record a receipt and mark it sent (see ``notifikasi.outbox`` for the whole design)."""

from __future__ import annotations

import logging
import smtplib
import time
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from config.logs import log_event
from notifikasi import outbox, receipts
from notifikasi.exceptions import DeliveryError
from notifikasi.models import Channel, Notifikasi
from notifikasi.outbox import ERROR_MAX, mark_sent_retries, max_attempts, retry_delay

logger = logging.getLogger("notifikasi")


def _claim_attempt(notification_id: int, now) -> str | None:
    """Count the attempt in its own transaction (committed even if the worker is killed while
    sending) and push ``next_attempt_at`` out, so the sweeper leaves the row alone meanwhile.
    Returns None to go on, or the outcome when there is nothing to send."""
    with transaction.atomic():
        row = (
            Notifikasi.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id)
            .first()
        )
        if row is None:
            # Missing, or locked by a delivery in progress: that one will finish the job.
            return "busy" if Notifikasi.objects.filter(pk=notification_id).exists() else "missing"
        if row.state != Notifikasi.State.PENDING:
            return "done"
        if row.attempts >= max_attempts():
            return _give_up(row)
        row.attempts += 1
        row.next_attempt_at = now + retry_delay(row.attempts)
        row.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
    return None


def deliver(notification_id: int) -> str:
    """Send one outbox row exactly once. Safe to run twice or concurrently: the row lock and
    the state check let only one run send; the others return ``busy`` or ``done``.

    Returns ``sent``; ``recovered`` when a receipt shows an earlier attempt sent it (the row is
    only marked sent); ``unconfirmed`` when the message left but the database could not record
    it (the next attempt recovers it from the receipt); or ``retry``, ``failed``, ``busy``,
    ``done``, ``missing``.
    """
    outcome = _claim_attempt(notification_id, timezone.now())
    if outcome is not None:
        return outcome
    sent: Notifikasi | None = None
    receipt = False
    try:
        with transaction.atomic():
            row = (
                Notifikasi.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=notification_id, state=Notifikasi.State.PENDING)
                .first()
            )
            if row is None:
                return "done"
            if receipts.exists(row):
                return _recover(row)
            try:
                send(row)
            except DeliveryError as exc:
                return _record_error(row, str(exc), permanent=exc.permanent)
            except Exception as exc:  # noqa: BLE001 - an unexpected channel error is retried
                log_event(
                    logger, "notification_error", level=logging.ERROR, exc_info=True, id=row.pk
                )
                return _record_error(row, f"{exc.__class__.__name__}: {exc}", permanent=False)
            sent = row
            receipt = receipts.record(row)
            _mark_sent(row)
    except (OperationalError, InterfaceError) as exc:
        if sent is None:
            raise
        # The message left but the connection went before the row was marked sent.
        if not _confirm_sent(sent):
            log_event(
                logger,
                "notification_sent_unconfirmed",
                level=logging.WARNING,
                id=sent.pk,
                receipt="yes" if receipt else "no",
                error=exc.__class__.__name__,
            )
            return "unconfirmed"
    if sent is None:  # every path above either sent the row or returned
        raise RuntimeError("delivery ended without a sent row")
    log_event(
        logger,
        "notification_sent",
        id=sent.pk,
        kind=sent.event,
        channel=sent.channel,
        attempts=sent.attempts,
        number=sent.reference or "-",
    )
    return "sent"


def _mark_sent(row: Notifikasi) -> None:
    row.state = Notifikasi.State.SENT
    row.sent_at = timezone.now()
    row.next_attempt_at = None
    row.last_error = ""
    row.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error", "updated_at"])


def _recover(row: Notifikasi) -> str:
    """An earlier attempt sent the message (its receipt says so) but could not mark the row:
    mark it now, without sending again."""
    _mark_sent(row)
    log_event(
        logger,
        "notification_sent_recovered",
        id=row.pk,
        kind=row.event,
        channel=row.channel,
        attempts=row.attempts,
    )
    return "recovered"


def _give_up(row: Notifikasi) -> str:
    """Out of attempts: failed with the reason, unless a receipt shows that one was sent."""
    if receipts.exists(row):
        return _recover(row)
    _fail(row, row.last_error or f"gave up after {row.attempts} attempts")
    return "failed"


def _confirm_sent(row: Notifikasi) -> bool:
    """Mark ``row`` sent on a fresh connection after the one that sent it was lost, retrying
    after 0.5 s, 1 s, 2 s … (``NOTIFICATION_MARK_SENT_RETRIES``; a restart of PostgreSQL takes
    seconds). False when the database is still away: the receipt then does the job."""
    if connection.in_atomic_block:
        return False  # inside the caller's transaction: no fresh connection possible
    for attempt in range(mark_sent_retries()):
        time.sleep(0.5 * 2**attempt)
        try:
            connection.close_if_unusable_or_obsolete()
            now = timezone.now()
            Notifikasi.objects.filter(pk=row.pk, state=Notifikasi.State.PENDING).update(
                state=Notifikasi.State.SENT,
                sent_at=now,
                next_attempt_at=None,
                last_error="",
                updated_at=now,
            )
        except (OperationalError, InterfaceError):
            continue
        return True
    return False


def _record_error(row: Notifikasi, error: str, *, permanent: bool) -> str:
    if permanent or row.attempts >= max_attempts():
        _fail(row, error)
        return "failed"
    row.last_error = error[:ERROR_MAX]
    row.save(update_fields=["last_error", "updated_at"])
    log_event(
        logger,
        "notification_retry",
        level=logging.WARNING,
        id=row.pk,
        attempts=row.attempts,
        next=row.next_attempt_at.isoformat() if row.next_attempt_at else "-",
        error=error[:200],
    )
    return "retry"


def _fail(row: Notifikasi, error: str) -> None:
    row.state = Notifikasi.State.FAILED
    row.last_error = error[:ERROR_MAX]
    row.next_attempt_at = None
    row.save(update_fields=["state", "last_error", "next_attempt_at", "updated_at"])
    log_event(
        logger,
        "notification_failed",
        level=logging.ERROR,
        id=row.pk,
        kind=row.event,
        channel=row.channel,
        attempts=row.attempts,
        error=error[:200],
    )


def send(row: Notifikasi) -> None:
    """Hand one message to its channel; raises ``DeliveryError``."""
    if row.channel == Channel.EMAIL:
        _send_email(row)
    elif row.channel == Channel.SMS:
        from notifikasi.gateways import get_gateway

        get_gateway().send(phone=row.phone, text=sms_text(row), key=str(row.public_id))
    # In-app messages are delivered by being stored.


def sms_text(row: Notifikasi) -> str:
    text = row.subject
    if row.link:
        text = f"{text} {row.link}"
    return text[:320]


def message_id(row: Notifikasi) -> str:
    """The e-mail's ``Message-ID``, the same for every attempt: ``<notifikasi.<public_id>@
    <domain of DEFAULT_FROM_EMAIL>>``, so that mail systems and clients see any second copy
    as the same message."""
    _, sep, domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")
    domain = domain.strip().lower() if sep and domain.strip() else str(DNS_NAME)
    return f"<notifikasi.{row.public_id}@{domain}>"


def email_message(row: Notifikasi) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.email],
        headers={
            "Message-ID": message_id(row),
            "X-Satupintu-Notification": str(row.public_id),
        },
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def _send_email(row: Notifikasi) -> None:
    message = email_message(row)
    try:
        message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        raise DeliveryError(f"address refused: {exc}", permanent=True) from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", permanent=500 <= exc.smtp_code < 600
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{exc.__class__.__name__}: {exc}") from exc


# --- Sweeping ------------------------------------------------------------------------------------


def sweep(*, now=None, limit: int = 500) -> int:
    """Re-enqueue pending rows whose next attempt is due; fail those out of attempts.

    Each picked row's ``next_attempt_at`` moves out by the backoff, so a broker that is still
    down is simply tried again at a later sweep. Returns the number of rows enqueued.
    """
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Notifikasi.objects.due_for_delivery(now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")[:limit]
        )
        picked = []
        for row in rows:
            if row.attempts >= max_attempts():
                _give_up(row)
                continue
            row.next_attempt_at = now + retry_delay(row.attempts + 1)
            row.save(update_fields=["next_attempt_at", "updated_at"])
            picked.append(row.pk)
    for pk in picked:
        if not outbox.enqueue_delivery(pk):
            break  # the broker is down: the rest waits for the next sweep
    if picked:
        log_event(logger, "notification_sweep", enqueued=len(picked))
    return len(picked)


def retry_now(notification_ids) -> int:
    """Admin: give failed or stuck rows a fresh start and enqueue them after commit."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Notifikasi.objects.filter(pk__in=list(notification_ids))
            .exclude(state=Notifikasi.State.SENT)
            .values_list("pk", flat=True)
        )
        Notifikasi.objects.filter(pk__in=ids).update(
            state=Notifikasi.State.PENDING, attempts=0, next_attempt_at=now, updated_at=now
        )
        for pk in ids:
            transaction.on_commit(partial(outbox.enqueue_delivery, pk), robust=True)
    return len(ids)
