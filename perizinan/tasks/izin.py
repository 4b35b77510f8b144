"""Daily upkeep of issued permits."""

from __future__ import annotations

from celery import shared_task

from perizinan.services.izin import mark_expired


@shared_task(name="perizinan.tasks.izin.mark_expired_permits", acks_late=True, ignore_result=True)
def mark_expired_permits() -> int:
    """Store ``kedaluwarsa`` on permits past their last valid day. Idempotent (a filtered
    update): running twice, or after a worker crash, changes nothing more. The public
    verification page already says "kedaluwarsa" from the date alone."""
    return mark_expired()
