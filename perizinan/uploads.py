"""Checking an uploaded document before it is stored (ASVS 5.2, OWASP File Upload).

The type is read from the content (magic bytes), never from the name or the browser's
Content-Type. The size is checked against the requirement's limit before anything is read.
Every refusal names the requirement and the reason, in Indonesian.

The work a file may cost is bounded before a parser spends it (issue 16, finding 5):

- images: the dimensions in the header are checked before a pixel is decoded (40 MP, 10,000
  pixels a side: an A4 page at 600 dpi is 35 MP); a JPEG may have at most 100 scans. An image
  over 20 MP is stored reduced by a whole factor, a JPEG decoded already reduced
  (``Image.draft``: the full-size pixels are never held), a PNG reduced after decoding; PNGs
  are written with zlib's fastest level (its time does not depend on what the pixels hold);
- PDFs: objects, object-stream members and cross-reference entries are counted in the bytes
  (``#xx`` name escapes decoded, comments skipped) before pypdf reads the file, then again from
  pypdf's cross-reference table; pages are limited; pypdf runs under tighter limits
  (``pypdf.apply_configuration``) and the walk for active content stops at the object limit.

Images are decoded and re-encoded with Pillow, keeping the pixels only (finding 6): no EXIF
(its orientation is applied first), XMP, IPTC, comment (COM), colour profile (converted to sRGB
first when it is another one), PNG text, time or EXIF chunks, nor anything after the image.
PDFs are refused with active content anywhere (scripts, launch, forms sent elsewhere, embedded
files, rich media, 3D, sound, movies, XFA) and with links that are not http, https or mailto.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF, JPEG, PNG = "pdf", "jpg", "png"

MAGIC = (
    (PDF, b"%PDF-"),
    (JPEG, b"\xff\xd8\xff"),
    (PNG, b"\x89PNG\r\n\x1a\n"),
)
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

#: A PDF ends with %%EOF, possibly followed by a little whitespace or garbage.
PDF_EOF_WINDOW = 1024
#: Pixel floods, refused from the header: an A4 page scanned at 600 dpi is 4,961 x 7,016
#: (35 MP), at 300 dpi 8.7 MP; an A3 page at 600 dpi has a side of 9,921 pixels.
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 10_000
#: Larger images are stored reduced by a power of two (A4 at 600 dpi becomes 300 dpi).
KEEP_IMAGE_PIXELS = 20_000_000
#: Each scan of a progressive JPEG is a pass over the whole image; a real one has about ten.
MAX_JPEG_SCANS = 100
#: A PDF with more objects than this is refused unread (a scanned page has a handful, a page
#: of text 10 to 20); with more pages, refused before its page tree is flattened.
MAX_PDF_OBJECTS = 10_000
MAX_PDF_PAGES = 300


@dataclass(frozen=True)
class CleanUpload:
    content: bytes
    kind: str  # pdf, jpg, png
    content_type: str
    size: int
    sha256: str
    original_name: str


def format_size(num_bytes: int) -> str:
    """``3_355_443`` -> ``3,2 MB``; ``512_000`` -> ``500 KB``. Rounded up, so a file one byte
    over the limit never reads as equal to it."""
    if num_bytes >= 1024 * 1024:
        value = math.ceil(num_bytes / (1024 * 1024) * 10) / 10
        text = f"{value:.1f}".replace(".", ",")
        if text.endswith(",0"):
            text = text[:-2]
        return f"{text} MB"
    return f"{max(1, math.ceil(num_bytes / 1024))} KB"


def format_limit(max_size_kb: int) -> str:
    if max_size_kb >= 1024:
        value = max_size_kb / 1024
        text = f"{value:.1f}".replace(".", ",")
        if text.endswith(",0"):
            text = text[:-2]
        return f"{text} MB"
    return f"{max_size_kb} KB"


def accepted_label(accepted: list[str]) -> str:
    return ", ".join(TYPE_LABELS.get(t, t.upper()) for t in accepted)


def sniff(head: bytes) -> str | None:
    for kind, magic in MAGIC:
        if head.startswith(magic):
            return kind
    return None


_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def sanitise_name(name: str, kind: str) -> str:
    """A display name only (the stored name is random): no path, no control or bidi
    characters, at most 100 characters, ending with the detected type's extension."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("_", stem).strip(" ._") or "dokumen"
    return f"{stem[:90]}.{kind}"


