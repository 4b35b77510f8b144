"""Issued permits (Izin) and rejection letters (SuratPenolakan).

Both are written only by ``perizinan.services.izin``: an ``Izin`` when the head signs a file
(``sign_permohonan``), a ``SuratPenolakan`` when a file is rejected (a receiver of
``status_changed``). Their numbers come from gapless per-year, per-office counters
(``perizinan.services.next_number``); ``(counter_key, year, sequence)`` is unique, so the database
refuses a duplicate even if code goes wrong.

What the public verification page shows is frozen on the row at signing time (holder, masked
NIK, service), so the page reads one row and never the applicant's live data.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from perizinan.models.permohonan import Permohonan, private_storage

#: Bytes of randomness in a verification token (``secrets.token_urlsafe(24)``: 32 characters).
TOKEN_BYTES = 24


def new_verification_token() -> str:
    """An unguessable token for ``/verifikasi/<token>/`` (192 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


class IzinQuerySet(models.QuerySet):
    def visible_to(self, user) -> IzinQuerySet:
        """Permits of the applications this user may see (``Permohonan.visible_to``)."""
        return self.filter(permohonan__in=Permohonan.objects.visible_to(user))

    def in_force(self, today: dt.date | None = None) -> IzinQuerySet:
        """Not revoked and not past their end date (whatever the daily task has stored)."""
        today = today or timezone.localdate()
        return self.filter(status=Izin.Status.VALID).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )

    def expiring_on(self, day: dt.date) -> IzinQuerySet:
        """Valid permits whose last valid day is ``day`` (for the expiry reminders)."""
        return self.filter(status=Izin.Status.VALID, valid_until=day)

    def past_end_date(self, today: dt.date | None = None) -> IzinQuerySet:
        """Still stored as valid but their last valid day is before ``today``."""
        today = today or timezone.localdate()
        return self.filter(status=Izin.Status.VALID, valid_until__lt=today)


class Izin(models.Model):
    """The permit (Izin / SK) issued for one application, signed and stored as a PDF."""

    class Status(models.TextChoices):
        VALID = "berlaku", _("Berlaku")
        EXPIRED = "kedaluwarsa", _("Kedaluwarsa")
        REVOKED = "dicabut", _("Dicabut")
        SUPERSEDED = "diganti", _("Diganti versi baru")

    public_id = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    permohonan = models.OneToOneField(
        Permohonan, on_delete=models.PROTECT, related_name="izin", verbose_name=_("permohonan")
    )
    number = models.CharField(_("nomor izin"), max_length=120, unique=True)
    counter_key = models.CharField(_("kunci penomoran"), max_length=60)
    year = models.PositiveSmallIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))

    service_name = models.CharField(_("layanan"), max_length=300)
    product_name = models.CharField(_("produk"), max_length=300)
    holder_name = models.CharField(_("pemegang izin"), max_length=200)
    holder_nik_masked = models.CharField(_("NIK (disamarkan)"), max_length=32, blank=True)
    issued_on = models.DateField(_("tanggal terbit"))
    valid_until = models.DateField(
        _("berlaku sampai"),
        null=True,
        blank=True,
        help_text=_("Kosong: berlaku selama memenuhi persyaratan."),
    )

    file_name = models.CharField(_("berkas tersimpan"), max_length=200, unique=True)
    file_size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(_("SHA-256 berkas"), max_length=64)
    data_sha256 = models.CharField(
        _("sidik data"),
        max_length=64,
        help_text=_("SHA-256 data izin yang tercetak pada dokumen."),
    )

    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditandatangani oleh"),
    )
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=300)
    # What the permit prints, frozen at signing: the signer's printed name, NIP and rank, the
    # place of issue, the service's fields marked "dicetak pada izin" (label and value, also
    # shown on the verification page), and the whole printed data (for a copy, ``SalinanIzin``).
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200, blank=True)
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=18, blank=True)
    signer_rank = models.CharField(_("pangkat penanda tangan"), max_length=100, blank=True)
    place_of_issue = models.CharField(_("tempat penetapan"), max_length=100, blank=True)
    printed_fields = models.JSONField(_("isian tercetak"), default=list, blank=True)
    printed_data = models.JSONField(_("data tercetak"), default=dict, blank=True)
    signed_at = models.DateTimeField(_("ditandatangani pada"))
    certified = models.BooleanField(
        _("tanda tangan tersertifikasi"),
        default=False,
        help_text=_("Benar hanya untuk tanda tangan elektronik tersertifikasi (BSrE)."),
    )
    provider = models.CharField(_("penyedia tanda tangan"), max_length=40)
    verification_token = models.CharField(
        _("token verifikasi"),
        max_length=64,
        unique=True,
        default=new_verification_token,
        editable=False,
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VALID, db_index=True
    )
    expired_at = models.DateTimeField(_("ditandai kedaluwarsa pada"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicabut oleh"),
    )
    revocation_reason = models.TextField(_("alasan pencabutan"), blank=True)
    # A renewal or an amendment issued for this permit replaces it (perizinan.services.izin).
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("digantikan oleh"),
    )
    superseded_at = models.DateTimeField(_("digantikan pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = IzinQuerySet.as_manager()

    class Meta:
        verbose_name = _("izin terbit")
        verbose_name_plural = _("izin terbit")
        ordering = ["-signed_at", "-id"]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="izin_status_valid_until_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["counter_key", "year", "sequence"], name="izin_unique_sequence"
            ),
            models.CheckConstraint(
                condition=~Q(status="dicabut")
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="izin_revoked_has_time_and_reason",
                violation_error_message=_("Izin yang dicabut wajib memiliki waktu dan alasan."),
            ),
            models.CheckConstraint(
                condition=~Q(status="diganti")
                | (Q(superseded_by__isnull=False) & Q(superseded_at__isnull=False)),
                name="izin_superseded_has_successor",
                violation_error_message=_("Izin yang diganti wajib merujuk izin penggantinya."),
            ),
        ]

    def __str__(self):
        return self.number

    def effective_status(self, today: dt.date | None = None) -> str:
        """Revoked or superseded wins; past its last valid day a permit is expired even
        before the daily task has stored it."""
        if self.status in (self.Status.REVOKED, self.Status.SUPERSEDED):
            return self.status
        today = today or timezone.localdate()
        if self.valid_until is not None and today > self.valid_until:
            return self.Status.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        return self.Status(self.effective_status()).label

    @property
    def is_in_force(self) -> bool:
        return self.effective_status() == self.Status.VALID

    def open(self):
        return private_storage().open(self.file_name, "rb")

    def may_be_revoked_by(self, user) -> bool:
        """Admin, or the head (kepala) whose scope holds the application."""
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if user.role == Role.ADMIN:
            return True
        if user.role != Role.KEPALA:
            return False
        return Izin.objects.visible_to(user).filter(pk=self.pk).exists()


