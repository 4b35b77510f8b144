"""The office itself: its local closures (HariLibur, added to the national holidays by the
deadline engine) and its service pledge (Maklumat, shown at /maklumat/)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