def _refuse(requirement: str, reason: str, code: str) -> ValidationError:
    return ValidationError(
        _("%(requirement)s: %(reason)s") % {"requirement": requirement, "reason": reason},
        code=code,
    )


def check_upload(uploaded_file, persyaratan) -> CleanUpload:
    """Validate ``uploaded_file`` (a Django ``UploadedFile``) for ``persyaratan``.

    Returns the bytes to store (re-encoded for images). Raises ``ValidationError`` with a
    message that names the requirement and the reason.
    """
    requirement = persyaratan.name
    accepted = persyaratan.accepted_type_list
    limit = persyaratan.max_size_kb * 1024

    size = uploaded_file.size or 0
    if size == 0:
        raise _refuse(requirement, _("berkas kosong (0 byte)."), "empty")
    if size > limit:
        raise _refuse(
            requirement,
            _("ukuran berkas %(size)s melebihi batas %(limit)s.")
            % {"size": format_size(size), "limit": format_limit(persyaratan.max_size_kb)},
            "too_large",
        )

    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    kind = sniff(head)
    if kind is None:
        raise _refuse(
            requirement,
            _(
                "isi berkas bukan PDF, JPEG atau PNG (nama berkas tidak menentukan jenisnya). "
                "Jenis yang diterima: %(accepted)s."
            )
            % {"accepted": accepted_label(accepted)},
            "unknown_type",
        )
    if kind not in accepted:
        raise _refuse(
            requirement,
            _(
                "berkas %(kind)s tidak diterima untuk persyaratan ini. "
                "Jenis yang diterima: %(accepted)s."
            )
            % {"kind": TYPE_LABELS[kind], "accepted": accepted_label(accepted)},
            "type_not_accepted",
        )

    uploaded_file.seek(0)
    content = uploaded_file.read(limit + 1)
    if len(content) > limit:  # the declared size lied
        raise _refuse(
            requirement,
            _("ukuran berkas melebihi batas %(limit)s.")
            % {"limit": format_limit(persyaratan.max_size_kb)},
            "too_large",
        )

    if kind == PDF:
        _check_pdf(content, requirement)
    else:
        content = _reencode_image(content, kind, requirement)

    return CleanUpload(
        content=content,
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=sanitise_name(getattr(uploaded_file, "name", ""), kind),
    )


@dataclass(frozen=True)
class _Rule:
    """The three things ``check_upload`` reads from a ``Persyaratan``."""

    name: str
    accepted_type_list: list
    max_size_kb: int


def check_attachment(
    uploaded_file, *, label: str, accepted=(PDF, JPEG, PNG), max_size_kb: int = 2048
) -> CleanUpload:
    """``check_upload`` for a file that belongs to no ``Persyaratan`` (e.g. a complaint's
    attachment): the same content checks, with the accepted types and limit given here."""
    rule = _Rule(name=str(label), accepted_type_list=list(accepted), max_size_kb=max_size_kb)
    return check_upload(uploaded_file, rule)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


# --- PDF ---------------------------------------------------------------------------------------

