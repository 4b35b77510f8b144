"""The malware scan state of a stored upload (``perizinan.scanning``), shared by the
applicant's documents and the field report (BAP)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from perizinan.scanning.status import BLOCKING_STATUSES, SERVABLE_STATUSES, ScanStatus


class ScannedQuerySet(models.QuerySet):
    def servable(self):
        """Rows whose file may be shown or downloaded: scanned clean (or stored unscanned,
        before scanning existed or in development), never held for the scanner or infected."""
        return self.filter(scan_status__in=SERVABLE_STATUSES)


class ScannedUpload(models.Model):
    """An uploaded file's scan: ``pending`` while the scanner was away (hidden), ``clean``,
    ``infected`` (found on a later scan: the file is deleted and its stored name cleared) or
    ``unscanned``."""

    scan_status = models.CharField(
        _("pemindaian virus"),
        max_length=12,
        choices=ScanStatus.choices,
        default=ScanStatus.PENDING,
    )
    scanned_at = models.DateTimeField(_("dipindai pada"), null=True, blank=True)
    scan_signature = models.CharField(_("temuan pemindai"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_servable(self) -> bool:
        return self.scan_status in SERVABLE_STATUSES

    @property
    def is_waiting_for_scan(self) -> bool:
        return self.scan_status == ScanStatus.PENDING

    @property
    def is_infected(self) -> bool:
        return self.scan_status == ScanStatus.INFECTED

    @property
    def blocks_decision(self) -> bool:
        return self.scan_status in BLOCKING_STATUSES

    @property
    def is_unscanned(self) -> bool:
        return self.scan_status == ScanStatus.UNSCANNED
