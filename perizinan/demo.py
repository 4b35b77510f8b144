"""Demo applications (called by ``manage.py seed_demo`` after the catalogue and the accounts).
Idempotent: it only adds what is missing. Does nothing when no service accepts applications.

* ``pemohon@contoh.id``: one submitted application and one draft.
* The officers' desk, when the demo officers exist: files of other demo citizens in several
  states, so that every demo officer finds work in their queue after ``make run`` (front office,
  back office, tim teknis Dinkes and PUPR, the head), one overdue, one due today, and one file of
  an authority not yet delegated, processed by its origin OPD, whose demo staff
  (``fo.<opd>@contoh.id``, ``bo.``, ``kepala.``, ``teknis.``) are created here.
"""

from __future__ import annotations

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from perizinan import selectors, services
from perizinan.models import Permohonan
from perizinan.workflow import Status

DEMO_EMAIL = "pemohon@contoh.id"
#: Preferred services (health-worker practice permits), else any open service.
PREFERRED_SLUGS = ("sip-bidan", "sip-perawat", "sip-dokter", "sipa")
DEMO_PROFILE = {
    "nik": "6212014507900001",
    "phone": "081234567890",
    "address": "Jl. Tjilik Riwut No. 12, Tamiang Layang",
}


def demo_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def demo_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 400), (210, 220, 235)).save(out, format="JPEG")
    return out.getvalue()


def _open_services():
    services_qs = selectors.published_services().select_related("kewenangan")
    open_services = [s for s in services_qs if selectors.accepts_applications(s)]
    by_slug = {s.slug: s for s in open_services}
    preferred = [by_slug[slug] for slug in PREFERRED_SLUGS if slug in by_slug]
    others = [s for s in open_services if s.slug not in PREFERRED_SLUGS]
    return preferred + others


def _fill(permohonan: Permohonan, user: User) -> Permohonan:
    data = {**services.profile_prefill(user), **DEMO_PROFILE}
    permohonan = services.save_applicant_data(permohonan, actor=user, data=data)
    form_data = {}
    for field in selectors.form_fields_of(permohonan.jenis_izin):
        if field.choice_list:
            form_data[field.key] = field.choice_list[0]
        elif field.field_type == "date":
            form_data[field.key] = "2026-01-02"
        elif field.field_type == "number":
            form_data[field.key] = "1"
        elif field.field_type == "nik":
            form_data[field.key] = DEMO_PROFILE["nik"]
        elif field.field_type == "phone":
            form_data[field.key] = DEMO_PROFILE["phone"]
        elif field.field_type == "email":
            form_data[field.key] = user.email
        elif field.field_type == "npwp":
            form_data[field.key] = "012345678901000"
        else:
            form_data[field.key] = "Contoh isian"
    permohonan = services.save_form_data(permohonan, actor=user, data=form_data)
    pdf, jpeg = demo_pdf(), demo_jpeg()
    for requirement in selectors.requirements_of(permohonan.jenis_izin):
        if "pdf" in requirement.accepted_type_list:
            upload = SimpleUploadedFile("contoh.pdf", pdf, content_type="application/pdf")
        elif "jpg" in requirement.accepted_type_list:
            upload = SimpleUploadedFile("foto.jpg", jpeg, content_type="image/jpeg")
        else:
            continue
        services.upload_document(
            permohonan, actor=user, persyaratan=requirement, uploaded_file=upload
        )
    return services.mark_step(permohonan, actor=user, step=3)


def seed() -> list[Permohonan]:
    seed_route_staff()
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        return []
    open_services = _open_services()
    if not open_services:
        return []
    existing = Permohonan.objects.filter(applicant=user)
    has_submitted = existing.exclude(status=Status.DRAFT).exists()
    has_draft = existing.filter(status=Status.DRAFT).exists()
    created = []
    submitted_service = open_services[0]
    if not has_submitted:
        draft = services.start_draft(applicant=user, jenis_izin=submitted_service)
        draft = _fill(draft, user)
        if not services.missing_for_submission(draft):
            created.append(services.submit_permohonan(draft, actor=user, declaration_accepted=True))
    if not has_draft:
        draft_service = open_services[1] if len(open_services) > 1 else submitted_service
        draft = services.start_draft(applicant=user, jenis_izin=draft_service)
        created.append(
            services.save_applicant_data(
                draft, actor=user, data={**services.profile_prefill(user), **DEMO_PROFILE}
            )
        )
    created += seed_desk()
    created += seed_expiring_permit(user)
    return created