#: PDF white space (ISO 32000 §7.2.3) and comments, which may stand between any two tokens.
#: Possessive (``++``, ``*+``): a run is taken whole and never backtracked into, so that no
#: input makes the counting slower than one pass.
_WS = rb"(?:[\x00\t\n\x0c\r ]++|%[^\r\n]*+[\r\n]?)"
#: A byte that may be part of a name (anything but white space and delimiters).
_NAME_BYTE = rb"[^\x00\t\n\x0c\r /<>\[\]()%{}]"
#: A name with a ``#xx`` escape (one with an invalid escape first cannot spell a key).
_ESCAPED_NAME = re.compile(
    rb"/[^\x00\t\n\x0c\r /<>\[\]()%{}#]*+#[0-9A-Fa-f]{2}" + _NAME_BYTE + rb"*+"
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_DELIMITERS = frozenset(b"\x00\t\n\x0c\r /<>[]()%{}#")
_INT = rb"\+?([0-9]++)"
_OBJECT = re.compile(
    rb"(?<![0-9])[0-9]++" + _WS + rb"++[0-9]++" + _WS + rb"*+obj(?!" + _NAME_BYTE + b")"
)
_OBJECT_COUNT = re.compile(rb"/N" + _WS + rb"++" + _INT)
_SIZE = re.compile(rb"/Size" + _WS + rb"++" + _INT + rb"(" + _WS + rb"++[0-9]++" + _WS + rb"++R)?+")
_INDEX = re.compile(rb"/Index(?!" + _NAME_BYTE + rb")" + _WS + rb"*+(\[[^\]]{0,100000}+\])?+")
#: A cross-reference stream per revision of the file: a real PDF has a handful.
MAX_PDF_XREF_SECTIONS = 1_000


class _Uncountable(Exception):
    """Raised out of a regular-expression callback to stop counting early."""


def _unescape_name(match: re.Match) -> bytes:
    """``/J#61vaScript`` -> ``/JavaScript``; an escape that stands for white space or a
    delimiter stays as it is (decoded, it would end the name)."""

    def byte(escape: re.Match) -> bytes:
        value = int(escape.group(1), 16)
        return escape.group(0) if value in _DELIMITERS else bytes([value])

    return _NAME_ESCAPE.sub(byte, match.group(0))


def _unescape_names(content: bytes) -> bytes:
    """Every ``#xx`` name escape decoded. A real PDF escapes a few font names; more escaped
    names than ``MAX_PDF_OBJECTS`` is an attempt to make the counting slow."""
    count = 0

    def unescape(match: re.Match) -> bytes:
        nonlocal count
        count += 1
        if count > MAX_PDF_OBJECTS:
            raise _Uncountable
        return _unescape_name(match)

    return _ESCAPED_NAME.sub(unescape, content)


def _pdf_declared_objects(content: bytes) -> int:
    """How many objects a PDF reader would parse at most, counted in the bytes, stopping as
    soon as the count passes ``MAX_PDF_OBJECTS``: plain objects (``n g obj``), the members
    declared by object streams (``/N``) and the cross-reference entries (``/Size``, and the
    ``/Index`` ranges of a cross-reference stream, whose entries may take no byte at all).
    Names are read as a PDF reader reads them (``#xx`` escapes decoded), comments are skipped.
    A count or size given by reference (``/Size 7 0 R``) cannot be checked unread and counts
    as over the limit."""
    over = MAX_PDF_OBJECTS + 1
    if b"#" in content:
        try:
            content = _unescape_names(content)
        except _Uncountable:
            return over
    plain = 0
    for _match in _OBJECT.finditer(content):
        plain += 1
        if plain > MAX_PDF_OBJECTS:
            return over
    members = 0
    for seen, match in enumerate(_OBJECT_COUNT.finditer(content)):
        members += int(match.group(1))
        if plain + members > MAX_PDF_OBJECTS or seen > MAX_PDF_OBJECTS:
            return over
    for seen, match in enumerate(_SIZE.finditer(content)):
        if match.group(2) or int(match.group(1)) > MAX_PDF_OBJECTS or seen > MAX_PDF_OBJECTS:
            return over
    entries = 0
    for seen, match in enumerate(_INDEX.finditer(content)):
        if match.group(1) is None or seen > MAX_PDF_XREF_SECTIONS:  # a reference, or a flood
            return over
        numbers = [int(n) for n in re.findall(rb"[0-9]+", match.group(1))]
        entries += sum(numbers[1::2])
        if entries > MAX_PDF_OBJECTS:
            return over
    return plain + members


def _too_many_objects(requirement: str) -> ValidationError:
    return _refuse(
        requirement,
        _(
            "berkas PDF terlalu rumit (lebih dari %(max)s objek). Simpan ulang sebagai PDF "
            "biasa atau pindai ulang dokumennya."
        )
        % {"max": _thousands(MAX_PDF_OBJECTS)},
        "pdf_too_many_objects",
    )


def _too_many_pages(requirement: str, pages: int) -> ValidationError:
    return _refuse(
        requirement,
        _("berkas PDF terlalu banyak halaman (%(pages)s; paling banyak %(max)s).")
        % {"pages": _thousands(pages), "max": _thousands(MAX_PDF_PAGES)},
        "pdf_too_many_pages",
    )


def _pdf_limits():
    """pypdf's own limits, tightened for one document of a licence application (the defaults
    are sized for any PDF: 75 MB per stream, 100,000 array elements, 2,000,000 xref entries)."""
    from pypdf import apply_configuration

    return apply_configuration(
        zlib_maximum_output_length=8_000_000,
        lzw_maximum_output_length=8_000_000,
        run_length_maximum_output_length=8_000_000,
        brotli_maximum_output_length=8_000_000,
        array_maximum_element_count=MAX_PDF_OBJECTS,
        dictionary_maximum_element_count=MAX_PDF_OBJECTS,
        page_tree_maximum_entries=2 * MAX_PDF_PAGES + 100,
        page_tree_maximum_depth=32,
        outline_maximum_entries=MAX_PDF_OBJECTS,
        form_fields_maximum_entries=MAX_PDF_OBJECTS,
        named_destinations_maximum_entries=MAX_PDF_OBJECTS,
    )


def _check_pdf(content: bytes, requirement: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    if b"%%EOF" not in content[-PDF_EOF_WINDOW:]:
        raise _refuse(
            requirement,
            _("berkas PDF tidak lengkap (terpotong saat diunggah atau disimpan). Unggah ulang."),
            "pdf_truncated",
        )
    if _pdf_declared_objects(content) > MAX_PDF_OBJECTS:
        raise _too_many_objects(requirement)
    try:
        with _pdf_limits():
            reader = PdfReader(io.BytesIO(content), strict=False)
            if reader.is_encrypted:
                raise _refuse(
                    requirement,
                    _("berkas PDF dikunci dengan kata sandi. Unggah PDF tanpa kata sandi."),
                    "pdf_encrypted",
                )
            entries = sum(len(table) for table in reader.xref.values())
            if entries + len(reader.xref_objStm) > MAX_PDF_OBJECTS:
                raise _too_many_objects(requirement)
            root = reader.root_object
            pages = root["/Pages"].get_object()
            declared_pages = pages.get("/Count") if isinstance(pages, dict) else None
            if isinstance(declared_pages, int) and declared_pages > MAX_PDF_PAGES:
                raise _too_many_pages(requirement, declared_pages)
            page_count = len(reader.pages)
            if page_count > MAX_PDF_PAGES:
                raise _too_many_pages(requirement, page_count)
            if b"/JavaScript" in content or "/AA" in root:  # actions run on opening, closing..
                found: str | None = "pdf_active_content"
            else:
                found = _pdf_refusal(reader)
    except ValidationError:
        raise
    except LimitReachedError as exc:
        raise _too_many_objects(requirement) from exc
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
    ) as exc:
        raise _refuse(
            requirement, _("berkas PDF rusak dan tidak dapat dibaca."), "pdf_corrupt"
        ) from exc
    if page_count < 1:
        raise _refuse(requirement, _("berkas PDF tidak berisi halaman."), "pdf_empty")
    if found == "pdf_too_many_objects":
        raise _too_many_objects(requirement)
    if found == "pdf_active_content":
        raise _refuse(
            requirement,
            _("berkas PDF berisi skrip atau lampiran tersembunyi dan tidak dapat diterima."),
            "pdf_active_content",
        )
    if found == "pdf_unsafe_link":
        raise _refuse(
            requirement,
            _(
                "berkas PDF berisi tautan yang bukan alamat web atau e-mail. Hanya tautan "
                "http, https dan mailto yang diterima."
            ),
            "pdf_unsafe_link",
        )


#: Actions that run code, open other files or send data, or play media (ISO 32000 §12.6.4).
#: Links to web pages (``/URI``, checked for their scheme) and jumps inside the document
#: (``/GoTo``, ``/Named``) are harmless and stay allowed.
ACTIVE_PDF_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/RichMediaExecute",
        "/Sound",
        "/Movie",
        "/GoTo3DView",
    }
)
#: Keys that carry scripts, embedded files, rich media or 3D wherever they appear.
ACTIVE_PDF_KEYS = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/EF",
        "/EmbeddedFiles",
        "/RichMedia",
        "/RichMediaContent",
        "/RichMediaSettings",
        "/XFA",
        "/3DD",
    }
)
#: Annotations that play media, show 3D or carry a file (ISO 32000 §12.5.6).
ACTIVE_PDF_SUBTYPES = frozenset(
    {"/RichMedia", "/3D", "/Sound", "/Movie", "/Screen", "/FileAttachment"}
)
#: The schemes a link may lead to.
WEB_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: What a URL parser drops: tabs and line breaks anywhere, C0 controls and spaces around it.
_URL_DROPPED = str.maketrans("", "", "\t\n\r")
_URL_STRIPPED = "".join(chr(c) for c in range(0x21))


