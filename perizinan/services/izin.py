"""The permit (Izin): signing, numbering, revocation, expiry, and rejection letters.

Keyword-only arguments; each public function owns its transaction and raises ``WorkflowError``
(a move not allowed now) or ``ValidationError`` (bad input) for the view to show.

Numbers: a permit number comes from the gapless per-year counter ``izin:<office>`` and is
formatted with ``settings.PERMIT_NUMBER_FORMAT`` (default ``503/{seq:04d}/{code}/{office}/{year}``;
``settings.PERMIT_NUMBER_FORMATS`` may override it per service slug). ``office`` is
``settings.PERMIT_OFFICE_CODE`` (``DPMPTSP``) when the DPMPTSP processes the file (a delegated
route), else the processing (origin) OPD's short name; ``code`` is the service's
``permit_code`` as frozen in its published version. Rejection letters have their own counter
``penolakan:<office>`` and ``settings.REJECTION_NUMBER_FORMAT``.

The counter row stays locked until the signing transaction ends, so two signings never share a
number and a failed one gives its number back (no gaps).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.pii import mask_nik
from accounts.roles import Role
from perizinan.exceptions import WorkflowError
from perizinan.models import Izin, Permohonan, SuratPenolakan, private_storage
from perizinan.pdf import PermitData, RejectionData, render_permit_pdf, render_rejection_pdf
from perizinan.services.permohonan import next_number, transition
from perizinan.signing import get_signer
from perizinan.workflow import Status, actor_may, get_transition

logger = logging.getLogger("perizinan")

DEFAULT_PERMIT_NUMBER_FORMAT = "503/{seq:04d}/{code}/{office}/{year}"
DEFAULT_REJECTION_NUMBER_FORMAT = "503/{seq:04d}/PENOLAKAN/{office}/{year}"
DEFAULT_OFFICE_CODE = "DPMPTSP"
DEFAULT_PERMIT_CODE = "IZIN"
PERMIT_COUNTER_PREFIX = "izin"
REJECTION_COUNTER_PREFIX = "penolakan"
REVOCATION_REASON_MIN = 10

#: Printed on every permit after the service's own validity note. Document text: fixed
#: Indonesian, not translated (see ``perizinan.pdf``).
STANDARD_CONDITIONS = (
    "Pemegang izin wajib mematuhi ketentuan peraturan perundang-undangan yang berlaku.",
    "Izin ini dapat dicabut apabila pemegang izin melanggar ketentuan atau tidak lagi "
    "memenuhi persyaratan.",
    "Keaslian izin ini dapat diperiksa melalui kode QR atau alamat verifikasi di bawah.",
)


# --- Numbers and the route's office ------------------------------------------------------------


def office_code(permohonan: Permohonan) -> str:
    """``DPMPTSP`` for files the DPMPTSP processes (delegated), else the origin OPD's short
    name."""
    opd = permohonan.processing_opd
    if opd is None or opd.is_dpmptsp:
        return getattr(settings, "PERMIT_OFFICE_CODE", DEFAULT_OFFICE_CODE)
    return opd.short_name


def office_name(permohonan: Permohonan) -> str:
    opd = permohonan.processing_opd
    if opd is None or opd.is_dpmptsp:
        return settings.OFFICE_NAME
    return opd.name


def signer_title(permohonan: Permohonan) -> str:
    """The title printed above the signature and shown on the public verification page."""
    return f"Kepala {office_name(permohonan)}"


def _snapshot(permohonan: Permohonan) -> dict:
    versi = permohonan.versi
    return dict(versi.snapshot or {}) if versi is not None else {}


def permit_code(permohonan: Permohonan) -> str:
    code = _snapshot(permohonan).get("permit_code") or permohonan.jenis_izin.permit_code
    return code or DEFAULT_PERMIT_CODE


def number_format_for(permohonan: Permohonan) -> str:
    overrides = getattr(settings, "PERMIT_NUMBER_FORMATS", None) or {}
    return overrides.get(permohonan.jenis_izin.slug) or getattr(
        settings, "PERMIT_NUMBER_FORMAT", DEFAULT_PERMIT_NUMBER_FORMAT
    )


def format_number(fmt: str, *, seq: int, code: str, office: str, year: int) -> str:
    """Fill a number format; an unknown placeholder is a configuration error."""
    try:
        return fmt.format(seq=seq, code=code, office=office, year=year)
    except (KeyError, IndexError, ValueError) as error:
        raise ImproperlyConfigured(
            f"Permit/letter number format {fmt!r} is invalid ({error!r}); use the placeholders "
            "{seq}, {code}, {office} and {year}, e.g. "
            f"{DEFAULT_PERMIT_NUMBER_FORMAT!r}."
        ) from error


def counter_key(prefix: str, office: str) -> str:
    return f"{prefix}:{office}"[:60]


# --- Validity ------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_months(permohonan: Permohonan) -> int | None:
    """The validity frozen in the standard's version the file was filed under."""
    snapshot = _snapshot(permohonan)
    if "validity" in snapshot:
        return (snapshot.get("validity") or {}).get("months")
    return permohonan.jenis_izin.validity_months


