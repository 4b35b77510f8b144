"""Domain signals of the perizinan app.

``status_changed`` is sent by ``perizinan.services.transition`` INSIDE the transaction that
changes the status, after the history row is written. Receivers that write rows (the
notification outbox, survey invitations) therefore commit or roll back with the change itself;
anything that talks to the outside world must go through ``transaction.on_commit``.

Arguments: ``permohonan`` (locked, already updated), ``transition`` (the move's name),
``from_status``, ``to_status``, ``actor`` (a user or None for the system), ``note`` (to the
applicant).
"""

from django.dispatch import Signal

status_changed = Signal()
