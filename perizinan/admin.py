"""Admin: read-mostly views of applications and their audit trails. The admin sees what
``visible_to`` allows; statuses change only through ``perizinan.services.transition``."""

from django.contrib import admin

from perizinan.models import AksesDokumen, Dokumen, Penomoran, Permohonan, RiwayatStatus


class RiwayatInline(admin.TabularInline):
    model = RiwayatStatus
    extra = 0
    can_delete = False
    fields = ("created_at", "transition", "from_status", "to_status", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DokumenInline(admin.TabularInline):
    model = Dokumen
    extra = 0
    can_delete = False
    fields = ("persyaratan", "original_name", "size", "is_current", "verdict", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Permohonan)
class PermohonanAdmin(admin.ModelAdmin):
    list_display = ("number", "jenis_izin", "applicant", "status", "submitted_at", "due_date")
    list_filter = ("status", "route_delegated")
    search_fields = ("number", "applicant__email", "jenis_izin__name")
    list_select_related = ("jenis_izin", "applicant")
    readonly_fields = [f.name for f in Permohonan._meta.fields]
    inlines = [DokumenInline, RiwayatInline]

    def get_queryset(self, request):
        return Permohonan.objects.visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AksesDokumen)
class AksesDokumenAdmin(admin.ModelAdmin):
    list_display = ("accessed_at", "user", "user_role", "dokumen", "inline")
    list_select_related = ("user", "dokumen")
    readonly_fields = ("dokumen", "user", "user_role", "inline", "accessed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Penomoran)
class PenomoranAdmin(admin.ModelAdmin):
    list_display = ("key", "year", "last_value")
    readonly_fields = ("key", "year", "last_value")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
