"""The officers' desk: claiming a file, releasing it, a supervisor reassigning it, internal
notes, the document verdicts, the field inspection report (BAP), an admin re-routing a file in
progress, and the front office's entry of an application for a walk-in applicant.

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

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from config import page_cache
from kewenangan.models import JenisIzin
from perizinan.exceptions import WorkflowError
from perizinan.models import AktivitasBerkas, BeritaAcara, Dokumen, Permohonan, private_storage
from perizinan.models.permohonan import QUEUE_ORDER, queue_due_key
from perizinan.services.permohonan import (
    _open_for_applications,
    missing_for_submission,
    route_for,
    save_applicant_data,
    save_form_data,
    set_document_verdict,
    submit_permohonan,
    upload_document,
)
from perizinan.uploads import check_upload
from perizinan.workflow import (
    ACTIVE_STATES,
    FINAL_STATES,
    WAITING_FOR_APPLICANT,
    Status,
    is_supervisor,
    officer_roles_for,
    statuses_for_role,
)

logger = logging.getLogger("perizinan")

Kind = AktivitasBerkas.Kind


def _log(permohonan, kind, actor, text="", **data) -> AktivitasBerkas:
    return AktivitasBerkas.objects.create(
        permohonan=permohonan, kind=kind, actor=actor, text=text, data=data
    )


def _require_officer(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise WorkflowError(_("Masuk sebagai petugas untuk melakukan ini."))
    if not (user.is_officer or user.role == Role.ADMIN):
        raise WorkflowError(_("Hanya petugas yang dapat melakukan ini."))


def _require_in_scope(permohonan: Permohonan, user) -> None:
    if not Permohonan.objects.visible_to(user).filter(pk=permohonan.pk).exists():
        raise WorkflowError(_("Permohonan ini di luar wewenang Anda."))


def may_claim(permohonan: Permohonan, user) -> bool:
    """Whether ``user`` could take this file now (role works in its state, in scope)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if permohonan.status not in ACTIVE_STATES or permohonan.status in WAITING_FOR_APPLICANT:
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
    _log(current, Kind.CLAIM, actor)
    logger.info("event=claim number=%s actor_id=%s", current.number, actor.pk)
    return current


@transaction.atomic
def claim_next(*, actor, statuses=None) -> Permohonan | None:
    """Take the most urgent unclaimed file of the actor's queue (SKIP LOCKED), or None."""
    _require_officer(actor)
    statuses = [s for s in (statuses or statuses_for_role(actor.role)) if s in ACTIVE_STATES]
    statuses = [s for s in statuses if actor.role in officer_roles_for(s)]
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
    _log(candidate, Kind.CLAIM, actor, next=True)
    logger.info("event=claim number=%s actor_id=%s next=1", candidate.number, actor.pk)
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
    _log(locked, Kind.RELEASE, actor, previous_id=previous)
    return locked


def colleagues_for(permohonan: Permohonan, user) -> list:
    """Who a supervisor may hand this file to: active officers whose role works in its state
    and whose scope (the same rule as ``visible_to``) covers it. One query."""
    from django.db.models import Q

    roles = officer_roles_for(permohonan.status)
    if not roles or not is_supervisor(user, permohonan):
        return []
    desk_roles = roles - {Role.TIM_TEKNIS}
    processing = permohonan.processing_opd
    scope = Q(pk__in=[])
    if desk_roles:
        by_opd = Q(opd_id=permohonan.processing_opd_id)
        if processing is not None and processing.is_dpmptsp:
            by_opd |= Q(opd__isnull=True)
        scope |= Q(role__in=desk_roles) & by_opd
    if Role.TIM_TEKNIS in roles and permohonan.technical_opd_id is not None:
        scope |= Q(role=Role.TIM_TEKNIS, opd_id=permohonan.technical_opd_id)
    return list(
        get_user_model().objects.filter(scope, is_active=True).order_by("full_name", "email")[:200]
    )


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
    _log(
        locked,
        Kind.REASSIGN,
        actor,
        (reason or "").strip(),
        previous_id=previous,
        to_id=to_user.pk,
        to_name=str(to_user),
    )
    return locked


# --- Notes and verdicts ----------------------------------------------------------------------


