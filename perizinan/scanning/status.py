"""The scan state of a stored upload, shared by every model that keeps uploaded files (the
applicant's documents, the BAP, complaint attachments). Imports no model."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanStatus(models.TextChoices):
    #: Stored while the scanner could not be reached: hidden from officers until scanned.
    PENDING = "pending", _("Menunggu pemindaian")
    CLEAN = "clean", _("Bersih")
    #: Found by the scanner after it was stored (held, then rescanned): the file is deleted.
    INFECTED = "infected", _("Terdeteksi virus")
    #: Stored without a scan: before scanning existed, or in development (``NoScanner``).
    UNSCANNED = "unscanned", _("Tidak dipindai")


#: The file may be shown and downloaded.
SERVABLE_STATUSES = frozenset({ScanStatus.CLEAN, ScanStatus.UNSCANNED})
#: The document cannot be relied on: nobody may open it, a decision on the file waits.
BLOCKING_STATUSES = frozenset({ScanStatus.PENDING, ScanStatus.INFECTED})
#: What the rescan task looks at, the held files first.
TO_RESCAN = (ScanStatus.PENDING, ScanStatus.UNSCANNED)
