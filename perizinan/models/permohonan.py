"""Applications (Permohonan), their documents, history and numbering.

State changes go through ``perizinan.services``; who may see what is
``Permohonan.objects.visible_to(user)``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from config.append_only import AppendOnly
from perizinan.models.scanned import ScannedQuerySet, ScannedUpload
from perizinan.scanning.status import TO_RESCAN
from perizinan.workflow import ACTIVE_STATES, Status, transition_label


def private_storage():
    """The storage of citizens' documents: never under a public URL."""
    return storages["private"]


#: In the officers' queues, files without a due date yet (before registration) sort after
#: every dated file. ``queue_due_key()`` is both in the queue indexes below and in the queue's
#: ORDER BY (``perizinan.selectors``), so that PostgreSQL reads a page straight from the index.
QUEUE_NO_DUE_DATE = dt.date(9999, 12, 31)


def queue_due_key() -> Coalesce:
    return Coalesce("due_date", Value(QUEUE_NO_DUE_DATE))


#: The queues' order (with ``.alias(due_key=queue_due_key())``), the order of the indexes.
QUEUE_ORDER = ("due_key", "submitted_at", "id")


class Penomoran(models.Model):
    """A gapless counter per key and year (application numbers, later permit numbers).

    Use ``perizinan.services.next_number``; it takes the row with ``select_for_update`` so that
    two submissions never get the same number and a rolled-back one leaves no gap.
    """

    key = models.CharField(_("kunci"), max_length=60)
    year = models.PositiveSmallIntegerField(_("tahun"))
    last_value = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("penomoran")
        verbose_name_plural = _("penomoran")
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="penomoran_unique_key_year"),
        ]

    def __str__(self):
        return f"{self.key} {self.year}: {self.last_value}"


class PermohonanQuerySet(models.QuerySet):
    def visible_to(self, user) -> PermohonanQuerySet:
        """The one permission rule for applications (``perizinan.scope``); every view and
        download uses it."""
        from perizinan.scope import scope_filter

        rule = scope_filter(user)
        return self.all() if rule is None else self.filter(rule)

    def drafts(self) -> PermohonanQuerySet:
        return self.filter(status=Status.DRAFT)

    def submitted(self) -> PermohonanQuerySet:
        return self.exclude(status=Status.DRAFT)


