"""The officers' desk (/petugas/), one module per concern:

``desk``: the dashboard and the queues · ``file_page``: the file page · ``actions``: the POSTs
of the file page (moves, claims, re-assignment, notes, verdicts, the BAP) · ``documents``:
documents and BAPs opened from the page · ``counter``: the front office's assisted entry.
``common`` holds what they share (``officer_required``).

Thin: reads through ``selectors``, changes through ``services``; every object through
``Permohonan.objects.visible_to``. Who may do what is asked of ``perizinan.workflow``.
Officers' roles and admins enter; everyone else gets 403.
"""
