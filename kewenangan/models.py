"""OPDs, the delegated authorities (kewenangan), service types (JenisIzin) and their published
service standards.

Invariants that matter live here (constraints, ``clean``); every change of state goes through
``kewenangan/services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.append_only import AppendOnly


class PerangkatDaerah(models.Model):
    """A sector agency (OPD) of the regency. Names differ between regencies: this is data."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        SATUAN = "satuan", _("Satuan")
        KANTOR = "kantor", _("Kantor")
        LAINNYA = "lainnya", _("Lainnya")

    name = models.CharField(_("nama"), max_length=200, unique=True)
    short_name = models.CharField(_("singkatan"), max_length=40, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.DINAS)
    is_dpmptsp = models.BooleanField(
        _("DPMPTSP"),
        default=False,
        help_text=_("Tandai satu OPD sebagai DPMPTSP, penerima pelimpahan kewenangan."),
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("perangkat daerah (OPD)")
        verbose_name_plural = _("perangkat daerah (OPD)")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_dpmptsp"],
                condition=models.Q(is_dpmptsp=True),
                name="opd_single_dpmptsp",
                violation_error_message=_("Hanya satu OPD yang dapat ditandai sebagai DPMPTSP."),
            )
        ]

    def __str__(self):
        return self.short_name

    @classmethod
    def dpmptsp(cls) -> PerangkatDaerah:
        return cls.objects.get(is_dpmptsp=True)


class KewenanganQuerySet(models.QuerySet):
    def active(self) -> KewenanganQuerySet:
        return self.filter(active=True)

    def with_opds(self) -> KewenanganQuerySet:
        return self.select_related("origin_opd", "technical_opd")


#: The fields that say who holds a kewenangan. They change only through
#: ``kewenangan.services.reassign_kewenangan``, which writes a ``Pelimpahan`` row.
HOLDER_FIELDS = ("origin_opd_id", "technical_opd_id", "delegated", "perbup_number", "perbup_date")


class HolderChangeWithoutHistory(RuntimeError):
    """Raised when code saves a changed holder without ``reassign_kewenangan``."""


