"""Celery tasks of the notifications: deliver one outbox row, sweep what is still pending, and
the daily messages (due tomorrow, overdue digest, permit expiry reminders).

Tasks take ids (or nothing), are idempotent and run on the ``notifications`` queue
(``CELERY_TASK_ROUTES``). ``acks_late`` and ``task_reject_on_worker_lost`` come from settings:
a killed worker's message is re-delivered, and the outbox row lock makes the re-run harmless.
"""

from __future__ import annotations

from celery import shared_task

from perizinan.notifications import outbox

TASK_OPTIONS = {
    "ignore_result": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "time_limit": 120,
    "soft_time_limit": 90,
}


@shared_task(name="perizinan.notifikasi.deliver", **TASK_OPTIONS)
def deliver_notification(notification_id: int) -> str:
    """Send one outbox row once; a failed attempt is retried by the sweeper with backoff."""
    return outbox.deliver(notification_id)


@shared_task(name="perizinan.notifikasi.sweep", **TASK_OPTIONS)
def sweep_notifications() -> int:
    """Re-enqueue pending rows whose next attempt is due (broker was down, worker killed)."""
    return outbox.sweep()


@shared_task(name="perizinan.notifikasi.due_tomorrow", **TASK_OPTIONS)
def send_due_tomorrow() -> int:
    """07:00: each officer hears about the files in their queue due on the next working day."""
    from perizinan.notifications import digests

    return digests.queue_due_tomorrow()


@shared_task(name="perizinan.notifikasi.overdue_digest", **TASK_OPTIONS)
def send_overdue_digest() -> int:
    """Daily: one digest per supervisor and head listing every overdue file they oversee."""
    from perizinan.notifications import digests

    return digests.queue_overdue_digests()


@shared_task(name="perizinan.notifikasi.expiry_reminders", **TASK_OPTIONS)
def send_expiry_reminders() -> int:
    """Daily: permits expiring in 60 and in 7 days."""
    from perizinan.notifications import digests

    return digests.queue_expiry_reminders()
