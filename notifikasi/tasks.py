"""Celery tasks of the delivery infrastructure: deliver one outbox row and sweep what is still
pending. (The daily messages about files and permits are perizinan's:
``perizinan.tasks.reminders``.)

Tasks take ids (or nothing), are idempotent and run on the ``notifications`` queue
(``CELERY_TASK_ROUTES``). ``acks_late`` and ``task_reject_on_worker_lost`` come from settings:
a killed worker's message is re-delivered, and the outbox row lock makes the re-run harmless.
"""

from __future__ import annotations

from celery import shared_task

from config.celery import IDEMPOTENT_TASK
from notifikasi import delivery

TASK_OPTIONS = {
    **IDEMPOTENT_TASK,
    "time_limit": 120,
    "soft_time_limit": 90,
}


@shared_task(name="notifikasi.deliver", **TASK_OPTIONS)
def deliver_notification(notification_id: int) -> str:
    """Send one outbox row once; a failed attempt is retried by the sweeper with backoff."""
    return delivery.deliver(notification_id)


@shared_task(name="notifikasi.sweep", **TASK_OPTIONS)
def sweep_notifications() -> int:
    """Re-enqueue pending rows whose next attempt is due (broker was down, worker killed)."""
    return delivery.sweep()
