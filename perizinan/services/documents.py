"""The applicant's documents: upload (the previous one stays as history), the officers'
verdicts (valid, or to be corrected with a note) and the trace of staff looking at them.

Who may judge documents in which state is the workflow's (``document_judge_roles``)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.logs import log_event
from perizinan.exceptions import WorkflowError
from perizinan.models import AksesDokumen, Dokumen, Permohonan, private_storage
from perizinan.services.activity import Kind, record_activity
from perizinan.services.permohonan import require_editable, require_owner
from perizinan.uploads import check_upload
from perizinan.workflow import document_judge_roles

logger = logging.getLogger("perizinan")


def upload_document(
    permohonan: Permohonan, *, actor: Any, persyaratan: Any, uploaded_file: Any
) -> Dokumen:
    """Check and store one document for one requirement; the previous one stays as history.

    The file is checked before anything is written; it goes to the private storage under a
    random name. If the database part fails, the stored file is removed again.
    """
    if persyaratan.jenis_izin_id != permohonan.jenis_izin_id:
        raise ValidationError(_("Persyaratan ini bukan milik layanan yang diajukan."))
    require_owner(permohonan, actor)
    require_editable(permohonan)
    clean = check_upload(uploaded_file, persyaratan)

    storage = private_storage()
    year = timezone.localdate().year
    stored_name = storage.save(
        f"dokumen/{year}/{uuid.uuid4().hex}.{clean.kind}", ContentFile(clean.content)
    )
    try:
        with transaction.atomic():
            locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
            require_editable(locked)
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
    log_event(
        logger,
        "document_uploaded",
        permohonan_id=permohonan.pk,
        requirement_id=persyaratan.pk,
        size=clean.size,
    )
    return doc


@transaction.atomic
def set_document_verdict(dokumen: Dokumen, *, actor: Any, verdict: str, note: str = "") -> Dokumen:
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


def may_judge_documents(permohonan: Permohonan, user: Any) -> bool:
    """The user's role decides on the documents in the file's state (the workflow table)."""
    return user.role in document_judge_roles(permohonan.status)


@transaction.atomic
def judge_document(dokumen: Dokumen, *, actor: Any, verdict: str, note: str = "") -> Dokumen:
    """Valid, or needs correction with a note; recorded on the file's activity."""
    permohonan = dokumen.permohonan
    if not may_judge_documents(permohonan, actor):
        raise WorkflowError(_("Dokumen diperiksa pada tahap verifikasi atau kajian teknis."))
    if not dokumen.is_current:
        raise WorkflowError(_("Dokumen ini sudah diganti pemohon."))
    result = set_document_verdict(dokumen, actor=actor, verdict=verdict, note=note)
    record_activity(
        permohonan,
        Kind.VERDICT,
        actor,
        result.verdict_note,
        dokumen=str(dokumen.public_id),
        requirement=dokumen.persyaratan.name,
        verdict=verdict,
    )
    return result


def record_document_access(dokumen: Dokumen, *, user: Any, inline: bool = False) -> None:
    """Staff looking at an applicant's document leaves a trace the applicant can see."""
    if user.pk == dokumen.permohonan.applicant_id:
        return
    from perizinan.services.akses import unit_of

    AksesDokumen.objects.create(
        dokumen=dokumen, user=user, user_role=user.role, user_unit=unit_of(user), inline=inline
    )
