"""Factories and sample files for the application (perizinan) tests."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from kewenangan.models import JenisIzin, PerangkatDaerah, VersiStandar
from perizinan import services
from perizinan.models import Dokumen, Permohonan
from perizinan.workflow import Status
from tests.factories import (
    IsianFormulirFactory,
    JenisIzinFactory,
    KewenanganFactory,
    PerangkatDaerahFactory,
    PersyaratanFactory,
    UserFactory,
)

VALID_NIK = "6212014507900001"

# --- Sample files ------------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_bytes(*, with_exif_gps: bool = False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 30, 30))
    out = io.BytesIO()
    if with_exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "KameraUji"  # Make
        exif[0x8825] = {1: "S", 2: (1.0, 2.0, 3.0)}  # GPSInfo
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 80, 160)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "ktp.pdf") -> SimpleUploadedFile:
    return upload(name, pdf_bytes())


# --- Services ------------------------------------------------------------------------------------


def dpmptsp() -> PerangkatDaerah:
    return PerangkatDaerahFactory(dpmptsp=True)


def publish(service: JenisIzin) -> VersiStandar:
    """Publish through the catalogue's own service, as an admin would."""
    from kewenangan.services import publish_standard

    return publish_standard(service, actor=None)


def make_service(
    *,
    delegated: bool = True,
    technical_review: bool = True,
    fee: bool = False,
    requirements: int = 2,
    fields: bool = True,
    published: bool = True,
    **kwargs,
) -> JenisIzin:
    """A service open to online applications: by default delegated to the DPMPTSP, reviewed by
    Dinkes, two mandatory PDF/JPEG/PNG requirements and two form fields."""
    dpmptsp()
    kewenangan = KewenanganFactory(delegated_to_dpmptsp=True) if delegated else KewenanganFactory()
    extra = {"fee_kind": JenisIzin.FeeKind.TETAP, "fee_amount": 150_000} if fee else {}
    service = JenisIzinFactory(
        kewenangan=kewenangan,
        needs_technical_review=technical_review,
        **extra,
        **kwargs,
    )
    for i in range(requirements):
        PersyaratanFactory(jenis_izin=service, name=f"Dokumen wajib {i + 1}", order=i)
    if fields:
        IsianFormulirFactory(
            jenis_izin=service, key="tempat_praktik", label="Alamat tempat praktik", order=1
        )
        IsianFormulirFactory(
            jenis_izin=service,
            key="jenis_praktik",
            label="Jenis praktik",
            field_type="choice",
            choices="Mandiri\nFasilitas kesehatan",
            order=2,
        )
    if published:
        publish(service)
    return service


# --- Applications --------------------------------------------------------------------------------

APPLICANT_DATA = {
    "applicant_kind": "perorangan",
    "full_name": "Siti Rahmawati",
    "nik": VALID_NIK,
    "phone": "081234567890",
    "address": "Jl. Tjilik Riwut No. 12",
    "kecamatan_id": None,
    "kecamatan": "",
    "desa_id": None,
    "desa": "",
    "company_name": "",
    "nib": "",
    "npwp": "",
}


class PermohonanFactory(DjangoModelFactory):
    """A draft; use ``complete_draft`` / ``submitted`` for later states."""

    class Meta:
        model = Permohonan

    applicant = factory.SubFactory(UserFactory)
    jenis_izin = factory.LazyFunction(make_service)
    status = Status.DRAFT


def complete_draft(applicant=None, service=None) -> Permohonan:
    """A draft with every step done, ready to submit (through the services)."""
    applicant = applicant or UserFactory()
    service = service or make_service()
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    draft = services.save_applicant_data(draft, actor=applicant, data=dict(APPLICANT_DATA))
    form_data = {}
    for field in service.isian.all():
        form_data[field.key] = field.choice_list[0] if field.choice_list else "Jl. Contoh 1"
    draft = services.save_form_data(draft, actor=applicant, data=form_data)
    for requirement in service.persyaratan.all():
        services.upload_document(
            draft, actor=applicant, persyaratan=requirement, uploaded_file=pdf_upload()
        )
    return services.mark_step(draft, actor=applicant, step=3)


def submitted(applicant=None, service=None) -> Permohonan:
    draft = complete_draft(applicant, service)
    return services.submit_permohonan(draft, actor=draft.applicant, declaration_accepted=True)


