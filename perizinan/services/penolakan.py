"""Rejection letters (SuratPenolakan): the numbered letter of a file just moved to DITOLAK,
written in the transition's transaction by ``on_status_changed`` (connected in
``PerizinanConfig.ready``), and its PDF rendered from the letter's frozen fields."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.logs import log_event
from perizinan.models import Permohonan, SuratPenolakan
from perizinan.pdf import RejectionData, render_rejection_pdf
from perizinan.services.naskah import (
    DEFAULT_REJECTION_NUMBER_FORMAT,
    REJECTION_COUNTER_PREFIX,
    counter_key,
    format_number,
    holder_of,
    office_code,
    office_name,
    permit_code,
    signer_title,
    snapshot_of,
)
from perizinan.services.numbering import next_number
from perizinan.workflow import Status, get_transition

logger = logging.getLogger("perizinan")


def rejection_number_format() -> str:
    return getattr(settings, "REJECTION_NUMBER_FORMAT", DEFAULT_REJECTION_NUMBER_FORMAT)


@transaction.atomic
def create_rejection_letter(
    permohonan: Permohonan, *, reasons: str, decided_by=None, transition_name: str = ""
) -> SuratPenolakan:
    """The rejection letter of a file just moved to DITOLAK, numbered from its own gapless
    counter. Idempotent: a file has at most one letter."""
    existing = SuratPenolakan.objects.filter(permohonan_id=permohonan.pk).first()
    if existing is not None:
        return existing
    permohonan = Permohonan.objects.select_related("jenis_izin", "versi", "processing_opd").get(
        pk=permohonan.pk
    )
    decided_at = permohonan.decided_at or timezone.now()
    year = timezone.localdate(decided_at).year
    office = office_code(permohonan)
    key = counter_key(REJECTION_COUNTER_PREFIX, office)
    seq = next_number(key, year)
    snapshot = snapshot_of(permohonan)
    holder = holder_of(permohonan)
    letter = SuratPenolakan.objects.create(
        permohonan=permohonan,
        number=format_number(
            rejection_number_format(),
            seq=seq,
            code=permit_code(permohonan),
            office=office,
            year=year,
        ),
        counter_key=key,
        year=year,
        sequence=seq,
        applicant_name=holder["name"],
        applicant_address=holder["address"][:500],
        service_name=permohonan.jenis_izin.name,
        reasons=(reasons or "").strip() or "-",
        legal_basis=(snapshot.get("legal_basis") or permohonan.jenis_izin.legal_basis or ""),
        office_name=office_name(permohonan),
        signer_title=signer_title(permohonan),
        transition=transition_name,
        decided_by=decided_by,
        decided_at=decided_at,
    )
    log_event(logger, "rejection_letter_created", number=permohonan.number, letter=letter.number)
    return letter


def rejection_pdf(letter: SuratPenolakan) -> bytes:
    """The letter as PDF, rendered from its frozen fields (the same bytes on every download)."""
    return render_rejection_pdf(
        RejectionData(
            letter_number=letter.number,
            application_number=letter.permohonan.number or "",
            service_name=letter.service_name,
            applicant_name=letter.applicant_name,
            applicant_address=letter.applicant_address,
            reasons=letter.reasons,
            legal_basis=letter.legal_basis,
            decided_at=letter.decided_at,
            signer_title=letter.signer_title,
            office_name=letter.office_name,
            regency_name=settings.REGENCY_NAME,
        )
    )


def on_status_changed(sender, permohonan, to_status, **kwargs):
    """Inside the transition's transaction: a file the signer rejects gets its numbered letter
    (``signs_rejection_letter`` in the workflow table). A front-office refusal of a file that
    is not for this office writes none: it is recorded in the history with its reason."""
    move = get_transition(kwargs.get("transition", ""))
    if to_status == Status.DITOLAK and move is not None and move.signs_rejection_letter:
        create_rejection_letter(
            permohonan,
            reasons=kwargs.get("note", ""),
            decided_by=kwargs.get("actor"),
            transition_name=kwargs.get("transition", ""),
        )