class SalinanIzin(models.Model):
    """A copy (salinan) of an issued permit, for a lost or damaged original: the same permit,
    number and verification page, re-rendered from its frozen data and marked "SALINAN ke-N"
    with the date of the copy; recorded with who asked and why (``perizinan.services.lifecycle``).
    """

    public_id = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    izin = models.ForeignKey(
        Izin, on_delete=models.PROTECT, related_name="salinan", verbose_name=_("izin")
    )
    sequence = models.PositiveSmallIntegerField(_("salinan ke-"))
    reason = models.CharField(_("alasan"), max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diminta oleh"),
    )
    file_name = models.CharField(_("berkas tersimpan"), max_length=200, unique=True)
    file_size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(_("SHA-256 berkas"), max_length=64)
    created_at = models.DateTimeField(_("diterbitkan pada"))

    class Meta:
        verbose_name = _("salinan izin")
        verbose_name_plural = _("salinan izin")
        ordering = ["izin", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["izin", "sequence"], name="salinan_unique_sequence"),
        ]

    def __str__(self):
        return f"{self.izin.number} (salinan ke-{self.sequence})"

    def open(self):
        return private_storage().open(self.file_name, "rb")


class SuratPenolakan(models.Model):
    """The rejection letter of a rejected application: number, reasons and legal basis.

    Written in the same transaction as the move to DITOLAK; the PDF is rendered from these
    frozen fields on download (rendering is deterministic, so every download is the same
    document).
    """

    public_id = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    permohonan = models.OneToOneField(
        Permohonan,
        on_delete=models.PROTECT,
        related_name="surat_penolakan",
        verbose_name=_("permohonan"),
    )
    number = models.CharField(_("nomor surat"), max_length=120, unique=True)
    counter_key = models.CharField(_("kunci penomoran"), max_length=60)
    year = models.PositiveSmallIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))

    applicant_name = models.CharField(_("nama pemohon"), max_length=200)
    applicant_address = models.CharField(_("alamat pemohon"), max_length=500, blank=True)
    service_name = models.CharField(_("layanan"), max_length=300)
    reasons = models.TextField(_("alasan penolakan"))
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    office_name = models.CharField(_("kantor"), max_length=300)
    signer_title = models.CharField(_("jabatan"), max_length=300)
    transition = models.CharField(_("tindakan"), max_length=40)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputus oleh"),
    )
    decided_at = models.DateTimeField(_("diputus pada"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("surat penolakan")
        verbose_name_plural = _("surat penolakan")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["counter_key", "year", "sequence"], name="penolakan_unique_sequence"
            ),
        ]

    def __str__(self):
        return self.number
