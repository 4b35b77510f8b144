"""The delegated authorities (kewenangan) and the append-only history of who holds each one
(Pelimpahan). A holder changes only through ``kewenangan.services.reassign_kewenangan``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.append_only import AppendOnly
from kewenangan.models.opd import PerangkatDaerah


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


class PelimpahanQuerySet(models.QuerySet):
    def applied(self) -> PelimpahanQuerySet:
        return self.filter(status=Pelimpahan.Status.BERLAKU)

    def scheduled(self) -> PelimpahanQuerySet:
        return self.filter(status=Pelimpahan.Status.TERJADWAL)


class Pelimpahan(AppendOnly, models.Model):
    """Append-only history of a kewenangan's holder, technical OPD and delegation status.

    A change dated in the future is stored as ``TERJADWAL`` with the whole state it sets
    (``to_*``) and takes effect on its ``effective_date`` at 00:00 (local time):
    ``kewenangan.services.apply_due_changes`` then marks it ``BERLAKU`` (the only update a row
    ever gets, besides ``DIBATALKAN`` for a scheduled change withdrawn before its day).
    """

    class Status(models.TextChoices):
        BERLAKU = "berlaku", _("Berlaku")
        TERJADWAL = "terjadwal", _("Terjadwal")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

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
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BERLAKU
    )
    applied_at = models.DateTimeField(_("berlaku pada"), null=True, blank=True)
    to_perbup_number = models.CharField(_("nomor Perbup baru"), max_length=100, blank=True)
    to_perbup_date = models.DateField(_("tanggal Perbup baru"), null=True, blank=True)
    to_stage_year = models.PositiveSmallIntegerField(_("tahap baru (tahun)"), null=True, blank=True)
    route_override = models.TextField(
        _("peran rute yang belum ada (dilewati admin)"),
        blank=True,
        help_text=_("Diisi bila admin tetap menyimpan perubahan walau rute belum berpetugas."),
    )

    objects = PelimpahanQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat pelimpahan")
        verbose_name_plural = _("riwayat pelimpahan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["effective_date"],
                condition=models.Q(status="terjadwal"),
                name="pelimpahan_scheduled_idx",
            )
        ]

    def __str__(self):
        return f"{self.kewenangan.code}: {self.from_label} → {self.to_opd}"

    @property
    def from_label(self) -> str:
        """The earlier holder in words: "– (pertama kali)" for the first row."""
        if self.from_opd_id is None:
            return str(_("– (pertama kali)"))
        return str(self.from_opd)