@transaction.atomic
def add_internal_note(permohonan: Permohonan, *, actor, text: str) -> AktivitasBerkas:
    """An internal note on the file: officers only, never shown to the applicant."""
    _require_officer(actor)
    _require_in_scope(permohonan, actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Tuliskan catatannya.")})
    return _log(permohonan, Kind.NOTE, actor, text[:4000])


#: States in which an officer checks the documents: the front office during verification, the
#: tim teknis during the technical review, the back office before it forwards the file.
VERDICT_STATES = {
    Status.VERIFIKASI: {Role.FRONT_OFFICE},
    Status.TERDAFTAR: {Role.BACK_OFFICE},
    Status.KAJIAN_TEKNIS: {Role.TIM_TEKNIS},
}


def may_judge_documents(permohonan: Permohonan, user) -> bool:
    return user.role in VERDICT_STATES.get(permohonan.status, ())


@transaction.atomic
def judge_document(dokumen: Dokumen, *, actor, verdict: str, note: str = "") -> Dokumen:
    """Valid, or needs correction with a note; recorded on the file's activity."""
    permohonan = dokumen.permohonan
    if not may_judge_documents(permohonan, actor):
        raise WorkflowError(_("Dokumen diperiksa pada tahap verifikasi atau kajian teknis."))
    if not dokumen.is_current:
        raise WorkflowError(_("Dokumen ini sudah diganti pemohon."))
    result = set_document_verdict(dokumen, actor=actor, verdict=verdict, note=note)
    _log(
        permohonan,
        Kind.VERDICT,
        actor,
        result.verdict_note,
        dokumen=str(dokumen.public_id),
        requirement=dokumen.persyaratan.name,
        verdict=verdict,
    )
    return result


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
    if actor.role != Role.TIM_TEKNIS:
        raise WorkflowError(_("Berita acara pemeriksaan diunggah oleh tim teknis."))
    _require_in_scope(permohonan, actor)
    if permohonan.status != Status.KAJIAN_TEKNIS:
        raise WorkflowError(_("Berita acara diunggah selama kajian teknis."))
    if inspected_on is None or inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("Tanggal pemeriksaan tidak boleh di masa depan.")})
    if not (summary or "").strip():
        raise ValidationError({"summary": _("Tuliskan ringkasan hasil pemeriksaan.")})
    clean = check_upload(uploaded_file, BAP_RULE)
    storage = private_storage()
    stored_name = storage.save(
        f"bap/{timezone.localdate().year}/{uuid.uuid4().hex}.{clean.kind}",
        ContentFile(clean.content),
    )
    try:
        with transaction.atomic():
            locked = Permohonan.objects.select_for_update(of=("self",)).get(pk=permohonan.pk)
            if locked.status != Status.KAJIAN_TEKNIS:
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
            )
            locked.field_check_done_at = timezone.now()
            locked.save(update_fields=["field_check_done_at", "updated_at"])
            _log(locked, Kind.FIELD_CHECK, actor, summary.strip()[:500], bap=str(report.public_id))
    except BaseException:
        storage.delete(stored_name)
        raise
    return report


# --- Re-routing ------------------------------------------------------------------------------


