"""Helpers of the permit tests (``test_izin_*.py``): files waiting for signature, built through
the real services and ``transition()`` with officer actors."""

from __future__ import annotations

import io

from pypdf import PdfReader

from perizinan import services
from perizinan.models import Penomoran, Permohonan
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import make_service, register, submitted


def signing_service(**kwargs):
    """A delegated service without technical review, permit code SIP-DR, valid 12 months."""
    kwargs.setdefault("permit_code", "SIP-DR")
    kwargs.setdefault("validity_months", 12)
    kwargs.setdefault("legal_basis", "Peraturan Bupati Barito Timur Nomor 12 Tahun 2026")
    kwargs.setdefault("product", "Surat Izin Praktik Dokter")
    return make_service(technical_review=False, **kwargs)


def to_signing(
    permohonan: Permohonan | None = None, *, service=None, applicant=None, fo=None, bo=None
):
    """A submitted file moved by front office and back office to PENANDATANGANAN."""
    if permohonan is None:
        permohonan = submitted(applicant, service or signing_service())
    fo = fo or UserFactory(front_office=True)
    services.transition(permohonan, name="start_verification", actor=fo)
    register(permohonan, fo)
    return services.transition(
        permohonan, name="send_to_signing", actor=bo or UserFactory(back_office=True)
    )


def files_waiting(n: int, *, service=None, applicant=None) -> list[Permohonan]:
    """``n`` files of one service and one applicant waiting for signature."""
    service = service or signing_service()
    applicant = applicant or UserFactory()
    fo, bo = UserFactory(front_office=True), UserFactory(back_office=True)
    return [to_signing(service=service, applicant=applicant, fo=fo, bo=bo) for _ in range(n)]


def kepala_dpmptsp(**kwargs):
    """The head of the DPMPTSP (no OPD: the DPMPTSP's scope)."""
    return UserFactory(kepala=True, full_name="Drs. Kepala Dinas Uji", **kwargs)


def route_to_origin_opd(permohonan: Permohonan, opd) -> Permohonan:
    """Test setup: a file of a not-yet-delegated authority (processed by its origin OPD).
    Online applications open only for delegated services, so the route is set directly."""
    Permohonan.objects.filter(pk=permohonan.pk).update(processing_opd=opd, route_delegated=False)
    permohonan.refresh_from_db()
    return permohonan


def dinkes():
    return PerangkatDaerahFactory(dinkes=True)


def counter_value(key: str, year: int) -> int:
    row = Penomoran.objects.filter(key=key, year=year).first()
    return row.last_value if row else 0


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_image_count(content: bytes) -> int:
    reader = PdfReader(io.BytesIO(content))
    return sum(len(page.images) for page in reader.pages)


__all__ = [
    "Status",
    "counter_value",
    "dinkes",
    "files_waiting",
    "kepala_dpmptsp",
    "pdf_image_count",
    "pdf_text",
    "route_to_origin_opd",
    "signing_service",
    "to_signing",
]
