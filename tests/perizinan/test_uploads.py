"""Every upload refusal names the requirement and the reason; accepted files are cleaned."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from perizinan.uploads import check_upload, format_limit, format_size, sanitise_name
from tests.factories import PersyaratanFactory
from tests.perizinan.factories import jpeg_bytes, pdf_bytes, png_bytes, upload
from tests.security.fixtures import fuzz_corpus as corpus

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


# --- Issue 16, finding 5: the work an upload costs is bounded -----------------------------------


def code_of(uploaded, requirement) -> str:
    with pytest.raises(ValidationError) as info:
        check_upload(uploaded, requirement)
    return info.value.code


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any image is decoded (its pixels loaded)."""
    from PIL import ImageFile

    def boom(self):
        raise AssertionError("the image was decoded before its size was checked")

    monkeypatch.setattr(ImageFile.ImageFile, "load", boom)


def test_the_pixel_flood_of_the_report_is_refused_before_it_is_decoded(ktp, no_decoding):
    """231 KB of PNG that decodes to 8,900 x 8,900 pixels (237 MB; it cost 711 MB and up to
    3.2 s a worker): under the old 80 MP cap, over the 40 MP one, refused from its header."""
    content = corpus.png_pixel_flood(8_900, 8_900)
    assert len(content) < 240 * 1024
    message = refusal(upload("foto.png", content, "image/png"), ktp)
    assert message == (
        "KTP: gambar terlalu besar (8900 x 8900 piksel). Batasnya 40 megapiksel dan "
        "10.000 piksel per sisi: kecilkan resolusinya atau pindai ulang dengan 300 dpi."
    )


@pytest.mark.parametrize(("width", "height"), [(12_000, 400), (300, 10_001)])
def test_an_image_with_one_side_over_the_limit_is_refused_before_it_is_decoded(
    ktp, no_decoding, width, height
):
    """Few pixels, but one side longer than any page scanned at 600 dpi (A3: 9,921)."""
    content = corpus.png_declaring(width, height)
    assert code_of(upload("foto.png", content, "image/png"), ktp) == "image_too_many_pixels"


def test_a_jpeg_over_the_limit_is_refused_before_it_is_decoded(ktp, no_decoding):
    content = corpus.jpeg_declaring(7_000, 6_000)  # 42 MP
    assert code_of(upload("foto.jpg", content, "image/jpeg"), ktp) == "image_too_many_pixels"


def test_a_600_dpi_a4_scan_is_accepted_and_kept_at_half_its_size(ktp):
    """35 MP (A4 at 600 dpi) is under the limit; an image over 20 MP is stored reduced by a
    whole factor (PNG: ``Image.reduce``), here to 300 dpi."""
    from PIL import Image

    content = corpus.png_pixel_flood(4_961, 7_016)
    clean = check_upload(upload("scan.png", content, "image/png"), ktp)
    assert Image.open(io.BytesIO(clean.content)).size == (2_481, 3_508)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(ktp, monkeypatch):
    """A JPEG over 20 MP is decoded already reduced (``Image.draft``: the decoder scales while
    it decodes, so the full-size pixels are never held)."""
    from PIL import Image, JpegImagePlugin

    drafts = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        drafts.append(size)
        return real_draft(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    out = io.BytesIO()
    Image.new("RGB", (6_000, 4_000), (30, 90, 150)).save(out, format="JPEG", quality=50)
    clean = check_upload(upload("foto.jpg", out.getvalue(), "image/jpeg"), ktp)
    assert drafts == [(3_000, 2_000)]
    assert Image.open(io.BytesIO(clean.content)).size == (3_000, 2_000)


def test_a_jpeg_under_20_megapixels_keeps_its_size(ktp):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4_000, 3_000), (30, 90, 150)).save(out, format="JPEG", quality=50)
    clean = check_upload(upload("foto.jpg", out.getvalue(), "image/jpeg"), ktp)
    assert Image.open(io.BytesIO(clean.content)).size == (4_000, 3_000)


def test_a_jpeg_with_hundreds_of_scans_is_refused_before_it_is_decoded(ktp, no_decoding):
    """Each scan of a progressive JPEG is a pass of the decoder over the whole image; a real
    one has about ten."""
    content = corpus.jpeg_with_scans(500)
    assert code_of(upload("foto.jpg", content, "image/jpeg"), ktp) == "image_too_many_scans"


