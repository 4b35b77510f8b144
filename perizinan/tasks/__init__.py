"""Celery tasks of the perizinan app, one module per concern. Tasks take ids, are idempotent
and are imported here so that Celery's autodiscovery (``perizinan.tasks``) finds them all."""
