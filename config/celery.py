"""The Celery application: broker and result backend on Redis, JSON only.

Settings come from Django settings under the ``CELERY_`` namespace (see config/settings.py):
``acks_late`` and ``task_reject_on_worker_lost`` are on, so a killed worker loses no task;
every task must therefore be idempotent.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

#: What every task of ours is: its result unused, acknowledged only when done, handed out
#: again when its worker dies. Task modules extend it with their own limits and retries.
IDEMPOTENT_TASK = {"ignore_result": True, "acks_late": True, "reject_on_worker_lost": True}

app = Celery("satupintu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.celery.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """A no-op scheduled by beat, so that the worker's log shows beat and worker are alive."""
    return "ok"