def test_a_progressive_jpeg_is_accepted(ktp):
    out = io.BytesIO()
    corpus.photo().save(out, format="JPEG", progressive=True)
    assert check_upload(upload("foto.jpg", out.getvalue(), "image/jpeg"), ktp).kind == "jpg"


def test_the_object_flood_of_the_report_is_refused_for_what_it_is(ktp):
    """1.4 MB, 150,000 objects in one object stream (it cost 217 MB and up to 3.3 s, and was
    then refused as if it held a script): refused by counting, before pypdf reads it."""
    content = corpus.pdf_object_flood(150_000)
    assert len(content) < 1_500_000
    assert refusal(upload("ktp.pdf", content), ktp) == (
        "KTP: berkas PDF terlalu rumit (lebih dari 10.000 objek). Simpan ulang sebagai PDF "
        "biasa atau pindai ulang dokumennya."
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: corpus.pdf_object_flood(20_000, escaped_names=True),
        lambda: corpus.pdf_plain_object_flood(20_000),
        lambda: corpus.pdf_xref_stream_declaring(1_900_000),
    ],
    ids=["object_stream_with_escaped_names", "plain_objects", "xref_stream_entries"],
)
def test_other_object_floods_are_refused(ktp, make):
    assert code_of(upload("ktp.pdf", make()), ktp) == "pdf_too_many_objects"


def test_a_pdf_at_the_object_limit_is_accepted(ktp):
    from perizinan.uploads import MAX_PDF_OBJECTS

    content = corpus.pdf_plain_object_flood(MAX_PDF_OBJECTS - 10)
    assert check_upload(upload("ktp.pdf", content), ktp).kind == "pdf"


def test_a_pdf_with_more_pages_than_the_limit_is_refused(ktp):
    from perizinan.uploads import MAX_PDF_PAGES

    assert check_upload(upload("ktp.pdf", corpus.pdf_with_pages(MAX_PDF_PAGES)), ktp)
    assert refusal(upload("ktp.pdf", corpus.pdf_with_pages(MAX_PDF_PAGES + 1)), ktp) == (
        "KTP: berkas PDF terlalu banyak halaman (301; paling banyak 300)."
    )


# --- Issue 16, finding 6: no metadata survives ---------------------------------------------------

#: What a cleaned JPEG may hold before its image data: JFIF (APP0), quantisation and Huffman
#: tables, the frame header, restart interval, the start of scan. No APPn but APP0, no COM.
JPEG_IMAGE_MARKERS = {0xE0, 0xDB, 0xC4, 0xC0, 0xC1, 0xC2, 0xDD, 0xDA}
#: What a cleaned PNG may hold: the header, palette and its transparency, the pixels, the end.
PNG_IMAGE_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}


def assert_no_secret(content: bytes) -> None:
    assert corpus.SECRET_NIK.encode() not in content
    assert b"<script" not in content
    assert b"KameraUji" not in content


JPEGS_WITH_METADATA = {
    "comment": corpus.jpeg_with_comment,
    "xmp": corpus.jpeg_with_xmp,
    "exif_gps": corpus.jpeg_with_exif_gps,
    "icc_profile": corpus.jpeg_with_icc,
    "photoshop_iptc_and_app15": corpus.jpeg_with_photoshop_iptc,
    "every_kind": corpus.jpeg_with_every_kind_of_metadata,
}


@pytest.mark.parametrize("kind", sorted(JPEGS_WITH_METADATA))
def test_every_metadata_segment_of_a_jpeg_is_stripped(ktp, kind):
    content = JPEGS_WITH_METADATA[kind]()
    markers = {marker for marker, _payload in corpus.jpeg_segments(content)}
    assert markers - JPEG_IMAGE_MARKERS, "the test file carries no metadata"
    clean = check_upload(upload("foto.jpg", content, "image/jpeg"), ktp)
    segments = corpus.jpeg_segments(clean.content)
    assert {marker for marker, _payload in segments} <= JPEG_IMAGE_MARKERS, [
        hex(m) for m, _p in segments
    ]
    assert b"\xff\xfe" not in clean.content.split(b"\xff\xda", 1)[0]  # no COM
    assert_no_secret(clean.content)


