"""Every change to an application: drafts, documents, submission and status transitions.

Keyword-only arguments; each public function owns its transaction and raises ``WorkflowError``
(a move not allowed now) or ``ValidationError`` (bad input) for the view to show.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from kewenangan.models import JenisIzin, PerangkatDaerah
from perizinan.exceptions import WorkflowError
from perizinan.models import (
    AksesDokumen,
    Dokumen,
    Penomoran,
    Permohonan,
    RiwayatStatus,
    private_storage,
)
from perizinan.selectors import (
    accepts_applications,
    current_version,
    form_fields_of,
    published_services,
    requirements_of,
)
from perizinan.services.deadlines import (
    fix_working_days_default,
    history_entries,
    overall_due_date,
    stage_due_date,
)
from perizinan.signals import status_changed
from perizinan.uploads import check_upload
from perizinan.workdays import default_calendar
from perizinan.workflow import (
    EDITABLE_STATES,
    INPUT_FEE,
    INPUT_FIX_DAYS,
    INPUT_PAYMENT_REFERENCE,
    SYSTEM,
    WAITING_FOR_APPLICANT,
    Status,
    actor_may,
    assignment_allows,
    field_check_done,
    get_transition,
    officer_roles_for,
)

logger = logging.getLogger("perizinan")

APPLICATION_COUNTER = "permohonan"
PIN_DIGITS = 6

#: The move the applicant's "submit" button makes in each editable state.
SUBMIT_MOVES = {
    Status.DRAFT: "submit",
    Status.DIKEMBALIKAN: "resubmit",
    Status.PERBAIKAN_TEKNIS: "technical_fixed",
}


# --- Numbers ---------------------------------------------------------------------------------


@transaction.atomic
def next_number(key: str, year: int) -> int:
    """The next value of a gapless per-year counter. The row stays locked until the caller's
    transaction ends, so numbers are unique and a rollback gives the number back."""
    Penomoran.objects.bulk_create([Penomoran(key=key, year=year)], ignore_conflicts=True)
    row = Penomoran.objects.select_for_update().get(key=key, year=year)
    row.last_value += 1
    row.save(update_fields=["last_value"])
    return row.last_value


def application_number(year: int, n: int) -> str:
    return f"{settings.APPLICATION_NUMBER_PREFIX}-{year}-{n:06d}"


def new_pin() -> str:
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


# --- Routing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    processing_opd: PerangkatDaerah
    technical_opd: PerangkatDaerah | None
    delegated: bool


def route_for(jenis_izin: JenisIzin) -> Route:
    """Where a new application goes: the DPMPTSP processes it when the kewenangan is delegated,
    else the origin OPD; the kewenangan's technical OPD reviews it when the service needs it."""
    kewenangan = jenis_izin.kewenangan
    if kewenangan.delegated:
        processing = PerangkatDaerah.objects.filter(is_dpmptsp=True).first()
        if processing is None:
            raise WorkflowError(
                _("Layanan ini belum dapat diajukan: DPMPTSP belum terdaftar. Hubungi admin.")
            )
    else:
        processing = kewenangan.origin_opd
    technical = kewenangan.technical_opd if jenis_izin.needs_technical_review else None
    return Route(processing_opd=processing, technical_opd=technical, delegated=kewenangan.delegated)


# --- Drafts ----------------------------------------------------------------------------------


def _open_for_applications(jenis_izin: JenisIzin) -> bool:
    service = published_services().select_related("kewenangan").filter(pk=jenis_izin.pk).first()
    return service is not None and accepts_applications(service)


def profile_prefill(user) -> dict:
    """Step 1 starts from the applicant's profile."""
    return {
        "full_name": user.full_name,
        "email": user.email,
        "nik": user.nik,
        "phone": user.phone,
        "address": user.address,
        "kecamatan_id": user.kecamatan_id,
        "kecamatan": str(user.kecamatan) if user.kecamatan_id else "",
        "desa_id": user.desa_id,
        "desa": user.desa.name if user.desa_id else "",
        "applicant_kind": user.applicant_kind,
        "company_name": user.company_name,
        "nib": user.nib,
        "npwp": user.npwp,
    }