class Kewenangan(models.Model):
    """One authority to issue a kind of permit or non-permit.

    It is held by its origin OPD until a regent's regulation (Perbup) delegates it to the
    DPMPTSP. Every change of holder, technical OPD or delegation writes a ``Pelimpahan`` row;
    change these through ``kewenangan.services.reassign_kewenangan``.
    """

    code = models.CharField(
        _("kode"),
        max_length=30,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z0-9][A-Z0-9.\-]*$", _("Kode: huruf besar, angka, . atau -."))
        ],
    )
    name = models.CharField(_("nama kewenangan"), max_length=300)
    sector = models.CharField(_("sektor"), max_length=100)
    origin_opd = models.ForeignKey(
        PerangkatDaerah,
        verbose_name=_("OPD asal"),
        on_delete=models.PROTECT,
        related_name="kewenangan_asal",
    )
    technical_opd = models.ForeignKey(
        PerangkatDaerah,
        verbose_name=_("OPD tim teknis"),
        on_delete=models.PROTECT,
        related_name="kewenangan_teknis",
        null=True,
        blank=True,
    )
    delegated = models.BooleanField(_("dilimpahkan ke DPMPTSP"), default=False)
    perbup_number = models.CharField(_("nomor Perbup"), max_length=100, blank=True)
    perbup_date = models.DateField(_("tanggal Perbup"), null=True, blank=True)
    stage_year = models.PositiveSmallIntegerField(_("tahap (tahun)"), null=True, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    is_sample = models.BooleanField(
        _("data contoh"),
        default=False,
        help_text=_("Data contoh, bukan lampiran Perbup yang sah. Ganti dengan impor lampiran."),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = KewenanganQuerySet.as_manager()

    class Meta:
        verbose_name = _("kewenangan")
        verbose_name_plural = _("kewenangan")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delegated=False)
                | (~models.Q(perbup_number="") & models.Q(perbup_date__isnull=False)),
                name="kewenangan_delegated_has_legal_basis",
                violation_error_message=_(
                    "Kewenangan yang dilimpahkan wajib mencantumkan nomor dan tanggal Perbup."
                ),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        """Refuse to change the holder in place: the history row would be missing."""
        loaded = getattr(self, "_loaded_holder", None)
        if (
            loaded is not None
            and loaded != self.holder_state()
            and not getattr(self, "_history_written", False)
        ):
            raise HolderChangeWithoutHistory(
                "Change origin_opd, technical_opd, delegated or the Perbup of a kewenangan "
                "through kewenangan.services.reassign_kewenangan (it writes the history row)."
            )
        super().save(*args, **kwargs)
        self._loaded_holder = self.holder_state()
        self._history_written = False

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if set(HOLDER_FIELDS) <= set(field_names):
            instance._loaded_holder = instance.holder_state()
        return instance

    def holder_state(self) -> tuple:
        return tuple(getattr(self, name, None) for name in HOLDER_FIELDS)

    @property
    def holder(self) -> PerangkatDaerah:
        """The OPD that holds the authority today: the DPMPTSP once delegated."""
        return PerangkatDaerah.dpmptsp() if self.delegated else self.origin_opd


class Pelimpahan(AppendOnly, models.Model):
    """Append-only history of a kewenangan's holder, technical OPD and delegation status."""

    kewenangan = models.ForeignKey(
        Kewenangan, on_delete=models.CASCADE, related_name="riwayat", verbose_name=_("kewenangan")
    )
    from_opd = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dari OPD"),
    )
    to_opd = models.ForeignKey(
        PerangkatDaerah, on_delete=models.PROTECT, related_name="+", verbose_name=_("ke OPD")
    )
    from_origin_opd = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dari OPD asal"),
    )
    to_origin_opd = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ke OPD asal"),
    )
    from_technical_opd = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dari OPD teknis"),
    )
    to_technical_opd = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ke OPD teknis"),
    )
    from_delegated = models.BooleanField(_("sebelumnya dilimpahkan"), null=True, blank=True)
    to_delegated = models.BooleanField(_("dilimpahkan"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    effective_date = models.DateField(_("berlaku sejak"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    source = models.CharField(
        _("sumber perubahan"),
        max_length=20,
        choices=[("admin", _("Admin")), ("import", _("Impor")), ("code", _("Sistem"))],
        default="code",
    )
    reason = models.TextField(_("alasan"), blank=True)
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat pelimpahan")
        verbose_name_plural = _("riwayat pelimpahan")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kewenangan.code}: {self.from_opd} -> {self.to_opd}"


class JenisIzinQuerySet(models.QuerySet):
    def published(self) -> JenisIzinQuerySet:
        """Services the public sees: published, under an active kewenangan."""
        return self.filter(is_published=True, kewenangan__active=True)

    def with_kewenangan(self) -> JenisIzinQuerySet:
        return self.select_related(
            "kewenangan", "kewenangan__origin_opd", "kewenangan__technical_opd"
        )


class JenisIzin(models.Model):
    """A service type a citizen applies for, with its full service standard.

    The fields here are the working copy. Publishing (``kewenangan.services.publish_standard``)
    freezes it into a ``VersiStandar``; an application keeps the version it was filed under.
    """

    class Kind(models.TextChoices):
        IZIN = "izin", _("Perizinan")
        NON_IZIN = "non_izin", _("Non-perizinan")

    class Variant(models.TextChoices):
        BARU = "baru", _("Baru")
        PERPANJANGAN = "perpanjangan", _("Perpanjangan")
        PERUBAHAN = "perubahan", _("Perubahan")
        PENCABUTAN = "pencabutan", _("Pencabutan")

    class FeeKind(models.TextChoices):
        GRATIS = "gratis", _("Gratis")
        TETAP = "tetap", _("Tarif tetap")
        DIHITUNG = "dihitung", _("Dihitung per permohonan (retribusi)")

    kewenangan = models.ForeignKey(
        Kewenangan,
        on_delete=models.PROTECT,
        related_name="jenis_izin",
        verbose_name=_("kewenangan"),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("nama layanan"), max_length=300)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.IZIN)
    variant = models.CharField(
        _("varian"), max_length=20, choices=Variant.choices, default=Variant.BARU
    )
    description = models.TextField(_("keterangan"), blank=True)
    sla_working_days = models.PositiveSmallIntegerField(
        _("jangka waktu (hari kerja)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    sla_verification_days = models.PositiveSmallIntegerField(
        _("tahap verifikasi (hari kerja)"), null=True, blank=True
    )
    sla_technical_days = models.PositiveSmallIntegerField(
        _("tahap kajian teknis (hari kerja)"), null=True, blank=True
    )
    sla_signing_days = models.PositiveSmallIntegerField(
        _("tahap penandatanganan (hari kerja)"), null=True, blank=True
    )
    fee_kind = models.CharField(
        _("biaya"), max_length=10, choices=FeeKind.choices, default=FeeKind.GRATIS
    )
    fee_amount = models.PositiveBigIntegerField(_("tarif (rupiah)"), null=True, blank=True)
    fee_legal_basis = models.CharField(_("dasar hukum tarif"), max_length=300, blank=True)
    product = models.CharField(_("produk pelayanan"), max_length=300, blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("masa berlaku (bulan)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila berlaku selama memenuhi persyaratan."),
    )
    validity_note = models.CharField(_("keterangan masa berlaku"), max_length=200, blank=True)
    complaint_channel = models.TextField(_("penanganan pengaduan"), blank=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    needs_field_check = models.BooleanField(_("perlu pemeriksaan lapangan"), default=False)
    needs_technical_review = models.BooleanField(_("perlu kajian tim teknis"), default=True)
    permit_code = models.CharField(
        _("kode nomor izin"),
        max_length=30,
        blank=True,
        help_text=_("Bagian nomor izin, mis. SIP-DR pada 503/0123/SIP-DR/DPMPTSP/2026."),
    )
    is_published = models.BooleanField(_("diterbitkan"), default=False)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = JenisIzinQuerySet.as_manager()

    class Meta:
        verbose_name = _("jenis izin / layanan")
        verbose_name_plural = _("jenis izin / layanan")
        ordering = ["kewenangan__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_published=False)
                | (models.Q(sla_working_days__gte=1) & ~models.Q(product="")),
                name="jenisizin_published_has_sla_and_product",
                violation_error_message=_(
                    "Layanan yang diterbitkan wajib memiliki jangka waktu dan produk pelayanan."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(fee_kind="tetap") | models.Q(fee_amount__gte=1),
                name="jenisizin_fixed_fee_has_amount",
                violation_error_message=_("Tarif tetap wajib diisi nominalnya."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def current_version(self) -> VersiStandar | None:
        """The latest published version of the standard; store it on a new application."""
        return self.versi.order_by("-number").first()

    @property
    def accepts_applications(self) -> bool:
        """Every published service of an active authority takes online applications. The route
        follows the authority (``perizinan.services.route_for``): delegated ones are processed
        and signed by the DPMPTSP, the others by their origin OPD, since the transfer happens
        in stages."""
        return self.is_published and self.kewenangan.active

    def clean(self):
        super().clean()
        if self.is_published:
            errors = {}
            if not self.sla_working_days:
                errors["sla_working_days"] = _("Wajib diisi sebelum layanan diterbitkan.")
            if not self.product:
                errors["product"] = _("Wajib diisi sebelum layanan diterbitkan.")
            if self.pk and not self.persyaratan.exists():
                errors["is_published"] = _("Layanan tanpa persyaratan tidak dapat diterbitkan.")
            if errors:
                raise ValidationError(errors)


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
    """One ordered step of the procedure (sistem, mekanisme dan prosedur)."""

    jenis_izin = models.ForeignKey(
        JenisIzin,
        on_delete=models.CASCADE,
        related_name="langkah",
        verbose_name=_("jenis izin"),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    title = models.CharField(_("langkah"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    actor = models.CharField(_("pelaksana"), max_length=100, blank=True)
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


class HariLibur(models.Model):
    """A local closure of the office (regional holiday, election day, ...). National holidays
    and cuti bersama come from the ``holidays`` package; the deadline engine adds these."""

    date = models.DateField(_("tanggal"), unique=True)
    description = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        verbose_name = _("hari libur lokal")
        verbose_name_plural = _("hari libur lokal")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.description}"


class MaklumatQuerySet(models.QuerySet):
    def current(self) -> Maklumat | None:
        """The pledge in force: the newest active one."""
        return self.filter(active=True).order_by("-effective_date", "-id").first()


class Maklumat(models.Model):
    """The office's service pledge (maklumat pelayanan, UU 25/2009), shown at /maklumat/."""

    title = models.CharField(_("judul"), max_length=200, default=_("Maklumat Pelayanan"))
    body = models.TextField(
        _("isi maklumat"), help_text=_("Teks biasa; baris kosong memisahkan paragraf.")
    )
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True)
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    effective_date = models.DateField(_("berlaku sejak"))
    active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = MaklumatQuerySet.as_manager()

    class Meta:
        verbose_name = _("maklumat pelayanan")
        verbose_name_plural = _("maklumat pelayanan")
        ordering = ["-effective_date", "-id"]

    def __str__(self):
        return f"{self.title} ({self.effective_date:%Y-%m-%d})"
