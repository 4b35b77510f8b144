"""The user model: log in by e-mail, one role per user (see accounts/roles.py)."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.managers import UserManager
from accounts.roles import ADMIN_ROLES, Role, is_officer, needs_opd
from accounts.validators import validate_nib, validate_nik, validate_npwp, validate_phone


class Kecamatan(models.Model):
    """A district (kecamatan) of the regency, for applicants' addresses."""

    name = models.CharField(_("nama"), max_length=100, unique=True)
    code = models.CharField(_("kode"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Desa(models.Model):
    """A village (desa) or urban village (kelurahan) of a kecamatan; admin-editable."""

    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="desa", verbose_name=_("kecamatan")
    )
    name = models.CharField(_("nama"), max_length=100)
    is_kelurahan = models.BooleanField(_("kelurahan"), default=False)

    class Meta:
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        ordering = ["kecamatan__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "name"], name="desa_unique_name"),
        ]

    def __str__(self):
        return f"{self.name}, {self.kecamatan}"


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.PEMOHON)
    opd = models.ForeignKey(
        "kewenangan.PerangkatDaerah",
        verbose_name=_("perangkat daerah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Wajib untuk tim teknis: OPD yang berkasnya boleh ia kaji."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(
        _("akses admin"),
        default=False,
        help_text=_("Diatur otomatis dari peran: hanya admin yang masuk ke Django admin."),
    )
    date_joined = models.DateTimeField(_("tanggal daftar"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("e-mail terverifikasi"), null=True, blank=True)

    # --- Applicant profile (pemohon). NIK is personal data: show it through accounts.pii.
    class ApplicantKind(models.TextChoices):
        PERORANGAN = "perorangan", _("Perorangan")
        BADAN_USAHA = "badan_usaha", _("Badan usaha")

    applicant_kind = models.CharField(
        _("jenis pemohon"),
        max_length=20,
        choices=ApplicantKind.choices,
        default=ApplicantKind.PERORANGAN,
    )
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[validate_nik])
    phone = models.CharField(
        _("nomor telepon"), max_length=20, blank=True, validators=[validate_phone]
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    kecamatan = models.ForeignKey(
        Kecamatan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan"),
    )
    desa = models.ForeignKey(
        Desa,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
    )
    company_name = models.CharField(_("nama badan usaha"), max_length=200, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, validators=[validate_nib])
    npwp = models.CharField(_("NPWP"), max_length=20, blank=True, validators=[validate_npwp])

    # --- How the user hears from the portal (perizinan.notifications). E-mail is always on:
    # legal notices (receipts, decisions) go by e-mail whatever is chosen here.
    language = models.CharField(
        _("bahasa pesan"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="id",
        help_text=_("Bahasa e-mail dan notifikasi yang kami kirim kepada Anda."),
    )
    notify_inapp = models.BooleanField(
        _("notifikasi di aplikasi"),
        default=True,
        help_text=_("Tampilkan pemberitahuan pada ikon lonceng di portal."),
    )
    notify_sms = models.BooleanField(
        _("SMS/WhatsApp"),
        default=False,
        help_text=_("Kirim juga pemberitahuan singkat ke nomor telepon Anda."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.TIM_TEKNIS) | models.Q(opd__isnull=False),
                name="user_tim_teknis_has_opd",
                violation_error_message=_("Tim teknis harus terikat pada satu OPD."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if needs_opd(self.role) and self.opd_id is None:
            raise ValidationError({"opd": _("Tim teknis harus terikat pada satu OPD.")})
        if self.desa_id is not None:
            if self.kecamatan_id is None:
                raise ValidationError({"kecamatan": _("Pilih kecamatan dari desa/kelurahan ini.")})
            if self.desa.kecamatan_id != self.kecamatan_id:
                raise ValidationError(
                    {"desa": _("Desa/kelurahan ini tidak berada di kecamatan yang dipilih.")}
                )

    def save(self, *args, **kwargs):
        # The role is the single source of truth: admin access and superuser follow it.
        self.is_staff = self.role in ADMIN_ROLES
        self.is_superuser = self.role in ADMIN_ROLES
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]

    @property
    def is_officer(self) -> bool:
        return is_officer(self.role)

    @property
    def is_pemohon(self) -> bool:
        return self.role == Role.PEMOHON

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def must_verify_email(self) -> bool:
        """Applicants sign themselves up, so they log in only after proving their address.
        Officers are created by an admin, who vouches for the address."""
        return self.is_pemohon and self.email_verified_at is None

    @property
    def is_badan_usaha(self) -> bool:
        return self.applicant_kind == self.ApplicantKind.BADAN_USAHA

    def profile_missing_fields(self) -> list[str]:
        """Names of the profile fields an applicant still has to fill in before applying."""
        required = ["full_name", "nik", "phone", "address", "kecamatan"]
        if self.is_badan_usaha:
            required += ["company_name", "nib", "npwp"]
        return [name for name in required if not getattr(self, self._meta.get_field(name).attname)]