def fast_submitted(applicant, service, n: int) -> list[Permohonan]:
    """``n`` submitted applications written directly (for list and query-count tests)."""
    dpmptsp_opd = PerangkatDaerah.objects.get(is_dpmptsp=True)
    now = timezone.now()
    year = timezone.localdate().year
    return Permohonan.objects.bulk_create(
        [
            Permohonan(
                applicant=applicant,
                jenis_izin=service,
                status=Status.DIAJUKAN,
                number=f"TST-{year}-{uuid.uuid4().hex[:12]}",
                pin="123456",
                applicant_data=dict(APPLICANT_DATA),
                processing_opd=dpmptsp_opd,
                submitted_at=now,
            )
            for i in range(n)
        ]
    )


def current_document(permohonan: Permohonan, index: int = 0) -> Dokumen:
    return permohonan.dokumen.filter(is_current=True).order_by("persyaratan__order")[index]


# --- Officers and moving a file through the desk (issue 5) ---------------------------------------


@dataclass
class Desk:
    """The officers of one file: front office, back office and kepala of its processing OPD,
    a tim teknis member of its technical OPD (None when it has no technical review)."""

    fo: object
    bo: object
    kepala: object
    tt: object | None


def desk_for(permohonan: Permohonan) -> Desk:
    processing = permohonan.processing_opd
    technical = permohonan.technical_opd
    tag = processing.short_name.lower()
    return Desk(
        fo=UserFactory(email=f"fo.{tag}@contoh.test", front_office=True, opd=processing),
        bo=UserFactory(email=f"bo.{tag}@contoh.test", back_office=True, opd=processing),
        kepala=UserFactory(email=f"kepala.{tag}@contoh.test", kepala=True, opd=processing),
        tt=(
            UserFactory(
                email=f"tt.{technical.short_name.lower()}@contoh.test",
                tim_teknis=True,
                opd=technical,
            )
            if technical
            else None
        ),
    )


def judge_all_valid(permohonan: Permohonan, officer) -> None:
    """The officer marks every current document "Sesuai" through the service (``register``
    needs it: ``perizinan.workflow.DOCUMENTS_VALID``)."""
    from perizinan.services.documents import judge_document

    for dokumen in Dokumen.objects.filter(permohonan_id=permohonan.pk, is_current=True).exclude(
        verdict=Dokumen.Verdict.VALID
    ):
        judge_document(dokumen, actor=officer, verdict=Dokumen.Verdict.VALID)


def register(permohonan: Permohonan, officer) -> Permohonan:
    """Front office judges every document valid and registers the file (from VERIFIKASI)."""
    judge_all_valid(permohonan, officer)
    return services.transition(permohonan, name="register", actor=officer)


def bap(permohonan: Permohonan, officer) -> None:
    from perizinan.services.petugas import upload_berita_acara

    upload_berita_acara(
        permohonan,
        actor=officer,
        inspected_on=timezone.localdate(),
        summary="Lokasi sesuai denah.",
        uploaded_file=pdf_upload("bap.pdf"),
    )


def advance(permohonan: Permohonan, to: str, desk: Desk | None = None) -> Permohonan:
    """Move a submitted file forward along the happy path until it reaches ``to``, each step
    by the officer whose role takes it."""
    desk = desk or desk_for(permohonan)
    permohonan.refresh_from_db()
    for _ in range(10):
        status = permohonan.status
        if status == to:
            return permohonan
        if status == Status.DIAJUKAN:
            step = ("start_verification", desk.fo, {})
        elif status == Status.VERIFIKASI:
            judge_all_valid(permohonan, desk.fo)
            step = ("register", desk.fo, {})
        elif status == Status.TERDAFTAR:
            name = "send_to_technical" if permohonan.technical_opd_id else "send_to_signing"
            step = (name, desk.bo, {})
        elif status == Status.KAJIAN_TEKNIS:
            if permohonan.needs_field_check and permohonan.field_check_done_at is None:
                bap(permohonan, desk.tt)
            if permohonan.needs_payment:
                step = ("recommend_payment", desk.tt, {"fee_amount": 250_000})
            else:
                step = ("recommend_approval", desk.tt, {})
        elif status == Status.MENUNGGU_PEMBAYARAN:
            step = ("confirm_payment", desk.bo, {"payment_reference": "STS-2026-0001"})
        else:
            raise AssertionError(f"advance() cannot move a file from {status} to {to}")
        name, actor, data = step
        permohonan = services.transition(permohonan, name=name, actor=actor, data=data)
    raise AssertionError(f"advance() did not reach {to}")
