from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Admins grant staff roles here; the role decides what a user may do."""

    ordering = ("email",)
    list_display = ("email", "full_name", "role", "opd", "is_active", "date_joined")
    list_filter = ("role", "opd", "is_active")
    search_fields = ("email", "full_name")
    readonly_fields = ("last_login", "date_joined", "is_staff", "is_superuser")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profil"), {"fields": ("full_name",)}),
        (_("Peran"), {"fields": ("role", "opd", "is_active", "is_staff", "is_superuser")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "opd", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ()