def test_the_comment_with_an_nik_and_a_script_is_gone(ktp):
    """The report's case: Pillow writes ``info["comment"]`` back unless told otherwise."""
    from PIL import Image

    clean = check_upload(upload("foto.jpg", corpus.jpeg_with_comment(), "image/jpeg"), ktp)
    assert "comment" not in Image.open(io.BytesIO(clean.content)).info
    assert_no_secret(clean.content)


def test_a_png_keeps_no_text_exif_colour_profile_or_time(ktp):
    content = corpus.png_with_text_chunks()
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"tIME"} <= set(
        corpus.png_chunk_types(content)
    )
    clean = check_upload(upload("foto.png", content, "image/png"), ktp)
    assert set(corpus.png_chunk_types(clean.content)) <= PNG_IMAGE_CHUNKS
    assert_no_secret(clean.content)


def test_a_transparent_palette_png_keeps_its_transparency(ktp):
    """Transparency is part of the picture, not metadata."""
    from PIL import Image

    image = Image.new("P", (10, 10), 1)
    image.putpalette([0, 0, 0, 255, 255, 255] * 128)
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=1)
    clean = check_upload(upload("foto.png", out.getvalue(), "image/png"), ktp)
    assert b"tRNS" in corpus.png_chunk_types(clean.content)


