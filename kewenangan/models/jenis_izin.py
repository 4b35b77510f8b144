"""The service types a citizen applies for (JenisIzin): the working copy of their service
standard (time, fee, product, validity, complaint channel, legal basis) and whether they
take applications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kewenangan.models.kewenangan import Kewenangan

if TYPE_CHECKING:
    from kewenangan.models.standar import VersiStandar


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
