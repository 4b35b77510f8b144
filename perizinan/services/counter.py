"""The front office enters an application at the counter for a walk-in applicant.

The applicant's account is found by e-mail only, or made by accounts' own service
(``accounts.services.create_walk_in_applicant``: no usable password; without an e-mail, an
address that cannot receive mail). An NIK never attaches an entry to an existing account: it is
self-declared and not unique. The officer then fills in, uploads and submits for the applicant
(``Actor.on_behalf``), all in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import scope as office
from accounts import services as accounts
from accounts.roles import Role
from config.logs import log_event
from kewenangan.models import JenisIzin
from perizinan.exceptions import WorkflowError
from perizinan.models import Permohonan, private_storage
from perizinan.services.activity import Kind, record_activity
from perizinan.services.documents import upload_document
from perizinan.services.permohonan import (
    open_for_applications,
    save_applicant_data,
    save_form_data,
)
from perizinan.services.routing import route_for
from perizinan.services.submission import missing_for_submission, submit_permohonan

logger = logging.getLogger("perizinan")


def find_applicant(identifier: str) -> Any:
    """The applicant account with this e-mail address (the counter's look-up), or None. An
    NIK or anything else that is not an e-mail address finds nothing."""
    identifier = (identifier or "").strip()
    if "@" not in identifier:
        return None
    return accounts.applicant_by_email(identifier)


@dataclass(frozen=True)
class AssistedResult:
    permohonan: Permohonan
    account_created: bool


def create_assisted_application(
    *,
    officer: Any,
    jenis_izin: JenisIzin,
    applicant_data: dict,
    email: str,
    form_data: dict,
    files: dict,
    declaration_accepted: bool,
) -> AssistedResult:
    """The front office enters an application for a walk-in applicant and submits it.

    Attaches it to the applicant account with ``email`` or makes a new account. The file is
    recorded as assisted (``Permohonan.assisted_by``, an ``AktivitasBerkas`` row and the officer
    as the actor of the submission in the history). ``files`` maps requirement ids to uploaded
    files. Everything is one transaction: a refused document leaves nothing behind.
    """
    if officer is None or officer.role != Role.FRONT_OFFICE or not officer.is_active:
        raise WorkflowError(_("Entri berbantuan dilakukan petugas front office."))
    if not open_for_applications(jenis_izin):
        raise WorkflowError(_("Layanan ini tidak sedang dibuka untuk permohonan."))
    route = route_for(jenis_izin)
    if not office.works_for(officer, route.processing_opd):
        raise WorkflowError(
            _("Layanan ini diproses %(opd)s; entri dilakukan di loket OPD tersebut.")
            % {"opd": route.processing_opd}
        )
    email = (email or "").strip()
    stored: list[str] = []
    try:
        with transaction.atomic():
            found = accounts.applicant_by_email(email) if email else None
            if found is not None:  # a never-verified account keeps no password nobody proved
                found = accounts.secure_for_counter_file(user=found)
            created = found is None
            applicant = found or accounts.create_walk_in_applicant(
                email=email, profile=applicant_data
            )
            result = _enter_and_submit(
                officer=officer,
                applicant=applicant,
                jenis_izin=jenis_izin,
                applicant_data=applicant_data,
                form_data=form_data,
                files=files,
                declaration_accepted=declaration_accepted,
                stored=stored,
            )
            record_activity(
                result, Kind.ASSISTED, officer, account_created=created, applicant_id=applicant.pk
            )
    except BaseException:
        storage = private_storage()
        for name in stored:
            storage.delete(name)
        raise
    log_event(
        logger,
        "assisted_entry",
        number=result.number,
        officer_id=officer.pk,
        account_created=created,
    )
    return AssistedResult(permohonan=result, account_created=created)


def _enter_and_submit(
    *,
    officer: Any,
    applicant: Any,
    jenis_izin: JenisIzin,
    applicant_data: dict,
    form_data: dict,
    files: dict,
    declaration_accepted: bool,
    stored: list[str],
) -> Permohonan:
    """The draft, its data and documents (names of stored files go to ``stored``), submitted."""
    draft = Permohonan.objects.create(
        applicant=applicant, jenis_izin=jenis_izin, applicant_data={}, assisted_by=officer
    )
    draft = save_applicant_data(draft, actor=officer, data=applicant_data)
    draft = save_form_data(draft, actor=officer, data=form_data)
    errors = {}
    for requirement in jenis_izin.persyaratan.order_by("order", "id"):
        upload = files.get(requirement.pk)
        if upload is None:
            continue
        try:
            doc = upload_document(
                draft, actor=officer, persyaratan=requirement, uploaded_file=upload
            )
        except ValidationError as exc:
            errors[f"dok_{requirement.pk}"] = exc.messages
        else:
            stored.append(doc.stored_name)
    if errors:
        raise ValidationError(errors)
    draft.last_step = 3
    draft.save(update_fields=["last_step", "updated_at"])
    missing = missing_for_submission(draft)
    if missing:
        raise ValidationError(missing)
    return submit_permohonan(draft, actor=officer, declaration_accepted=declaration_accepted)