def _require_owner(permohonan: Permohonan, actor) -> None:
    """The applicant, or the front office officer who entered the file for a walk-in applicant
    (assisted service: the officer fills in and corrects the file at the counter)."""
    if actor is None:
        raise WorkflowError(_("Hanya pemohon yang dapat mengubah permohonan ini."))
    if permohonan.applicant_id == actor.pk:
        return
    if permohonan.assisted_by_id == actor.pk and actor.role == Role.FRONT_OFFICE:
        return
    raise WorkflowError(_("Hanya pemohon yang dapat mengubah permohonan ini."))


def _require_editable(permohonan: Permohonan) -> None:
    if permohonan.status not in EDITABLE_STATES:
        raise WorkflowError(
            _("Permohonan %(number)s sudah diajukan dan tidak dapat diubah lagi.")
            % {"number": permohonan.number or ""}
        )


@transaction.atomic
def start_draft(*, applicant, jenis_izin: JenisIzin) -> Permohonan:
    """Open a draft for a published service, or return the applicant's open draft for it."""
    if applicant.role != Role.PEMOHON:
        raise WorkflowError(_("Hanya akun pemohon yang dapat mengajukan permohonan."))
    if not _open_for_applications(jenis_izin):
        raise WorkflowError(_("Layanan ini tidak sedang dibuka untuk permohonan daring."))
    existing = (
        Permohonan.objects.drafts()
        .filter(applicant=applicant, jenis_izin=jenis_izin)
        .order_by("-updated_at")
        .first()
    )
    if existing is not None:
        return existing
    draft = Permohonan.objects.create(
        applicant=applicant,
        jenis_izin=jenis_izin,
        applicant_data=profile_prefill(applicant),
    )
    logger.info("event=draft_started permohonan_id=%s service=%s", draft.pk, jenis_izin.slug)
    return draft


@transaction.atomic
def save_applicant_data(permohonan: Permohonan, *, actor, data: dict) -> Permohonan:
    """Step 1. ``data`` is the cleaned form data (JSON-serialisable)."""
    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    _require_owner(locked, actor)
    _require_editable(locked)
    locked.applicant_data = {**data, "email": locked.applicant.email}
    locked.last_step = max(locked.last_step, 1)
    locked.save(update_fields=["applicant_data", "last_step", "updated_at"])
    return locked


@transaction.atomic
def save_form_data(permohonan: Permohonan, *, actor, data: dict) -> Permohonan:
    """Step 2: the service's own fields, keyed by ``IsianFormulir.key``."""
    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    _require_owner(locked, actor)
    _require_editable(locked)
    locked.form_data = dict(data)
    locked.last_step = max(locked.last_step, 2)
    locked.save(update_fields=["form_data", "last_step", "updated_at"])
    return locked


@transaction.atomic
def mark_step(permohonan: Permohonan, *, actor, step: int) -> Permohonan:
    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    _require_owner(locked, actor)
    _require_editable(locked)
    if step > locked.last_step:
        locked.last_step = step
        locked.save(update_fields=["last_step", "updated_at"])
    return locked


@transaction.atomic
def discard_draft(permohonan: Permohonan, *, actor) -> None:
    """Delete a draft that was never submitted (its documents go with it)."""
    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    _require_owner(locked, actor)
    if locked.status != Status.DRAFT:
        raise WorkflowError(_("Hanya draf yang dapat dihapus; gunakan pembatalan."))
    names = list(locked.dokumen.values_list("stored_name", flat=True))
    locked.delete()
    storage = private_storage()
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


# --- Documents -------------------------------------------------------------------------------


def upload_document(permohonan: Permohonan, *, actor, persyaratan, uploaded_file) -> Dokumen:
    """Check and store one document for one requirement; the previous one stays as history.

    The file is checked before anything is written; it goes to the private storage under a
    random name. If the database part fails, the stored file is removed again.
    """
    if persyaratan.jenis_izin_id != permohonan.jenis_izin_id:
        raise ValidationError(_("Persyaratan ini bukan milik layanan yang diajukan."))
    _require_owner(permohonan, actor)
    _require_editable(permohonan)
    clean = check_upload(uploaded_file, persyaratan)

    storage = private_storage()
    year = timezone.localdate().year
    stored_name = storage.save(
        f"dokumen/{year}/{uuid.uuid4().hex}.{clean.kind}", ContentFile(clean.content)
    )
    try:
        with transaction.atomic():
            locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
            _require_editable(locked)
            Dokumen.objects.filter(
                permohonan=locked, persyaratan=persyaratan, is_current=True
            ).update(is_current=False)
            doc = Dokumen.objects.create(
                permohonan=locked,
                persyaratan=persyaratan,
                stored_name=stored_name,
                original_name=clean.original_name,
                content_type=clean.content_type,
                size=clean.size,
                sha256=clean.sha256,
                uploaded_by=actor,
            )
            locked.last_step = max(locked.last_step, 2)
            locked.save(update_fields=["last_step", "updated_at"])
    except BaseException:
        storage.delete(stored_name)
        raise
    logger.info(
        "event=document_uploaded permohonan_id=%s requirement_id=%s size=%s",
        permohonan.pk,
        persyaratan.pk,
        clean.size,
    )
    return doc


