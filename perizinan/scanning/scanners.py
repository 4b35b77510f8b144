"""The scanner interface, the development stand-in, the choice by setting and the one call
every upload path makes before it stores a file (``scan_upload``)."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from config.logs import log_event
from perizinan.scanning.status import ScanStatus

logger = logging.getLogger("perizinan.scanning")

DEFAULT_SCANNER = "perizinan.scanning.ClamdScanner"
NO_SCANNER = "perizinan.scanning.NoScanner"


class Outcome(enum.StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"
    #: The scanner could not give a verdict (down, timed out, refused the content).
    UNAVAILABLE = "unavailable"
    #: No scanner is configured (development only).
    SKIPPED = "skipped"


@dataclass(frozen=True)
class ScanResult:
    outcome: Outcome
    #: The scanner's name of what it found (``Win.Test.EICAR_HDB-1``); infected only.
    signature: str = ""
    #: Why there is no verdict; unavailable only. Never personal data.
    detail: str = ""
    #: Unavailable because the scanner did not answer in time (it is there but stuck).
    timed_out: bool = False

    @classmethod
    def clean(cls) -> ScanResult:
        return cls(Outcome.CLEAN)

    @classmethod
    def infected(cls, signature: str) -> ScanResult:
        return cls(Outcome.INFECTED, signature=signature[:200])

    @classmethod
    def unavailable(cls, detail: str, *, timed_out: bool = False) -> ScanResult:
        return cls(Outcome.UNAVAILABLE, detail=detail[:300], timed_out=timed_out)

    @classmethod
    def skipped(cls) -> ScanResult:
        return cls(Outcome.SKIPPED)

    @property
    def has_verdict(self) -> bool:
        return self.outcome in (Outcome.CLEAN, Outcome.INFECTED)


@runtime_checkable
class Scanner(Protocol):
    """An adapter to one malware scanner. ``scan`` never raises for the scanner's own
    failures: it answers ``Outcome.UNAVAILABLE`` and the upload is held."""

    name: str

    def scan(self, content: bytes) -> ScanResult: ...


class NoScanner:
    """Development only (``make run`` has no clamd): stores files as "not scanned" and says so
    on the pages that list them. ``config/settings.py`` refuses it when ``DEBUG`` is false,
    and so does ``get_scanner``."""

    name = "none"

    def scan(self, content: bytes) -> ScanResult:
        return ScanResult.skipped()


def get_scanner() -> Scanner:
    """The scanner named by ``settings.UPLOAD_SCANNER`` (a dotted class path), instantiated."""
    path = getattr(settings, "UPLOAD_SCANNER", DEFAULT_SCANNER) or DEFAULT_SCANNER
    try:
        scanner_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"UPLOAD_SCANNER: cannot import {path!r} ({error}). Set it to the dotted path of a "
            f"scanner class, e.g. {DEFAULT_SCANNER!r}."
        ) from error
    if scanner_class is NoScanner and not settings.DEBUG:
        raise ImproperlyConfigured(
            "UPLOAD_SCANNER: NoScanner stores uploads without a malware scan and is for "
            f"development only (DEBUG=true). Use {DEFAULT_SCANNER!r} with clamav-daemon."
        )
    scanner = scanner_class()
    if not isinstance(scanner, Scanner):
        raise ImproperlyConfigured(f"UPLOAD_SCANNER: {path!r} has no scan(content) method.")
    return scanner


@dataclass(frozen=True)
class UploadScan:
    """What the upload path stores beside the file."""

    status: str
    scanned_at: dt.datetime | None

    def fields(self, prefix: str = "") -> dict[str, Any]:
        """The model fields (``scan_status``, ``scanned_at``; with a prefix for models that
        keep several kinds of file, e.g. ``attachment_``)."""
        return {f"{prefix}scan_status": self.status, f"{prefix}scanned_at": self.scanned_at}


def infected_message(requirement: str) -> str:
    return _(
        "%(requirement)s: berkas ini mengandung virus atau program berbahaya dan tidak "
        "disimpan. Periksa perangkat Anda dengan antivirus, lalu unggah berkas lain."
    ) % {"requirement": requirement}


#: A scanner that timed out, by name: until this ``time.monotonic()`` uploads are held at once
#: instead of each waiting ``CLAMD_TIMEOUT`` again (a stuck clamd must not tie up every web
#: worker). The rescan task does not look at it.
_stuck_until: dict[str, float] = {}


def _scan_without_waiting_on_a_stuck_scanner(scanner: Scanner, content: bytes) -> ScanResult:
    now = time.monotonic()
    if _stuck_until.get(scanner.name, 0.0) > now:
        return ScanResult.unavailable("the scanner timed out a moment ago; held without waiting")
    result = scanner.scan(content)
    if result.timed_out:
        backoff = float(getattr(settings, "UPLOAD_SCAN_BACKOFF_SECONDS", 60))
        _stuck_until[scanner.name] = time.monotonic() + backoff
    elif result.has_verdict:
        _stuck_until.pop(scanner.name, None)
    return result


def scan_upload(content: bytes, *, requirement: str, what: str, **log_fields: Any) -> UploadScan:
    """Scan the bytes about to be stored (after ``perizinan.uploads``' checks, so re-encoded
    images are scanned as they will be kept).

    Infected: raises ``ValidationError`` (code ``infected``) naming the requirement; nothing is
    stored. Scanner unavailable: the file is to be stored as ``pending``, hidden from officers
    until the rescan task (``perizinan.tasks.scanning``) gives a verdict. ``what`` and
    ``log_fields`` name the upload in the log (ids only, never a name or an NIK). After a
    timeout, uploads are held at once for ``UPLOAD_SCAN_BACKOFF_SECONDS``.
    """
    result = _scan_without_waiting_on_a_stuck_scanner(get_scanner(), content)
    if result.outcome == Outcome.INFECTED:
        log_event(
            logger,
            "upload_infected",
            level=logging.WARNING,
            what=what,
            signature=result.signature,
            size=len(content),
            **log_fields,
        )
        raise ValidationError(infected_message(requirement), code="infected")
    if result.outcome == Outcome.UNAVAILABLE:
        log_event(
            logger,
            "upload_held_for_scan",
            level=logging.WARNING,
            what=what,
            reason=result.detail,
            size=len(content),
            **log_fields,
        )
        return UploadScan(ScanStatus.PENDING, None)
    if result.outcome == Outcome.SKIPPED:
        return UploadScan(ScanStatus.UNSCANNED, None)
    return UploadScan(ScanStatus.CLEAN, timezone.now())