def seed_expiring_permit(user: User) -> list[Permohonan]:
    """A permit of pemohon@contoh.id ending in 60 days, so that its renewal can be tried from
    ``make run`` (issue 13): issued through the demo desk, its end date then moved (demo
    only). Idempotent: nothing when the applicant already holds a permit."""
    from datetime import timedelta

    from django.utils import timezone

    from perizinan.models import Izin

    desk = {key: User.objects.filter(email=email).first() for key, email in DESK_EMAILS.items()}
    if any(u is None for u in desk.values()):
        return []
    if Izin.objects.filter(permohonan__applicant=user).exists():
        return []
    # Not a service the applicant already has a file or the demo draft of.
    taken = set(Permohonan.objects.filter(applicant=user).values_list("jenis_izin_id", flat=True))
    # The one with the fewest documents: the applicant's uploads are rate limited per minute.
    candidates = [s for s in _open_services() if s.pk not in taken and s.validity_months]
    service = min(candidates, key=lambda s: s.persyaratan.count(), default=None)
    if service is None:
        return []
    permohonan = _file_for(service, user)
    if permohonan is None:
        return []
    permohonan = _walk(permohonan, Status.TERBIT, desk)
    izin = Izin.objects.filter(permohonan=permohonan).first()
    if izin is not None:  # demo only: the stored PDF keeps the date it was printed with
        izin.valid_until = timezone.localdate() + timedelta(days=60)
        izin.printed_data = {**izin.printed_data, "valid_until": izin.valid_until.isoformat()}
        izin.save(update_fields=["valid_until", "printed_data", "updated_at"])
    return [permohonan]


# --- The officers' desk ------------------------------------------------------------------------

DESK_EMAILS = {
    "fo": "fo@contoh.id",
    "bo": "bo@contoh.id",
    "kepala": "kepala@contoh.id",
    "teknis.dinkes": "teknis.dinkes@contoh.id",
    "teknis.pupr": "teknis.pupr@contoh.id",
}

#: (key, preferred service slugs, target status, citizen e-mail, citizen name, due tweak)
DESK_FILES = [
    ("fo-baru", ("sip-dokter", "sip-bidan"), Status.DIAJUKAN, "warga1", "Rahmat Hidayat", None),
    ("fo-verifikasi", ("sip-perawat", "sip-bidan"), Status.VERIFIKASI, "warga2", "Yuliana", None),
    ("bo-terdaftar", ("sipa", "sip-bidan"), Status.TERDAFTAR, "warga3", "Markus Dehen", None),
    ("bo-terlambat", ("sip-bidan",), Status.TERDAFTAR, "warga4", "Sri Wahyuni", "overdue"),
    ("dinkes-kajian", ("sip-bidan",), Status.KAJIAN_TEKNIS, "warga5", "Agnes Riwut", "today"),
    ("dinkes-perbaikan", ("sip-dokter",), Status.PERBAIKAN_TEKNIS, "warga6", "Hendra", None),
    ("pupr-kajian", ("pbg",), Status.KAJIAN_TEKNIS, "warga7", "CV Tamiang Jaya", None),
    ("pupr-bayar", ("izin-tpu", "pbg"), Status.MENUNGGU_PEMBAYARAN, "warga8", "Darius", None),
    ("kepala-ttd", ("sipa", "sip-dokter"), Status.PENANDATANGANAN, "warga9", "Lusiana", None),
    # The kepala decides on a rejection recommendation of the tim teknis (issue 13 item 7).
    (
        "kepala-rekomendasi-tolak",
        ("sip-bidan",),
        Status.PENANDATANGANAN,
        "warga13",
        "Yohanes Sahay",
        "rekomendasi_tolak",
    ),
    # Decided files, so that the statistics, the verification page and the survey have data.
    ("terbit", ("sip-perawat", "sip-bidan"), Status.TERBIT, "warga11", "Maria Ulfah", None),
    ("ditolak", ("sip-bidan",), Status.DITOLAK, "warga12", "Petrus Nanang", None),
]
#: The non-delegated route: preferred services of an authority still held by its origin OPD.
ORIGIN_ROUTE_SLUGS = ("iuts", "iui", "iup-perkebunan")


