"""The regency's agencies (OPD, perangkat daerah), one of them marked as the DPMPTSP."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class PejabatPenandatangan(models.Model):
    """The official data of a signing officer (kepala) as printed under a permit's signature:
    the name with academic titles, the civil servant number (NIP) and the rank. Kept by
    admins; read when a permit is signed and frozen on it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pejabat",
        verbose_name=_("akun petugas"),
    )
    printed_name = models.CharField(
        _("nama dan gelar"),
        max_length=200,
        blank=True,
        help_text=_("Nama seperti dicetak di bawah tanda tangan; kosong: nama akun."),
    )
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        validators=[
            RegexValidator(
                r"^\d{18}$", _("NIP terdiri atas 18 angka tanpa spasi."), code="invalid_nip"
            )
        ],
    )
    rank = models.CharField(
        _("pangkat/golongan"), max_length=100, blank=True, help_text=_("Mis. Pembina Tk. I (IV/b)")
    )

    class Meta:
        verbose_name = _("pejabat penanda tangan")
        verbose_name_plural = _("pejabat penanda tangan")
        ordering = ["user_id"]

    def __str__(self):
        return self.printed_name or self.nip
