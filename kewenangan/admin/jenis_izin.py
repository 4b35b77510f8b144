"""Admin of the service types and their standards: requirements, procedure steps and form
fields as inlines, publishing (a changed standard becomes a new version, also after each
edit of a published service), withdrawing from the catalogue, and the read-only versions."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kewenangan.admin.common import SAMPLE_WARNING, DateInput, intermediate_page
from kewenangan.models import IsianFormulir, JenisIzin, LangkahProsedur, Persyaratan, VersiStandar
from kewenangan.services import publish_standard, unpublish_standard


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
    fields = ("order", "title", "actor_role", "actor", "working_days", "description")
    formfield_overrides = {
        LangkahProsedur._meta.get_field("description").__class__: {
            "widget": forms.Textarea(attrs={"rows": 1, "cols": 30})
        }
    }


class IsianFormulirForm(forms.ModelForm):
    """A field's "Kunci" is derived from its label when left empty ("Nomor STR" ->
    ``nomor_str``), and whatever is typed is made a valid key instead of refused."""

    class Meta:
        model = IsianFormulir
        fields = (
            "order",
            "key",
            "label",
            "field_type",
            "required",
            "choices",
            "help_text",
            "print_on_permit",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        key = self.fields["key"]
        key.required = False
        key.validators = []
        key.help_text = _(
            "Kosongkan: dibuat dari label (mis. “Nomor STR” menjadi nomor_str). Jangan diubah "
            "setelah ada permohonan."
        )

    def clean(self):
        cleaned = super().clean()
        source = (cleaned.get("key") or "").strip() or cleaned.get("label") or ""
        key = slugify(source).replace("-", "_")[:60].strip("_")
        if not key:
            self.add_error("label", _("Tuliskan label isian."))
        cleaned["key"] = key
        self.instance.key = key
        return cleaned


class IsianFormulirInline(admin.TabularInline):
    model = IsianFormulir
    form = IsianFormulirForm
    extra = 0
    fields = (
        "order",
        "key",
        "label",
        "field_type",
        "required",
        "choices",
        "help_text",
        "print_on_permit",
    )
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
        return intermediate_page(
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
