"""Celery tasks of the kewenangan app: scheduled changes of holder take effect on their day.

Beat runs ``apply_due_delegations`` at 00:00 WIB (``CELERY_TIMEZONE``) and at the top of every
hour after, so a missed midnight run catches up; routing a new application applies a due
change of its authority first as well (``perizinan.services.route_for``), so a late beat never
routes a file wrongly. Idempotent (``kewenangan.services.apply_due_changes``).
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from config.celery import IDEMPOTENT_TASK
from kewenangan.services import apply_due_changes


@shared_task(
    name="kewenangan.tasks.apply_due_delegations",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    **IDEMPOTENT_TASK,
)
def apply_due_delegations() -> int:
    return len(apply_due_changes())
