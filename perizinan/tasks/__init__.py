"""Celery tasks of the perizinan app, one module per concern. Tasks take ids, are idempotent
and are imported here so that Celery's autodiscovery (``perizinan.tasks``) finds them all."""

from perizinan.tasks import (
    akuntabilitas,  # noqa: E402, F401
    izin,  # noqa: E402, F401
    notifikasi,  # noqa: E402, F401
    workflow,  # noqa: E402, F401
)