class Permohonan(models.Model):
    """One application for one service (JenisIzin), from draft to decision."""

    class Kind(models.TextChoices):
        """A first application, or one that follows an issued permit (``previous_izin``): a
        renewal (perpanjangan) or an amendment (perubahan data). Both go through the same
        workflow; their issue supersedes the previous permit (``perizinan.services.izin``)."""

        BARU = "baru", _("Permohonan baru")
        PERPANJANGAN = "perpanjangan", _("Perpanjangan")
        PERUBAHAN = "perubahan", _("Perubahan data")

    public_id = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="permohonan",
        verbose_name=_("pemohon"),
    )
    jenis_izin = models.ForeignKey(
        "kewenangan.JenisIzin",
        on_delete=models.PROTECT,
        related_name="permohonan",
        verbose_name=_("layanan"),
    )
    versi = models.ForeignKey(
        "kewenangan.VersiStandar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permohonan",
        verbose_name=_("versi standar pelayanan"),
        help_text=_("Versi standar yang berlaku saat permohonan diajukan."),
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    kind = models.CharField(
        _("jenis permohonan"), max_length=20, choices=Kind.choices, default=Kind.BARU
    )
    previous_izin = models.ForeignKey(
        "perizinan.Izin",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("izin sebelumnya"),
        help_text=_("Izin yang diperpanjang atau diubah oleh permohonan ini."),
    )
    #: Incremented by every transition: a stale form or a resent POST is recognised by it.
    state_version = models.PositiveIntegerField(_("versi status"), default=0)

    number = models.CharField(_("nomor permohonan"), max_length=40, unique=True, null=True)
    pin = models.CharField(_("PIN pelacakan"), max_length=12, blank=True)
    #: A counter file's receipt with the PIN is printed for the applicant once; afterwards the
    #: office sees only its copy without the PIN (a new PIN can be issued and printed instead).
    pin_printed_at = models.DateTimeField(
        _("tanda terima ber-PIN dicetak"), null=True, blank=True, editable=False
    )

    applicant_data = models.JSONField(_("data pemohon"), default=dict, blank=True)
    form_data = models.JSONField(_("isian layanan"), default=dict, blank=True)
    last_step = models.PositiveSmallIntegerField(_("langkah terakhir"), default=0)
    declaration_accepted_at = models.DateTimeField(_("pernyataan disetujui"), null=True)

    # Routing, frozen at submission: an admin reassigning the kewenangan later does not move
    # files already in progress.
    technical_opd = models.ForeignKey(
        "kewenangan.PerangkatDaerah",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permohonan_teknis",
        verbose_name=_("OPD tim teknis"),
    )
    processing_opd = models.ForeignKey(
        "kewenangan.PerangkatDaerah",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permohonan_diproses",
        verbose_name=_("OPD pemroses"),
    )
    route_delegated = models.BooleanField(_("kewenangan dilimpahkan"), null=True)
    needs_payment = models.BooleanField(_("dikenai retribusi/tarif"), default=False)
    needs_field_check = models.BooleanField(_("perlu pemeriksaan lapangan"), default=False)
    sla_working_days = models.PositiveSmallIntegerField(
        _("jangka waktu (hari kerja)"), null=True, blank=True
    )

    # The officers' desk: who has claimed the file (claim, release, reassign in
    # ``perizinan.services.petugas``), an entry made at the counter for a walk-in applicant.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permohonan_ditangani",
        verbose_name=_("ditangani oleh"),
    )
    assigned_at = models.DateTimeField(_("diambil pada"), null=True, blank=True)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dientri di loket oleh"),
        help_text=_("Petugas front office yang mengentri permohonan atas nama pemohon."),
    )

    # Technical review and payment.
    field_check_done_at = models.DateTimeField(
        _("pemeriksaan lapangan selesai"), null=True, blank=True
    )
    fee_amount = models.PositiveBigIntegerField(
        _("retribusi/tarif (rupiah)"), null=True, blank=True
    )
    payment_reference = models.CharField(_("nomor bukti pembayaran"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("pembayaran dikonfirmasi pada"), null=True, blank=True)
    payment_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pembayaran dikonfirmasi oleh"),
    )

    # The technical team's recommendation (``perizinan.workflow``: ``recommends``): the signer
    # decides on it. Withdrawn when the signer sends the file back for review; the history
    # keeps every recommendation made.
    class Rekomendasi(models.TextChoices):
        NONE = "", _("Belum ada")
        APPROVAL = "approval", _("Rekomendasi setuju")
        REJECTION = "rejection", _("Rekomendasi tolak")

    recommendation = models.CharField(
        _("rekomendasi tim teknis"),
        max_length=20,
        choices=Rekomendasi.choices,
        default=Rekomendasi.NONE,
        blank=True,
    )
    recommendation_reasons = models.TextField(_("alasan rekomendasi"), blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("direkomendasikan oleh"),
    )
    recommended_at = models.DateTimeField(_("direkomendasikan pada"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    registered_at = models.DateTimeField(_("terdaftar pada"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputus pada"), null=True, blank=True)
    # Deadlines in working days (perizinan.services.deadlines): computed, stored, recomputed
    # when an input changes (registration, the end of a clock stop, a new stage).
    due_date = models.DateField(_("batas waktu penyelesaian"), null=True, blank=True)
    stage_due_date = models.DateField(_("batas waktu tahap"), null=True, blank=True)
    fix_due_date = models.DateField(_("batas waktu perbaikan pemohon"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = PermohonanQuerySet.as_manager()

    class Meta:
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["applicant", "-updated_at"], name="permohonan_applicant_idx"),
            # The officers' queues: state + OPD, ordered by the deadline.
            models.Index(
                fields=["status", "processing_opd", "due_date"], name="permohonan_queue_proc_idx"
            ),
            models.Index(
                fields=["status", "technical_opd", "due_date"], name="permohonan_queue_tech_idx"
            ),
            # The officers' work queues in their order (``selectors.officer_queue``): files
            # in an active state, per OPD, by deadline (none yet: last), submission and id.
            # A page is read straight from the index, after a cursor (keyset pagination).
            models.Index(
                F("processing_opd"),
                queue_due_key(),
                F("submitted_at"),
                F("id"),
                condition=Q(status__in=sorted(ACTIVE_STATES)),
                name="permohonan_queue_proc_act_idx",
            ),
            models.Index(
                F("technical_opd"),
                queue_due_key(),
                F("submitted_at"),
                F("id"),
                condition=Q(status__in=sorted(ACTIVE_STATES)),
                name="permohonan_queue_tech_act_idx",
            ),
            # The lapse task and the reminder: files waiting for their applicant (returned,
            # technical fix), by the applicant's deadline.
            models.Index(
                fields=["fix_due_date"],
                condition=Q(status__in=[Status.DIKEMBALIKAN, Status.PERBAIKAN_TEKNIS]),
                name="permohonan_fix_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | (
                    Q(number__isnull=False)
                    & ~Q(pin="")
                    & Q(processing_opd__isnull=False)
                    & Q(submitted_at__isnull=False)
                ),
                name="permohonan_submitted_has_number_and_route",
                violation_error_message=_(
                    "Permohonan yang sudah diajukan wajib memiliki nomor, PIN dan OPD pemroses."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="baru", previous_izin__isnull=True)
                | (~Q(kind="baru") & Q(previous_izin__isnull=False)),
                name="permohonan_follow_up_has_previous_izin",
                violation_error_message=_(
                    "Perpanjangan dan perubahan data wajib merujuk izin sebelumnya."
                ),
            ),
            models.CheckConstraint(
                condition=Q(paid_at__isnull=True)
                | (~Q(payment_reference="") & Q(fee_amount__isnull=False)),
                name="permohonan_payment_has_reference_and_amount",
                violation_error_message=_(
                    "Pembayaran yang dikonfirmasi wajib memiliki nominal dan nomor bukti bayar."
                ),
            ),
        ]

    def __str__(self):
        return self.number or _("Draf %(service)s") % {"service": self.jenis_izin_id}

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_editable(self) -> bool:
        from perizinan.workflow import EDITABLE_STATES

        return self.status in EDITABLE_STATES

    @property
    def is_final(self) -> bool:
        from perizinan.workflow import FINAL_STATES

        return self.status in FINAL_STATES

    @property
    def applicant_name(self) -> str:
        data = self.applicant_data or {}
        return data.get("company_name") or data.get("full_name") or ""


class RiwayatStatus(AppendOnly, models.Model):
    """Append-only history of an application's status: who moved it, from, to, why, when."""

    permohonan = models.ForeignKey(
        Permohonan, on_delete=models.CASCADE, related_name="riwayat", verbose_name=_("permohonan")
    )
    transition = models.CharField(_("tindakan"), max_length=40)
    from_status = models.CharField(_("dari status"), max_length=30, choices=Status.choices)
    to_status = models.CharField(_("ke status"), max_length=30, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
        help_text=_("Kosong bila dilakukan oleh sistem."),
    )
    actor_role = models.CharField(_("peran pelaku"), max_length=20, blank=True)
    note = models.TextField(_("catatan untuk pemohon"), blank=True)
    internal_note = models.TextField(_("catatan internal"), blank=True)
    fields_to_fix = models.JSONField(_("isian yang perlu diperbaiki"), default=list, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.permohonan_id}: {self.from_status} -> {self.to_status}"

    @property
    def transition_label(self):
        """The move in words ("Kembalikan untuk dilengkapi"), for history pages and reports."""
        return transition_label(self.transition)


class Dokumen(ScannedUpload, models.Model):
    """A document handed in for one requirement. Replacing keeps the old row (history).

    Its malware scan (``ScannedUpload``): a document held for the scanner (``pending``) or found
    infected is never shown to officers (``Dokumen.objects.servable()``). An infected one's
    file is deleted and ``stored_name`` cleared (hence unique only when set)."""

    class Verdict(models.TextChoices):
        PENDING = "pending", _("Belum diperiksa")
        VALID = "valid", _("Sesuai")
        NEEDS_CORRECTION = "needs_correction", _("Perlu diperbaiki")

    public_id = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    permohonan = models.ForeignKey(
        Permohonan, on_delete=models.CASCADE, related_name="dokumen", verbose_name=_("permohonan")
    )
    persyaratan = models.ForeignKey(
        "kewenangan.Persyaratan",
        on_delete=models.PROTECT,
        related_name="dokumen",
        verbose_name=_("persyaratan"),
    )
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
    is_current = models.BooleanField(_("berlaku"), default=True)
    verdict = models.CharField(
        _("hasil pemeriksaan"), max_length=20, choices=Verdict.choices, default=Verdict.PENDING
    )
    verdict_note = models.TextField(_("catatan pemeriksaan"), blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperiksa oleh"),
    )
    verdict_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)

    objects = ScannedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["persyaratan__order", "persyaratan_id", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["permohonan", "persyaratan"],
                condition=Q(is_current=True),
                name="dokumen_one_current_per_requirement",
            ),
            models.UniqueConstraint(
                fields=["stored_name"],
                condition=~Q(stored_name=""),
                name="dokumen_stored_name_unique",
            ),
        ]
        indexes = [
            # The rescan task's look-up (perizinan.scanning.rescan): few rows, always small.
            models.Index(
                fields=["id"], condition=Q(scan_status__in=TO_RESCAN), name="dokumen_to_scan_idx"
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return self.stored_name.rsplit(".", 1)[-1]

    def open(self):
        return private_storage().open(self.stored_name, "rb")


class AksesDokumen(models.Model):
    """A staff member viewed or downloaded an applicant's document (UU PDP: the citizen may
    see who looked at their data)."""

    dokumen = models.ForeignKey(
        Dokumen, on_delete=models.CASCADE, related_name="akses", verbose_name=_("dokumen")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    user_role = models.CharField(_("peran"), max_length=20)
    #: The staff member's unit at the time of access (they may move to another OPD later).
    user_unit = models.CharField(_("unit kerja"), max_length=200, blank=True)
    inline = models.BooleanField(_("dilihat di halaman"), default=False)
    accessed_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("akses dokumen")
        verbose_name_plural = _("akses dokumen")
        ordering = ["-accessed_at", "-id"]

    def __str__(self):
        return f"{self.user_id} -> {self.dokumen_id}"