def pixel(content: bytes) -> tuple[int, int, int]:
    from PIL import Image

    image = Image.open(io.BytesIO(content)).convert("RGB")
    return image.getpixel((image.width // 2, image.height // 2))


def test_a_colour_profile_other_than_srgb_is_applied_before_it_is_dropped(ktp):
    """Under this profile the stored red means green: the pixels are converted to sRGB, so the
    picture looks the same without its profile."""
    clean = check_upload(upload("foto.jpg", corpus.jpeg_with_icc(), "image/jpeg"), ktp)
    red, green, _blue = pixel(clean.content)
    assert green > 200 and red < 100, (red, green)
    assert 0xE2 not in {marker for marker, _p in corpus.jpeg_segments(clean.content)}


def test_an_srgb_profile_is_dropped_and_the_colours_stay(ktp):
    content = corpus.jpeg_with_icc(corpus.srgb_profile())
    clean = check_upload(upload("foto.jpg", content, "image/jpeg"), ktp)
    red, green, _blue = pixel(clean.content)
    assert red > 200 and green < 60, (red, green)
    assert 0xE2 not in {marker for marker, _p in corpus.jpeg_segments(clean.content)}


def test_the_exif_orientation_is_applied_before_exif_is_dropped(ktp):
    from PIL import Image

    clean = check_upload(upload("foto.jpg", corpus.jpeg_rotated_by_exif(), "image/jpeg"), ktp)
    stored = Image.open(io.BytesIO(clean.content))
    assert stored.size == (30, 40)
    assert not stored.getexif()


# --- Issue 16, info: active content and links in PDFs ------------------------------------------


@pytest.mark.parametrize("name", sorted(corpus.HOSTILE_PDFS))
def test_every_hostile_pdf_of_the_corpus_is_refused_as_active_content(ktp, name):
    assert code_of(upload("ktp.pdf", corpus.HOSTILE_PDFS[name]()), ktp) == "pdf_active_content"


@pytest.mark.parametrize("name", sorted(corpus.NON_WEB_LINKS))
def test_a_link_that_is_not_a_web_or_mail_address_is_refused(ktp, name):
    content = corpus.pdf_with_link(corpus.NON_WEB_LINKS[name])
    assert refusal(upload("ktp.pdf", content), ktp) == (
        "KTP: berkas PDF berisi tautan yang bukan alamat web atau e-mail. Hanya tautan http, "
        "https dan mailto yang diterima."
    )


@pytest.mark.parametrize("name", sorted(corpus.WEB_LINKS))
def test_web_and_mail_links_are_accepted(ktp, name):
    content = corpus.pdf_with_link(corpus.WEB_LINKS[name])
    assert check_upload(upload("ktp.pdf", content), ktp).kind == "pdf"


# --- Issue 16, finding 5: the upload rate per user and the versions kept -------------------------


def upload_to(permohonan, requirement, *, actor=None, content: bytes | None = None):
    from perizinan import services

    return services.upload_document(
        permohonan,
        actor=actor or permohonan.applicant,
        persyaratan=requirement,
        uploaded_file=upload("ktp.pdf", content or pdf_bytes()),
    )


def first_requirement(permohonan):
    return permohonan.jenis_izin.persyaratan.order_by("order", "id").first()


def stored_names() -> set[str]:
    from pathlib import Path

    from django.core.files.storage import storages

    root = Path(storages["private"].location)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def fresh_draft():
    """A complete draft, with the upload counter of its own two uploads forgotten."""
    from django.core.cache import cache

    from tests.perizinan.factories import complete_draft, make_service

    draft = complete_draft(service=make_service())
    cache.clear()
    return draft


def test_a_user_may_upload_fifteen_files_a_minute_and_not_one_more(fresh_draft):
    from perizinan.models import Dokumen
    from perizinan.throttle import UPLOAD_LIMITS

    assert UPLOAD_LIMITS[0] == (15, 60)
    requirement = first_requirement(fresh_draft)
    for _n in range(15):
        upload_to(fresh_draft, requirement)
    before = set(Dokumen.objects.values_list("pk", flat=True)), stored_names()
    with pytest.raises(ValidationError) as info:
        upload_to(fresh_draft, requirement)
    assert info.value.code == "upload_rate"
    assert info.value.messages == [
        "Terlalu banyak unggahan dalam waktu singkat (paling banyak 15 berkas per menit). "
        "Tunggu sebentar lalu unggah lagi; dokumen yang sudah tersimpan tetap ada."
    ]
    assert (set(Dokumen.objects.values_list("pk", flat=True)), stored_names()) == before


def test_the_upload_rate_is_counted_per_user(fresh_draft):
    from tests.perizinan.factories import complete_draft

    requirement = first_requirement(fresh_draft)
    for _n in range(15):
        upload_to(fresh_draft, requirement)
    other = complete_draft(service=fresh_draft.jenis_izin)  # two uploads by someone else
    assert upload_to(other, first_requirement(other)).is_current


def test_the_hourly_upload_limit_holds_across_minutes(fresh_draft):
    from django.core.cache import cache

    from perizinan.throttle import UPLOAD_LIMITS

    assert UPLOAD_LIMITS[1] == (100, 3600)
    requirement = first_requirement(fresh_draft)
    minute_key = f"throttle:upload-60:{fresh_draft.applicant.pk}"
    for n in range(100):
        if n % 15 == 0:
            cache.delete(minute_key)  # a new minute
        upload_to(fresh_draft, requirement)
    cache.delete(minute_key)
    with pytest.raises(ValidationError, match="paling banyak 100 berkas per jam"):
        upload_to(fresh_draft, requirement)


def test_a_refused_file_counts_towards_the_rate_too(fresh_draft):
    """The work is done whether the file is refused or not."""
    requirement = first_requirement(fresh_draft)
    for _n in range(15):
        with pytest.raises(ValidationError):
            upload_to(fresh_draft, requirement, content=b"MZ not a pdf")
    with pytest.raises(ValidationError) as info:
        upload_to(fresh_draft, requirement)
    assert info.value.code == "upload_rate"


def versions(permohonan, requirement) -> list:
    from perizinan.models import Dokumen

    return list(
        Dokumen.objects.filter(permohonan=permohonan, persyaratan=requirement).order_by("pk")
    )


def test_replacing_a_document_in_a_draft_keeps_only_the_current_one(
    fresh_draft, django_capture_on_commit_callbacks
):
    """Nobody but the applicant has seen a draft's documents: a replaced one is deleted, with
    its stored file once the replacement is committed (27 versions of one document were kept
    in one draft)."""
    requirement = first_requirement(fresh_draft)
    files_before = stored_names()
    first = versions(fresh_draft, requirement)
    assert len(first) == 1
    for _n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            latest = upload_to(fresh_draft, requirement)
    kept = versions(fresh_draft, requirement)
    assert kept == [latest] and latest.is_current
    assert stored_names() == files_before - {first[0].stored_name} | {latest.stored_name}


def test_the_version_handed_in_stays_as_history_after_a_correction(fresh_draft):
    """Once handed in, a document is the record of what the office received: it stays. Only
    the versions uploaded since the file came back, which nobody has seen, are replaced."""
    from perizinan import services
    from tests.perizinan.factories import desk_for

    requirement = first_requirement(fresh_draft)
    handed_in = versions(fresh_draft, requirement)
    permohonan = services.submit_permohonan(
        fresh_draft, actor=fresh_draft.applicant, declaration_accepted=True
    )
    desk = desk_for(permohonan)
    permohonan = services.transition(permohonan, name="start_verification", actor=desk.fo)
    permohonan = services.transition(
        permohonan, name="return_for_correction", actor=desk.fo, note="Ganti KTP"
    )
    for _n in range(4):
        latest = upload_to(permohonan, requirement)
    assert versions(permohonan, requirement) == [*handed_in, latest]
    assert stored_names() >= {handed_in[0].stored_name, latest.stored_name}

    permohonan = services.submit_permohonan(
        permohonan, actor=permohonan.applicant, declaration_accepted=True
    )
    permohonan = services.transition(permohonan, name="start_verification", actor=desk.fo)
    permohonan = services.transition(
        permohonan, name="return_for_correction", actor=desk.fo, note="Masih buram"
    )
    newest = upload_to(permohonan, requirement)
    assert versions(permohonan, requirement) == [*handed_in, latest, newest]


def test_a_replaced_version_an_officer_has_looked_at_is_kept(fresh_draft):
    from perizinan import services
    from perizinan.models import AksesDokumen
    from tests.perizinan.factories import desk_for

    requirement = first_requirement(fresh_draft)
    permohonan = services.submit_permohonan(
        fresh_draft, actor=fresh_draft.applicant, declaration_accepted=True
    )
    desk = desk_for(permohonan)
    permohonan = services.transition(permohonan, name="start_verification", actor=desk.fo)
    permohonan = services.transition(
        permohonan, name="return_for_correction", actor=desk.fo, note="Ganti KTP"
    )
    seen = upload_to(permohonan, requirement)
    services.record_document_access(seen, user=desk.fo)
    latest = upload_to(permohonan, requirement)
    assert seen in versions(permohonan, requirement)
    assert latest in versions(permohonan, requirement)
    assert AksesDokumen.objects.filter(dokumen=seen).exists()


def test_a_failed_replacement_deletes_nothing(fresh_draft, monkeypatch):
    """The old version and its file are removed only when the new one is committed."""
    from perizinan.models import Permohonan

    requirement = first_requirement(fresh_draft)
    before = versions(fresh_draft, requirement), stored_names()

    def fail(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Permohonan, "save", fail)
    with pytest.raises(RuntimeError):
        upload_to(fresh_draft, requirement)
    assert (versions(fresh_draft, requirement), stored_names()) == before


@pytest.mark.parametrize(
    "make",
    [
        lambda: corpus.pdf_object_flood(20_000, comments=True),
        lambda: corpus.pdf_with_escaped_names(20_000),
        lambda: corpus.pdf_declaring_by_reference("/Size"),
        lambda: corpus.pdf_declaring_by_reference("/Index"),
    ],
    ids=["comments_in_the_object_stream", "escaped_names", "size_by_reference", "index_by_ref"],
)
def test_the_counting_cannot_be_dodged(ktp, make):
    """Comments between a key and its value, 20,000 escaped names to make the counting slow,
    sizes given by reference: all refused as too complex, unread by pypdf."""
    assert code_of(upload("ktp.pdf", make()), ktp) == "pdf_too_many_objects"


@pytest.mark.parametrize(
    "make",
    [
        corpus.pdf_with_indexed_colours,
        lambda: corpus.pdf_with_escaped_names(50),
        lambda: corpus.pdf_with_pages(40),
    ],
    ids=["indexed_colour_space", "a_few_escaped_names", "forty_pages"],
)
def test_ordinary_pdfs_pass_the_counting(ktp, make):
    assert check_upload(upload("ktp.pdf", make()), ktp).kind == "pdf"


def test_a_black_and_white_scan_stays_one_bit(ktp):
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (200, 100), 1).save(out, format="PNG")
    clean = check_upload(upload("scan.png", out.getvalue(), "image/png"), ktp)
    assert Image.open(io.BytesIO(clean.content)).mode == "1"


def test_uploads_go_on_when_redis_is_down(fresh_draft):
    """The rate is kept in Redis; without it the upload is not refused (every upload is still
    bounded by the content checks)."""
    from django.test import override_settings

    dead = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    requirement = first_requirement(fresh_draft)
    with override_settings(CACHES=dead):
        for _n in range(16):
            latest = upload_to(fresh_draft, requirement)
    assert latest.is_current
