"""Every change of state in the perizinan app goes through a function of this package.

One module per concern: ``permohonan`` (drafts and their data), ``documents`` (uploads and the
officers' verdicts), ``submission`` (submit, resubmit, withdraw), ``transitions`` (``transition``,
the one function that moves an application between states, and ``Actor``, who makes a move),
``numbering``, ``routing``, ``petugas`` (the officers' desk: claims, notes, the field report),
``counter`` (entry for a walk-in applicant), ``deadlines``, ``akses``, and for permits ``izin``,
``naskah`` (what a permit says) and ``penolakan`` (rejection letters). The public functions are
re-exported here, so ``from perizinan import services; services.transition(...)`` works.
"""

from perizinan.services.actor import Actor
from perizinan.services.counter import create_assisted_application
from perizinan.services.documents import (
    judge_document,
    record_document_access,
    set_document_verdict,
    upload_document,
)
from perizinan.services.numbering import (
    APPLICATION_COUNTER,
    application_number,
    new_pin,
    next_number,
)
from perizinan.services.permohonan import (
    discard_draft,
    mark_step,
    profile_prefill,
    save_applicant_data,
    save_form_data,
    start_draft,
)
from perizinan.services.petugas import (
    add_internal_note,
    claim_next,
    claim_permohonan,
    reassign_permohonan,
    release_permohonan,
    upload_berita_acara,
)
from perizinan.services.routing import Route, reroute_permohonan, route_for
from perizinan.services.submission import (
    missing_for_submission,
    submit_permohonan,
    withdraw_permohonan,
)
from perizinan.services.transitions import transition

__all__ = [
    "APPLICATION_COUNTER",
    "Actor",
    "Route",
    "add_internal_note",
    "application_number",
    "claim_next",
    "claim_permohonan",
    "create_assisted_application",
    "discard_draft",
    "judge_document",
    "mark_step",
    "missing_for_submission",
    "new_pin",
    "next_number",
    "profile_prefill",
    "reassign_permohonan",
    "release_permohonan",
    "record_document_access",
    "reroute_permohonan",
    "route_for",
    "save_applicant_data",
    "save_form_data",
    "set_document_verdict",
    "start_draft",
    "submit_permohonan",
    "transition",
    "upload_berita_acara",
    "upload_document",
    "withdraw_permohonan",
]
