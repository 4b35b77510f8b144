"""Celery tasks of the perizinan app, one module per concern. Tasks take ids, are idempotent
and are imported here so that Celery's autodiscovery (``perizinan.tasks``) finds them all."""

from perizinan.tasks import (
    izin,  # noqa: F401
    reminders,  # noqa: F401
    scanning,  # noqa: F401
    workflow,  # noqa: F401
)
