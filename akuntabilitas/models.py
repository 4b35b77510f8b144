"""Public accountability: complaints (pengaduan) and the satisfaction survey (SKM).

Complaints: ``Pengaduan`` with its append-only history ``RiwayatPengaduan``; the response time
in working days is the admin-editable singleton ``PengaturanPengaduan``. State changes go through
``akuntabilitas.services.pengaduan``; who sees what is ``Pengaduan.objects.visible_to(user)``.

The survey keeps answers apart from people on purpose (PermenPAN-RB 14/2017, UU PDP):

* ``UndanganSurvei`` is the one-time token sent to an applicant when the decision is made. It
  knows the application, and records only *that* it was used (a boolean, no time).
* ``JawabanSurvei`` is one respondent's answers. It carries the service, the unit and the
  date (no time of day), the respondent's profile in bands, and nothing that points back to
  the invitation, the application or a user. Its primary key is a random UUID, so not even
  the insertion order can be matched with the invitations.
* ``NilaiUnsur`` is one answer (1..4) to one unsur, stored by the unsur's key.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import scope as office
from accounts.roles import Role
from akuntabilitas.ikm import UNSUR_CHOICES
from akuntabilitas.workflow import (
    COMPLAINT_HANDLER_ROLES,
    OPEN_COMPLAINT_STATES,
    PengaduanStatus,
)
from config.append_only import AppendOnly
from perizinan.scanning.status import SERVABLE_STATUSES, ScanStatus

# --- Complaints ------------------------------------------------------------------------------

#: Who handles complaints: the roles of the moves in ``akuntabilitas.workflow`` (the DPMPTSP's
#: front and back office and the admins). The head (kepala) reads every complaint and receives
#: the escalations of overdue ones; the OPDs' technical teams do not see complaints (they may
#: be about them).
COMPLAINT_READER_ROLES = COMPLAINT_HANDLER_ROLES | {Role.KEPALA}


class PengaturanPengaduan(models.Model):
    """The office's complaint settings, one row, edited by admins in Django admin."""

    response_working_days = models.PositiveSmallIntegerField(
        _("batas waktu jawaban (hari kerja)"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Dihitung sejak hari kerja berikutnya setelah pengaduan diterima."),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pengaturan pengaduan")
        verbose_name_plural = _("pengaturan pengaduan")

    def __str__(self):
        return str(_("Pengaturan pengaduan"))

    def save(self, *args, **kwargs):
        self.pk = 1  # a singleton
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> PengaturanPengaduan:
        obj, _created = cls.objects.get_or_create(
            pk=1, defaults={"response_working_days": settings.COMPLAINT_RESPONSE_DAYS}
        )
        return obj


class PengaduanQuerySet(models.QuerySet):
    def visible_to(self, user) -> PengaduanQuerySet:
        """The one permission rule for complaints (views, downloads, exports): the DPMPTSP's
        front office, back office and head, and admins, see every complaint; nobody else does.
        Complainants follow their own complaint by ticket and PIN, not by account."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role not in COMPLAINT_READER_ROLES or not office.works_for_dpmptsp(user):
            return self.none()
        return self.all()

    def open(self) -> PengaduanQuerySet:
        return self.filter(status__in=OPEN_COMPLAINT_STATES)

    def overdue(self, today) -> PengaduanQuerySet:
        return self.open().filter(due_date__lt=today)


class Pengaduan(models.Model):
    """A complaint about a service, an application or an officer's conduct."""

    class Topic(models.TextChoices):
        LAYANAN = "layanan", _("Layanan / standar pelayanan")
        PERMOHONAN = "permohonan", _("Permohonan tertentu")
        PERILAKU = "perilaku", _("Perilaku petugas")
        LAINNYA = "lainnya", _("Lainnya")

    Status = PengaduanStatus

    public_id = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("nomor tiket"), max_length=30, unique=True)
    pin_digest = models.CharField(_("sidik PIN"), max_length=64, editable=False)

    topic = models.CharField(_("perihal"), max_length=20, choices=Topic.choices)
    jenis_izin = models.ForeignKey(
        "kewenangan.JenisIzin",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pengaduan",
        verbose_name=_("layanan"),
    )
    permohonan_number = models.CharField(_("nomor permohonan disebut"), max_length=40, blank=True)
    permohonan = models.ForeignKey(
        "perizinan.Permohonan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pengaduan",
        verbose_name=_("permohonan"),
        help_text=_("Terisi bila nomor permohonan yang disebut ditemukan."),
    )
    opd = models.ForeignKey(
        "kewenangan.PerangkatDaerah",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pengaduan",
        verbose_name=_("unit yang diadukan"),
    )
    title = models.CharField(_("ringkasan"), max_length=200)
    description = models.TextField(_("uraian pengaduan"))

    # The complainant. Anonymous: no name, no e-mail address, no phone number and no account
    # are recorded (a database constraint); the ticket number and PIN are the only way back.
    anonymous = models.BooleanField(_("anonim"), default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akun pelapor"),
    )
    reporter_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("e-mail pelapor"), blank=True)
    reporter_phone = models.CharField(_("telepon pelapor"), max_length=20, blank=True)

    # Optional attachment, in the private storage.
    attachment_name = models.CharField(_("lampiran tersimpan"), max_length=200, blank=True)
    attachment_original_name = models.CharField(_("nama lampiran"), max_length=150, blank=True)
    attachment_content_type = models.CharField(_("jenis lampiran"), max_length=50, blank=True)
    attachment_size = models.PositiveBigIntegerField(_("ukuran lampiran"), null=True, blank=True)
    attachment_sha256 = models.CharField(_("SHA-256 lampiran"), max_length=64, blank=True)
    # Its malware scan (perizinan.scanning): "" without an attachment; a pending one is not
    # served until the rescan task gives a verdict; an infected one's file is deleted.
    attachment_scan_status = models.CharField(
        _("pemindaian virus lampiran"), max_length=12, choices=ScanStatus.choices, blank=True
    )
    attachment_scanned_at = models.DateTimeField(_("lampiran dipindai pada"), null=True, blank=True)
    attachment_scan_signature = models.CharField(
        _("temuan pemindai lampiran"), max_length=200, blank=True
    )

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PengaduanStatus.choices,
        default=PengaduanStatus.DITERIMA,
        db_index=True,
    )
    received_at = models.DateTimeField(_("diterima pada"), db_index=True)
    response_working_days = models.PositiveSmallIntegerField(_("batas waktu (hari kerja)"))
    due_date = models.DateField(_("batas waktu jawaban"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditangani oleh"),
    )
    followed_up_at = models.DateTimeField(_("mulai ditindaklanjuti"), null=True, blank=True)
    answer = models.TextField(_("jawaban"), blank=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dijawab oleh"),
    )
    answered_on_time = models.BooleanField(_("dijawab tepat waktu"), null=True, blank=True)
    response_days = models.PositiveSmallIntegerField(
        _("lama jawaban (hari kerja)"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("dieskalasi pada"), null=True, blank=True)
    state_version = models.PositiveIntegerField(_("versi status"), default=0)

    objects = PengaduanQuerySet.as_manager()

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="pengaduan_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | (
                    Q(reporter__isnull=True)
                    & Q(reporter_name="")
                    & Q(reporter_email="")
                    & Q(reporter_phone="")
                ),
                name="pengaduan_anonymous_has_no_identity",
                violation_error_message=_(
                    "Pengaduan anonim tidak menyimpan nama, e-mail, telepon atau akun."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["dijawab", "selesai"])
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="pengaduan_answered_has_answer",
                violation_error_message=_("Pengaduan yang dijawab wajib memiliki jawaban."),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_COMPLAINT_STATES

    @property
    def has_attachment(self) -> bool:
        """An attachment that may be opened: stored, and not held for the scanner or found
        infected (``attachment_waits_for_scan``, ``attachment_infected``)."""
        return bool(self.attachment_name) and self.attachment_scan_status in SERVABLE_STATUSES

    @property
    def attachment_waits_for_scan(self) -> bool:
        return bool(self.attachment_name) and self.attachment_scan_status == ScanStatus.PENDING

    @property
    def attachment_infected(self) -> bool:
        return self.attachment_scan_status == ScanStatus.INFECTED

    @property
    def contact_email(self) -> str:
        if self.anonymous:
            return ""
        if self.reporter_email:
            return self.reporter_email
        return self.reporter.email if self.reporter_id else ""


class RiwayatPengaduan(AppendOnly, models.Model):
    """Append-only history of a complaint: every step with its actor and time."""

    pengaduan = models.ForeignKey(
        Pengaduan, on_delete=models.CASCADE, related_name="riwayat", verbose_name=_("pengaduan")
    )
    action = models.CharField(_("tindakan"), max_length=30)
    from_status = models.CharField(
        _("dari status"), max_length=20, choices=PengaduanStatus.choices, blank=True
    )
    to_status = models.CharField(_("ke status"), max_length=20, choices=PengaduanStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
        help_text=_("Kosong bila dilakukan oleh pelapor atau sistem."),
    )
    actor_role = models.CharField(_("peran pelaku"), max_length=20, blank=True)
    note = models.TextField(_("catatan internal"), blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat pengaduan")
        verbose_name_plural = _("riwayat pengaduan")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.pengaduan_id}: {self.action}"


# --- The satisfaction survey (SKM) -----------------------------------------------------------


class UndanganSurvei(models.Model):
    """The one-time survey link of one decided application. It never points to the answer."""

    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    permohonan = models.OneToOneField(
        "perizinan.Permohonan",
        on_delete=models.CASCADE,
        related_name="undangan_survei",
        verbose_name=_("permohonan"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_on = models.DateField(_("berlaku sampai"))
    #: Only *that* the link was used; no time (it could be matched with an answer's date).
    used = models.BooleanField(_("sudah dipakai"), default=False)

    class Meta:
        verbose_name = _("undangan survei")
        verbose_name_plural = _("undangan survei")

    def __str__(self):
        return f"{self.permohonan_id}"


class JawabanSurvei(models.Model):
    """One respondent's answers. No link to a person, an application or an invitation."""

    class Channel(models.TextChoices):
        UNDANGAN = "undangan", _("Tautan setelah keputusan")
        UMUM = "umum", _("Survei umum (loket/QR)")

    class AgeBand(models.TextChoices):
        A = "lt25", _("Di bawah 25 tahun")
        B = "25_34", _("25–34 tahun")
        C = "35_44", _("35–44 tahun")
        D = "45_54", _("45–54 tahun")
        E = "55p", _("55 tahun ke atas")

    class Sex(models.TextChoices):
        L = "L", _("Laki-laki")
        P = "P", _("Perempuan")

    class Education(models.TextChoices):
        SD = "sd", _("SD atau sederajat")
        SMP = "smp", _("SMP atau sederajat")
        SMA = "sma", _("SMA/SMK atau sederajat")
        DIPLOMA = "diploma", _("Diploma (D1–D3)")
        S1 = "s1", _("D4/S1")
        S2 = "s2", _("S2/S3")

    class Occupation(models.TextChoices):
        ASN = "asn", _("PNS/TNI/Polri")
        SWASTA = "swasta", _("Pegawai swasta")
        WIRAUSAHA = "wirausaha", _("Wiraswasta/pelaku usaha")
        TENAGA_KESEHATAN = "nakes", _("Tenaga kesehatan")
        PELAJAR = "pelajar", _("Pelajar/mahasiswa")
        LAINNYA = "lainnya", _("Lainnya")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    jenis_izin = models.ForeignKey(
        "kewenangan.JenisIzin",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("layanan"),
    )
    opd = models.ForeignKey(
        "kewenangan.PerangkatDaerah",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit pelayanan"),
    )
    #: The day of the answer, never the time.
    submitted_on = models.DateField(_("tanggal"), db_index=True)
    age_band = models.CharField(_("usia"), max_length=10, choices=AgeBand.choices)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices)
    occupation = models.CharField(_("pekerjaan"), max_length=12, choices=Occupation.choices)
    comment = models.TextField(_("saran dan masukan"), blank=True)

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        ordering = ["-submitted_on"]

    def __str__(self):
        return f"{self.submitted_on:%Y-%m-%d} {self.jenis_izin_id or '-'}"


class NilaiUnsur(models.Model):
    """One answer (1 to 4) to one survey element, by the element's key."""

    jawaban = models.ForeignKey(
        JawabanSurvei, on_delete=models.CASCADE, related_name="nilai", verbose_name=_("jawaban")
    )
    unsur = models.CharField(_("unsur"), max_length=20, choices=UNSUR_CHOICES)
    value = models.PositiveSmallIntegerField(
        _("nilai"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        verbose_name = _("nilai unsur")
        verbose_name_plural = _("nilai unsur")
        constraints = [
            models.UniqueConstraint(fields=["jawaban", "unsur"], name="nilai_unsur_once"),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=4), name="nilai_unsur_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.unsur}={self.value}"
