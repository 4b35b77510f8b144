"""The officers' desk: claiming a file, releasing it, a supervisor reassigning it, internal
notes and the field inspection report (BAP). The document verdicts are
``perizinan.services.documents``, re-routing ``perizinan.services.routing`` and the counter's
entry for a walk-in applicant ``perizinan.services.counter``; their public functions are
re-exported here for the desk's views.

None of these changes a status (that is ``perizinan.services.transition``); each writes an
``AktivitasBerkas`` row in the same transaction.

Claims. ``claim_permohonan`` is a compare-and-swap (``UPDATE ... WHERE assigned_to IS NULL``):
of two officers clicking at once, exactly one wins, the other gets a clear message.
``claim_next`` takes the most urgent unclaimed file with ``SELECT ... FOR UPDATE SKIP LOCKED``,
so officers pulling work at the same time never get the same file. An officer may claim a file
in their scope (``visible_to``) in a state where their role has a move (``officer_roles_for``).

Supervisors (``perizinan.workflow.is_supervisor``): admins and the kepala of the OPD that
processes the file. They reassign a file to a colleague who could claim it themselves, and
release anyone's claim.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from config import page_cache
from config.logs import log_event
from perizinan import scope
from perizinan.exceptions import WorkflowError
from perizinan.models import AktivitasBerkas, BeritaAcara, Permohonan, private_storage
from perizinan.models.permohonan import QUEUE_ORDER, queue_due_key
from perizinan.scanning import scan_upload
from perizinan.services.activity import Kind, record_activity
from perizinan.services.counter import (  # noqa: F401 - the desk's views call them from here
    AssistedResult,
    correct_assisted_application,
    create_assisted_application,
    find_applicant,
    pin_receipt_state,
    print_applicant_receipt,
)
from perizinan.services.documents import (  # noqa: F401 - the desk's views call them from here
    judge_document,
    may_judge_documents,
)
from perizinan.services.routing import reroute_permohonan  # noqa: F401 - admin, tests
from perizinan.uploads import check_upload
from perizinan.workflow import (
    FIELD_REPORT_ROLES,
    FIELD_REPORT_STATES,
    FINAL_STATES,
    is_supervisor,
    officer_roles_for,
    statuses_for_role,
)

logger = logging.getLogger("perizinan")

#: How many colleagues a supervisor is offered at most.
COLLEAGUES_LIMIT = 200


def _require_officer(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise WorkflowError(_("Masuk sebagai petugas untuk melakukan ini."))
    if not (user.is_officer or user.role == Role.ADMIN):
        raise WorkflowError(_("Hanya petugas yang dapat melakukan ini."))


def _require_in_scope(permohonan: Permohonan, user) -> None:
    if not Permohonan.objects.visible_to(user).filter(pk=permohonan.pk).exists():
        raise WorkflowError(_("Permohonan ini di luar wewenang Anda."))


def may_claim(permohonan: Permohonan, user: Any) -> bool:
    """Whether ``user``'s role works on this file in its state (the workflow table: no officer
    works on a draft, a decided file or one waiting for the applicant)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role in officer_roles_for(permohonan.status)


# --- Claims ------------------------------------------------------------------------------------


