from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import services as mfa
from accounts.models import Desa, Kecamatan, User
from accounts.pii import mask_nik

# A second factor is never edited by hand: no admin pages for django-otp's devices (they would
# let an admin read backup codes or plant a key). The one operation is the audited reset below.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Admins create officer accounts and grant roles here; the role decides what a user may
    do. A tim teknis must have an OPD (``User.clean`` and a database constraint say so)."""

    ordering = ("email",)
    list_display = (
        "email",
        "full_name",
        "role",
        "opd",
        "masked_nik",
        "email_verified",
        "mfa_enrolled",
        "is_active",
        "date_joined",
    )
    actions = ("reset_mfa",)
    list_filter = ("role", "opd", "is_active", "applicant_kind")
    list_select_related = ("opd",)
    search_fields = ("email", "full_name", "company_name")
    readonly_fields = ("last_login", "date_joined", "is_staff", "is_superuser")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profil"), {"fields": ("full_name", "phone")}),
        (
            _("Peran"),
            {
                "fields": ("role", "opd", "is_active", "is_staff", "is_superuser"),
                "description": _("OPD wajib diisi untuk peran tim teknis."),
            },
        ),
        (
            _("Data pemohon"),
            {
                "classes": ("collapse",),
                "fields": (
                    "applicant_kind",
                    "nik",
                    "address",
                    "kecamatan",
                    "desa",
                    "company_name",
                    "nib",
                    "npwp",
                ),
            },
        ),
        (_("Waktu"), {"fields": ("email_verified_at", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "opd", "password1", "password2"),
                "description": _(
                    "Akun petugas dibuat di sini. OPD wajib diisi untuk peran tim teknis. "
                    "Alamat e-mail akun yang dibuat admin dianggap sudah terverifikasi."
                ),
            },
        ),
    )
    filter_horizontal = ()

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj):
        return mask_nik(obj.nik)

    @admin.display(description=_("e-mail terverifikasi"), boolean=True)
    def email_verified(self, obj):
        return obj.email_verified_at is not None

    def get_queryset(self, request):
        enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_mfa_device=Exists(enrolled))

    @admin.display(description=_("MFA aktif"), boolean=True)
    def mfa_enrolled(self, obj):
        """Staff only: a citizen needs no second factor (shown empty)."""
        return obj.has_mfa_device if mfa.required_for(obj) else None

    @admin.action(
        description=_("Atur ulang MFA (ponsel hilang): daftar ulang saat masuk berikutnya"),
        permissions=("change",),
    )
    def reset_mfa(self, request, queryset):
        """Delete the selected users' authenticator and backup codes; each enrols again at
        the next log-in. Audited per user (admin log entry and a ``mfa_reset`` event)."""
        count = 0
        for user in queryset:
            if mfa.reset_devices(user=user, actor=request.user):
                count += 1
        if count:
            self.message_user(
                request,
                ngettext(
                    "Verifikasi dua langkah %(count)d pengguna diatur ulang. Mereka mendaftarkan "
                    "aplikasi autentikator lagi saat masuk berikutnya.",
                    "Verifikasi dua langkah %(count)d pengguna diatur ulang. Mereka mendaftarkan "
                    "aplikasi autentikator lagi saat masuk berikutnya.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("Tidak ada perangkat MFA pada pengguna yang dipilih; tidak ada yang diubah."),
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change):
        if not change and obj.email_verified_at is None:
            # The admin vouches for the address of an account they create.
            obj.email_verified_at = timezone.now()
        super().save_model(request, obj, form, change)


class DesaInline(admin.TabularInline):
    model = Desa
    extra = 1
    fields = ("name", "is_kelurahan")


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name",)
    inlines = (DesaInline,)


@admin.register(Desa)
class DesaAdmin(admin.ModelAdmin):
    list_display = ("name", "kecamatan", "is_kelurahan")
    list_filter = ("kecamatan", "is_kelurahan")
    list_select_related = ("kecamatan",)
    search_fields = ("name",)
