"""The size limit holds for the bytes that actually arrive, whatever size the upload claims:
an ``UploadedFile`` whose ``size`` is smaller than its content, or a multipart part whose
``Content-Length`` header says less than it carries (read by an upload handler that believes
it), is refused with the size message by ``perizinan.uploads`` and by the applicant's upload
page, and nothing is stored."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from perizinan import services
from perizinan.models import Dokumen
from perizinan.uploads import check_attachment, check_upload
from tests.factories import PersyaratanFactory, UserFactory
from tests.perizinan.factories import VALID_NIK, make_service

pytestmark = pytest.mark.django_db

LIMIT_KB = 10
DECLARED = 2 * 1024  # what the upload claims: well under the limit


def _pdf_with_padding(n: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Subject": "x" * n})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def big_pdf(size: int = 3 * LIMIT_KB * 1024) -> bytes:
    """A readable PDF of exactly ``size`` bytes (a long metadata string fills it)."""
    n = size - len(_pdf_with_padding(0))
    for _ in range(5):  # the offsets in the trailer grow by a digit now and then
        content = _pdf_with_padding(n)
        if len(content) == size:
            return content
        n -= len(content) - size
    raise AssertionError(f"no PDF of exactly {size} bytes")


def lying_simple_upload(content: bytes, declared: int = DECLARED) -> SimpleUploadedFile:
    upload = SimpleUploadedFile("ktp.pdf", content, content_type="application/pdf")
    upload.size = declared
    return upload


def lying_in_memory_upload(content: bytes, declared: int = DECLARED) -> InMemoryUploadedFile:
    return InMemoryUploadedFile(
        io.BytesIO(content), "file", "ktp.pdf", "application/pdf", declared, None
    )


@pytest.fixture
def requirement():
    return PersyaratanFactory(name="KTP", accepted_types="pdf,jpg,png", max_size_kb=LIMIT_KB)


def test_the_padded_pdf_is_accepted_when_it_fits():
    """The sample itself is a valid upload: only its size can refuse it."""
    roomy = PersyaratanFactory(name="KTP", accepted_types="pdf", max_size_kb=4 * LIMIT_KB)
    content = big_pdf()
    clean = check_upload(SimpleUploadedFile("ktp.pdf", content), roomy)
    assert clean.size == len(content)


# --- The check ---------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lying_simple_upload, lying_in_memory_upload])
def test_a_file_larger_than_its_declared_size_is_refused_for_its_real_size(requirement, make):
    upload = make(big_pdf())
    assert upload.size <= LIMIT_KB * 1024  # the declared size passes
    with pytest.raises(ValidationError) as info:
        check_upload(upload, requirement)
    assert info.value.code == "too_large"
    (message,) = info.value.messages
    assert message.startswith("KTP: ukuran berkas")
    assert "melebihi batas 10 KB" in message


def test_one_byte_over_the_limit_is_refused_even_when_declared_under_it(requirement):
    upload = lying_simple_upload(big_pdf(LIMIT_KB * 1024 + 1))
    with pytest.raises(ValidationError) as info:
        check_upload(upload, requirement)
    assert info.value.code == "too_large"


def test_exactly_the_limit_is_accepted(requirement):
    content = big_pdf(LIMIT_KB * 1024)
    clean = check_upload(lying_simple_upload(content), requirement)
    assert clean.size == len(content)


def test_a_complaint_attachment_larger_than_its_declared_size_is_refused():
    with pytest.raises(ValidationError) as info:
        check_attachment(
            lying_simple_upload(big_pdf()), label="Lampiran pengaduan", max_size_kb=LIMIT_KB
        )
    assert info.value.code == "too_large"
    assert "melebihi batas 10 KB" in info.value.messages[0]


def test_the_upload_service_stores_nothing_for_a_file_larger_than_declared():
    service = make_service(requirements=1)
    requirement = service.persyaratan.get()
    requirement.max_size_kb = LIMIT_KB
    requirement.save()
    applicant = UserFactory()
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    with pytest.raises(ValidationError) as info:
        services.upload_document(
            draft,
            actor=applicant,
            persyaratan=requirement,
            uploaded_file=lying_simple_upload(big_pdf()),
        )
    assert "melebihi batas 10 KB" in " ".join(info.value.messages)
    assert not Dokumen.objects.filter(permohonan=draft).exists()


# --- Through the applicant's upload page --------------------------------------------------------


class DeclaredLengthUploadHandler(MemoryFileUploadHandler):
    """An upload handler that believes the part's ``Content-Length`` header for the file's
    size (as handlers for direct-to-storage uploads do) while keeping every byte it gets."""

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        self.declared_length = content_length
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        if upload is not None and self.declared_length is not None:
            upload.size = self.declared_length
        return upload


def multipart_with_declared_length(fields: dict, content: bytes, declared: int) -> bytes:
    """A multipart body whose file part says ``Content-Length: declared`` and carries
    ``content``."""
    body = encode_multipart(BOUNDARY, fields)
    closing = f"--{BOUNDARY}--\r\n".encode()
    assert body.endswith(closing)
    part = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="ktp.pdf"\r\n'
        "Content-Type: application/pdf\r\n"
        f"Content-Length: {declared}\r\n"
        "\r\n"
    ).encode()
    return body[: -len(closing)] + part + content + b"\r\n" + closing


@pytest.fixture
def draft_and_requirement(client):
    service = make_service(requirements=1)
    requirement = service.persyaratan.get()
    requirement.max_size_kb = LIMIT_KB
    requirement.save()
    applicant = UserFactory(full_name="Siti Rahmawati", nik=VALID_NIK)
    client.force_login(applicant)
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    return draft, requirement


def step_3(draft) -> str:
    return reverse("perizinan:permohonan_step", args=[draft.public_id, 3])


def assert_refused_for_size(response, draft, requirement):
    assert response.status_code == 400
    body = response.content.decode()
    assert f"{requirement.name}: ukuran berkas" in body
    assert "melebihi batas 10 KB" in body
    assert not Dokumen.objects.filter(permohonan=draft).exists()


def test_the_upload_page_refuses_a_part_larger_than_its_content_length_says(
    client, settings, draft_and_requirement
):
    draft, requirement = draft_and_requirement
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.DeclaredLengthUploadHandler"]
    body = multipart_with_declared_length(
        {"persyaratan": str(requirement.pk)}, big_pdf(), declared=DECLARED
    )
    response = client.generic("POST", step_3(draft), body, content_type=MULTIPART_CONTENT)
    assert_refused_for_size(response, draft, requirement)


def test_the_upload_page_refuses_a_large_part_with_the_standard_handlers(
    client, draft_and_requirement
):
    """Django's own handlers count the bytes; the misleading header changes nothing."""
    draft, requirement = draft_and_requirement
    body = multipart_with_declared_length(
        {"persyaratan": str(requirement.pk)}, big_pdf(), declared=DECLARED
    )
    response = client.generic("POST", step_3(draft), body, content_type=MULTIPART_CONTENT)
    assert_refused_for_size(response, draft, requirement)


def test_the_upload_page_accepts_the_same_part_when_it_fits(
    client, settings, draft_and_requirement
):
    """The crafted request is otherwise a good upload (the refusals above are for size)."""
    draft, requirement = draft_and_requirement
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.DeclaredLengthUploadHandler"]
    content = big_pdf(LIMIT_KB * 1024)
    body = multipart_with_declared_length(
        {"persyaratan": str(requirement.pk)}, content, declared=len(content)
    )
    response = client.generic("POST", step_3(draft), body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 302
    assert Dokumen.objects.filter(permohonan=draft, is_current=True).count() == 1