@transaction.atomic
def reroute_permohonan(permohonan: Permohonan, *, actor, reason: str) -> Permohonan:
    """An admin moves a file in progress to the route its kewenangan has now (after a
    reassignment of the authority). Files otherwise keep the route they were submitted under.
    The claim is dropped; the change is recorded with the reason."""
    if actor is None or actor.role != Role.ADMIN:
        raise WorkflowError(_("Hanya admin yang dapat mengalihkan rute permohonan."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tuliskan alasan pengalihan rute.")})
    locked = (
        Permohonan.objects.select_for_update(of=("self",))
        .select_related("jenis_izin__kewenangan", "processing_opd", "technical_opd")
        .get(pk=permohonan.pk)
    )
    if locked.status not in ACTIVE_STATES:
        raise WorkflowError(_("Hanya permohonan yang masih berjalan yang dapat dialihkan."))
    route = route_for(locked.jenis_izin)
    technical = route.technical_opd if locked.technical_opd_id is not None else None
    if locked.status == Status.KAJIAN_TEKNIS or locked.status == Status.PERBAIKAN_TEKNIS:
        # A file already in technical review keeps a technical OPD whatever the new route says.
        technical = route.technical_opd or locked.technical_opd
    before = {
        "processing_opd": str(locked.processing_opd),
        "technical_opd": str(locked.technical_opd or "-"),
        "delegated": locked.route_delegated,
    }
    if (
        locked.processing_opd_id == route.processing_opd.pk
        and locked.technical_opd_id == (technical.pk if technical else None)
        and locked.route_delegated == route.delegated
    ):
        raise WorkflowError(_("Rute permohonan ini sudah sama dengan rute kewenangan saat ini."))
    locked.processing_opd = route.processing_opd
    locked.technical_opd = technical
    locked.route_delegated = route.delegated
    locked.assigned_to = None
    locked.assigned_at = None
    locked.save(
        update_fields=[
            "processing_opd",
            "technical_opd",
            "route_delegated",
            "assigned_to",
            "assigned_at",
            "updated_at",
        ]
    )
    after = {
        "processing_opd": str(route.processing_opd),
        "technical_opd": str(technical or "-"),
        "delegated": route.delegated,
    }
    _log(locked, Kind.REROUTE, actor, reason.strip(), before=before, after=after)
    logger.info("event=reroute number=%s actor_id=%s", locked.number, actor.pk)
    return locked


# --- Assisted entry at the counter -----------------------------------------------------------


def find_applicant(identifier: str):
    """An applicant account by e-mail or NIK (front office look-up), or None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    users = get_user_model().objects.filter(role=Role.PEMOHON)
    if "@" in identifier:
        return users.filter(email__iexact=identifier).first()
    digits = "".join(identifier.split())
    return users.filter(nik=digits).first() if digits.isdigit() else None


def placeholder_email(nik: str) -> str:
    """A walk-in applicant without e-mail gets an address that can never receive mail."""
    return f"loket-{nik}@tanpa-email.invalid"


@dataclass(frozen=True)
class AssistedResult:
    permohonan: Permohonan
    account_created: bool


def create_assisted_application(
    *,
    officer,
    jenis_izin: JenisIzin,
    applicant_data: dict,
    email: str,
    form_data: dict,
    files: dict,
    declaration_accepted: bool,
) -> AssistedResult:
    """The front office enters an application for a walk-in applicant and submits it.

    Finds the applicant's account by e-mail or NIK, or creates one without a usable password
    (the applicant can set one later with "lupa kata sandi" when the e-mail is real). The file
    is recorded as assisted (``Permohonan.assisted_by``, an ``AktivitasBerkas`` row and the
    officer as the actor of the submission in the history). ``files`` maps requirement ids to
    uploaded files. Everything is one transaction: a refused document leaves nothing behind.
    """
    if officer is None or officer.role != Role.FRONT_OFFICE or not officer.is_active:
        raise WorkflowError(_("Entri berbantuan dilakukan petugas front office."))
    if not _open_for_applications(jenis_izin):
        raise WorkflowError(_("Layanan ini tidak sedang dibuka untuk permohonan."))
    route = route_for(jenis_izin)
    if officer.opd_id is not None and officer.opd_id != route.processing_opd.pk:
        raise WorkflowError(
            _("Layanan ini diproses %(opd)s; entri dilakukan di loket OPD tersebut.")
            % {"opd": route.processing_opd}
        )
    if officer.opd_id is None and not route.processing_opd.is_dpmptsp:
        raise WorkflowError(
            _("Layanan ini diproses %(opd)s; entri dilakukan di loket OPD tersebut.")
            % {"opd": route.processing_opd}
        )
    nik = applicant_data.get("nik", "")
    email = (email or "").strip().lower()
    stored: list[str] = []
    try:
        with transaction.atomic():
            applicant = find_applicant(email) if email else None
            applicant = applicant or find_applicant(nik)
            created = applicant is None
            if created:
                address = email or placeholder_email(nik)
                if get_user_model().objects.filter(email__iexact=address).exists():
                    raise ValidationError(
                        {"email": _("E-mail ini sudah dipakai akun petugas; gunakan e-mail lain.")}
                    )
                applicant = get_user_model()(
                    email=address,
                    full_name=applicant_data.get("full_name", ""),
                    role=Role.PEMOHON,
                    nik=nik,
                    phone=applicant_data.get("phone", ""),
                    address=applicant_data.get("address", ""),
                    applicant_kind=applicant_data.get("applicant_kind", "perorangan"),
                    company_name=applicant_data.get("company_name", ""),
                    nib=applicant_data.get("nib", ""),
                    npwp=applicant_data.get("npwp", ""),
                )
                applicant.set_unusable_password()
                applicant.save()
            draft = Permohonan.objects.create(
                applicant=applicant,
                jenis_izin=jenis_izin,
                applicant_data={},
                assisted_by=officer,
            )
            draft = save_applicant_data(draft, actor=officer, data=applicant_data)
            draft = save_form_data(draft, actor=officer, data=form_data)
            errors = {}
            for requirement in jenis_izin.persyaratan.order_by("order", "id"):
                upload = files.get(requirement.pk)
                if upload is None:
                    continue
                try:
                    doc = upload_document(
                        draft, actor=officer, persyaratan=requirement, uploaded_file=upload
                    )
                except ValidationError as exc:
                    errors[f"dok_{requirement.pk}"] = exc.messages
                else:
                    stored.append(doc.stored_name)
            if errors:
                raise ValidationError(errors)
            draft.last_step = 3
            draft.save(update_fields=["last_step", "updated_at"])
            missing = missing_for_submission(draft)
            if missing:
                raise ValidationError(missing)
            result = submit_permohonan(
                draft, actor=officer, declaration_accepted=declaration_accepted
            )
            _log(
                result,
                Kind.ASSISTED,
                officer,
                account_created=created,
                applicant_id=applicant.pk,
            )
    except BaseException:
        storage = private_storage()
        for name in stored:
            storage.delete(name)
        raise
    logger.info(
        "event=assisted_entry number=%s officer_id=%s account_created=%s",
        result.number,
        officer.pk,
        created,
    )
    return AssistedResult(permohonan=result, account_created=created)
