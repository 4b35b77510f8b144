"""Django admin for OPDs, kewenangan (with their history), service types and their
standards, local holidays and the service pledge.

Every change of a kewenangan's holder goes through ``reassign_kewenangan`` (edit form and
bulk action alike), so each writes a history row. A published service is re-published after
each edit: a changed standard becomes a new version.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kewenangan.models import (
    HariLibur,
    IsianFormulir,
    JenisIzin,
    Kewenangan,
    LangkahProsedur,
    Maklumat,
    Pelimpahan,
    PerangkatDaerah,
    Persyaratan,
    VersiStandar,
)
from kewenangan.services import (
    publish_standard,
    reassign_kewenangan,
    record_initial_holder,
    unpublish_standard,
)

HOLDER_FORM_FIELDS = ("origin_opd", "technical_opd", "delegated", "perbup_number", "perbup_date")
SAMPLE_WARNING = _(
    'Data kewenangan dan layanan yang bertanda "data contoh" bukan lampiran Perbup yang sah. '
    "Ganti dengan impor lampiran: manage.py import_kewenangan lampiran.xlsx."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


@admin.register(PerangkatDaerah)
class PerangkatDaerahAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "is_dpmptsp", "active")
    list_filter = ("kind", "is_dpmptsp", "active")
    search_fields = ("name", "short_name")


# --- Kewenangan -------------------------------------------------------------------------------


class KewenanganAdminForm(forms.ModelForm):
    """The edit form, plus the legal basis, date and reason of a change of holder."""

    change_legal_basis = forms.CharField(
        label=_("Dasar hukum perubahan"),
        required=False,
        max_length=300,
        help_text=_("Wajib bila OPD, status pelimpahan atau Perbup berubah. Kosong: nomor Perbup."),
    )
    change_effective_date = forms.DateField(
        label=_("Berlaku sejak"),
        required=False,
        widget=DateInput(),
        help_text=_("Kosong: tanggal Perbup."),
    )
    change_reason = forms.CharField(
        label=_("Alasan perubahan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Kewenangan
        fields = [
            "code",
            "name",
            "sector",
            "origin_opd",
            "technical_opd",
            "delegated",
            "perbup_number",
            "perbup_date",
            "stage_year",
            "active",
            "is_sample",
        ]
        widgets = {"perbup_date": DateInput()}

    def holder_changed(self) -> bool:
        return bool(self.instance.pk) and any(f in self.changed_data for f in HOLDER_FORM_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.holder_changed():
            if not cleaned.get("change_legal_basis") and cleaned.get("delegated"):
                cleaned["change_legal_basis"] = cleaned.get("perbup_number", "")
            if not cleaned.get("change_effective_date") and cleaned.get("delegated"):
                cleaned["change_effective_date"] = cleaned.get("perbup_date")
            required = _("Wajib diisi karena pemegang kewenangan berubah.")
            for name in ("change_legal_basis", "change_effective_date", "change_reason"):
                if not cleaned.get(name):
                    self.add_error(name, required)
        return cleaned


class PelimpahanInline(admin.TabularInline):
    model = Pelimpahan
    extra = 0
    can_delete = False
    ordering = ("-created_at", "-id")
    fields = (
        "created_at",
        "from_opd",
        "to_opd",
        "from_technical_opd",
        "to_technical_opd",
        "to_delegated",
        "legal_basis",
        "effective_date",
        "changed_by",
        "source",
        "reason",
    )
    readonly_fields = fields
    verbose_name_plural = _("riwayat pelimpahan")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "from_opd", "to_opd", "from_technical_opd", "to_technical_opd", "changed_by"
            )
        )


class BulkReassignForm(forms.Form):
    DELEGATE = "delegate"
    MOVE = "move"
    WITHDRAW = "withdraw"

    operation = forms.ChoiceField(
        label=_("Tindakan"),
        choices=[
            (DELEGATE, _("Limpahkan ke DPMPTSP")),
            (MOVE, _("Pindahkan ke OPD asal lain")),
            (WITHDRAW, _("Tarik pelimpahan (kembali ke OPD asal)")),
        ],
        widget=forms.RadioSelect,
    )
    origin_opd = forms.ModelChoiceField(
        label=_("OPD asal baru"),
        queryset=PerangkatDaerah.objects.filter(active=True),
        required=False,
        help_text=_("Wajib untuk pemindahan OPD asal."),
    )
    technical_opd = forms.ModelChoiceField(
        label=_("OPD tim teknis baru"),
        queryset=PerangkatDaerah.objects.filter(active=True),
        required=False,
        help_text=_("Kosong: tim teknis tidak berubah."),
    )
    legal_basis = forms.CharField(
        label=_("Nomor Perbup / dasar hukum"),
        max_length=100,
        help_text=_("Untuk pelimpahan: nomor Perbup, mis. Perbup Barito Timur Nomor 5 Tahun 2026."),
    )
    effective_date = forms.DateField(label=_("Tanggal Perbup / berlaku sejak"), widget=DateInput())
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("operation") == self.MOVE and not cleaned.get("origin_opd"):
            self.add_error("origin_opd", _("Pilih OPD asal yang baru."))
        return cleaned


def _intermediate_page(modeladmin, request, queryset, form, *, title, action, submit_label):
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": queryset,
        "action": action,
        "submit_label": submit_label,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "kewenangan/admin/action_form.html", context)


@admin.register(Kewenangan)
class KewenanganAdmin(admin.ModelAdmin):
    form = KewenanganAdminForm
    list_display = (
        "code",
        "name",
        "sector",
        "origin_opd",
        "technical_opd",
        "delegated",
        "perbup_number",
        "stage_year",
        "active",
        "is_sample",
    )
    list_filter = ("delegated", "origin_opd", "sector", "stage_year", "active", "is_sample")
    list_select_related = ("origin_opd", "technical_opd")
    search_fields = ("code", "name", "perbup_number")
    inlines = [PelimpahanInline]
    actions = ["reassign_selected"]
    fieldsets = (
        (None, {"fields": ("code", "name", "sector", "active", "is_sample")}),
        (
            _("Pemegang dan pelimpahan"),
            {
                "fields": (
                    "origin_opd",
                    "technical_opd",
                    "delegated",
                    "perbup_number",
                    "perbup_date",
                    "stage_year",
                )
            },
        ),
        (
            _("Dasar perubahan pemegang (dicatat di riwayat)"),
            {"fields": ("change_legal_basis", "change_effective_date", "change_reason")},
        ),
    )

    def changelist_view(self, request, extra_context=None):
        if Kewenangan.objects.filter(is_sample=True).exists():
            messages.warning(request, SAMPLE_WARNING)
        return super().changelist_view(request, extra_context)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if not change:
            obj.save()
            record_initial_holder(
                obj,
                actor=request.user,
                source="admin",
                reason=form.cleaned_data.get("change_reason") or "",
                legal_basis=form.cleaned_data.get("change_legal_basis") or "",
            )
            return
        if not form.holder_changed():
            obj.save()
            return
        wanted = {name: getattr(obj, name) for name in HOLDER_FORM_FIELDS}
        stored = Kewenangan.objects.get(pk=obj.pk)
        for name in HOLDER_FORM_FIELDS:
            setattr(obj, name, getattr(stored, name))
        obj.save()  # the plain fields
        data = form.cleaned_data
        reassign_kewenangan(
            obj,
            origin_opd=wanted["origin_opd"],
            technical_opd=wanted["technical_opd"],
            delegated=wanted["delegated"],
            perbup_number=wanted["perbup_number"] if wanted["delegated"] else None,
            perbup_date=wanted["perbup_date"] if wanted["delegated"] else None,
            stage_year=obj.stage_year,
            legal_basis=data["change_legal_basis"],
            effective_date=data["change_effective_date"],
            actor=request.user,
            reason=data["change_reason"],
            source="admin",
        )

    @admin.action(description=_("Pindahkan / limpahkan kewenangan terpilih"))
    def reassign_selected(self, request, queryset):
        if "apply" in request.POST:
            form = BulkReassignForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                changed = 0
                try:
                    with transaction.atomic():
                        for kewenangan in queryset.order_by("code"):
                            kwargs = {}
                            if data["operation"] == form.DELEGATE:
                                kwargs["delegated"] = True
                                kwargs["perbup_number"] = data["legal_basis"]
                                kwargs["perbup_date"] = data["effective_date"]
                            elif data["operation"] == form.WITHDRAW:
                                kwargs["delegated"] = False
                            else:
                                kwargs["origin_opd"] = data["origin_opd"]
                            if data["technical_opd"]:
                                kwargs["technical_opd"] = data["technical_opd"]
                            history = reassign_kewenangan(
                                kewenangan,
                                legal_basis=data["legal_basis"],
                                effective_date=data["effective_date"],
                                actor=request.user,
                                reason=data["reason"],
                                source="admin",
                                **kwargs,
                            )
                            changed += history is not None
                except ValidationError as exc:
                    self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                    return None
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d kewenangan diubah; riwayatnya dicatat.",
                        "%(count)d kewenangan diubah; riwayatnya dicatat.",
                        changed,
                    )
                    % {"count": changed},
                    messages.SUCCESS,
                )
                return None
        else:
            form = BulkReassignForm()
        return _intermediate_page(
            self,
            request,
            queryset,
            form,
            title=_("Pindahkan atau limpahkan kewenangan"),
            action="reassign_selected",
            submit_label=_("Simpan dan catat riwayat"),
        )


@admin.register(Pelimpahan)
class PelimpahanAdmin(admin.ModelAdmin):
    """The history, read-only: it is written by the services, never edited."""

    list_display = (
        "created_at",
        "kewenangan",
        "from_opd",
        "to_opd",
        "to_delegated",
        "legal_basis",
        "effective_date",
        "changed_by",
        "source",
    )
    list_filter = ("source", "to_delegated", "to_opd")
    list_select_related = ("kewenangan", "from_opd", "to_opd", "changed_by")
    search_fields = ("kewenangan__code", "kewenangan__name", "legal_basis", "reason")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- JenisIzin and its standard ----------------------------------------------------------------


class PersyaratanFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if not self.instance.is_published:
            return
        remaining = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]
        if not remaining:
            raise ValidationError(
                _("Layanan yang diterbitkan wajib memiliki sedikitnya satu persyaratan.")
            )


class PersyaratanInline(admin.TabularInline):
    model = Persyaratan
    formset = PersyaratanFormSet
    extra = 0
    fields = (
        "order",
        "name",
        "explanation",
        "mandatory",
        "accepted_types",
        "max_size_kb",
        "template_file",
    )
    formfield_overrides = {
        Persyaratan._meta.get_field("explanation").__class__: {
            "widget": forms.Textarea(attrs={"rows": 1, "cols": 30})
        }
    }


class LangkahProsedurInline(admin.TabularInline):
    model = LangkahProsedur
    extra = 0
    fields = ("order", "title", "actor", "working_days", "description")
    formfield_overrides = {
        LangkahProsedur._meta.get_field("description").__class__: {
            "widget": forms.Textarea(attrs={"rows": 1, "cols": 30})
        }
    }


class IsianFormulirInline(admin.TabularInline):
    model = IsianFormulir
    extra = 0
    fields = ("order", "key", "label", "field_type", "required", "choices", "help_text")
    formfield_overrides = {
        IsianFormulir._meta.get_field("choices").__class__: {
            "widget": forms.Textarea(attrs={"rows": 1, "cols": 20})
        }
    }


class VersiStandarInline(admin.TabularInline):
    model = VersiStandar
    extra = 0
    can_delete = False
    fields = ("number", "sk_number", "sk_date", "published_at", "published_by")
    readonly_fields = fields
    verbose_name_plural = _("versi yang diterbitkan")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PublishForm(forms.Form):
    sk_number = forms.CharField(
        label=_("Nomor SK standar pelayanan"), max_length=100, required=False
    )
    sk_date = forms.DateField(label=_("Tanggal SK"), required=False, widget=DateInput())


@admin.register(JenisIzin)
class JenisIzinAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "kewenangan_code",
        "variant",
        "kind",
        "sla_working_days",
        "fee_kind",
        "is_published",
        "latest_version",
    )
    list_filter = (
        "is_published",
        "variant",
        "kind",
        "fee_kind",
        "needs_field_check",
        "kewenangan__origin_opd",
        "kewenangan__sector",
        "kewenangan__is_sample",
    )
    list_select_related = ("kewenangan",)
    search_fields = ("name", "slug", "kewenangan__code", "kewenangan__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("kewenangan",)
    readonly_fields = ("is_published", "updated_at")
    inlines = [PersyaratanInline, LangkahProsedurInline, IsianFormulirInline, VersiStandarInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = (
        (
            None,
            {"fields": ("kewenangan", "name", "slug", "kind", "variant", "description")},
        ),
        (
            _("Jangka waktu (hari kerja)"),
            {
                "fields": (
                    "sla_working_days",
                    "sla_verification_days",
                    "sla_technical_days",
                    "sla_signing_days",
                )
            },
        ),
        (_("Biaya/tarif"), {"fields": ("fee_kind", "fee_amount", "fee_legal_basis")}),
        (
            _("Produk dan masa berlaku"),
            {"fields": ("product", "validity_months", "validity_note", "permit_code")},
        ),
        (
            _("Pengaduan, dasar hukum, pemeriksaan"),
            {
                "fields": (
                    "complaint_channel",
                    "legal_basis",
                    "needs_field_check",
                    "needs_technical_review",
                )
            },
        ),
        (_("Publikasi"), {"fields": ("is_published", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_latest_version=Max("versi__number"))

    @admin.display(description=_("kewenangan"), ordering="kewenangan__code")
    def kewenangan_code(self, obj):
        return obj.kewenangan.code

    @admin.display(description=_("versi"), ordering="_latest_version")
    def latest_version(self, obj):
        return obj._latest_version

    def changelist_view(self, request, extra_context=None):
        if JenisIzin.objects.filter(kewenangan__is_sample=True).exists():
            messages.warning(request, SAMPLE_WARNING)
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        """After the inlines are saved, a published standard is re-published: a new version
        when its content changed."""
        super().save_related(request, form, formsets, change)
        service = form.instance
        if not service.is_published:
            return
        before = service.versi.aggregate(n=Max("number"))["n"]
        try:
            version = publish_standard(service, actor=request.user)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        if version.number != before:
            self.message_user(
                request,
                _("Standar berubah: versi %(n)s diterbitkan.") % {"n": version.number},
                messages.SUCCESS,
            )

    @admin.action(description=_("Terbitkan standar pelayanan (versi baru bila berubah)"))
    def publish_selected(self, request, queryset):
        if "apply" in request.POST:
            form = PublishForm(request.POST)
            if form.is_valid():
                published, failed = 0, []
                for service in queryset.order_by("name"):
                    try:
                        publish_standard(
                            service,
                            actor=request.user,
                            sk_number=form.cleaned_data["sk_number"],
                            sk_date=form.cleaned_data["sk_date"],
                        )
                        published += 1
                    except ValidationError as exc:
                        failed.append(f"{service.name}: {'; '.join(exc.messages)}")
                if published:
                    self.message_user(
                        request,
                        _("%(count)d layanan diterbitkan.") % {"count": published},
                        messages.SUCCESS,
                    )
                for message in failed:
                    self.message_user(
                        request, _("Tidak dapat diterbitkan: %s") % message, messages.ERROR
                    )
                return None
        else:
            form = PublishForm()
        return _intermediate_page(
            self,
            request,
            queryset,
            form,
            title=_("Terbitkan standar pelayanan"),
            action="publish_selected",
            submit_label=_("Terbitkan"),
        )

    @admin.action(description=_("Tarik dari publikasi"))
    def unpublish_selected(self, request, queryset):
        for service in queryset:
            unpublish_standard(service, actor=request.user)
        self.message_user(request, _("Layanan ditarik dari katalog publik."), messages.SUCCESS)


@admin.register(VersiStandar)
class VersiStandarAdmin(admin.ModelAdmin):
    """Published versions, read-only: a version is never edited."""

    list_display = ("jenis_izin", "number", "sk_number", "sk_date", "published_at", "published_by")
    list_select_related = ("jenis_izin", "published_by")
    search_fields = ("jenis_izin__name", "jenis_izin__slug", "sk_number")
    fields = (
        "jenis_izin",
        "number",
        "sk_number",
        "sk_date",
        "published_at",
        "published_by",
        "snapshot_pretty",
    )
    readonly_fields = fields

    @admin.display(description=_("isi standar"))
    def snapshot_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.snapshot, indent=2, ensure_ascii=False))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    list_display = ("date", "description")
    search_fields = ("description",)
    date_hierarchy = "date"


@admin.register(Maklumat)
class MaklumatAdmin(admin.ModelAdmin):
    list_display = ("title", "effective_date", "active", "updated_at")
    list_filter = ("active",)
