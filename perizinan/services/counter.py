"""The front office enters an application at the counter for a walk-in applicant.

The applicant's account is found by e-mail only, or made by accounts' own service
(``accounts.services.create_walk_in_applicant``: no usable password; without an e-mail, an
address that cannot receive mail). An NIK never attaches an entry to an existing account: it is
self-declared and not unique. The officer then fills in, uploads and submits for the applicant
(``Actor.on_behalf``) and, having checked it with the applicant, starts its verification,
all in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import scope as office
from accounts import services as accounts
from accounts.roles import Role
from config.logs import log_event
from kewenangan.models import JenisIzin
from perizinan.exceptions import WorkflowError
from perizinan.models import Permohonan, private_storage
from perizinan.services.activity import Kind, record_activity
from perizinan.services.actor import may_act_for_applicant
from perizinan.services.documents import upload_document
from perizinan.services.numbering import new_pin as generate_pin
from perizinan.services.permohonan import (
    open_for_applications,
    save_applicant_data,
    save_form_data,
)
from perizinan.services.routing import route_for
from perizinan.services.submission import missing_for_submission, submit_permohonan
from perizinan.services.transitions import transition
from perizinan.workflow import EDITABLE_STATES, Status

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
    _upload_all(draft, officer=officer, files=files, stored=stored)
    draft.last_step = 3
    draft.save(update_fields=["last_step", "updated_at"])
    missing = missing_for_submission(draft)
    if missing:
        raise ValidationError(missing)
    submitted = submit_permohonan(draft, actor=officer, declaration_accepted=declaration_accepted)
    return checked_at_counter(submitted, officer=officer)


def checked_at_counter(permohonan: Permohonan, *, officer: Any) -> Permohonan:
    """A file the front office has just gone through with the applicant at the counter is in
    verification at once: the officer judges its documents next, without a separate "Mulai
    verifikasi" (the move is still recorded, by the officer, in the history)."""
    return transition(permohonan, name="start_verification", actor=officer)


def correct_assisted_application(
    *,
    officer: Any,
    permohonan: Permohonan,
    applicant_data: dict,
    form_data: dict,
    files: dict,
    declaration_accepted: bool,
) -> Permohonan:
    """The front office corrects a counter file that was sent back to its applicant (returned
    at verification, or a technical fix) and hands it in again for them, in one transaction:
    the data, the service's fields, the documents given in ``files`` (requirement id -> file;
    the others stay as they are) and the hand-in move (``Actor.on_behalf``). Recorded as
    assisted (who and when) on the file's activity; the history names the officer."""
    if not may_act_for_applicant(permohonan, officer):
        raise WorkflowError(
            _(
                "Hanya petugas loket kantor yang memproses permohonan yang dientri di loket ini "
                "dapat memperbaikinya atas nama pemohon."
            )
        )
    if permohonan.status == Status.DRAFT or permohonan.status not in EDITABLE_STATES:
        raise WorkflowError(
            _("Permohonan %(number)s tidak sedang menunggu perbaikan dari pemohon.")
            % {"number": permohonan.number or ""}
        )
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = save_applicant_data(permohonan, actor=officer, data=applicant_data)
            locked = save_form_data(locked, actor=officer, data=form_data)
            replaced = _upload_all(locked, officer=officer, files=files, stored=stored)
            result = submit_permohonan(
                locked, actor=officer, declaration_accepted=declaration_accepted
            )
            result = checked_at_counter(result, officer=officer)
            record_activity(result, Kind.ASSISTED_FIX, officer, documents_replaced=replaced)
    except BaseException:
        storage = private_storage()
        for name in stored:
            storage.delete(name)
        raise
    log_event(logger, "assisted_fix", number=result.number, officer_id=officer.pk)
    return result


def _upload_all(permohonan: Permohonan, *, officer: Any, files: dict, stored: list[str]) -> int:
    """Store each given document (names of stored files go to ``stored``); every refusal is
    collected into one ``ValidationError`` keyed ``dok_<requirement id>``."""
    errors = {}
    count = 0
    for requirement in permohonan.jenis_izin.persyaratan.order_by("order", "id"):
        upload = files.get(requirement.pk)
        if upload is None:
            continue
        try:
            doc = upload_document(
                permohonan, actor=officer, persyaratan=requirement, uploaded_file=upload
            )
        except ValidationError as exc:
            errors[f"dok_{requirement.pk}"] = exc.messages
        else:
            stored.append(doc.stored_name)
            count += 1
    if errors:
        raise ValidationError(errors)
    return count


def pin_receipt_state(permohonan: Permohonan, officer: Any) -> str | None:
    """What the counter may do with the applicant's receipt (the one that shows the PIN):
    ``"print"`` (not printed yet), ``"reprint"`` (printed: only with a new PIN), or None (not a
    counter file, or not this officer's to print)."""
    if not permohonan.number or not may_act_for_applicant(permohonan, officer):
        return None
    return "reprint" if permohonan.pin_printed_at else "print"


@transaction.atomic
def print_applicant_receipt(*, officer: Any, permohonan: Permohonan, new_pin: bool) -> Permohonan:
    """The counter prints the applicant's receipt of a counter file, which shows the PIN.

    The PIN is shown once: the first print records when and by whom; a second print needs
    ``new_pin`` (a lost or misprinted sheet), which replaces the PIN, so the old sheet no
    longer opens /lacak/ or the claim. The officer's own copy never shows the PIN. Returns
    the locked file with the PIN to print."""
    if not may_act_for_applicant(permohonan, officer):
        raise WorkflowError(_("Tanda terima pemohon dicetak petugas loket kantor pemroses."))
    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    if not locked.number:
        raise WorkflowError(_("Permohonan ini belum diajukan."))
    if locked.pin_printed_at is not None and not new_pin:
        raise WorkflowError(
            _(
                "Tanda terima ber-PIN permohonan %(number)s sudah dicetak pada %(when)s. PIN "
                "hanya dicetak sekali; bila lembarnya hilang atau rusak, cetak ulang dengan PIN "
                "baru."
            )
            % {
                "number": locked.number,
                "when": date_format(timezone.localtime(locked.pin_printed_at), "j F Y, H:i"),
            }
        )
    fields = ["pin_printed_at", "updated_at"]
    kind = Kind.RECEIPT_PRINTED
    if locked.pin_printed_at is not None:
        locked.pin = generate_pin()
        fields.append("pin")
        kind = Kind.PIN_REISSUED
    locked.pin_printed_at = timezone.now()
    locked.save(update_fields=fields)
    record_activity(locked, kind, officer)
    log_event(logger, "counter_receipt_printed", number=locked.number, officer_id=officer.pk)
    return locked