def _link_text(value) -> str | None:
    """A ``/URI`` value as a browser reads it: tabs and line breaks dropped, controls and
    spaces around it stripped (``" JavaScript:"`` and ``"java<TAB>script:"`` are
    ``javascript:``). None when it is not a string."""
    from pypdf.generic import ByteStringObject, TextStringObject

    if isinstance(value, ByteStringObject):
        text = bytes(value).decode("latin-1")
    elif isinstance(value, TextStringObject | str):
        text = str(value)
    else:
        return None
    return text.translate(_URL_DROPPED).strip(_URL_STRIPPED)


def is_web_link(value) -> bool:
    """A ``/URI`` is an absolute http, https or mailto address."""
    text = _link_text(value)
    if text is None:
        return False
    scheme, colon, _rest = text.partition(":")
    return bool(colon) and scheme.lower() in WEB_LINK_SCHEMES


def _pdf_refusal(reader) -> str | None:
    """Walk every object reachable from the trailer, as a PDF reader sees it (names compared
    after their ``#xx`` escapes are decoded, objects inside compressed object streams read,
    values given by reference followed), and return why the file is refused: an action that
    runs code or plays media wherever it hides (open action, page, annotation or form-field
    actions, name trees), an embedded file, rich media or 3D annotation, XFA, a link that is
    not http(s) or mailto; or more objects than ``MAX_PDF_OBJECTS``. None when clean."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    unsafe_link = False

    def resolved(value):  # a value given by reference (``/S 9 0 R``); walked later too
        return value.get_object() if isinstance(value, IndirectObject) else value

    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if len(seen) > MAX_PDF_OBJECTS:
            return "pdf_too_many_objects"
        if isinstance(obj, DictionaryObject):
            if not ACTIVE_PDF_KEYS.isdisjoint(obj.keys()):
                return "pdf_active_content"
            action = resolved(obj.get("/S"))
            if action in ACTIVE_PDF_ACTIONS:
                return "pdf_active_content"
            if resolved(obj.get("/Subtype")) in ACTIVE_PDF_SUBTYPES:
                return "pdf_active_content"
            if action == "/URI":
                uri = resolved(obj.get("/URI"))
                if not is_web_link(uri):
                    # a javascript: (or vbscript:) link is a script, not only a bad link
                    text = (_link_text(uri) or "").lower()
                    if text.startswith(("javascript:", "vbscript:")):
                        return "pdf_active_content"
                    unsafe_link = True
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return "pdf_unsafe_link" if unsafe_link else None


# --- Images ------------------------------------------------------------------------------------


def _too_many_pixels(requirement: str, width: int, height: int) -> ValidationError:
    return _refuse(
        requirement,
        _(
            "gambar terlalu besar (%(w)s x %(h)s piksel). Batasnya %(mp)s megapiksel dan "
            "%(side)s piksel per sisi: kecilkan resolusinya atau pindai ulang dengan 300 dpi."
        )
        % {
            "w": width,
            "h": height,
            "mp": MAX_IMAGE_PIXELS // 1_000_000,
            "side": _thousands(MAX_IMAGE_SIDE),
        },
        "image_too_many_pixels",
    )


def _reduction(width: int, height: int) -> int:
    """The power of two an image is divided by to be kept (1: kept as it is)."""
    factor = 1
    while math.ceil(width / factor) * math.ceil(height / factor) > KEEP_IMAGE_PIXELS:
        factor *= 2
    return factor


def _in_srgb(image):
    """The image with its colour profile applied (converted to sRGB), so that dropping the
    profile changes nothing a viewer shows. An sRGB profile, a mode lcms does not convert or a
    profile it cannot read leave the pixels as they are."""
    from PIL import ImageCms

    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode != "CMYK" and "srgb" in ImageCms.getProfileDescription(source).lower():
            return image
        target = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, target, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _reencode_image(content: bytes, kind: str, requirement: str) -> bytes:
    import struct

    from PIL import Image, ImageOps, UnidentifiedImageError

    expected_format = {JPEG: "JPEG", PNG: "PNG"}[kind]
    if kind == JPEG and content.count(b"\xff\xda") > MAX_JPEG_SCANS:
        # Outside the entropy-coded data every 0xFF is escaped: each FFDA is a scan header.
        raise _refuse(
            requirement,
            _(
                "gambar JPEG berisi terlalu banyak lapisan (lebih dari %(max)s pindaian). "
                "Simpan ulang gambarnya sebagai JPEG biasa."
            )
            % {"max": MAX_JPEG_SCANS},
            "image_too_many_scans",
        )
    try:
        with Image.open(io.BytesIO(content), formats=[expected_format]) as probe:
            if probe.format != expected_format:
                raise _refuse(requirement, _("isi gambar tidak sesuai jenisnya."), "image_mismatch")
            width, height = probe.size  # from the header: nothing decoded yet
            if (
                width * height > MAX_IMAGE_PIXELS
                or width > MAX_IMAGE_SIDE
                or height > MAX_IMAGE_SIDE
            ):
                raise _too_many_pixels(requirement, width, height)
            probe.verify()
        factor = _reduction(width, height)
        with Image.open(io.BytesIO(content), formats=[expected_format]) as opened:
            if factor > 1 and kind == JPEG:
                # The decoder scales by 1/2, 1/4 or 1/8 while it decodes.
                opened.draft(opened.mode, (width // factor, height // factor))
            opened.load()
            image: Image.Image = opened
            if factor > 1 and image.width * image.height > KEEP_IMAGE_PIXELS:
                image = image.reduce(factor)
            ImageOps.exif_transpose(image, in_place=True)
            image = _in_srgb(image)
            out = io.BytesIO()
            if kind == JPEG:
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.info = {}  # no comment, EXIF, XMP, ICC: Pillow writes some back
                image.save(out, format="JPEG", quality=88, optimize=True)
            else:
                if image.mode not in ("1", "RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                transparency = image.info.get("transparency")
                image.info = {}  # no text, EXIF, ICC, time chunks
                params = {}
                if transparency is not None and image.mode in ("1", "P", "L", "RGB"):
                    params["transparency"] = transparency  # part of the picture
                # zlib's fastest level: linear in the pixels whatever they hold (optimize=True
                # took 9 s for an A4 scan with some noise, 49 s for crafted pixels).
                image.save(out, format="PNG", compress_level=1, **params)
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:  # declares far more pixels than any photo
        raise _refuse(
            requirement,
            _("gambar terlalu besar (jumlah piksel melebihi batas)."),
            "image_too_many_pixels",
        ) from exc
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        IndexError,
        KeyError,
        TypeError,
        struct.error,
    ) as exc:
        raise _refuse(
            requirement, _("berkas gambar rusak dan tidak dapat dibaca."), "image_corrupt"
        ) from exc
    return out.getvalue()
