"""Scanning the uploads held while the scanner was away (``perizinan.scanning.rescan``).

Beat runs it every minute (``CELERY_BEAT_SCHEDULE["uploads-rescan-held"]``). It takes nothing
and is idempotent: a file already scanned (by another run, a re-delivered message) is skipped,
and while clamd is still down the run stops at the first file and changes nothing. Acknowledged
late and rejected when the worker is lost, so a killed worker's run is simply done again.
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from config.celery import IDEMPOTENT_TASK

TASK_OPTIONS = {
    **IDEMPOTENT_TASK,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": 3,
    "time_limit": 120,
    "soft_time_limit": 90,
}


@shared_task(name="perizinan.tasks.scanning.rescan_held_uploads", **TASK_OPTIONS)
def rescan_held_uploads() -> int:
    """Every minute: held (then unscanned) uploads through the scanner; returns how many got a
    verdict."""
    from perizinan import scanning

    return scanning.rescan_held_uploads().changed
