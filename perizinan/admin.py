"""Admin: read-mostly views of applications and their audit trails. The admin sees what
``visible_to`` allows; statuses change only through ``perizinan.services.transition``."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perizinan.exceptions import WorkflowError
from perizinan.models import (
    AksesDokumen,
    AktivitasBerkas,
    BeritaAcara,
    Dokumen,
    Penomoran,
    Permohonan,
    RiwayatStatus,
    SalinanIzin,
)


class RiwayatInline(admin.TabularInline):
    model = RiwayatStatus
    extra = 0
    can_delete = False
    fields = ("created_at", "move", "from_status", "to_status", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("tindakan"))
    def move(self, obj):
        return obj.transition_label


class DokumenInline(admin.TabularInline):
    model = Dokumen
    extra = 0
    can_delete = False
    fields = (
        "persyaratan",
        "original_name",
        "size",
        "is_current",
        "verdict",
        "scan_status",
        "scan_signature",
        "uploaded_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AktivitasInline(admin.TabularInline):
    model = AktivitasBerkas
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "actor", "text", "data")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Permohonan)
class PermohonanAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "jenis_izin",
        "applicant",
        "status",
        "processing_opd",
        "assigned_to",
        "submitted_at",
        "due_date",
    )
    list_filter = ("status", "route_delegated", "processing_opd")
    search_fields = ("number", "applicant__email", "jenis_izin__name")
    list_select_related = ("jenis_izin", "applicant", "processing_opd", "assigned_to")
    readonly_fields = [f.name for f in Permohonan._meta.fields]
    inlines = [DokumenInline, RiwayatInline, AktivitasInline]
    actions = ["reroute"]

    @admin.action(description=gettext_lazy("Alihkan ke rute kewenangan saat ini"))
    def reroute(self, request, queryset):
        """Files in progress keep the route they were submitted under; after an authority is
        reassigned, an admin moves selected files to the new route, with a reason."""
        from perizinan.forms.petugas import RerouteForm
        from perizinan.services.petugas import reroute_permohonan

        form = RerouteForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done, refused = 0, []
            for permohonan in queryset:
                try:
                    reroute_permohonan(
                        permohonan, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                except (WorkflowError, ValidationError) as exc:
                    refused.append(f"{permohonan.number}: {exc}")
                else:
                    done += 1
            if done:
                self.message_user(
                    request, _("%(n)s permohonan dialihkan ke rute baru.") % {"n": done}
                )
            for line in refused:
                self.message_user(request, line, level=messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Alihkan rute permohonan"),
            "form": form,
            "queryset": queryset.select_related("processing_opd", "technical_opd", "jenis_izin"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "perizinan/admin_reroute.html", context)

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


@admin.register(SalinanIzin)
class SalinanIzinAdmin(admin.ModelAdmin):
    """The record of every copy of a permit issued (who asked, why, when): read only."""

    list_display = ("izin", "sequence", "requested_by", "reason", "created_at")
    list_select_related = ("izin", "requested_by")
    search_fields = ("izin__number",)
    readonly_fields = (
        "izin",
        "sequence",
        "reason",
        "requested_by",
        "file_name",
        "file_size",
        "sha256",
        "created_at",
    )

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


@admin.register(AktivitasBerkas)
class AktivitasBerkasAdmin(admin.ModelAdmin):
    list_display = ("created_at", "permohonan", "kind", "actor")
    list_filter = ("kind",)
    list_select_related = ("permohonan", "actor")
    readonly_fields = ("permohonan", "kind", "actor", "text", "data", "created_at")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(permohonan__in=Permohonan.objects.visible_to(request.user))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BeritaAcara)
class BeritaAcaraAdmin(admin.ModelAdmin):
    list_display = ("permohonan", "inspected_on", "uploaded_by", "uploaded_at", "scan_status")
    list_filter = ("scan_status",)
    list_select_related = ("permohonan", "uploaded_by")
    readonly_fields = (
        "permohonan",
        "inspected_on",
        "summary",
        "original_name",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "scan_status",
        "scanned_at",
        "scan_signature",
    )
    exclude = ("stored_name", "content_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
