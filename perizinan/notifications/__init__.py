"""Notifications about applications and permits, through a PostgreSQL outbox and Celery.

Public API (import from ``perizinan.notifications``):

- ``queue_message(*, key, event, subject, body, channel="email", user=None, email="",
  phone="", permohonan=None, body_html="")``: write one outbox row in the caller's
  transaction (a second call with the same ``key`` is a no-op returning None) and deliver it
  after commit. For messages that are not about a status change (complaints, surveys).
- ``notify_user(...)`` / ``notify_applicant(...)``: render an event's template in the
  recipient's language and queue it on each of their channels.
- ``notify_field_check(permohonan, when=..., place=..., note=...)``: a field check was
  scheduled.
- ``deliver(id)`` and ``sweep()``: the bodies of the Celery tasks in
  ``perizinan.tasks.notifikasi``.

Importing this package connects the receiver of ``perizinan.signals.status_changed``
(``perizinan.apps.PerizinanConfig.ready`` does it) and registers the admin pages.
"""

from perizinan.notifications import admin as _admin  # noqa: F401 - registers the admin
from perizinan.notifications.events import (  # noqa: F401
    ALL_EVENTS,
    APPLICANT_EVENT_BY_TRANSITION,
    notify_applicant,
    notify_field_check,
    notify_user,
    on_status_changed,
)
from perizinan.notifications.outbox import (  # noqa: F401
    DeliveryError,
    deliver,
    enqueue_delivery,
    queue_message,
    sweep,
)
