"""The parts of a service standard: required documents (Persyaratan), the procedure's steps
(LangkahProsedur), the service's own form fields (IsianFormulir), and the frozen published
versions of the whole standard (VersiStandar)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kewenangan.models.jenis_izin import JenisIzin


class Persyaratan(models.Model):
    """One required document (or condition) of a service."""

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpg", "JPEG"
        PNG = "png", "PNG"

    jenis_izin = models.ForeignKey(
        JenisIzin,
        on_delete=models.CASCADE,
        related_name="persyaratan",
        verbose_name=_("jenis izin"),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    name = models.CharField(_("nama persyaratan"), max_length=300)
    explanation = models.TextField(_("penjelasan"), blank=True)
    mandatory = models.BooleanField(_("wajib"), default=True)
    accepted_types = models.CharField(
        _("jenis berkas diterima"),
        max_length=30,
        default="pdf,jpg,png",
        help_text=_("Dipisah koma: pdf, jpg, png."),
    )
    max_size_kb = models.PositiveIntegerField(
        _("ukuran maksimum (KB)"), default=2048, validators=[MinValueValidator(1)]
    )
    template_file = models.FileField(
        _("templat kosong"),
        upload_to="templat/",
        blank=True,
        help_text=_("Formulir kosong yang dapat diunduh pemohon (opsional)."),
    )

    class Meta:
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")
        ordering = ["jenis_izin", "order", "id"]

    def __str__(self):
        return self.name

    @property
    def accepted_type_list(self) -> list[str]:
        return [t.strip() for t in self.accepted_types.split(",") if t.strip()]

    def clean(self):
        super().clean()
        allowed = set(self.FileType.values)
        unknown = [t for t in self.accepted_type_list if t not in allowed]
        if unknown or not self.accepted_type_list:
            raise ValidationError({"accepted_types": _("Hanya pdf, jpg dan png yang diterima.")})


class LangkahProsedur(models.Model):
    """One ordered step of the procedure (sistem, mekanisme dan prosedur).

    ``actor_role`` says who performs it; the words shown ("Front office DPMPTSP", "Kepala
    Dinas Kesehatan") are derived from the authority's current holder
    (``kewenangan.services.step_actor``), so a reassignment never leaves a stale name. Only
    ``LAINNYA`` shows the typed ``actor`` text.
    """

    class ActorRole(models.TextChoices):
        LAINNYA = "", _("Lainnya (teks pelaksana)")
        PEMOHON = "pemohon", _("Pemohon")
        FRONT_OFFICE = "front_office", _("Front office penyelenggara")
        BACK_OFFICE = "back_office", _("Back office penyelenggara")
        TIM_TEKNIS = "tim_teknis", _("Tim teknis")
        PENANDATANGAN = "penandatangan", _("Kepala penyelenggara (penanda tangan)")
        PENYELENGGARA = "penyelenggara", _("Penyelenggara")

    jenis_izin = models.ForeignKey(
        JenisIzin,
        on_delete=models.CASCADE,
        related_name="langkah",
        verbose_name=_("jenis izin"),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    title = models.CharField(_("langkah"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    actor_role = models.CharField(
        _("peran pelaksana"),
        max_length=20,
        choices=ActorRole.choices,
        default=ActorRole.LAINNYA,
        blank=True,
        help_text=_("Nama pelaksana diambil dari pemegang kewenangan saat ini."),
    )
    actor = models.CharField(
        _("pelaksana"),
        max_length=100,
        blank=True,
        help_text=_("Hanya dipakai bila peran pelaksana 'Lainnya'."),
    )
    working_days = models.PositiveSmallIntegerField(_("waktu (hari kerja)"), null=True, blank=True)

    class Meta:
        verbose_name = _("langkah prosedur")
        verbose_name_plural = _("langkah prosedur")
        ordering = ["jenis_izin", "order", "id"]

    def __str__(self):
        return self.title


class IsianFormulir(models.Model):
    """A field of a service's own application form (drives step 2 of the application)."""

    class FieldType(models.TextChoices):
        TEXT = "text", _("Teks")
        LONG_TEXT = "long_text", _("Teks panjang")
        NUMBER = "number", _("Angka")
        DATE = "date", _("Tanggal")
        CHOICE = "choice", _("Pilihan")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Nomor telepon")
        NIK = "nik", _("NIK")
        NPWP = "npwp", _("NPWP")

    jenis_izin = models.ForeignKey(
        JenisIzin,
        on_delete=models.CASCADE,
        related_name="isian",
        verbose_name=_("jenis izin"),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    key = models.SlugField(_("kunci"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    field_type = models.CharField(
        _("tipe"), max_length=20, choices=FieldType.choices, default=FieldType.TEXT
    )
    required = models.BooleanField(_("wajib"), default=True)
    choices = models.TextField(
        _("pilihan"), blank=True, help_text=_("Untuk tipe pilihan: satu pilihan per baris.")
    )
    help_text = models.CharField(_("bantuan"), max_length=300, blank=True)
    print_on_permit = models.BooleanField(
        _("dicetak pada izin"),
        default=False,
        help_text=_(
            "Isian ini dicetak pada izin dan ditampilkan pada halaman verifikasi publik "
            "(mis. nomor STR, alamat tempat praktik). Jangan centang data pribadi yang tidak "
            "perlu diketahui umum."
        ),
    )

    class Meta:
        verbose_name = _("isian formulir")
        verbose_name_plural = _("isian formulir")
        ordering = ["jenis_izin", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jenis_izin", "key"], name="isian_unique_key"),
        ]

    def __str__(self):
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]

    def clean(self):
        super().clean()
        if self.field_type == self.FieldType.CHOICE and not self.choice_list:
            raise ValidationError({"choices": _("Isian pilihan wajib memiliki pilihan.")})


class VersiStandar(models.Model):
    """A frozen, published version of a service standard. Never edited; a change to a
    published standard creates a new version (``kewenangan.services.publish_standard``).

    ``snapshot`` holds the whole standard as published: requirements, steps, form fields,
    service time, fee, product, complaint channel and legal basis.
    """

    jenis_izin = models.ForeignKey(
        JenisIzin, on_delete=models.PROTECT, related_name="versi", verbose_name=_("jenis izin")
    )
    number = models.PositiveIntegerField(_("versi"))
    snapshot = models.JSONField(_("isi standar"))
    sk_number = models.CharField(_("nomor SK standar pelayanan"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    published_at = models.DateTimeField(_("diterbitkan pada"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diterbitkan oleh"),
    )

    class Meta:
        verbose_name = _("versi standar pelayanan")
        verbose_name_plural = _("versi standar pelayanan")
        ordering = ["jenis_izin", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["jenis_izin", "number"], name="versi_unique_number"),
        ]

    def __str__(self):
        return f"{self.jenis_izin} v{self.number}"
