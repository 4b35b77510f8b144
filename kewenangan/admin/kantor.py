"""Admin of the office's local holidays (closures), its service pledge (maklumat) and the
official data of its signing officers (name, NIP, rank printed on permits)."""

from __future__ import annotations

from django.contrib import admin

from kewenangan.models import HariLibur, Maklumat, PejabatPenandatangan


@admin.register(HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    list_display = ("date", "description")
    search_fields = ("description",)
    date_hierarchy = "date"


@admin.register(Maklumat)
class MaklumatAdmin(admin.ModelAdmin):
    list_display = ("title", "effective_date", "active", "updated_at")
    list_filter = ("active",)


@admin.register(PejabatPenandatangan)
class PejabatPenandatanganAdmin(admin.ModelAdmin):
    """The name, NIP and rank printed under a signing officer's signature."""

    list_display = ("user", "printed_name", "nip", "rank")
    search_fields = ("user__email", "user__full_name", "printed_name", "nip")
    autocomplete_fields = ("user",)
