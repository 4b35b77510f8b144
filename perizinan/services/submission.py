"""Handing a file to the office: what is still missing, submitting (and resubmitting after a
correction or a technical fix), and withdrawing before a decision."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kewenangan.models import JenisIzin
from perizinan.exceptions import WorkflowError
from perizinan.models import Dokumen, Permohonan
from perizinan.selectors import current_version, form_fields_of, requirements_of
from perizinan.services.actor import Actor
from perizinan.services.numbering import (
    APPLICATION_COUNTER,
    application_number,
    new_pin,
    next_number,
)
from perizinan.services.permohonan import open_for_applications, require_owner
from perizinan.services.routing import route_for
from perizinan.services.transitions import transition
from perizinan.workflow import Status, hand_in_move

APPLICANT_REQUIRED = ("full_name", "nik", "phone", "address")
COMPANY_REQUIRED = ("company_name", "nib")


def missing_for_submission(permohonan: Permohonan) -> list[str]:
    """Everything that still stops this application from being submitted, as messages."""
    by_step = missing_by_step(permohonan)
    if permohonan.last_step < 1 and not by_step[1]:
        by_step[1] = [_("Data pemohon (langkah 1) belum lengkap.")]
    return [message for step in sorted(by_step) for message in by_step[step]]


def missing_by_step(permohonan: Permohonan) -> dict[int, list[str]]:
    """What is still missing, per step of the form (1 applicant, 2 service fields, 3
    documents): a step with nothing missing is complete (``mark_step`` marks only those)."""
    missing: dict[int, list[str]] = {1: [], 2: [], 3: []}
    data = permohonan.applicant_data or {}
    if any(not data.get(k) for k in APPLICANT_REQUIRED):
        missing[1].append(_("Data pemohon (langkah 1) belum lengkap."))
    elif data.get("applicant_kind") == "badan_usaha" and any(
        not data.get(k) for k in COMPANY_REQUIRED
    ):
        missing[1].append(_("Nama badan usaha dan NIB wajib diisi untuk badan usaha."))
    form_data = permohonan.form_data or {}
    for field in form_fields_of(permohonan.jenis_izin):
        if field.required and form_data.get(field.key) in (None, ""):
            missing[2].append(_("Isian “%(label)s” belum diisi.") % {"label": field.label})
    current = {
        d.persyaratan_id: d
        for d in permohonan.dokumen.filter(is_current=True).only("persyaratan_id", "verdict")
    }
    for requirement in requirements_of(permohonan.jenis_izin):
        doc = current.get(requirement.pk)
        if doc is None and requirement.mandatory:
            missing[3].append(_("Dokumen “%(name)s” belum diunggah.") % {"name": requirement.name})
        elif doc is not None and doc.verdict == Dokumen.Verdict.NEEDS_CORRECTION:
            missing[3].append(
                _("Dokumen “%(name)s” belum diganti sesuai catatan petugas.")
                % {"name": requirement.name}
            )
    return missing


@transaction.atomic
def submit_permohonan(
    permohonan: Permohonan,
    *,
    actor: Any,
    declaration_accepted: bool,
    expected_version: int | None = None,
) -> Permohonan:
    """Submit a draft, or resubmit a file after a correction. Idempotent: when the file was
    already submitted (a double click, a resent POST), it is returned unchanged.

    A new submission gets its routing snapshot, the standard's version, a gapless number and a
    tracking PIN in the same transaction as the status change. The front office officer who
    entered a walk-in application submits it on the applicant's behalf.
    """
    locked = (
        Permohonan.objects.select_for_update(of=("self",))
        .select_related("jenis_izin__kewenangan")
        .get(pk=permohonan.pk)
    )
    require_owner(locked, actor)
    move = hand_in_move(locked.status)
    if move is None or (expected_version is not None and locked.state_version != expected_version):
        return locked
    if not declaration_accepted:
        raise ValidationError(_("Centang pernyataan bahwa data dan dokumen yang Anda kirim benar."))
    missing = missing_for_submission(locked)
    if missing:
        raise ValidationError(missing)

    now = timezone.now()
    if locked.status == Status.DRAFT:
        if not open_for_applications(locked.jenis_izin):
            raise WorkflowError(_("Layanan ini tidak sedang dibuka untuk permohonan daring."))
        service = locked.jenis_izin
        route = route_for(service)
        year = timezone.localdate(now).year
        locked.number = application_number(year, next_number(APPLICATION_COUNTER, year))
        locked.pin = new_pin()
        locked.submitted_at = now
        locked.processing_opd = route.processing_opd
        locked.technical_opd = route.technical_opd
        locked.route_delegated = route.delegated
        locked.needs_payment = service.fee_kind != JenisIzin.FeeKind.GRATIS
        locked.needs_field_check = service.needs_field_check
        locked.sla_working_days = service.sla_working_days
        locked.versi = current_version(service)
    locked.declaration_accepted_at = now
    locked.last_step = 4
    locked.save()
    who = Actor.user(actor) if actor.pk == locked.applicant_id else Actor.on_behalf(actor)
    return transition(locked, name=move.name, actor=who)


def withdraw_permohonan(permohonan: Permohonan, *, actor: Any, reason: str) -> Permohonan:
    """The applicant withdraws before a decision, with a reason (shown in the history)."""
    if not (reason or "").strip():
        raise ValidationError(_("Tuliskan alasan pembatalan."))
    return transition(permohonan, name="withdraw", actor=actor, note=reason.strip())