@transaction.atomic
def set_document_verdict(dokumen: Dokumen, *, actor, verdict: str, note: str = "") -> Dokumen:
    """An officer marks a document valid or to be corrected (used by the officers' desk)."""
    if actor is None or not actor.is_officer:
        raise WorkflowError(_("Hanya petugas yang dapat memeriksa dokumen."))
    if not Permohonan.objects.visible_to(actor).filter(pk=dokumen.permohonan_id).exists():
        raise WorkflowError(_("Permohonan ini di luar wewenang Anda."))
    if verdict not in Dokumen.Verdict.values:
        raise ValidationError(_("Hasil pemeriksaan tidak dikenal."))
    if verdict == Dokumen.Verdict.NEEDS_CORRECTION and not note.strip():
        raise ValidationError(_("Tuliskan apa yang perlu diperbaiki pada dokumen ini."))
    dokumen.verdict = verdict
    dokumen.verdict_note = note.strip()
    dokumen.verdict_by = actor
    dokumen.verdict_at = timezone.now()
    dokumen.save(update_fields=["verdict", "verdict_note", "verdict_by", "verdict_at"])
    return dokumen


def record_document_access(dokumen: Dokumen, *, user, inline: bool = False) -> None:
    """Staff looking at an applicant's document leaves a trace the applicant can see."""
    if user.pk == dokumen.permohonan.applicant_id:
        return
    from perizinan.services.akses import unit_of

    AksesDokumen.objects.create(
        dokumen=dokumen, user=user, user_role=user.role, user_unit=unit_of(user), inline=inline
    )


# --- Submission ------------------------------------------------------------------------------

APPLICANT_REQUIRED = ("full_name", "nik", "phone", "address")
COMPANY_REQUIRED = ("company_name", "nib")


def missing_for_submission(permohonan: Permohonan) -> list[str]:
    """Everything that still stops this application from being submitted, as messages."""
    missing = []
    data = permohonan.applicant_data or {}
    if permohonan.last_step < 1 or any(not data.get(k) for k in APPLICANT_REQUIRED):
        missing.append(_("Data pemohon (langkah 1) belum lengkap."))
    elif data.get("applicant_kind") == "badan_usaha" and any(
        not data.get(k) for k in COMPANY_REQUIRED
    ):
        missing.append(_("Nama badan usaha dan NIB wajib diisi untuk badan usaha."))
    form_data = permohonan.form_data or {}
    for field in form_fields_of(permohonan.jenis_izin):
        if field.required and form_data.get(field.key) in (None, ""):
            missing.append(_("Isian “%(label)s” belum diisi.") % {"label": field.label})
    current = {
        d.persyaratan_id: d
        for d in permohonan.dokumen.filter(is_current=True).only("persyaratan_id", "verdict")
    }
    for requirement in requirements_of(permohonan.jenis_izin):
        doc = current.get(requirement.pk)
        if doc is None and requirement.mandatory:
            missing.append(_("Dokumen “%(name)s” belum diunggah.") % {"name": requirement.name})
        elif doc is not None and doc.verdict == Dokumen.Verdict.NEEDS_CORRECTION:
            missing.append(
                _("Dokumen “%(name)s” belum diganti sesuai catatan petugas.")
                % {"name": requirement.name}
            )
    return missing


