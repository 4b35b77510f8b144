"""Upload fuzz (QUALITY.md §1, ASVS v5.0.0 V5): the hostile corpus of
``tests/security/fixtures/fuzz_corpus.py`` through the real upload path, the citizen's documents
step (``/permohonan/<id>/langkah/3/`` -> ``services.upload_document`` -> ``uploads.check_upload``).

Every file is refused (400, a message naming the requirement and the reason, nothing stored) or
neutralised (images re-encoded: no appended HTML, no metadata segment or chunk of any kind);
nothing is stored as given: stored names are random, original names are sanitised for display.
Downloads are attachments with ``nosniff`` and a sandboxing Content-Security-Policy.

Issue 16 added the files that cost far more than their size (the 8,900 x 8,900 PNG, the PDF of
150,000 objects and their variants), JPEGs and PNGs carrying every kind of metadata, PDFs with
``javascript:`` or non-web links and rich media, 3D, sound or movie annotations, and the
upload rate per user.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from perizinan.models import Dokumen
from perizinan.uploads import check_upload
from tests.factories import PersyaratanFactory, UserFactory
from tests.perizinan.factories import complete_draft, make_service
from tests.security.fixtures import fuzz_corpus as corpus
from tests.security.matrix import MATRIX, row

pytestmark = pytest.mark.django_db

LIMIT_KB = 2048  # the requirements of make_service()
STORED_NAME = re.compile(r"^dokumen/\d{4}/[0-9a-f]{32}\.(pdf|png|jpg)$")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def draft():
    return complete_draft(UserFactory(email="warga.a@contoh.test"), make_service())


@pytest.fixture
def owner(draft):
    client = Client()
    client.force_login(draft.applicant)
    return client


def requirement_of(draft):
    return draft.jenis_izin.persyaratan.order_by("order").first()


def post_file(client, draft, name: str, content: bytes, content_type: str = "application/pdf"):
    url = reverse("perizinan:permohonan_step", kwargs={"public_id": draft.public_id, "step": 3})
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(url, {"persyaratan": requirement_of(draft).pk, "file": upload})


def stored_files() -> set[str]:
    root = Path(storages["private"].location)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def stored_bytes(dokumen: Dokumen) -> bytes:
    with dokumen.open() as handle:
        return handle.read()


# --- Refused -----------------------------------------------------------------------------------

REFUSED = {
    "svg_with_script_named_png": ("foto.png", corpus.SVG_WITH_SCRIPT, "image/png", "bukan PDF"),
    "svg_with_script_named_pdf": ("ktp.pdf", corpus.SVG_WITH_SCRIPT, "application/pdf", "bukan"),
    "eicar_named_pdf": ("ktp.pdf", corpus.eicar(), "application/pdf", "bukan PDF"),
    "empty_file": ("ktp.pdf", b"", "application/pdf", "berkas kosong"),
    "one_byte_over_the_limit": (
        "ktp.pdf",
        corpus.pdf_of_size(LIMIT_KB * 1024 + 1),
        "application/pdf",
        "melebihi batas 2 MB",
    ),
    "pixel_flood_png_20000x20000": (
        "foto.png",
        corpus.png_declaring(20_000, 20_000),
        "image/png",
        "gambar terlalu besar",
    ),
    "pixel_flood_png_10000x9000": (
        "foto.png",
        corpus.png_declaring(10_000, 9_000),
        "image/png",
        "gambar terlalu besar",
    ),
    "pixel_flood_jpeg_65000x65000": (
        "foto.jpg",
        corpus.jpeg_declaring(65_000, 65_000),
        "image/jpeg",
        "gambar terlalu besar",
    ),
    "pdf_javascript_by_pypdf": (
        "ktp.pdf",
        corpus.pdf_open_action_javascript_by_pypdf(),
        "application/pdf",
        "skrip",
    ),
    # Issue 16, finding 5: files that cost far more than their size.
    "pixel_flood_png_8900x8900_complete": (
        "foto.png",
        corpus.png_pixel_flood(8_900, 8_900),
        "image/png",
        "gambar terlalu besar (8900 x 8900 piksel)",
    ),
    "pixel_flood_png_one_side_12000": (
        "foto.png",
        corpus.png_declaring(12_000, 400),
        "image/png",
        "gambar terlalu besar",
    ),
    "jpeg_with_500_scans": (
        "foto.jpg",
        corpus.jpeg_with_scans(500),
        "image/jpeg",
        "terlalu banyak lapisan",
    ),
    "pdf_object_flood_150000_in_an_object_stream": (
        "ktp.pdf",
        corpus.pdf_object_flood(150_000),
        "application/pdf",
        "terlalu rumit",
    ),
    "pdf_object_flood_escaped_names": (
        "ktp.pdf",
        corpus.pdf_object_flood(20_000, escaped_names=True),
        "application/pdf",
        "terlalu rumit",
    ),
    "pdf_object_flood_plain": (
        "ktp.pdf",
        corpus.pdf_plain_object_flood(20_000),
        "application/pdf",
        "terlalu rumit",
    ),
    "pdf_xref_stream_declaring_1900000_entries": (
        "ktp.pdf",
        corpus.pdf_xref_stream_declaring(1_900_000),
        "application/pdf",
        "terlalu rumit",
    ),
    "pdf_with_301_pages": (
        "ktp.pdf",
        corpus.pdf_with_pages(301),
        "application/pdf",
        "terlalu banyak halaman",
    ),
    **{
        f"pdf_link_{name}": (
            "ktp.pdf",
            corpus.pdf_with_link(uri),
            "application/pdf",
            "tautan yang bukan alamat web",
        )
        for name, uri in corpus.NON_WEB_LINKS.items()
    },
    **{
        f"pdf_{name}": ("ktp.pdf", make(), "application/pdf", "skrip")
        for name, make in corpus.HOSTILE_PDFS.items()
    },
}


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_hostile_upload_is_refused_with_a_clear_message_and_nothing_is_stored(case, draft, owner):
    name, content, content_type, reason = REFUSED[case]
    documents = list(Dokumen.objects.values_list("pk", "is_current").order_by("pk"))
    files = stored_files()
    response = post_file(owner, draft, name, content, content_type)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{requirement_of(draft).name}: " in page
    assert reason in page
    assert list(Dokumen.objects.values_list("pk", "is_current").order_by("pk")) == documents
    assert stored_files() == files


def test_a_file_exactly_at_the_limit_is_accepted(draft, owner):
    """The other side of "one byte over": the limit itself is allowed."""
    response = post_file(owner, draft, "ktp.pdf", corpus.pdf_of_size(LIMIT_KB * 1024))
    assert response.status_code == 302
    assert Dokumen.objects.get(is_current=True, persyaratan=requirement_of(draft)).size == (
        LIMIT_KB * 1024
    )


def test_a_clean_hand_written_pdf_with_a_web_link_is_accepted(draft, owner):
    """The control of the PDF cases: only active content is refused, not links or structure."""
    assert post_file(owner, draft, "ktp.pdf", corpus.clean_pdf()).status_code == 302


# --- Neutralised -------------------------------------------------------------------------------


def current(draft) -> Dokumen:
    return Dokumen.objects.get(permohonan=draft, persyaratan=requirement_of(draft), is_current=True)


def test_polyglot_png_html_is_stored_re_encoded_without_the_html(draft, owner):
    from PIL import Image

    upload = corpus.polyglot_png_html()
    assert corpus.HTML_PAYLOAD in upload
    response = post_file(owner, draft, "foto.png", upload, "image/png")
    assert response.status_code == 302
    dokumen = current(draft)
    content = stored_bytes(dokumen)
    assert content != upload
    assert b"<script" not in content
    assert b"<html" not in content
    assert Image.open(io.BytesIO(content)).format == "PNG"
    assert dokumen.content_type == "image/png"


def test_photo_is_stored_re_encoded_without_exif(draft, owner):
    from PIL import Image

    upload = corpus.jpeg_with_exif_gps()
    assert Image.open(io.BytesIO(upload)).getexif()
    assert post_file(owner, draft, "foto.jpg", upload, "image/jpeg").status_code == 302
    content = stored_bytes(current(draft))
    stored = Image.open(io.BytesIO(content))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert b"Exif" not in content
    assert b"KameraUji" not in content


#: What a cleaned JPEG may hold before its image data (JFIF, tables, frame, restart interval,
#: scan) and what a cleaned PNG may hold (header, palette, transparency, pixels, end).
JPEG_IMAGE_MARKERS = {0xE0, 0xDB, 0xC4, 0xC0, 0xC1, 0xC2, 0xDD, 0xDA}
PNG_IMAGE_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}

NEUTRALISED_IMAGES = {
    "jpeg_with_comment": ("foto.jpg", corpus.jpeg_with_comment, "image/jpeg"),
    "jpeg_with_xmp": ("foto.jpg", corpus.jpeg_with_xmp, "image/jpeg"),
    "jpeg_with_icc_profile": ("foto.jpg", corpus.jpeg_with_icc, "image/jpeg"),
    "jpeg_with_photoshop_iptc": ("foto.jpg", corpus.jpeg_with_photoshop_iptc, "image/jpeg"),
    "jpeg_with_every_kind": ("foto.jpg", corpus.jpeg_with_every_kind_of_metadata, "image/jpeg"),
    "png_with_text_chunks": ("foto.png", corpus.png_with_text_chunks, "image/png"),
}


@pytest.mark.parametrize("case", sorted(NEUTRALISED_IMAGES))
def test_an_image_is_stored_without_any_metadata(case, draft, owner):
    """Issue 16, finding 6: the stored bytes, parsed: no COM (0xFFFE), no APPn but JFIF (no
    EXIF, XMP, ICC, IPTC), no PNG text, EXIF, colour profile or time chunk; no NIK, no script."""
    name, make, content_type = NEUTRALISED_IMAGES[case]
    response = post_file(owner, draft, name, make(), content_type)
    assert response.status_code == 302
    content = stored_bytes(current(draft))
    if content_type == "image/jpeg":
        markers = {marker for marker, _payload in corpus.jpeg_segments(content)}
        assert markers <= JPEG_IMAGE_MARKERS, sorted(hex(m) for m in markers)
    else:
        assert set(corpus.png_chunk_types(content)) <= PNG_IMAGE_CHUNKS
    assert corpus.SECRET_NIK.encode() not in content
    assert b"<script" not in content


@pytest.mark.parametrize("name", sorted(corpus.WEB_LINKS))
def test_a_pdf_with_a_web_or_mail_link_is_accepted(name, draft, owner):
    content = corpus.pdf_with_link(corpus.WEB_LINKS[name])
    assert post_file(owner, draft, "ktp.pdf", content).status_code == 302


def test_too_many_uploads_are_refused_on_the_page_and_nothing_is_lost(draft, owner):
    """Issue 16, finding 5: 15 uploads a minute per user; the 16th is a form error on the
    documents step (the page and the documents already stored stay), not a 500."""
    from django.core.cache import cache

    cache.clear()  # forget the uploads complete_draft made
    for _n in range(15):
        assert post_file(owner, draft, "ktp.pdf", corpus.clean_pdf()).status_code == 302
    kept = current(draft)
    files = stored_files()
    response = post_file(owner, draft, "ktp.pdf", corpus.clean_pdf())
    assert response.status_code == 400
    page = response.content.decode()
    assert "Terlalu banyak unggahan dalam waktu singkat" in page
    for requirement in draft.jenis_izin.persyaratan.all():
        assert requirement.name in page
    assert current(draft) == kept
    assert stored_files() == files


def test_the_content_decides_the_type_not_the_name(draft, owner):
    """A PNG named .pdf is stored, served and named as the PNG it is."""
    assert post_file(owner, draft, "ktp.pdf", corpus.png(), "application/pdf").status_code == 302
    dokumen = current(draft)
    assert dokumen.content_type == "image/png"
    assert dokumen.original_name == "ktp.png"
    assert dokumen.stored_name.endswith(".png")


# --- Names -------------------------------------------------------------------------------------


def assert_safe_display_name(name: str) -> None:
    assert name.endswith(".pdf")
    assert len(name) <= 100
    assert "/" not in name and "\\" not in name
    assert not name.startswith(".")
    assert not any(unicodedata.category(ch).startswith("C") for ch in name), repr(name)
    assert not set(name) & set("\"'<>;\r\n\x00")


@pytest.mark.parametrize("name", corpus.PATH_TRICK_NAMES, ids=range(len(corpus.PATH_TRICK_NAMES)))
def test_path_tricks_in_the_name_never_reach_the_disk_or_the_page(name, draft, owner):
    response = post_file(owner, draft, name, corpus.clean_pdf())
    assert response.status_code == 302
    dokumen = current(draft)
    assert STORED_NAME.match(dokumen.stored_name), dokumen.stored_name
    root = Path(storages["private"].location).resolve()
    assert (root / dokumen.stored_name).resolve().is_relative_to(root)
    assert_safe_display_name(dokumen.original_name)


@pytest.mark.parametrize("name", corpus.PATH_TRICK_NAMES, ids=range(len(corpus.PATH_TRICK_NAMES)))
def test_check_upload_sanitises_the_name_itself(name):
    """Defence in depth: Django's multipart parser already drops directories and NUL; the
    upload check must not rely on it (other callers hand it names straight)."""
    requirement = PersyaratanFactory(name="KTP", accepted_types="pdf", max_size_kb=LIMIT_KB)
    clean = check_upload(SimpleUploadedFile(name, corpus.clean_pdf()), requirement)
    assert_safe_display_name(clean.original_name)


def test_eicar_is_refused_by_check_upload_whatever_it_is_called():
    requirement = PersyaratanFactory(name="KTP", accepted_types="pdf,jpg,png", max_size_kb=64)
    for name in ("ktp.pdf", "foto.jpg", "foto.png", "eicar.com"):
        with pytest.raises(ValidationError) as info:
            check_upload(SimpleUploadedFile(name, corpus.eicar()), requirement)
        assert info.value.code == "unknown_type"


# --- Downloads ---------------------------------------------------------------------------------


def test_every_download_is_an_attachment_with_nosniff_and_a_sandbox():
    """Every URL the matrix marks ``download``, as the first role it serves."""
    from tests.security.world import build_world

    world = build_world()
    wrong = []
    for name, entry in MATRIX.items():
        if not entry.get("download"):
            continue
        role = next(r for r, status in row(entry).items() if status == 200)
        response = world.client(role).get(world.url(name, entry))
        assert response.status_code == 200, name
        disposition = response.get("Content-Disposition", "")
        csp = response.get("Content-Security-Policy", "")
        if not disposition.startswith("attachment"):
            wrong.append(f"{name}: Content-Disposition {disposition!r}")
        if response.get("X-Content-Type-Options") != "nosniff":
            wrong.append(f"{name}: no nosniff")
        if "sandbox" not in csp or "default-src 'none'" not in csp:
            wrong.append(f"{name}: Content-Security-Policy {csp!r}")
    assert not wrong, "\n".join(wrong)


def test_a_downloaded_document_carries_its_sanitised_name_only(draft, owner):
    post_file(owner, draft, 'a"b\r\nSet-Cookie: x=1;.pdf', corpus.clean_pdf())
    dokumen = current(draft)
    response = owner.get(
        reverse("perizinan:dokumen_download", kwargs={"public_id": dokumen.public_id})
    )
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert dokumen.original_name in disposition


def test_the_officer_s_inline_view_of_a_document_runs_nothing():
    """``?inline=1`` (the document beside the file page) cannot be sandboxed (Chromium's PDF
    viewer refuses to run in a sandbox, see perizinan/views/petugas/documents.py); its policy lets
    nothing load or run, and only this site may frame it."""
    from tests.security.world import build_world

    world = build_world()
    url = world.url("petugas:document", MATRIX["petugas:document"]) + "?inline=1"
    response = world.client("front_office").get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp
    assert "frame-ancestors 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
