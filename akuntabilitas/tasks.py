"""Celery tasks of public accountability: the daily escalation of overdue complaints.

The task takes nothing, is idempotent per day (one message per head per date, a complaint's
escalation recorded once) and retries with backoff when the database is briefly away.
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from config.celery import IDEMPOTENT_TASK

TASK_OPTIONS = {
    **IDEMPOTENT_TASK,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 5,
}


@shared_task(name="akuntabilitas.tasks.escalate_overdue_complaints", **TASK_OPTIONS)
def escalate_overdue_complaints() -> int:
    """Daily: each head gets one message listing the complaints past their answer date."""
    from akuntabilitas.services.pengaduan import escalate_overdue

    return escalate_overdue()
