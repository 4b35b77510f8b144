"""The permit (Izin): who signs, signing (one file or a batch), revocation and expiry.

Keyword-only arguments; each public function owns its transaction and raises ``WorkflowError``
(a move not allowed now) or ``ValidationError`` (bad input) for the view to show. What a
permit says and how it is numbered is ``perizinan.services.naskah``; rejection letters are
``perizinan.services.penolakan``. Both are re-exported here.

The counter row stays locked until the signing transaction ends, so two signings never share a
number and a failed one gives its number back (no gaps).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.logs import log_event
from perizinan.exceptions import WorkflowError
from perizinan.models import Izin, Permohonan, private_storage
from perizinan.pdf import PermitData, permit_data_to_json, render_permit_pdf
from perizinan.pdf.layout import place_of_issue
from perizinan.services.actor import Actor
from perizinan.services.naskah import (  # noqa: F401 - the permit's public names live here too
    DEFAULT_OFFICE_CODE,
    DEFAULT_PERMIT_CODE,
    DEFAULT_PERMIT_NUMBER_FORMAT,
    DEFAULT_REJECTION_NUMBER_FORMAT,
    PERMIT_COUNTER_PREFIX,
    REJECTION_COUNTER_PREFIX,
    STANDARD_CONDITIONS,
    PermitPreview,
    add_months,
    conditions_of,
    counter_key,
    data_fingerprint,
    decision_text,
    follow_up_valid_until,
    format_number,
    holder_of,
    legal_basis_of,
    number_format_for,
    office_code,
    office_name,
    permit_code,
    permit_preview,
    printed_fields_of,
    product_of,
    signer_details,
    signer_title,
    valid_until_for,
    validity_months,
    verification_url,
)
from perizinan.services.numbering import next_number
from perizinan.services.penolakan import (  # noqa: F401 - the permit's public names live here too
    create_rejection_letter,
    on_status_changed,
    rejection_number_format,
    rejection_pdf,
)
from perizinan.services.transitions import transition
from perizinan.signing import get_signer
from perizinan.workflow import TRANSITIONS_BY_NAME, Status, actor_may

logger = logging.getLogger("perizinan")

REVOCATION_REASON_MIN = 10

#: The move a signature makes (``perizinan.workflow``): who may sign is who may make it.
ISSUE = TRANSITIONS_BY_NAME["issue"]


# --- Who may sign ----------------------------------------------------------------------------


def may_sign(permohonan: Permohonan, user: Any) -> bool:
    """Whoever the table lets make ``issue`` (the kepala) in its scope (the processing OPD's),
    on a file waiting for signature."""
    return (
        user is not None
        and user.is_authenticated
        and permohonan.status in ISSUE.sources
        and actor_may(ISSUE, permohonan, user)
    )


def _require_signer(permohonan: Permohonan, actor: Any) -> None:
    if actor is None or not actor.is_authenticated or not actor_may(ISSUE, permohonan, actor):
        raise WorkflowError(
            _("Hanya kepala OPD pemroses yang dapat menandatangani izin permohonan ini.")
        )


# --- Signing ---------------------------------------------------------------------------------


def sign_permohonan(permohonan: Permohonan, *, actor) -> Izin:
    """Sign the permit of a file in PENANDATANGANAN and issue it, all in one transaction.

    Checks the signer, locks the file, takes the next permit number, renders the PDF, signs it
    through ``perizinan.signing.get_signer()``, stores it in the private storage, writes the
    ``Izin`` row and performs the ``issue`` transition (system move, recorded with the head as
    actor). Any failure rolls everything back, the number included, and removes the stored
    file. A second signer of the same file waits for the lock and then gets a ``WorkflowError``.
    """
    _require_signer(permohonan, actor)
    stored: list[str] = []
    try:
        with transaction.atomic():
            izin = _sign_locked(permohonan.pk, actor=actor, stored=stored)
    except BaseException:
        storage = private_storage()
        for name in stored:
            storage.delete(name)
        raise
    log_event(
        logger,
        "permit_signed",
        number=izin.permohonan.number,
        permit=izin.number,
        actor_id=actor.pk,
        provider=izin.provider,
        certified=izin.certified,
    )
    return izin


def _sign_locked(pk: int, *, actor, stored: list[str]) -> Izin:
    locked = (
        Permohonan.objects.select_for_update(of=("self",))
        .select_related("jenis_izin", "versi", "processing_opd")
        .get(pk=pk)
    )
    if locked.status == Status.TERBIT or Izin.objects.filter(permohonan_id=locked.pk).exists():
        raise WorkflowError(
            _("Izin untuk permohonan %(number)s sudah ditandatangani.")
            % {"number": locked.number or ""}
        )
    if locked.status not in ISSUE.sources:
        raise WorkflowError(
            _(
                "Permohonan %(number)s sekarang berstatus “%(status)s” dan tidak menunggu "
                "tanda tangan (mungkin sudah diproses orang lain)."
            )
            % {"number": locked.number or "", "status": locked.get_status_display()}
        )
    _require_signer(locked, actor)
    previous = _previous_for_issue(locked)

    now = timezone.now()
    issued_on = timezone.localdate(now)
    year = issued_on.year
    office = office_code(locked)
    key = counter_key(PERMIT_COUNTER_PREFIX, office)
    seq = next_number(key, year)
    number = format_number(
        number_format_for(locked), seq=seq, code=permit_code(locked), office=office, year=year
    )
    if Izin.objects.filter(number=number).exists():
        raise WorkflowError(
            _("Nomor izin %(number)s sudah dipakai; periksa format nomor izin.")
            % {"number": number}
        )
    holder = holder_of(locked)
    valid_until = follow_up_valid_until(locked, issued_on)
    signer = signer_details(actor)
    printed = printed_fields_of(locked)
    place = place_of_issue()
    izin = Izin(
        permohonan=locked,
        number=number,
        counter_key=key,
        year=year,
        sequence=seq,
        service_name=locked.jenis_izin.name,
        product_name=product_of(locked),
        holder_name=holder["name"],
        holder_nik_masked=holder["nik_masked"],
        issued_on=issued_on,
        valid_until=valid_until,
        signed_by=actor,
        signer_title=signer_title(locked),
        signer_name=signer["name"],
        signer_nip=signer["nip"],
        signer_rank=signer["rank"],
        place_of_issue=place,
        printed_fields=printed,
    )
    fingerprint = data_fingerprint(
        {
            "number": number,
            "application": locked.number,
            "service": izin.service_name,
            "product": izin.product_name,
            "holder": izin.holder_name,
            "nik": izin.holder_nik_masked,
            "issued_on": issued_on.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
            "token": izin.verification_token,
            "fields": printed,
            "signer": [signer["name"], signer["nip"]],
            "replaces": previous.number if previous is not None else None,
        }
    )
    data = PermitData(
        permit_number=number,
        application_number=locked.number or "",
        service_name=izin.service_name,
        product_name=izin.product_name,
        holder_name=izin.holder_name,
        holder_nik_masked=izin.holder_nik_masked,
        holder_address=holder["address"],
        decision_text=decision_text(locked),
        conditions=conditions_of(locked),
        issued_on=issued_on,
        valid_until=valid_until,
        signer_name=signer["name"],
        signer_title=izin.signer_title,
        signed_at=now,
        verification_url=verification_url(izin.verification_token),
        integrity_hash=fingerprint,
        office_name=office_name(locked),
        regency_name=settings.REGENCY_NAME,
        legal_basis=legal_basis_of(locked),
        printed_fields=printed,
        signer_nip=signer["nip"],
        signer_rank=signer["rank"],
        place_of_issue=place,
        replaces_note=replaces_note(locked, previous),
    )
    signed = get_signer().sign(
        render_permit_pdf(data),
        signer_name=data.signer_name,
        reason=f"Penerbitan {izin.product_name} nomor {number}",
    )
    name = private_storage().save(
        f"izin/{year}/{uuid.uuid4().hex}.pdf", ContentFile(signed.content)
    )
    stored.append(name)
    izin.file_name = name
    izin.file_size = len(signed.content)
    izin.sha256 = signed.sha256
    izin.data_sha256 = fingerprint
    izin.signed_at = signed.signed_at
    izin.certified = bool(signed.certified)
    izin.provider = signed.provider
    izin.printed_data = permit_data_to_json(data)
    izin.save()
    if previous is not None:
        _supersede(previous, by=izin, at=now)
    transition(locked, name="issue", actor=Actor.system(actor))
    return izin


def _previous_for_issue(locked: Permohonan) -> Izin | None:
    """The permit a renewal or an amendment replaces, locked; refused when it was revoked or
    already replaced meanwhile (the file is then decided by hand: rejected or withdrawn)."""
    if not locked.previous_izin_id:
        return None
    previous = Izin.objects.select_for_update().get(pk=locked.previous_izin_id)
    if previous.status == Izin.Status.REVOKED:
        raise WorkflowError(
            _("Izin %(number)s yang diperpanjang atau diubah sudah dicabut.")
            % {"number": previous.number}
        )
    if previous.status == Izin.Status.SUPERSEDED:
        raise WorkflowError(
            _("Izin %(number)s sudah diganti oleh izin lain.") % {"number": previous.number}
        )
    locked.previous_izin = previous
    return previous


def replaces_note(permohonan: Permohonan, previous: Izin | None) -> str:
    """The line a renewal or an amendment prints about the permit it replaces (document
    text: fixed Indonesian)."""
    if previous is None:
        return ""
    if permohonan.kind == Permohonan.Kind.PERPANJANGAN:
        return f"Perpanjangan izin nomor {previous.number}; izin tersebut digantikan oleh izin ini."
    return (
        f"Perubahan data atas izin nomor {previous.number}; izin tersebut digantikan oleh izin "
        "ini dan tidak berlaku lagi."
    )


def _supersede(previous: Izin, *, by: Izin, at) -> None:
    previous.status = Izin.Status.SUPERSEDED
    previous.superseded_by = by
    previous.superseded_at = at
    previous.save(update_fields=["status", "superseded_by", "superseded_at", "updated_at"])
    log_event(logger, "permit_superseded", permit=previous.number, by=by.number)


@dataclass
class BatchResult:
    signed: list[Izin] = field(default_factory=list)
    #: ``(permohonan id, application number or "", message)`` per file that was not signed.
    failed: list[tuple[int, str, str]] = field(default_factory=list)


def sign_batch(permohonan_ids: Iterable[int], *, actor) -> BatchResult:
    """Sign each file in its own transaction; one failure does not stop the others."""
    result = BatchResult()
    ids = list(dict.fromkeys(permohonan_ids))
    found = {p.pk: p for p in Permohonan.objects.filter(pk__in=ids)}
    for pk in ids:
        permohonan = found.get(pk)
        if permohonan is None:
            result.failed.append((pk, "", _("Permohonan tidak ditemukan.")))
            continue
        try:
            result.signed.append(sign_permohonan(permohonan, actor=actor))
        except WorkflowError as error:
            result.failed.append((pk, permohonan.number or "", str(error)))
    log_event(
        logger,
        "permit_batch_signed",
        actor_id=actor.pk if actor is not None else "-",
        signed=len(result.signed),
        failed=len(result.failed),
    )
    return result


# --- Revocation and expiry -------------------------------------------------------------------


@transaction.atomic
def revoke_izin(izin: Izin, *, actor, reason: str) -> Izin:
    """Revoke (cabut) an issued permit with a reason: admin, or the head of its scope."""
    reason = (reason or "").strip()
    if not izin.may_be_revoked_by(actor):
        raise WorkflowError(_("Anda tidak berwenang mencabut izin ini."))
    if len(reason) < REVOCATION_REASON_MIN:
        raise ValidationError(
            _("Tuliskan alasan pencabutan (paling sedikit %(n)s karakter).")
            % {"n": REVOCATION_REASON_MIN}
        )
    locked = Izin.objects.select_for_update().get(pk=izin.pk)
    if locked.status == Izin.Status.REVOKED:
        raise WorkflowError(
            _("Izin %(number)s sudah dicabut sebelumnya.") % {"number": locked.number}
        )
    if locked.status == Izin.Status.SUPERSEDED:
        raise WorkflowError(
            _("Izin %(number)s sudah diganti versi baru; cabut izin penggantinya.")
            % {"number": locked.number}
        )
    if locked.effective_status() == Izin.Status.EXPIRED:
        raise WorkflowError(
            _("Izin %(number)s sudah kedaluwarsa dan tidak perlu dicabut.")
            % {"number": locked.number}
        )
    locked.status = Izin.Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revocation_reason = reason
    locked.save(
        update_fields=["status", "revoked_at", "revoked_by", "revocation_reason", "updated_at"]
    )
    log_event(
        logger,
        "permit_revoked",
        permit=locked.number,
        number=locked.permohonan.number,
        actor_id=actor.pk,
    )
    return locked


def mark_expired(*, today: dt.date | None = None) -> int:
    """Store ``kedaluwarsa`` on valid permits past their last day. Idempotent: a second run
    finds nothing left to do."""
    today = today or timezone.localdate()
    now = timezone.now()
    count = (
        Izin.objects.past_end_date(today)
        .filter(status=Izin.Status.VALID)
        .update(status=Izin.Status.EXPIRED, expired_at=now, updated_at=now)
    )
    log_event(logger, "permits_expired", count=count, day=today.isoformat())
    return count
