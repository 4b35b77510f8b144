"""The officers' side of a file: its activity log (internal notes, claims, reassignments,
re-routing, assessments) and the field inspection report (BAP) of the tim teknis.

Both are append-only: a note or a report is never edited; a new one is added.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.append_only import AppendOnly
from perizinan.models.permohonan import Permohonan, private_storage
from perizinan.models.scanned import ScannedQuerySet, ScannedUpload
from perizinan.scanning.status import TO_RESCAN


class AktivitasBerkas(AppendOnly, models.Model):
    """One event on a file that is not a change of status: never shown to the applicant."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Catatan internal")
        CLAIM = "claim", _("Diambil")
        RELEASE = "release", _("Dilepas")
        REASSIGN = "reassign", _("Dialihkan ke petugas lain")
        REROUTE = "reroute", _("Rute dialihkan")
        VERDICT = "verdict", _("Pemeriksaan dokumen")
        FIELD_CHECK = "field_check", _("Berita acara pemeriksaan")
        ASSISTED = "assisted", _("Dientri di loket")
        ASSISTED_FIX = "assisted_fix", _("Diperbaiki di loket atas nama pemohon")
        RECEIPT_PRINTED = "receipt_printed", _("Tanda terima pemohon (dengan PIN) dicetak")
        PIN_REISSUED = "pin_reissued", _("PIN pelacakan diganti dan dicetak ulang")
        CLAIMED = "claimed", _("Diklaim pemohon ke akunnya")

    permohonan = models.ForeignKey(
        Permohonan,
        on_delete=models.CASCADE,
        related_name="aktivitas",
        verbose_name=_("permohonan"),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    text = models.TextField(_("keterangan"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("aktivitas berkas")
        verbose_name_plural = _("aktivitas berkas")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.permohonan_id}: {self.kind}"


class BeritaAcara(ScannedUpload, models.Model):
    """The report of a field inspection (Berita Acara Pemeriksaan, BAP), uploaded by the tim
    teknis. A service with ``needs_field_check`` cannot be recommended without one.

    Scanned like the applicant's documents (``ScannedUpload``): held or infected, it is not
    served; an infected one's ``stored_name`` is cleared and its file deleted."""

    public_id = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    permohonan = models.ForeignKey(
        Permohonan,
        on_delete=models.CASCADE,
        related_name="berita_acara",
        verbose_name=_("permohonan"),
    )
    inspected_on = models.DateField(_("tanggal pemeriksaan"))
    summary = models.TextField(_("ringkasan hasil pemeriksaan"))
    stored_name = models.CharField(_("nama tersimpan"), max_length=200, blank=True)
    original_name = models.CharField(_("nama berkas asli"), max_length=150)
    content_type = models.CharField(_("jenis berkas"), max_length=50)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    objects = ScannedQuerySet.as_manager()

    class Meta:
        verbose_name = _("berita acara pemeriksaan")
        verbose_name_plural = _("berita acara pemeriksaan")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stored_name"],
                condition=~Q(stored_name=""),
                name="beritaacara_stored_name_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(scan_status__in=TO_RESCAN),
                name="beritaacara_to_scan_idx",
            ),
        ]

    def __str__(self):
        return f"BAP {self.permohonan_id} {self.inspected_on:%Y-%m-%d}"

    def open(self):
        return private_storage().open(self.stored_name, "rb")
