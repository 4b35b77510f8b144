"""A permit's life after issue: renewal (perpanjangan), amendment (perubahan data) and a copy
for a lost permit (salinan). Revocation is ``perizinan.services.izin.revoke_izin``.

A renewal or an amendment is an ordinary application (``Permohonan``) of the same service,
with ``kind`` and a link to the permit it follows (``previous_izin``), prefilled from that
permit's file (applicant data, the service's fields, the documents still required). It goes
through the same workflow table as any file; when its permit is signed, the previous permit is
superseded (``perizinan.services.izin``: status ``diganti``, ``superseded_by``). A renewal's term
counts from the day after the previous one ends; an amendment keeps the previous end date.

A copy is the same permit (number, verification page, data) re-rendered from its frozen data,
marked "SALINAN ke-N", signed by the configured signer and recorded (``SalinanIzin``).

Keyword-only arguments; each public function owns its transaction and raises ``WorkflowError``
for a request not allowed now.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import Role
from config.logs import log_event
from perizinan.exceptions import WorkflowError
from perizinan.models import Dokumen, Izin, Permohonan, SalinanIzin, private_storage
from perizinan.pdf import format_date_id, permit_data_from_json, render_permit_pdf
from perizinan.scanning.status import SERVABLE_STATUSES
from perizinan.services.permohonan import open_for_applications
from perizinan.signing import get_signer
from perizinan.workflow import FINAL_STATES, Status

logger = logging.getLogger("perizinan")

COPY_REASON_MIN = 5

Kind = Permohonan.Kind


def renewal_window_days() -> int:
    """How long before its end a permit may be renewed: the earliest expiry reminder (90)."""
    days = getattr(settings, "PERMIT_EXPIRY_REMINDER_DAYS", None) or [90]
    return max(days)


def renewal_due(izin: Izin, *, today: dt.date | None = None) -> bool:
    """The permit's end is inside the renewal window, or past (not revoked or replaced)."""
    if izin.status not in (Izin.Status.VALID, Izin.Status.EXPIRED) or izin.valid_until is None:
        return False
    today = today or timezone.localdate()
    return today >= izin.valid_until - dt.timedelta(days=renewal_window_days())


def open_follow_up(izin: Izin) -> Permohonan | None:
    """A renewal or amendment of this permit that is not decided yet (drafts included)."""
    return (
        Permohonan.objects.filter(previous_izin=izin)
        .exclude(status__in=list(FINAL_STATES))
        .order_by("-created_at")
        .first()
    )


def _is_holder(izin: Izin, user: Any) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.role == Role.PEMOHON
        and izin.permohonan.applicant_id == user.pk
    )


def _common_refusal(izin: Izin, user: Any) -> str | None:
    if not _is_holder(izin, user):
        return _("Hanya pemegang izin yang dapat mengajukannya.")
    if izin.status == Izin.Status.REVOKED:
        return _("Izin ini sudah dicabut; ajukan permohonan baru.")
    if izin.status == Izin.Status.SUPERSEDED:
        return _("Izin ini sudah diganti versi baru; gunakan izin yang terbaru.")
    if not open_for_applications(izin.permohonan.jenis_izin):
        return _("Layanan ini tidak sedang dibuka untuk permohonan daring.")
    return None


def _pending_refusal(izin: Izin, kind: str) -> str | None:
    pending = open_follow_up(izin)
    if pending is None or (pending.status == Status.DRAFT and pending.kind == kind):
        return None
    return _("Izin ini sudah memiliki permohonan %(kind)s %(number)s yang belum selesai.") % {
        "kind": pending.get_kind_display().lower(),
        "number": pending.number or _("(draf)"),
    }


