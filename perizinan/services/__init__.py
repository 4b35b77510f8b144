"""Every change of state in the perizinan app goes through a function of this package.

``permohonan``: drafts, documents, submission, withdrawal, numbering and ``transition``, the one
function that moves an application between states. Public functions are re-exported here, so
``from perizinan import services; services.transition(...)`` works.
"""

from perizinan.services.permohonan import (  # noqa: F401
    APPLICATION_COUNTER,
    Route,
    application_number,
    discard_draft,
    mark_step,
    missing_for_submission,
    new_pin,
    next_number,
    profile_prefill,
    record_document_access,
    route_for,
    save_applicant_data,
    save_form_data,
    set_document_verdict,
    start_draft,
    submit_permohonan,
    transition,
    upload_document,
    withdraw_permohonan,
)
from perizinan.services.petugas import (  # noqa: F401, E402
    add_internal_note,
    claim_next,
    claim_permohonan,
    create_assisted_application,
    judge_document,
    reassign_permohonan,
    release_permohonan,
    reroute_permohonan,
    upload_berita_acara,
)
