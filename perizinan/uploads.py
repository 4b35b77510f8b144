"""Checking an uploaded document before it is stored (ASVS 5.2, OWASP File Upload).

The type is read from the content (magic bytes), never from the name or the browser's
Content-Type. The size is checked against the requirement's limit before anything is read.
PDFs must be complete and readable; images are decoded and re-encoded with Pillow, which strips
EXIF (GPS) data and anything hidden after the image. Every refusal names the requirement and
the reason, in Indonesian.
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
#: Pixel floods: refuse images larger than this (a phone photo is 12-50 MP).
MAX_IMAGE_PIXELS = 80_000_000


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


def _check_pdf(content: bytes, requirement: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if b"%%EOF" not in content[-PDF_EOF_WINDOW:]:
        raise _refuse(
            requirement,
            _("berkas PDF tidak lengkap (terpotong saat diunggah atau disimpan). Unggah ulang."),
            "pdf_truncated",
        )
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise _refuse(
                requirement,
                _("berkas PDF dikunci dengan kata sandi. Unggah PDF tanpa kata sandi."),
                "pdf_encrypted",
            )
        page_count = len(reader.pages)
        root = reader.trailer["/Root"]
        names = root.get("/Names") if root is not None else None
        names = names.get_object() if names is not None else {}
        has_active_content = (
            "/JavaScript" in names
            or "/EmbeddedFiles" in names
            or "/AA" in root
            or b"/JavaScript" in content
            or _has_active_objects(reader)
        )
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise _refuse(
            requirement, _("berkas PDF rusak dan tidak dapat dibaca."), "pdf_corrupt"
        ) from exc
    if page_count < 1:
        raise _refuse(requirement, _("berkas PDF tidak berisi halaman."), "pdf_empty")
    if has_active_content:
        raise _refuse(
            requirement,
            _("berkas PDF berisi skrip atau lampiran tersembunyi dan tidak dapat diterima."),
            "pdf_active_content",
        )


#: Actions that run code, open other files or send data (ISO 32000 §12.6.4). Links to web
#: pages (``/URI``) and jumps inside the document (``/GoTo``) are harmless and stay allowed.
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
    }
)
#: Keys that carry scripts, embedded files or rich media wherever they appear.
ACTIVE_PDF_KEYS = frozenset({"/JS", "/JavaScript", "/EF", "/EmbeddedFiles", "/RichMedia", "/XFA"})
#: A PDF with more objects than this is refused rather than walked (a phone scan has dozens).
MAX_PDF_OBJECTS = 100_000


def _has_active_objects(reader) -> bool:
    """Walk every object reachable from the trailer and look for an action that runs code,
    wherever it hides (open action, page or annotation actions, form fields, name trees), as a
    PDF reader sees it: names are compared after their ``#xx`` escapes are decoded, and
    objects inside compressed object streams are read too (a byte search sees neither)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                return True
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            if not ACTIVE_PDF_KEYS.isdisjoint(obj.keys()):
                return True
            if obj.get("/S") in ACTIVE_PDF_ACTIONS:
                return True
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return False


def _reencode_image(content: bytes, kind: str, requirement: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    expected_format = {JPEG: "JPEG", PNG: "PNG"}[kind]
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.format != expected_format:
                raise _refuse(requirement, _("isi gambar tidak sesuai jenisnya."), "image_mismatch")
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _refuse(
                    requirement,
                    _("gambar terlalu besar (%(w)s x %(h)s piksel).") % {"w": width, "h": height},
                    "image_too_many_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == JPEG:
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(out, format="JPEG", quality=88, optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, format="PNG", optimize=True)
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
    ) as exc:
        raise _refuse(
            requirement, _("berkas gambar rusak dan tidak dapat dibaca."), "image_corrupt"
        ) from exc
    return out.getvalue()