def renewal_refusal(izin: Izin, user: Any, *, today: dt.date | None = None) -> str | None:
    """Why ``user`` may not renew this permit now, or None when they may."""
    refusal = _common_refusal(izin, user)
    if refusal:
        return refusal
    if izin.valid_until is None:
        return _("Izin ini berlaku selama memenuhi persyaratan dan tidak perlu diperpanjang.")
    if not renewal_due(izin, today=today):
        opens = izin.valid_until - dt.timedelta(days=renewal_window_days())
        return _("Perpanjangan dapat diajukan mulai %(date)s.") % {
            "date": date_format(opens, "j F Y")
        }
    return _pending_refusal(izin, Kind.PERPANJANGAN)


def amendment_refusal(izin: Izin, user: Any) -> str | None:
    """Why ``user`` may not ask for an amendment of this permit now, or None."""
    refusal = _common_refusal(izin, user)
    if refusal:
        return refusal
    if izin.effective_status() != Izin.Status.VALID:
        return _("Hanya izin yang masih berlaku yang dapat diubah; ajukan perpanjangan.")
    return _pending_refusal(izin, Kind.PERUBAHAN)


def copy_refusal(izin: Izin, user: Any) -> str | None:
    """Why ``user`` may not have a copy (salinan) of this permit issued, or None: the holder,
    or the admin / the head whose scope holds it; only of a permit in force."""
    if not (_is_holder(izin, user) or izin.may_be_revoked_by(user)):
        return _("Hanya pemegang izin atau kepala OPD pemroses yang dapat meminta salinan.")
    if izin.effective_status() != Izin.Status.VALID:
        return _("Salinan hanya diterbitkan untuk izin yang masih berlaku.")
    return None


def start_renewal(izin: Izin, *, actor: Any) -> Permohonan:
    """A renewal draft of this permit, prefilled from its file (or the open renewal draft)."""
    return _start_follow_up(izin, actor=actor, kind=Kind.PERPANJANGAN)


def start_amendment(izin: Izin, *, actor: Any) -> Permohonan:
    """An amendment draft of this permit, prefilled from its file (or the open one)."""
    return _start_follow_up(izin, actor=actor, kind=Kind.PERUBAHAN)


def _start_follow_up(izin: Izin, *, actor: Any, kind: str) -> Permohonan:
    copied: list[str] = []
    try:
        with transaction.atomic():
            draft = _start_locked(izin.pk, actor=actor, kind=kind, copied=copied)
    except BaseException:
        storage = private_storage()
        for name in copied:
            storage.delete(name)
        raise
    return draft


def _start_locked(pk: int, *, actor: Any, kind: str, copied: list[str]) -> Permohonan:
    # The permit row is the lock: two clicks make one draft.
    izin = Izin.objects.select_for_update().select_related("permohonan__jenis_izin").get(pk=pk)
    refuse = renewal_refusal if kind == Kind.PERPANJANGAN else amendment_refusal
    refusal = refuse(izin, actor)
    if refusal:
        raise WorkflowError(refusal)
    existing = open_follow_up(izin)
    if existing is not None:  # the applicant's own draft of the same kind
        return existing
    previous = izin.permohonan
    service = previous.jenis_izin
    keys = set(service.isian.values_list("key", flat=True))
    form_data = {k: v for k, v in (previous.form_data or {}).items() if k in keys}
    if "nomor_izin_lama" in keys:
        form_data["nomor_izin_lama"] = izin.number
    draft = Permohonan.objects.create(
        applicant=actor,
        jenis_izin=service,
        kind=kind,
        previous_izin=izin,
        applicant_data={**(previous.applicant_data or {}), "email": actor.email},
        form_data=form_data,
    )
    count = _copy_documents(previous, draft, actor=actor, copied=copied)
    log_event(
        logger,
        "follow_up_started",
        kind=kind,
        permit=izin.number,
        permohonan_id=draft.pk,
        documents=count,
    )
    return draft