@transaction.atomic
def claim_permohonan(permohonan: Permohonan, *, actor) -> Permohonan:
    """Take a file. Idempotent for its holder; refused when a colleague holds it."""
    _require_officer(actor)
    if not may_claim(permohonan, actor):
        raise WorkflowError(_("Berkas pada tahap ini bukan pekerjaan peran Anda."))
    _require_in_scope(permohonan, actor)
    now = timezone.now()
    # Compare-and-swap on the row itself (no join: PostgreSQL re-checks a plain WHERE on the
    # latest row version after waiting for a concurrent claim, so only one UPDATE matches).
    won = Permohonan.objects.filter(
        pk=permohonan.pk,
        assigned_to__isnull=True,
        status__in=statuses_for_role(actor.role),
    ).update(assigned_to=actor, assigned_at=now, updated_at=now)
    if won:
        page_cache.bump()  # update() sends no post_save: the cached queue pages are stale
    current = Permohonan.objects.select_related("assigned_to").get(pk=permohonan.pk)
    if not won:
        if current.assigned_to_id == actor.pk:
            return current
        if current.assigned_to_id is not None:
            raise WorkflowError(
                _("Berkas %(number)s sudah diambil %(name)s.")
                % {"number": current.number, "name": current.assigned_to}
            )
        raise WorkflowError(_("Permohonan ini di luar wewenang Anda atau sudah berpindah tahap."))
    record_activity(current, Kind.CLAIM, actor)
    log_event(logger, "claim", number=current.number, actor_id=actor.pk)
    return current


@transaction.atomic
def claim_next(*, actor, statuses=None) -> Permohonan | None:
    """Take the most urgent unclaimed file of the actor's queue (SKIP LOCKED), or None."""
    _require_officer(actor)
    wanted = statuses or statuses_for_role(actor.role)
    statuses = [s for s in wanted if actor.role in officer_roles_for(s)]
    if not statuses:
        return None
    candidate = (
        Permohonan.objects.visible_to(actor)
        .filter(status__in=statuses, assigned_to__isnull=True)
        .alias(due_key=queue_due_key())
        .order_by(*QUEUE_ORDER)  # the queue's own order, served by its index
        .select_for_update(skip_locked=True, of=("self",))
        .first()
    )
    if candidate is None:
        return None
    now = timezone.now()
    Permohonan.objects.filter(pk=candidate.pk).update(
        assigned_to=actor, assigned_at=now, updated_at=now
    )
    page_cache.bump()  # update() sends no post_save: the cached queue pages are stale
    candidate.assigned_to, candidate.assigned_at = actor, now
    record_activity(candidate, Kind.CLAIM, actor, next=True)
    log_event(logger, "claim", number=candidate.number, actor_id=actor.pk, next=1)
    return candidate


@transaction.atomic
def release_permohonan(permohonan: Permohonan, *, actor) -> Permohonan:
    """Give a file back to the queue: its holder, or a supervisor."""
    _require_officer(actor)
    _require_in_scope(permohonan, actor)
    locked = Permohonan.objects.select_for_update(of=("self",)).get(pk=permohonan.pk)
    if locked.assigned_to_id is None:
        return locked
    if locked.assigned_to_id != actor.pk and not is_supervisor(actor, locked):
        raise WorkflowError(
            _("Hanya petugas yang memegang berkas ini atau atasan yang dapat melepasnya.")
        )
    previous = locked.assigned_to_id
    locked.assigned_to = None
    locked.assigned_at = None
    locked.save(update_fields=["assigned_to", "assigned_at", "updated_at"])
    record_activity(locked, Kind.RELEASE, actor, previous_id=previous)
    return locked


def colleagues_for(permohonan: Permohonan, user: Any) -> list:
    """Who a supervisor may hand this file to: active officers whose role works in its state
    and whose scope holds it (``perizinan.scope.officers_for``, the inverse of
    ``visible_to``), by name."""
    roles = officer_roles_for(permohonan.status)
    if not roles or not is_supervisor(user, permohonan):
        return []
    people = scope.officers_for(permohonan, roles)
    return sorted(people, key=lambda u: (u.full_name, u.email))[:COLLEAGUES_LIMIT]


