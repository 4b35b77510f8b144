"""Malware scanning of every upload, before it is accepted (issue 16).

Every path that stores an uploaded file (the applicant's documents, also at the counter; the
tim teknis' field report, BAP; a complaint's attachment) calls ``scan_upload`` on the bytes it
is about to store, after ``perizinan.uploads``' content checks:

- infected: the upload is refused with a message naming the requirement (a ``ValidationError``
  the form shows like any other refusal); nothing is stored; ``upload_infected`` is logged;
- clean: stored as ``clean`` with the time of the scan;
- the scanner is unavailable (down, timed out): stored as ``pending``, never lost, but hidden:
  officers can neither see nor download it and the file cannot be registered or passed on
  (``perizinan.workflow.documents_scanned``). The applicant reads "menunggu pemindaian". Beat
  runs ``perizinan.tasks.scanning.rescan_held_uploads`` every minute (``rescan``): clean ->
  visible; infected -> marked, the file deleted, the applicant told to upload another.

The scanner is an adapter chosen by ``UPLOAD_SCANNER`` (a dotted class path):
``ClamdScanner`` (ClamAV's daemon over its UNIX socket or TCP, ``clamd``) in production;
``NoScanner`` in development only (``make run`` has no clamd): files are stored as
``unscanned``, shown with "tidak dipindai", and rescanned once a real scanner is configured.
``config/settings.py`` refuses ``NoScanner`` when ``DEBUG`` is false.
"""

from perizinan.scanning.clamd import ClamdClient, ClamdError, ClamdScanner, parse_reply
from perizinan.scanning.rescan import (
    HeldUploads,
    RescanReport,
    held_uploads,
    register_held_uploads,
    rescan_held_uploads,
)
from perizinan.scanning.scanners import (
    NoScanner,
    Outcome,
    Scanner,
    ScanResult,
    UploadScan,
    get_scanner,
    infected_message,
    scan_upload,
)
from perizinan.scanning.status import (
    BLOCKING_STATUSES,
    SERVABLE_STATUSES,
    TO_RESCAN,
    ScanStatus,
)

__all__ = [
    "BLOCKING_STATUSES",
    "SERVABLE_STATUSES",
    "TO_RESCAN",
    "ClamdClient",
    "ClamdError",
    "ClamdScanner",
    "HeldUploads",
    "NoScanner",
    "Outcome",
    "RescanReport",
    "ScanResult",
    "ScanStatus",
    "Scanner",
    "UploadScan",
    "get_scanner",
    "held_uploads",
    "infected_message",
    "parse_reply",
    "register_held_uploads",
    "rescan_held_uploads",
    "scan_upload",
]
