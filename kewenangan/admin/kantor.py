"""Admin of the office's local holidays (closures) and its service pledge (maklumat)."""

from __future__ import annotations

from django.contrib import admin

from kewenangan.models import HariLibur, Maklumat


@admin.register(HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    list_display = ("date", "description")
    search_fields = ("description",)
    date_hierarchy = "date"


@admin.register(Maklumat)
class MaklumatAdmin(admin.ModelAdmin):
    list_display = ("title", "effective_date", "active", "updated_at")
    list_filter = ("active",)