@transaction.atomic
def reassign_permohonan(permohonan: Permohonan, *, actor, to_user, reason: str = "") -> Permohonan:
    """A supervisor hands a file to a colleague (recorded with the reason)."""
    _require_officer(actor)
    locked = Permohonan.objects.select_for_update(of=("self",)).get(pk=permohonan.pk)
    if not is_supervisor(actor, locked):
        raise WorkflowError(
            _("Hanya atasan (kepala OPD pemroses) atau admin yang dapat mengalihkan berkas.")
        )
    if locked.status in FINAL_STATES:
        raise WorkflowError(_("Berkas yang sudah diputus tidak dialihkan."))
    if (
        to_user is None
        or not to_user.is_active
        or to_user.role not in officer_roles_for(locked.status)
        or not Permohonan.objects.visible_to(to_user).filter(pk=locked.pk).exists()
    ):
        raise ValidationError(
            _("Petugas tujuan tidak menangani berkas pada tahap ini atau di luar wewenangnya.")
        )
    previous = locked.assigned_to_id
    locked.assigned_to = to_user
    locked.assigned_at = timezone.now()
    locked.save(update_fields=["assigned_to", "assigned_at", "updated_at"])
    record_activity(
        locked,
        Kind.REASSIGN,
        actor,
        (reason or "").strip(),
        previous_id=previous,
        to_id=to_user.pk,
        to_name=str(to_user),
    )
    return locked


# --- Internal notes --------------------------------------------------------------------------


@transaction.atomic
def add_internal_note(permohonan: Permohonan, *, actor, text: str) -> AktivitasBerkas:
    """An internal note on the file: officers only, never shown to the applicant."""
    _require_officer(actor)
    _require_in_scope(permohonan, actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Tuliskan catatannya.")})
    return record_activity(permohonan, Kind.NOTE, actor, text[:4000])


# --- Field check report (BAP) ----------------------------------------------------------------


@dataclass(frozen=True)
class UploadRule:
    """What ``check_upload`` needs to know of an officer's upload."""

    name: str
    accepted_type_list: tuple[str, ...] = ("pdf", "jpg", "png")
    max_size_kb: int = 5120


BAP_RULE = UploadRule(name="Berita acara pemeriksaan")


def upload_berita_acara(
    permohonan: Permohonan, *, actor, inspected_on: dt.date, summary: str, uploaded_file
) -> BeritaAcara:
    """The tim teknis files the field inspection report; the recommendation may then follow."""
    _require_officer(actor)
    if actor.role not in FIELD_REPORT_ROLES:
        raise WorkflowError(_("Berita acara pemeriksaan diunggah oleh tim teknis."))
    _require_in_scope(permohonan, actor)
    if permohonan.status not in FIELD_REPORT_STATES:
        raise WorkflowError(_("Berita acara diunggah selama kajian teknis."))
    if inspected_on is None or inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("Tanggal pemeriksaan tidak boleh di masa depan.")})
    if not (summary or "").strip():
        raise ValidationError({"summary": _("Tuliskan ringkasan hasil pemeriksaan.")})
    clean = check_upload(uploaded_file, BAP_RULE)
    scan = scan_upload(
        clean.content, requirement=BAP_RULE.name, what="bap", permohonan_id=permohonan.pk
    )
    storage = private_storage()
    stored_name = storage.save(
        f"bap/{timezone.localdate().year}/{uuid.uuid4().hex}.{clean.kind}",
        ContentFile(clean.content),
    )
    try:
        with transaction.atomic():
            locked = Permohonan.objects.select_for_update(of=("self",)).get(pk=permohonan.pk)
            if locked.status not in FIELD_REPORT_STATES:
                raise WorkflowError(_("Berita acara diunggah selama kajian teknis."))
            report = BeritaAcara.objects.create(
                permohonan=locked,
                inspected_on=inspected_on,
                summary=summary.strip(),
                stored_name=stored_name,
                original_name=clean.original_name,
                content_type=clean.content_type,
                size=clean.size,
                sha256=clean.sha256,
                uploaded_by=actor,
                **scan.fields(),
            )
            locked.field_check_done_at = timezone.now()
            locked.save(update_fields=["field_check_done_at", "updated_at"])
            record_activity(
                locked, Kind.FIELD_CHECK, actor, summary.strip()[:500], bap=str(report.public_id)
            )
    except BaseException:
        storage.delete(stored_name)
        raise
    return report
