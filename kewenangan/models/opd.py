"""The regency's agencies (OPD, perangkat daerah), one of them marked as the DPMPTSP."""

from __future__ import annotations

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
