from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Desa, Kecamatan, User
from accounts.pii import mask_nik


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
        "is_active",
        "date_joined",
    )
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