def valid_until_for(permohonan: Permohonan, issued_on: dt.date) -> dt.date | None:
    """The last valid day: ``issued_on`` + N months - 1 day; None = valid while compliant."""
    months = validity_months(permohonan)
    if not months:
        return None
    return add_months(issued_on, months) - dt.timedelta(days=1)


# --- What the permit says --------------------------------------------------------------------


def holder_of(permohonan: Permohonan) -> dict:
    """Holder's name, masked NIK and address from the application's applicant snapshot."""
    data = permohonan.applicant_data or {}
    address = ", ".join(
        part for part in (data.get("address"), data.get("desa"), data.get("kecamatan")) if part
    )
    return {
        "name": permohonan.applicant_name,
        "nik_masked": mask_nik(data.get("nik")),
        "address": address,
    }


def decision_text(permohonan: Permohonan) -> str:
    snapshot = _snapshot(permohonan)
    product = snapshot.get("product") or permohonan.jenis_izin.product or "izin"
    legal_basis = " ".join((snapshot.get("legal_basis") or "").split())
    basis = f"Berdasarkan {legal_basis}, serta" if legal_basis else "Berdasarkan"
    return (
        f"{basis} hasil pemeriksaan atas permohonan nomor {permohonan.number}, "
        f"{office_name(permohonan)} {settings.REGENCY_NAME} dengan ini memberikan "
        f"{product} dengan ketentuan sebagaimana tercantum di bawah ini."
    )


def conditions_of(permohonan: Permohonan) -> list[str]:
    snapshot = _snapshot(permohonan)
    note = ((snapshot.get("validity") or {}).get("note") or "").strip()
    if not note:
        note = (permohonan.jenis_izin.validity_note or "").strip()
    return ([note] if note else []) + list(STANDARD_CONDITIONS)


def verification_url(token: str) -> str:
    path = reverse("perizinan:verifikasi", kwargs={"token": token})
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class PermitPreview:
    """What the head sees before signing: everything but the number, token and time."""

    permohonan: Permohonan
    service_name: str
    product_name: str
    holder_name: str
    holder_nik_masked: str
    holder_address: str
    decision_text: str
    conditions: list[str]
    valid_until: dt.date | None
    office_code: str
    signer_title: str
    number_example: str
    certified: bool
    provider: str


def permit_preview(permohonan: Permohonan, *, today: dt.date | None = None) -> PermitPreview:
    today = today or timezone.localdate()
    holder = holder_of(permohonan)
    signer = get_signer()
    office = office_code(permohonan)
    return PermitPreview(
        permohonan=permohonan,
        service_name=permohonan.jenis_izin.name,
        product_name=_product(permohonan),
        holder_name=holder["name"],
        holder_nik_masked=holder["nik_masked"],
        holder_address=holder["address"],
        decision_text=decision_text(permohonan),
        conditions=conditions_of(permohonan),
        valid_until=valid_until_for(permohonan, today),
        office_code=office,
        signer_title=signer_title(permohonan),
        number_example=format_number(
            number_format_for(permohonan),
            seq=0,
            code=permit_code(permohonan),
            office=office,
            year=today.year,
        ),
        certified=bool(getattr(signer, "certified", False)),
        provider=str(getattr(signer, "provider", "")),
    )


