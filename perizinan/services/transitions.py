"""The one function that changes an application's status: ``transition``.

It reads the move from the workflow table (``perizinan.workflow``) and runs in three steps,
each a small function of this module:

- **check**: the move exists, the actor may make it (``Actor``: a person for themselves, the
  system, or the counter officer on the applicant's behalf), the note is there; then, with the
  row locked, that the file is still in a source state, the form's version is current, no
  colleague holds the file, and the move's condition holds (its ``guard_message`` otherwise);
- **apply**: the move's inputs (the assessed fee, the payment reference, the days for a
  technical fix), the registration and decision times, the deadlines, the claim;
- **record**: the append-only ``RiwayatStatus`` row, one log line, and ``status_changed``,
  whose receivers (connected in ``PerizinanConfig.ready``) write the messages and the
  rejection letter in this same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.logs import log_event
from kewenangan.models import JenisIzin
from perizinan.exceptions import WorkflowError
from perizinan.models import Permohonan, RiwayatStatus
from perizinan.services import fees
from perizinan.services.actor import Actor, may_act_for_applicant
from perizinan.services.deadlines import (
    fix_working_days_default,
    history_entries,
    overall_due_date,
    stage_due_date,
)
from perizinan.signals import status_changed
from perizinan.workdays import default_calendar
from perizinan.workflow import (
    FINAL_STATES,
    INPUT_FEE,
    INPUT_FIX_DAYS,
    INPUT_PAYMENT_REFERENCE,
    SYSTEM,
    WAITING_FOR_APPLICANT,
    Status,
    Transition,
    actor_may,
    assignment_allows,
    get_transition,
    officer_roles_for,
)

logger = logging.getLogger("perizinan")


@transaction.atomic
def transition(
    permohonan: Permohonan,
    *,
    name: str,
    actor: Actor | Any,
    note: str = "",
    internal_note: str = "",
    fields_to_fix: Sequence[str] = (),
    expected_version: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> Permohonan:
    """Make the move ``name`` on ``permohonan`` as ``actor`` (an ``Actor``, or a user acting
    for themselves) and return the locked, updated file. Raises ``WorkflowError`` when the move
    is not allowed now and ``ValidationError`` when an input is wrong; nothing is written then.
    """
    who = Actor.of(actor)
    move = _known_move(name)
    _check_actor(move, permohonan, who)
    note = (note or "").strip()
    if move.note_required and not note:
        raise WorkflowError(_("Catatan untuk pemohon wajib diisi untuk tindakan ini."))
    internal_note = (internal_note or "").strip()
    if move.internal_note_required and not internal_note:
        raise WorkflowError(
            _("Catatan internal (alasan untuk petugas) wajib diisi untuk tindakan ini.")
        )
    locked = (
        Permohonan.objects.select_for_update(of=("self",))
        .select_related("jenis_izin")
        .get(pk=permohonan.pk)
    )
    _check_now(move, locked, who, expected_version)
    from_status = _apply(move, locked, who, data or {}, reasons=internal_note or note)
    _record(
        move,
        locked,
        from_status,
        who,
        note=note,
        internal_note=internal_note,
        fields_to_fix=list(fields_to_fix),
    )
    return locked


# --- Check -------------------------------------------------------------------------------------


def _known_move(name: str) -> Transition:
    move = get_transition(name)
    if move is None:
        raise WorkflowError(_("Tindakan “%(name)s” tidak dikenal.") % {"name": name})
    return move


def _check_actor(move: Transition, permohonan: Permohonan, who: Actor) -> None:
    """The actor may make this move on this file (role and scope; the system; the counter)."""
    if move.system_only and not who.is_system:
        raise WorkflowError(_("Status ini hanya dapat diubah oleh sistem."))
    if who.person is None:
        if SYSTEM not in move.roles:
            raise WorkflowError(_("Tindakan ini memerlukan petugas atau pemohon."))
        return
    if who.is_on_behalf:
        if not (move.is_applicant_move and may_act_for_applicant(permohonan, who.person)):
            raise WorkflowError(
                _(
                    "Hanya petugas loket kantor yang memproses permohonan yang dientri di loket "
                    "ini dapat bertindak atas nama pemohon."
                )
            )
        return
    if not actor_may(move, permohonan, who.person):
        raise WorkflowError(_("Anda tidak berwenang melakukan tindakan ini pada permohonan ini."))


def _check_now(
    move: Transition, locked: Permohonan, who: Actor, expected_version: int | None
) -> None:
    """Under the row lock: the state, the form's version, the claim and the move's condition."""
    if locked.status not in move.sources:
        raise WorkflowError(
            _(
                "Permohonan %(number)s sekarang berstatus “%(status)s”; tindakan “%(action)s” "
                "tidak dapat dilakukan (mungkin sudah diproses orang lain)."
            )
            % {
                "number": locked.number or "",
                "status": locked.get_status_display(),
                "action": move.label,
            }
        )
    if expected_version is not None and locked.state_version != expected_version:
        raise WorkflowError(
            _("Permohonan %(number)s baru saja diubah orang lain. Muat ulang halaman.")
            % {"number": locked.number or ""}
        )
    if (
        not who.is_system
        and not move.is_applicant_move
        and not assignment_allows(locked, who.person)
    ):
        raise WorkflowError(
            _(
                "Permohonan %(number)s sedang ditangani petugas lain. Minta petugas itu atau "
                "atasan melepas atau mengalihkannya."
            )
            % {"number": locked.number or ""}
        )
    reason = move.refusal(locked)
    if reason is not None:
        raise WorkflowError(
            _("Tindakan “%(action)s” belum dapat dilakukan: %(reason)s")
            % {"action": move.label, "reason": reason}
        )


# --- Apply -------------------------------------------------------------------------------------


def _apply(
    move: Transition, locked: Permohonan, who: Actor, data: Mapping[str, Any], *, reasons: str
) -> str:
    """Change the locked row as the move says and save it; returns the state it left."""
    now = timezone.now()
    today = timezone.localdate(now)
    from_status = locked.status
    changed = {"status", "state_version", "updated_at"}
    changed |= _apply_inputs(locked, move, data, who, now, today)
    changed |= _apply_recommendation(locked, move, who, now, reasons)
    locked.status = move.target
    locked.state_version += 1
    if move.target == Status.TERDAFTAR and locked.registered_at is None:
        locked.registered_at = now  # the SLA clock starts
        changed.add("registered_at")
    if move.target in FINAL_STATES:
        locked.decided_at = now
        changed.add("decided_at")
    changed |= _update_deadlines(locked, from_status, today)
    changed |= _hand_over(locked, move)
    locked.save(update_fields=sorted(changed))
    return from_status


def _apply_inputs(
    locked: Permohonan,
    move: Transition,
    data: Mapping[str, Any],
    who: Actor,
    now: dt.datetime,
    today: dt.date,
) -> set[str]:
    """Write what the officer entered with the move; raise ``ValidationError`` on bad input."""
    changed: set[str] = set()
    if INPUT_FEE in move.inputs:
        service = locked.jenis_izin
        amount: int | None
        if service.fee_kind == JenisIzin.FeeKind.TETAP and service.fee_amount:
            amount = service.fee_amount
        else:
            amount = _positive_int(data.get(INPUT_FEE))
            if amount is None:
                raise ValidationError(
                    {INPUT_FEE: _("Isikan nominal retribusi hasil perhitungan (rupiah).")}
                )
            if not fees.within_limit(amount):
                raise ValidationError({INPUT_FEE: fees.fee_limit_message()})
        locked.fee_amount = amount
        changed.add("fee_amount")
    if INPUT_PAYMENT_REFERENCE in move.inputs:
        reference = str(data.get(INPUT_PAYMENT_REFERENCE) or "").strip()
        if not reference and not who.is_system:
            raise ValidationError(
                {INPUT_PAYMENT_REFERENCE: _("Isikan nomor bukti pembayaran (STS/kode bayar).")}
            )
        locked.payment_reference = reference[:100] or "-"
        locked.paid_at = now
        locked.payment_confirmed_by = who.person
        changed |= {"payment_reference", "paid_at", "payment_confirmed_by"}
    if INPUT_FIX_DAYS in move.inputs:
        given = data.get(INPUT_FIX_DAYS)
        default = fix_working_days_default(move.target)
        days = default if given in (None, "") else _positive_int(given)
        if days is None or days > 365:
            raise ValidationError(
                {INPUT_FIX_DAYS: _("Batas waktu perbaikan: 1 sampai 365 hari kerja.")}
            )
        locked.fix_due_date = default_calendar().add_working_days(today, days)
        changed.add("fix_due_date")
    elif locked.fix_due_date is not None:
        locked.fix_due_date = None
        changed.add("fix_due_date")
    return changed


def _apply_recommendation(
    locked: Permohonan, move: Transition, who: Actor, now: dt.datetime, reasons: str
) -> set[str]:
    """A recommendation is stored on the file for the signer; sending the file back for
    review withdraws it (the history keeps it)."""
    if move.recommends:
        locked.recommendation = move.recommends
        locked.recommendation_reasons = reasons
        locked.recommended_by = who.person
        locked.recommended_at = now
    elif move.withdraws_recommendation:
        locked.recommendation = Permohonan.Rekomendasi.NONE
        locked.recommendation_reasons = ""
        locked.recommended_by = None
        locked.recommended_at = None
    else:
        return set()
    return {"recommendation", "recommendation_reasons", "recommended_by", "recommended_at"}


def _positive_int(value: Any) -> int | None:
    try:
        number = int(str(value).replace(".", "").replace(",", "").strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _update_deadlines(locked: Permohonan, from_status: str, today: dt.date) -> set[str]:
    """Recompute the stored deadlines from the history plus the move being made."""
    entries = history_entries(locked) + [(today, from_status, locked.status)]
    calendar = default_calendar()
    registered_on = timezone.localdate(locked.registered_at) if locked.registered_at else None
    due = overall_due_date(registered_on, locked.sla_working_days, entries, calendar)
    stage_due = stage_due_date(locked.status, locked.jenis_izin, entries, calendar)
    changed = set()
    if due != locked.due_date:
        locked.due_date = due
        changed.add("due_date")
    if stage_due != locked.stage_due_date:
        locked.stage_due_date = stage_due
        changed.add("stage_due_date")
    return changed


def _hand_over(locked: Permohonan, move: Transition) -> set[str]:
    """A claim follows the file while its holder still has work on it: it stays through the
    applicant's corrections (the officer who asked gets it back) and ends when the file moves
    to another desk or is decided."""
    holder = locked.assigned_to if locked.assigned_to_id is not None else None
    if holder is None or move.target in WAITING_FOR_APPLICANT:
        return set()
    if holder.role in officer_roles_for(move.target):
        return set()
    locked.assigned_to = None
    locked.assigned_at = None
    return {"assigned_to", "assigned_at"}


# --- Record ------------------------------------------------------------------------------------


def _record(
    move: Transition,
    locked: Permohonan,
    from_status: str,
    who: Actor,
    *,
    note: str,
    internal_note: str,
    fields_to_fix: list[str],
) -> None:
    """The history row, the log line and the signal, in the move's transaction."""
    RiwayatStatus.objects.create(
        permohonan=locked,
        transition=move.name,
        from_status=from_status,
        to_status=move.target,
        actor=who.person,
        actor_role=who.role,
        note=note,
        internal_note=internal_note,
        fields_to_fix=fields_to_fix,
    )
    log_event(
        logger,
        "transition",
        name=move.name,
        number=locked.number,
        from_status=from_status,
        to_status=move.target,
        actor_id=who.log_id,
    )
    status_changed.send(
        sender=Permohonan,
        permohonan=locked,
        transition=move.name,
        from_status=from_status,
        to_status=move.target,
        actor=who.person,
        note=note,
    )
