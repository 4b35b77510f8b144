"""Signing issued permits: the internal (not certified) signer and the pluggable setting."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from pypdf import PdfReader

from perizinan.pdf import PermitData, render_permit_pdf
from perizinan.signing import InternalSigner, SignedDocument, get_signer


class CertifiedTestSigner:
    """A plug-in signer, as a BSrE TTE adapter would be: returns the bytes, says certified."""

    provider = "test-certified"
    certified = True

    def sign(self, pdf: bytes, *, signer_name: str, reason: str) -> SignedDocument:
        return SignedDocument(
            content=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            certified=True,
            provider=self.provider,
            signed_at=timezone.now(),
        )


class NotASigner:
    pass


@pytest.fixture(scope="module")
def permit_pdf() -> bytes:
    return render_permit_pdf(
        PermitData(
            permit_number="503/0001/SIUP/2026",
            application_number="BTM-2026-000001",
            service_name="Izin Usaha",
            product_name="Surat Izin Usaha",
            holder_name="Budi",
            holder_nik_masked="6213**********01",
            holder_address="Tamiang Layang",
            decision_text="Memberikan izin kepada:",
            conditions=[],
            issued_on=date(2026, 11, 27),
            valid_until=None,
            signer_name="Kepala Dinas",
            signer_title="Kepala Dinas",
            signed_at=datetime(2026, 11, 27, 7, 5, tzinfo=UTC),
            verification_url="https://satupintu.example.go.id/verifikasi/abc/",
            integrity_hash="0" * 64,
            office_name="DPMPTSP",
            regency_name="Kabupaten Barito Timur",
        )
    )


def test_internal_signature_hash_is_sha256_of_returned_content(permit_pdf):
    signed = InternalSigner().sign(permit_pdf, signer_name="Drs. Budi", reason="Penerbitan izin")
    assert signed.sha256 == hashlib.sha256(signed.content).hexdigest()


def test_internal_signature_is_not_certified(permit_pdf):
    signed = InternalSigner().sign(permit_pdf, signer_name="Drs. Budi", reason="Penerbitan izin")
    assert signed.certified is False
    assert signed.provider == "internal"


def test_internal_signature_records_signer_and_reason_in_pdf_metadata(permit_pdf):
    signed = InternalSigner().sign(permit_pdf, signer_name="Drs. Budi", reason="Penerbitan izin")
    reader = PdfReader(io.BytesIO(signed.content))
    assert reader.metadata["/Author"] == "Drs. Budi"
    assert reader.metadata["/Subject"] == "Penerbitan izin"
    assert reader.metadata["/SignatureCertified"] == "false"
    assert reader.metadata["/SignedAt"] == signed.signed_at.isoformat()


def test_internal_signature_keeps_the_document_pages(permit_pdf):
    signed = InternalSigner().sign(permit_pdf, signer_name="Drs. Budi", reason="Penerbitan izin")
    original = PdfReader(io.BytesIO(permit_pdf))
    copy = PdfReader(io.BytesIO(signed.content))
    assert len(copy.pages) == len(original.pages)
    assert copy.pages[0].extract_text() == original.pages[0].extract_text()


def test_internal_signature_time_is_now_and_aware(permit_pdf):
    before = timezone.now()
    signed = InternalSigner().sign(permit_pdf, signer_name="Drs. Budi", reason="Penerbitan izin")
    assert before <= signed.signed_at <= timezone.now()
    assert timezone.is_aware(signed.signed_at)


def test_internal_signer_refuses_bytes_that_are_not_a_pdf():
    with pytest.raises(ValueError, match="not a readable PDF"):
        InternalSigner().sign(b"not a pdf at all", signer_name="Drs. Budi", reason="x")


def test_default_signer_is_internal(settings):
    if hasattr(settings, "PERMIT_SIGNER"):
        del settings.PERMIT_SIGNER
    assert isinstance(get_signer(), InternalSigner)


def test_signer_setting_selects_plug_in_class(settings, permit_pdf):
    settings.PERMIT_SIGNER = "tests.perizinan.test_signing.CertifiedTestSigner"
    signer = get_signer()
    assert isinstance(signer, CertifiedTestSigner)
    signed = signer.sign(permit_pdf, signer_name="Drs. Budi", reason="Penerbitan izin")
    assert signed.certified is True
    assert signed.content == permit_pdf


def test_unknown_signer_class_path_is_improperly_configured(settings):
    settings.PERMIT_SIGNER = "perizinan.signing.NoSuchSigner"
    with pytest.raises(ImproperlyConfigured, match=r"PERMIT_SIGNER: cannot import"):
        get_signer()


def test_unknown_signer_module_is_improperly_configured(settings):
    settings.PERMIT_SIGNER = "no_such_package.Signer"
    with pytest.raises(ImproperlyConfigured, match="no_such_package.Signer"):
        get_signer()


def test_signer_class_without_sign_method_is_improperly_configured(settings):
    settings.PERMIT_SIGNER = "tests.perizinan.test_signing.NotASigner"
    with pytest.raises(ImproperlyConfigured, match="has no sign"):
        get_signer()


def test_empty_signer_setting_is_improperly_configured(settings):
    settings.PERMIT_SIGNER = ""
    with pytest.raises(ImproperlyConfigured, match="dotted path"):
        get_signer()
