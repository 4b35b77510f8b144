"""Admin of public accountability: the complaint settings (a singleton the admin edits) and a
read-only view of complaints with their history. Complaints move only through
``akuntabilitas.services.pengaduan``; survey answers are not listed one by one (reports show them
aggregated or anonymous)."""

from django.contrib import admin

from akuntabilitas.models import Pengaduan, PengaturanPengaduan, RiwayatPengaduan


@admin.register(PengaturanPengaduan)
class PengaturanPengaduanAdmin(admin.ModelAdmin):
    list_display = ("__str__", "response_working_days", "updated_at")

    def has_add_permission(self, request):
        return not PengaturanPengaduan.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class RiwayatPengaduanInline(admin.TabularInline):
    model = RiwayatPengaduan
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_status", "to_status", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pengaduan)
class PengaduanAdmin(admin.ModelAdmin):
    list_display = ("number", "topic", "status", "received_at", "due_date", "answered_on_time")
    list_filter = ("status", "topic", "anonymous")
    search_fields = ("number", "title")
    exclude = ("pin_digest",)
    readonly_fields = [f.name for f in Pengaduan._meta.fields if f.name != "pin_digest"]
    inlines = [RiwayatPengaduanInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