def _copy_documents(source: Permohonan, draft: Permohonan, *, actor: Any, copied: list) -> int:
    """The previous file's current documents for requirements the service still has, stored
    again under new names (each file owns its copy), to be judged anew. A document found
    wanting, held for the scanner or infected is not carried over."""
    required = set(draft.jenis_izin.persyaratan.values_list("pk", flat=True))
    storage = private_storage()
    year = timezone.localdate().year
    count = 0
    documents = (
        Dokumen.objects.filter(permohonan=source, is_current=True, persyaratan_id__in=required)
        .filter(scan_status__in=list(SERVABLE_STATUSES))
        .exclude(stored_name="")
        .exclude(verdict=Dokumen.Verdict.NEEDS_CORRECTION)
    )
    for doc in documents:
        try:
            with storage.open(doc.stored_name, "rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            continue
        suffix = doc.stored_name.rsplit(".", 1)[-1] if "." in doc.stored_name else "bin"
        name = storage.save(f"dokumen/{year}/{uuid.uuid4().hex}.{suffix}", ContentFile(content))
        copied.append(name)
        Dokumen.objects.create(
            permohonan=draft,
            persyaratan_id=doc.persyaratan_id,
            stored_name=name,
            original_name=doc.original_name,
            content_type=doc.content_type,
            size=doc.size,
            sha256=doc.sha256,
            uploaded_by=actor,
            scan_status=doc.scan_status,
            scanned_at=doc.scanned_at,
        )
        count += 1
    return count


# --- Copies (salinan) ------------------------------------------------------------------------


def issue_copy(izin: Izin, *, actor: Any, reason: str) -> SalinanIzin:
    """Issue the next copy of a permit in force for a lost or damaged original."""
    reason = " ".join((reason or "").split())
    if len(reason) < COPY_REASON_MIN:
        raise ValidationError(
            _("Tuliskan alasan permintaan salinan (paling sedikit %(n)s karakter).")
            % {"n": COPY_REASON_MIN}
        )
    stored: list[str] = []
    try:
        with transaction.atomic():
            copy = _copy_locked(izin.pk, actor=actor, reason=reason[:300], stored=stored)
    except BaseException:
        storage = private_storage()
        for name in stored:
            storage.delete(name)
        raise
    log_event(
        logger, "permit_copy_issued", permit=copy.izin.number, copy=copy.sequence, actor_id=actor.pk
    )
    return copy


def _copy_locked(pk: int, *, actor: Any, reason: str, stored: list[str]) -> SalinanIzin:
    izin = Izin.objects.select_for_update().select_related("permohonan").get(pk=pk)
    refusal = copy_refusal(izin, actor)
    if refusal:
        raise WorkflowError(refusal)
    if not izin.printed_data:
        raise WorkflowError(
            _(
                "Izin %(number)s diterbitkan sebelum salinan tersedia; minta salinan di loket "
                "DPMPTSP."
            )
            % {"number": izin.number}
        )
    sequence = (izin.salinan.aggregate(last=Max("sequence"))["last"] or 0) + 1
    now = timezone.now()
    mark = (
        f"SALINAN ke-{sequence} dari izin nomor {izin.number}, diterbitkan pada "
        f"{format_date_id(timezone.localdate(now))}. Izin aslinya tetap satu: periksa "
        "keasliannya pada alamat verifikasi."
    )
    data = permit_data_from_json(izin.printed_data, copy_mark=mark)
    signed = get_signer().sign(
        render_permit_pdf(data),
        signer_name=data.signer_name,
        reason=f"Salinan ke-{sequence} {izin.product_name} nomor {izin.number}",
    )
    name = private_storage().save(
        f"izin/salinan/{now.year}/{uuid.uuid4().hex}.pdf", ContentFile(signed.content)
    )
    stored.append(name)
    return SalinanIzin.objects.create(
        izin=izin,
        sequence=sequence,
        reason=reason,
        requested_by=actor,
        file_name=name,
        file_size=len(signed.content),
        sha256=signed.sha256,
        created_at=now,
    )
