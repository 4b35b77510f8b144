"""Every upload refusal names the requirement and the reason; accepted files are cleaned."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from perizinan.uploads import check_upload, format_limit, format_size, sanitise_name
from tests.factories import PersyaratanFactory
from tests.perizinan.factories import jpeg_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def ktp():
    return PersyaratanFactory(name="KTP", accepted_types="pdf,jpg,png", max_size_kb=2048)


def refusal(uploaded, requirement) -> str:
    with pytest.raises(ValidationError) as info:
        check_upload(uploaded, requirement)
    return info.value.messages[0]


def test_valid_pdf_is_accepted_with_size_and_sha256(ktp):
    import hashlib

    content = pdf_bytes()
    clean = check_upload(upload("ktp.pdf", content), ktp)
    assert clean.kind == "pdf"
    assert clean.content_type == "application/pdf"
    assert clean.sha256 == hashlib.sha256(content).hexdigest()
    assert clean.size == len(content)


def test_executable_renamed_pdf_is_refused(ktp):
    message = refusal(upload("ktp.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200), ktp)
    assert message.startswith("KTP: ")
    assert "bukan PDF, JPEG atau PNG" in message


def test_html_renamed_pdf_is_refused(ktp):
    message = refusal(upload("ktp.pdf", b"<html><script>alert(1)</script></html>"), ktp)
    assert message.startswith("KTP: isi berkas bukan PDF")


def test_oversize_file_is_refused_with_both_sizes_in_the_message(ktp):
    content = b"%PDF-1.4\n" + b"0" * (3_355_443 - 9)
    assert refusal(upload("ktp.pdf", content), ktp) == (
        "KTP: ukuran berkas 3,2 MB melebihi batas 2 MB."
    )


def test_size_is_checked_before_the_content_is_read(ktp):
    class Unreadable(SimpleUploadedFile):
        def read(self, *args, **kwargs):
            raise AssertionError("content read before the size check")

    big = Unreadable("ktp.pdf", b"x", content_type="application/pdf")
    big.size = 5 * 1024 * 1024
    assert "melebihi batas 2 MB" in refusal(big, ktp)


def test_one_byte_over_the_limit_never_reads_as_equal_to_it():
    assert format_size(2 * 1024 * 1024 + 1) == "2,1 MB"
    assert format_limit(2048) == "2 MB"
    assert format_limit(500) == "500 KB"


def test_empty_file_is_refused(ktp):
    assert refusal(upload("ktp.pdf", b""), ktp) == "KTP: berkas kosong (0 byte)."


def test_truncated_pdf_is_refused(ktp):
    content = pdf_bytes()
    message = refusal(upload("ktp.pdf", content[: len(content) // 2]), ktp)
    assert "tidak lengkap" in message


def test_corrupt_pdf_is_refused(ktp):
    content = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage\ntrailer <<>>\n%%EOF\n"
    assert "rusak" in refusal(upload("ktp.pdf", content), ktp)


def test_pdf_with_javascript_is_refused(ktp):
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_open_action(JavaScript("app.alert('x');"))
    out = io.BytesIO()
    writer.write(out)
    assert "skrip" in refusal(upload("ktp.pdf", out.getvalue()), ktp)


def test_type_not_accepted_by_the_requirement_is_refused():
    photo = PersyaratanFactory(name="Pas foto", accepted_types="jpg", max_size_kb=500)
    message = refusal(upload("foto.pdf", pdf_bytes()), photo)
    assert message == (
        "Pas foto: berkas PDF tidak diterima untuk persyaratan ini. Jenis yang diterima: JPEG."
    )


def test_image_with_html_after_it_is_rewritten(ktp):
    content = png_bytes() + b"<html><script>alert(1)</script></html>"
    clean = check_upload(upload("foto.png", content, "image/png"), ktp)
    assert b"<script>" not in clean.content


def test_jpeg_is_re_encoded_without_exif(ktp):
    from PIL import Image

    content = jpeg_bytes(with_exif_gps=True)
    assert Image.open(io.BytesIO(content)).getexif()
    clean = check_upload(upload("foto.jpg", content, "image/jpeg"), ktp)
    assert clean.content != content
    reopened = Image.open(io.BytesIO(clean.content))
    assert reopened.format == "JPEG"
    assert not reopened.getexif()


def test_corrupt_image_is_refused(ktp):
    content = b"\xff\xd8\xff\xe0" + b"\x00" * 100
    assert "gambar rusak" in refusal(upload("foto.jpg", content, "image/jpeg"), ktp)


def test_pdf_with_an_embedded_file_is_refused(ktp):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_attachment("payload.exe", b"MZ")
    out = io.BytesIO()
    writer.write(out)
    assert "lampiran tersembunyi" in refusal(upload("ktp.pdf", out.getvalue()), ktp)


def test_type_comes_from_content_not_from_the_name(ktp):
    clean = check_upload(upload("scan.pdf", png_bytes(), "application/pdf"), ktp)
    assert clean.kind == "png"
    assert clean.original_name == "scan.png"


def test_display_name_is_sanitised():
    assert sanitise_name("../../etc/passwd", "pdf") == "passwd.pdf"
    assert sanitise_name("x\u202egnp.exe", "png") == "xgnp.png"
    assert sanitise_name("a" * 300 + ".pdf", "pdf") == "a" * 90 + ".pdf"