@transaction.atomic
def submit_permohonan(
    permohonan: Permohonan,
    *,
    actor,
    declaration_accepted: bool,
    expected_version: int | None = None,
) -> Permohonan:
    """Submit a draft, or resubmit a file after a correction. Idempotent: when the file was
    already submitted (a double click, a resent POST), it is returned unchanged.

    A new submission gets its routing snapshot, the standard's version, a gapless number and a
    tracking PIN in the same transaction as the status change.
    """
    locked = (
        Permohonan.objects.select_for_update(of=("self",))
        .select_related("jenis_izin__kewenangan")
        .get(pk=permohonan.pk)
    )
    _require_owner(locked, actor)
    move = SUBMIT_MOVES.get(locked.status)
    if move is None or (expected_version is not None and locked.state_version != expected_version):
        return locked
    if not declaration_accepted:
        raise ValidationError(_("Centang pernyataan bahwa data dan dokumen yang Anda kirim benar."))
    missing = missing_for_submission(locked)
    if missing:
        raise ValidationError(missing)

    now = timezone.now()
    if locked.status == Status.DRAFT:
        if not _open_for_applications(locked.jenis_izin):
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
    return transition(
        locked, name=move, actor=actor, on_behalf_of_applicant=actor.pk != locked.applicant_id
    )


def withdraw_permohonan(permohonan: Permohonan, *, actor, reason: str) -> Permohonan:
    """The applicant withdraws before a decision, with a reason (shown in the history)."""
    if not (reason or "").strip():
        raise ValidationError(_("Tuliskan alasan pembatalan."))
    return transition(permohonan, name="withdraw", actor=actor, note=reason.strip())


# --- The one function that changes a status ----------------------------------------------------


@transaction.atomic
def transition(
    permohonan: Permohonan,
    *,
    name: str,
    actor,
    note: str = "",
    internal_note: str = "",
    fields_to_fix: Sequence[str] = (),
    system: bool = False,
    expected_version: int | None = None,
    data: Mapping | None = None,
    on_behalf_of_applicant: bool = False,
) -> Permohonan:
    """Perform the move ``name`` on ``permohonan`` as ``actor`` (None for the system).

    Checks that the move exists, the actor's role and scope (owner for applicant moves,
    ``visible_to`` for officers), locks the row, re-checks the state after the lock (and that
    no colleague has claimed the file), checks the guard, applies the move's inputs (``data``:
    the assessed fee, the payment reference, the days for a technical fix), recomputes the
    deadlines, writes a ``RiwayatStatus`` row and sends ``status_changed`` (receivers schedule
    the notifications after commit). ``system=True`` is for services and tasks only (signing,
    deadlines): it unlocks the system-only moves. ``on_behalf_of_applicant=True`` lets the front
    office officer who entered a walk-in application make the applicant's move for them.
    """
    move = get_transition(name)
    if move is None:
        raise WorkflowError(_("Tindakan “%(name)s” tidak dikenal.") % {"name": name})
    if move.system_only and not system:
        raise WorkflowError(_("Status ini hanya dapat diubah oleh sistem."))
    if actor is None:
        if not (system and SYSTEM in move.roles):
            raise WorkflowError(_("Tindakan ini memerlukan petugas atau pemohon."))
    elif on_behalf_of_applicant:
        if not (
            move.is_applicant_move
            and actor.role == Role.FRONT_OFFICE
            and permohonan.assisted_by_id == actor.pk
        ):
            raise WorkflowError(
                _(
                    "Hanya petugas loket yang mengentri permohonan ini dapat bertindak atas "
                    "nama pemohon."
                )
            )
    elif not actor_may(move, permohonan, actor):
        raise WorkflowError(_("Anda tidak berwenang melakukan tindakan ini pada permohonan ini."))
    if move.note_required and not (note or "").strip():
        raise WorkflowError(_("Catatan untuk pemohon wajib diisi untuk tindakan ini."))

    locked = (
        Permohonan.objects.select_for_update(of=("self",))
        .select_related("jenis_izin")
        .get(pk=permohonan.pk)
    )
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
        actor is not None
        and not move.is_applicant_move
        and not system
        and not assignment_allows(locked, actor)
    ):
        raise WorkflowError(
            _(
                "Permohonan %(number)s sedang ditangani petugas lain. Minta petugas itu atau "
                "atasan melepas atau mengalihkannya."
            )
            % {"number": locked.number or ""}
        )
    if move.guard is not None and not move.guard(locked):
        raise WorkflowError(
            _("Tindakan “%(action)s” belum dapat dilakukan: %(reason)s")
            % {"action": move.label, "reason": _guard_reason(move, locked)}
        )

    now = timezone.now()
    today = timezone.localdate(now)
    from_status = locked.status
    update_fields = {"status", "state_version", "updated_at"}
    update_fields |= _apply_inputs(locked, move, data or {}, actor, now, today)
    locked.status = move.target
    locked.state_version += 1
    if move.target == Status.TERDAFTAR and locked.registered_at is None:
        locked.registered_at = now
        update_fields.add("registered_at")
    if move.target in (Status.TERBIT, Status.DITOLAK, Status.DIBATALKAN, Status.GUGUR):
        locked.decided_at = now
        update_fields.add("decided_at")
    update_fields |= _update_deadlines(locked, from_status, today)
    update_fields |= _hand_over(locked, move)
    locked.save(update_fields=sorted(update_fields))

    RiwayatStatus.objects.create(
        permohonan=locked,
        transition=move.name,
        from_status=from_status,
        to_status=move.target,
        actor=actor,
        actor_role=actor.role if actor is not None else SYSTEM,
        note=(note or "").strip(),
        internal_note=(internal_note or "").strip(),
        fields_to_fix=list(fields_to_fix),
    )
    logger.info(
        "event=transition name=%s number=%s from=%s to=%s actor_id=%s",
        move.name,
        locked.number,
        from_status,
        move.target,
        actor.pk if actor is not None else SYSTEM,
    )
    status_changed.send(
        sender=Permohonan,
        permohonan=locked,
        transition=move.name,
        from_status=from_status,
        to_status=move.target,
        actor=actor,
        note=(note or "").strip(),
    )
    return locked


