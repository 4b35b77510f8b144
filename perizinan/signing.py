"""One interface for signing issued permits, so a certified provider can be plugged in later.

Today the only signer is :class:`InternalSigner`: it records who signed and when in the PDF's
metadata and returns the SHA-256 of the bytes. It is **not** a certified electronic signature
(tanda tangan elektronik tersertifikasi, BSrE); the permit says so in print. A BSrE TTE signer
is a class with the same ``sign`` method, selected with the ``PERMIT_SIGNER`` setting
(dotted path, default ``"perizinan.signing.InternalSigner"``), instantiated without arguments.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

__all__ = ["DEFAULT_SIGNER", "InternalSigner", "SignedDocument", "Signer", "get_signer"]

DEFAULT_SIGNER = "perizinan.signing.InternalSigner"


@dataclass(frozen=True)
class SignedDocument:
    content: bytes  # the signed PDF
    sha256: str  # hex digest of ``content``
    certified: bool  # True only for a certified electronic signature (BSrE)
    provider: str  # e.g. "internal", "bsre"
    signed_at: datetime  # aware


@runtime_checkable
class Signer(Protocol):
    #: e.g. "internal", "bsre"; shown on the permit page and stored with the permit.
    provider: str
    #: True only for a certified electronic signature (BSrE); the pages say when it is not.
    certified: bool

    def sign(self, pdf: bytes, *, signer_name: str, reason: str) -> SignedDocument: ...


class InternalSigner:
    """Not certified: writes signer, reason and time into the PDF metadata and hashes the bytes."""

    provider = "internal"
    certified = False

    def sign(self, pdf: bytes, *, signer_name: str, reason: str) -> SignedDocument:
        signed_at = timezone.now()
        try:
            writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        except PdfReadError as error:
            raise ValueError(
                f"Cannot sign: the content is not a readable PDF ({error})."
            ) from error
        writer.add_metadata(
            {
                "/Author": signer_name,
                "/Subject": reason,
                "/SignedBy": signer_name,
                "/SignedAt": signed_at.isoformat(),
                "/SignatureProvider": self.provider,
                "/SignatureCertified": "false",
            }
        )
        buffer = io.BytesIO()
        writer.write(buffer)
        content = buffer.getvalue()
        return SignedDocument(
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            certified=self.certified,
            provider=self.provider,
            signed_at=signed_at,
        )


def get_signer() -> Signer:
    """The signer named by ``settings.PERMIT_SIGNER`` (a dotted class path), instantiated."""
    path = getattr(settings, "PERMIT_SIGNER", DEFAULT_SIGNER)
    if not isinstance(path, str) or not path:
        raise ImproperlyConfigured(
            f"PERMIT_SIGNER must be the dotted path of a signer class, e.g. {DEFAULT_SIGNER!r}; "
            f"got {path!r}."
        )
    try:
        signer_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"PERMIT_SIGNER: cannot import {path!r} ({error}). Set it to the dotted path of a "
            f"signer class, e.g. {DEFAULT_SIGNER!r}."
        ) from error
    signer = signer_class()
    if not isinstance(signer, Signer):
        raise ImproperlyConfigured(
            f"PERMIT_SIGNER: {path!r} has no sign(pdf, *, signer_name, reason) method."
        )
    return signer