def _citizen(local: str, name: str) -> User:
    from django.utils import timezone

    from accounts.demo import DEMO_PASSWORD

    email = f"{local}@contoh.id"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=name, email_verified_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _origin_staff(opd) -> dict:
    """Demo staff of an origin OPD (front office, back office, head, tim teknis)."""
    from django.utils import timezone

    from accounts.demo import DEMO_PASSWORD, seed_second_factor
    from accounts.roles import Role

    tag = opd.short_name.lower()
    staff = {}
    for key, role, title in (
        ("fo", Role.FRONT_OFFICE, "Front office"),
        ("bo", Role.BACK_OFFICE, "Back office"),
        ("kepala", Role.KEPALA, "Kepala"),
        ("teknis", Role.TIM_TEKNIS, "Tim teknis"),
    ):
        email = f"{key}.{tag}@contoh.id"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email,
                full_name=f"{title} {opd.short_name}",
                role=role,
                opd=opd,
                email_verified_at=timezone.now(),
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        seed_second_factor(user)  # the documented demo authenticator secret and backup codes
        staff[key] = user
    return staff


#: The demo e-mail's first part for each officer role (``fo.dinkes@contoh.id``).
STAFF_KEYS = {"front_office": "fo", "back_office": "bo", "kepala": "kepala", "tim_teknis": "teknis"}


