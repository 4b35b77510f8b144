"""Who hears of what happens to a file, and in which words: perizinan's rules for its events.

Delivery is ``notifikasi``'s (the outbox, channels, templates, the bell); this package only
decides recipients and context and calls ``notifikasi.services``:

- ``events``: the receiver of ``perizinan.signals.status_changed`` (connected in
  ``PerizinanConfig.ready``), ``notify_applicant``, ``notify_user``, ``notify_field_check``,
  and the links the messages carry.
- ``digests``: the daily messages (due tomorrow, the overdue digest, permit expiry reminders),
  run by ``perizinan.tasks.reminders``.
- ``samples``: the event names and the made-up values of the template admin's preview.
"""