def _guard_reason(move, permohonan: Permohonan) -> str:
    if move.target in (Status.MENUNGGU_PEMBAYARAN, Status.PENANDATANGANAN) and not (
        field_check_done(permohonan)
    ):
        return _("unggah berita acara pemeriksaan lapangan (BAP) lebih dulu.")
    if move.name == "confirm_payment":
        return _("nominal retribusi belum ditetapkan.")
    return _("syarat tindakan ini tidak terpenuhi untuk permohonan ini.")


def _apply_inputs(locked: Permohonan, move, data: Mapping, actor, now, today) -> set[str]:
    """Write what the officer entered with the move; raise ``ValidationError`` on bad input."""
    changed: set[str] = set()
    if INPUT_FEE in move.inputs:
        service = locked.jenis_izin
        if service.fee_kind == JenisIzin.FeeKind.TETAP and service.fee_amount:
            amount = service.fee_amount
        else:
            amount = _positive_int(data.get(INPUT_FEE))
            if amount is None:
                raise ValidationError(
                    {INPUT_FEE: _("Isikan nominal retribusi hasil perhitungan (rupiah).")}
                )
        locked.fee_amount = amount
        changed.add("fee_amount")
    if INPUT_PAYMENT_REFERENCE in move.inputs:
        reference = str(data.get(INPUT_PAYMENT_REFERENCE) or "").strip()
        if not reference and actor is not None:
            raise ValidationError(
                {INPUT_PAYMENT_REFERENCE: _("Isikan nomor bukti pembayaran (STS/kode bayar).")}
            )
        locked.payment_reference = reference[:100] or "-"
        locked.paid_at = now
        locked.payment_confirmed_by = actor
        changed |= {"payment_reference", "paid_at", "payment_confirmed_by"}
    if move.target == Status.PERBAIKAN_TEKNIS:
        days = data.get(INPUT_FIX_DAYS)
        days = fix_working_days_default() if days in (None, "") else _positive_int(days)
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


def _positive_int(value) -> int | None:
    try:
        number = int(str(value).replace(".", "").replace(",", "").strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _update_deadlines(locked: Permohonan, from_status: str, today) -> set[str]:
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


def _hand_over(locked: Permohonan, move) -> set[str]:
    """A claim follows the file while its holder still has work on it: it stays through the
    applicant's corrections (the officer who asked gets it back) and ends when the file moves
    to another desk or is decided."""
    if locked.assigned_to_id is None:
        return set()
    if move.target in WAITING_FOR_APPLICANT:
        return set()
    holder_role = locked.assigned_to.role
    if holder_role in officer_roles_for(move.target):
        return set()
    locked.assigned_to = None
    locked.assigned_at = None
    return {"assigned_to", "assigned_at"}