def seed_route_staff() -> list[User]:
    """One demo officer for every role a published service's route lacks (route health,
    ``perizinan.route_health``): the front office, back office and head of each origin OPD
    that still processes its own authorities, the tim teknis of each technical OPD. So that
    every state of every demo route has someone who can act. Idempotent."""
    from django.utils import timezone

    from accounts.demo import DEMO_PASSWORD, seed_second_factor
    from accounts.roles import Role
    from perizinan import route_health

    created = []
    for row in route_health.services_with_gaps():
        for gap in row.gaps:
            if gap.opd is None or gap.role not in STAFF_KEYS:
                continue
            tag = re.sub(r"[^a-z0-9-]+", "", gap.opd.short_name.lower())
            email = f"{STAFF_KEYS[gap.role]}.{tag}@contoh.id"
            if User.objects.filter(email=email).exists():
                continue
            user = User(
                email=email,
                full_name=f"{Role(gap.role).label} {gap.opd.short_name}",
                role=gap.role,
                opd=gap.opd,
                email_verified_at=timezone.now(),
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            seed_second_factor(user)
            created.append(user)
    return created


def _walk(permohonan: Permohonan, target: str, desk: dict) -> Permohonan:
    """Move a demo file along the happy path to ``target`` with the demo officers."""
    from django.utils import timezone

    from perizinan.services.petugas import upload_berita_acara

    technical = next(
        (
            user
            for user in desk.values()
            if user.role == "tim_teknis" and user.opd_id == permohonan.technical_opd_id
        ),
        None,
    )
    for _step in range(10):
        status = permohonan.status
        if status == target:
            return permohonan
        if status == Status.PENANDATANGANAN and target == Status.TERBIT:
            from perizinan.services.izin import sign_permohonan

            sign_permohonan(permohonan, actor=desk["kepala"])
            permohonan.refresh_from_db()
            continue
        if status == Status.DIAJUKAN:
            name, actor, data = "start_verification", desk["fo"], {}
        elif status == Status.VERIFIKASI:
            from perizinan.services.documents import judge_document

            for dokumen in permohonan.dokumen.filter(is_current=True):
                judge_document(dokumen, actor=desk["fo"], verdict="valid")
            name, actor, data = "register", desk["fo"], {}
        elif status == Status.TERDAFTAR:
            name = "send_to_technical" if permohonan.technical_opd_id else "send_to_signing"
            actor, data = desk["bo"], {}
        elif status == Status.KAJIAN_TEKNIS:
            if target == Status.DITOLAK:
                # The tim teknis recommends; the kepala decides and signs the letter.
                reasons = "Lokasi praktik berada di luar wilayah kabupaten (contoh data)."
                permohonan = services.transition(
                    permohonan,
                    name="recommend_rejection",
                    actor=technical,
                    internal_note=reasons,
                )
                return services.transition(
                    permohonan, name="reject", actor=desk["kepala"], note=reasons
                )
            if target == Status.PERBAIKAN_TEKNIS:
                return services.transition(
                    permohonan,
                    name="request_technical_fix",
                    actor=technical,
                    note="Lengkapi denah ruang praktik dengan ukuran ruangan.",
                    data={"fix_working_days": 10},
                )
            if permohonan.needs_field_check and permohonan.field_check_done_at is None:
                upload_berita_acara(
                    permohonan,
                    actor=technical,
                    inspected_on=timezone.localdate(),
                    summary="Lokasi sesuai dengan permohonan.",
                    uploaded_file=SimpleUploadedFile(
                        "bap.pdf", demo_pdf(), content_type="application/pdf"
                    ),
                )
                permohonan.refresh_from_db()
            if permohonan.needs_payment:
                name, data = "recommend_payment", {"fee_amount": 750_000}
            else:
                name, data = "recommend_approval", {}
            actor = technical
        elif status == Status.MENUNGGU_PEMBAYARAN:
            name, actor, data = "confirm_payment", desk["bo"], {"payment_reference": "STS-DEMO"}
        else:
            return permohonan
        permohonan = services.transition(permohonan, name=name, actor=actor, data=data)
    return permohonan


def _file_for(service, citizen: User) -> Permohonan | None:
    existing = (
        Permohonan.objects.filter(applicant=citizen, jenis_izin=service)
        .exclude(status=Status.DRAFT)
        .first()
    )
    if existing is not None:
        return None
    draft = services.start_draft(applicant=citizen, jenis_izin=service)
    draft = _fill(draft, citizen)
    if services.missing_for_submission(draft):
        return None
    return services.submit_permohonan(draft, actor=citizen, declaration_accepted=True)


#: A desk file the tim teknis has recommended rejecting: it waits for the kepala's decision.
REJECTION_RECOMMENDED = "rekomendasi_tolak"


def _recommend_rejection(permohonan: Permohonan) -> Permohonan:
    technical = User.objects.filter(
        role="tim_teknis", opd_id=permohonan.technical_opd_id, is_active=True
    ).first()
    if permohonan.status != Status.KAJIAN_TEKNIS or technical is None:
        return permohonan
    return services.transition(
        permohonan,
        name="recommend_rejection",
        actor=technical,
        internal_note=(
            "Bangunan tempat praktik belum memiliki PBG dan berada di sempadan sungai "
            "(contoh data)."
        ),
    )


def _tweak_due(permohonan: Permohonan, tweak: str | None) -> None:
    """Demo only: put a file in the past so that the queues show an overdue and a due file."""
    from datetime import timedelta

    from django.utils import timezone

    if tweak is None:
        return
    today = timezone.localdate()
    due = today if tweak == "today" else today - timedelta(days=5)
    Permohonan.objects.filter(pk=permohonan.pk).update(due_date=due)


def seed_desk() -> list[Permohonan]:
    """Files for the demo officers' queues (idempotent)."""
    desk = {key: User.objects.filter(email=email).first() for key, email in DESK_EMAILS.items()}
    if any(user is None for user in desk.values()):
        return []
    by_slug = {s.slug: s for s in _open_services()}
    created = []
    for _key, slugs, target, local, name, tweak in DESK_FILES:
        service = next((by_slug[s] for s in slugs if s in by_slug), None)
        if service is None:
            continue
        permohonan = _file_for(service, _citizen(local, name))
        if permohonan is None:
            continue
        if tweak == REJECTION_RECOMMENDED:
            permohonan = _recommend_rejection(_walk(permohonan, Status.KAJIAN_TEKNIS, desk))
        else:
            permohonan = _walk(permohonan, target, desk)
            _tweak_due(permohonan, tweak)
        created.append(permohonan)
    origin_service = next(
        (
            by_slug[s]
            for s in ORIGIN_ROUTE_SLUGS
            if s in by_slug and not by_slug[s].kewenangan.delegated
        ),
        None,
    )
    if origin_service is not None:
        staff = _origin_staff(origin_service.kewenangan.origin_opd)
        permohonan = _file_for(origin_service, _citizen("warga10", "Yosef Ampah"))
        if permohonan is not None:
            created.append(_walk(permohonan, Status.VERIFIKASI, staff))
    return created