def _product(permohonan: Permohonan) -> str:
    return _snapshot(permohonan).get("product") or permohonan.jenis_izin.product or "Izin"


def data_fingerprint(values: dict) -> str:
    """SHA-256 of the permit's canonical data (printed on the permit)."""
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- Who may sign ----------------------------------------------------------------------------


def may_sign(permohonan: Permohonan, user) -> bool:
    """The kepala of the processing OPD, on a file waiting for signature."""
    issue = get_transition("issue")
    return (
        user is not None
        and user.is_authenticated
        and user.role == Role.KEPALA
        and permohonan.status in issue.sources
        and actor_may(issue, permohonan, user)
    )


def _require_signer(permohonan: Permohonan, actor) -> None:
    issue = get_transition("issue")
    if (
        actor is None
        or not actor.is_authenticated
        or actor.role != Role.KEPALA
        or not actor_may(issue, permohonan, actor)
    ):
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
    logger.info(
        "event=permit_signed number=%s permit=%s actor_id=%s provider=%s certified=%s",
        izin.permohonan.number,
        izin.number,
        actor.pk,
        izin.provider,
        izin.certified,
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
    if locked.status != Status.PENANDATANGANAN:
        raise WorkflowError(
            _(
                "Permohonan %(number)s sekarang berstatus “%(status)s” dan tidak menunggu "
                "tanda tangan (mungkin sudah diproses orang lain)."
            )
            % {"number": locked.number or "", "status": locked.get_status_display()}
        )
    _require_signer(locked, actor)

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
    valid_until = valid_until_for(locked, issued_on)
    izin = Izin(
        permohonan=locked,
        number=number,
        counter_key=key,
        year=year,
        sequence=seq,
        service_name=locked.jenis_izin.name,
        product_name=_product(locked),
        holder_name=holder["name"],
        holder_nik_masked=holder["nik_masked"],
        issued_on=issued_on,
        valid_until=valid_until,
        signed_by=actor,
        signer_title=signer_title(locked),
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
        }
    )
    data = PermitData(
        permit_number=number,
        application_number=locked.number,
        service_name=izin.service_name,
        product_name=izin.product_name,
        holder_name=izin.holder_name,
        holder_nik_masked=izin.holder_nik_masked,
        holder_address=holder["address"],
        decision_text=decision_text(locked),
        conditions=conditions_of(locked),
        issued_on=issued_on,
        valid_until=valid_until,
        signer_name=actor.full_name or actor.get_short_name(),
        signer_title=izin.signer_title,
        signed_at=now,
        verification_url=verification_url(izin.verification_token),
        integrity_hash=fingerprint,
        office_name=office_name(locked),
        regency_name=settings.REGENCY_NAME,
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
    izin.save()
    transition(locked, name="issue", actor=actor, system=True)
    return izin


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
    logger.info(
        "event=permit_batch_signed actor_id=%s signed=%s failed=%s",
        actor.pk if actor is not None else "-",
        len(result.signed),
        len(result.failed),
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
    logger.info(
        "event=permit_revoked permit=%s number=%s actor_id=%s",
        locked.number,
        locked.permohonan.number,
        actor.pk,
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
    logger.info("event=permits_expired count=%s day=%s", count, today.isoformat())
    return count


# --- Rejection letters -----------------------------------------------------------------------


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
    snapshot = _snapshot(permohonan)
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
    logger.info(
        "event=rejection_letter_created number=%s letter=%s", permohonan.number, letter.number
    )
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
    """Inside the transition's transaction: a rejected file gets its numbered letter."""
    if to_status == Status.DITOLAK:
        create_rejection_letter(
            permohonan,
            reasons=kwargs.get("note", ""),
            decided_by=kwargs.get("actor"),
            transition_name=kwargs.get("transition", ""),
        )
