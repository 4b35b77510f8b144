"""The applicant's documents: upload (the previous one stays as history), the officers'
verdicts (valid, or to be corrected with a note) and the trace of staff looking at them.

Every upload is scanned for malware before it is stored (``perizinan.scanning``): infected,
it is refused; with the scanner away, it is stored held (``pending``) and judged by nobody
until the rescan task gives a verdict. A document or BAP found infected on that later scan is
handled here (``document_infected``, ``field_report_infected``).

Who may judge documents in which state is the workflow's (``document_judge_roles``)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from config.logs import log_event
from perizinan.exceptions import WorkflowError
from perizinan.models import (
    AksesDokumen,
    BeritaAcara,
    Dokumen,
    Permohonan,
    RiwayatStatus,
    private_storage,
)
from perizinan.scanning import ScanStatus, scan_upload
from perizinan.services.activity import Kind, record_activity
from perizinan.services.permohonan import require_editable, require_owner
from perizinan.throttle import require_upload_rate
from perizinan.uploads import check_upload
from perizinan.workflow import FIELD_REPORT_STATES, document_judge_roles

logger = logging.getLogger("perizinan")


def upload_document(
    permohonan: Permohonan, *, actor: Any, persyaratan: Any, uploaded_file: Any
) -> Dokumen:
    """Check and store one document for one requirement; the previous one stays as history
    once handed in (``discard_unseen_versions``). Uploads per user are limited
    (``perizinan.throttle.require_upload_rate``).

    The file is checked and scanned for malware before anything is written (infected: a
    ``ValidationError`` naming the requirement); it goes to the private storage under a random
    name, ``pending`` when the scanner could not be reached. If the database part fails, the
    stored file is removed again.
    """
    if persyaratan.jenis_izin_id != permohonan.jenis_izin_id:
        raise ValidationError(_("Persyaratan ini bukan milik layanan yang diajukan."))
    require_owner(permohonan, actor)
    require_editable(permohonan)
    require_upload_rate(actor)
    clean = check_upload(uploaded_file, persyaratan)
    scan = scan_upload(
        clean.content,
        requirement=persyaratan.name,
        what="dokumen",
        permohonan_id=permohonan.pk,
        requirement_id=persyaratan.pk,
    )

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
                **scan.fields(),
            )
            discard_unseen_versions(locked, persyaratan)
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
        scan=scan.status,
    )
    return doc


def discard_unseen_versions(permohonan: Permohonan, persyaratan: Any) -> int:
    """Delete the replaced versions of one requirement's document that nobody but their
    uploader has seen, with their stored files (issue 16: 27 versions of one document were
    kept in one draft). Unseen: replaced, not judged, opened by no officer, and uploaded since
    the file last changed state (a draft's, or one sent back for correction, since it came
    back). What was handed in stays as history. Call inside the transaction that made the new
    version current; the files are deleted when it commits."""
    history = RiwayatStatus.objects.filter(permohonan=permohonan)
    last_move = history.aggregate(at=Max("created_at"))["at"]
    unseen = Dokumen.objects.filter(
        permohonan=permohonan,
        persyaratan=persyaratan,
        is_current=False,
        verdict=Dokumen.Verdict.PENDING,
        akses__isnull=True,
    )
    if last_move is not None:
        unseen = unseen.filter(uploaded_at__gt=last_move)
    rows = list(unseen.values_list("pk", "stored_name"))
    if not rows:
        return 0
    Dokumen.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
    storage = private_storage()
    names = [name for _pk, name in rows if name]
    # robust: a storage hiccup leaves an unreferenced file behind, never a 500 after the commit
    transaction.on_commit(lambda: [storage.delete(name) for name in names], robust=True)
    log_event(
        logger,
        "document_versions_discarded",
        permohonan_id=permohonan.pk,
        requirement_id=persyaratan.pk,
        count=len(rows),
    )
    return len(rows)


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
    if not dokumen.is_servable:
        raise WorkflowError(
            _("Dokumen ini belum dapat diperiksa: masih menunggu pemindaian virus.")
            if dokumen.is_waiting_for_scan
            else _("Dokumen ini terdeteksi virus dan sudah dihapus; pemohon mengunggah ulang.")
        )
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


# --- Found infected on a later scan (perizinan.scanning.rescan) --------------------------------

#: The note the applicant reads on a document found infected after it was stored.
INFECTED_NOTE = _(
    "Berkas ini terdeteksi mengandung virus saat dipindai dan sudah dihapus. Periksa perangkat "
    "Anda dengan antivirus, lalu unggah berkas lain."
)


def document_infected(dokumen: Dokumen, signature: str) -> None:
    """A held document turned out infected (the rescan already marked it and cleared its file).

    A current one is treated as missing: it is marked "to be replaced" with a note (so the file
    cannot be submitted or registered until the applicant uploads another: the submission check
    and ``perizinan.workflow.documents_scanned``), and the applicant is told."""
    log_event(
        logger,
        "document_infected",
        level=logging.WARNING,
        permohonan_id=dokumen.permohonan_id,
        requirement_id=dokumen.persyaratan_id,
        signature=signature,
        current=dokumen.is_current,
    )
    if not dokumen.is_current:
        return
    dokumen.verdict = Dokumen.Verdict.NEEDS_CORRECTION
    dokumen.verdict_note = str(INFECTED_NOTE)
    dokumen.verdict_by = None
    dokumen.verdict_at = timezone.now()
    dokumen.save(update_fields=["verdict", "verdict_note", "verdict_by", "verdict_at"])
    from perizinan.notifications.events import notify_applicant

    permohonan = Permohonan.objects.select_related("applicant", "jenis_izin").get(
        pk=dokumen.permohonan_id
    )
    notify_applicant(
        permohonan,
        DOCUMENT_INFECTED_EVENT,
        key_prefix=f"dokumen-terinfeksi:{dokumen.public_id}",
        dokumen=dokumen.persyaratan.name,
        nama_berkas=dokumen.original_name,
    )


#: The applicant's message (``templates/notifikasi/<language>/dokumen_terdeteksi_virus.txt``).
DOCUMENT_INFECTED_EVENT = "dokumen_terdeteksi_virus"
#: The tim teknis' message about their own BAP.
FIELD_REPORT_INFECTED_EVENT = "bap_terdeteksi_virus"


def field_report_infected(report: BeritaAcara, signature: str) -> None:
    """A held BAP turned out infected: during the technical review the field check counts as
    not done again (unless another usable BAP exists), and its author is told."""
    log_event(
        logger,
        "field_report_infected",
        level=logging.WARNING,
        permohonan_id=report.permohonan_id,
        signature=signature,
    )
    permohonan = Permohonan.objects.select_for_update(of=("self",)).get(pk=report.permohonan_id)
    others = (
        BeritaAcara.objects.filter(permohonan=permohonan)
        .exclude(pk=report.pk)
        .exclude(scan_status=ScanStatus.INFECTED)
    )
    if permohonan.status in FIELD_REPORT_STATES and not others.exists():
        permohonan.field_check_done_at = None
        permohonan.save(update_fields=["field_check_done_at", "updated_at"])
    from perizinan.notifications.events import notify_user, officer_channels, officer_link

    author = report.uploaded_by
    if author.is_active:
        notify_user(
            user=author,
            event=FIELD_REPORT_INFECTED_EVENT,
            key_prefix=f"bap-terinfeksi:{report.public_id}",
            context={
                "nomor": permohonan.number or "",
                "layanan": permohonan.jenis_izin.name,
                "nama_berkas": report.original_name,
                "tautan": officer_link(permohonan),
            },
            channels=officer_channels(author),
            permohonan=permohonan,
        )
