"""Daily messages about files and permits (due tomorrow, the overdue digest, permit expiry
reminders): perizinan decides who hears what (``perizinan.notifications.digests``) and queues
the messages through ``notifikasi``. Tasks are idempotent: each message has a unique outbox key.
"""

from __future__ import annotations

from celery import shared_task

from config.celery import IDEMPOTENT_TASK

#: As for the delivery tasks: a killed worker's message is re-delivered, the outbox keys make
#: the re-run harmless.
TASK_OPTIONS = {
    **IDEMPOTENT_TASK,
    "time_limit": 120,
    "soft_time_limit": 90,
}


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
    """Daily: permits reaching a reminder day before their end (``PERMIT_EXPIRY_REMINDER_DAYS``,
    by default 90, 60, 30 and 7), each reminder once."""
    from perizinan.notifications import digests

    return digests.queue_expiry_reminders()


@shared_task(name="perizinan.notifikasi.fix_deadline_reminders", **TASK_OPTIONS)
def send_fix_deadline_reminders() -> int:
    """Daily: applicants whose deadline to fix a returned file is two working days away."""
    from perizinan.notifications import digests

    return digests.queue_fix_deadline_reminders()
