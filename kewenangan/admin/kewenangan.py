"""Admin of the OPDs and the kewenangan: the edit form (with the legal basis, date and reason
of a change of holder), the read-only history, and the bulk action that moves or delegates
the selected authorities. Every change of holder goes through ``reassign_kewenangan``."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kewenangan.admin.common import SAMPLE_WARNING, DateInput, intermediate_page
from kewenangan.models import Kewenangan, Pelimpahan, PerangkatDaerah
from kewenangan.routes import Holder, route_gaps
from kewenangan.services import (
    cancel_scheduled_change,
    reassign_kewenangan,
    record_initial_holder,
    scheduled_change,
)

OVERRIDE_LABEL = _("Tetap simpan walau rute belum memiliki petugas aktif")
OVERRIDE_HELP = _(
    "Hanya bila petugas akan segera ditambahkan. Peran yang belum ada dicatat di riwayat "
    "pelimpahan bersama nama Anda."
)


def route_gap_message(gaps: list[str]) -> str:
    return gettext(
        "Rute layanan kewenangan ini belum memiliki petugas aktif untuk: %(roles)s. Tambahkan "
        'petugas dengan peran tersebut lebih dulu, atau centang "%(override)s".'
    ) % {"roles": "; ".join(gaps), "override": OVERRIDE_LABEL}


def scheduled_message(history: Pelimpahan) -> str:
    return gettext("%(code)s: perubahan pemegang dijadwalkan berlaku %(date)s (00.00 WIB).") % {
        "code": history.kewenangan.code,
        "date": date_format(history.effective_date, "j F Y"),
    }


HOLDER_FORM_FIELDS = ("origin_opd", "technical_opd", "delegated", "perbup_number", "perbup_date")


@admin.register(PerangkatDaerah)
class PerangkatDaerahAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "is_dpmptsp", "active")
    list_filter = ("kind", "is_dpmptsp", "active")
    search_fields = ("name", "short_name")


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
    override_route_gaps = forms.BooleanField(
        label=OVERRIDE_LABEL, required=False, help_text=OVERRIDE_HELP
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
            pending = scheduled_change(self.instance)
            if pending is not None:
                self.add_error(
                    "change_effective_date",
                    _(
                        "Sudah ada perubahan terjadwal yang berlaku %(date)s. Batalkan dulu "
                        "perubahan itu di riwayat pelimpahan."
                    )
                    % {"date": date_format(pending.effective_date, "j F Y")},
                )
            self.check_route(cleaned)
        return cleaned

    def check_route(self, cleaned) -> None:
        """A route that would point at nobody is refused, naming the missing roles, unless
        the admin ticks the override (recorded in the history row)."""
        self.route_gaps: list[str] = []
        origin = cleaned.get("origin_opd")
        if origin is None:
            return
        holder = Holder(origin, cleaned.get("technical_opd"), bool(cleaned.get("delegated")))
        self.route_gaps = route_gaps(self.instance, holder)
        if self.route_gaps and not cleaned.get("override_route_gaps"):
            self.add_error("override_route_gaps", route_gap_message(self.route_gaps))


class PelimpahanInline(admin.TabularInline):
    model = Pelimpahan
    extra = 0
    can_delete = False
    ordering = ("-created_at", "-id")
    fields = (
        "created_at",
        "from_label",
        "to_opd",
        "from_technical_label",
        "to_technical_label",
        "to_delegated",
        "legal_basis",
        "effective_date",
        "status",
        "changed_by",
        "source",
        "reason",
        "route_override",
    )
    readonly_fields = fields
    verbose_name_plural = _("riwayat pelimpahan")

    @admin.display(description=_("dari OPD"))
    def from_label(self, obj):
        return obj.from_label

    @admin.display(description=_("dari OPD teknis"))
    def from_technical_label(self, obj):
        return obj.from_technical_opd or "–"

    @admin.display(description=_("ke OPD teknis"))
    def to_technical_label(self, obj):
        return obj.to_technical_opd or "–"

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
    override_route_gaps = forms.BooleanField(
        label=OVERRIDE_LABEL, required=False, help_text=OVERRIDE_HELP
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("operation") == self.MOVE and not cleaned.get("origin_opd"):
            self.add_error("origin_opd", _("Pilih OPD asal yang baru."))
        return cleaned


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
        "stage_year_display",
        "active",
        "is_sample",
    )
    list_filter = ("delegated", "origin_opd", "sector", "stage_year", "active", "is_sample")
    list_select_related = ("origin_opd", "technical_opd")
    search_fields = ("code", "name", "perbup_number")
    inlines = [PelimpahanInline]
    actions = ["reassign_selected"]

    @admin.display(description=_("tahap (tahun)"), ordering="stage_year")
    def stage_year_display(self, obj):
        """A year, never "2.019" (no thousand separator)."""
        return str(obj.stage_year) if obj.stage_year else "–"

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
            {
                "fields": (
                    "change_legal_basis",
                    "change_effective_date",
                    "change_reason",
                    "override_route_gaps",
                )
            },
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
        overridden = "; ".join(form.route_gaps) if data.get("override_route_gaps") else ""
        history = reassign_kewenangan(
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
            route_override=overridden,
        )
        if history is not None and history.status == Pelimpahan.Status.TERJADWAL:
            messages.info(request, scheduled_message(history))
        if overridden:
            messages.warning(request, route_gap_message(form.route_gaps))

    @staticmethod
    def _bulk_kwargs(form, data) -> dict:
        kwargs: dict = {}
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
        return kwargs

    @staticmethod
    def _bulk_holder(kewenangan: Kewenangan, kwargs: dict) -> Holder:
        return Holder(
            kwargs.get("origin_opd") or kewenangan.origin_opd,
            kwargs.get("technical_opd", kewenangan.technical_opd),
            kwargs.get("delegated", kewenangan.delegated),
        )

    @admin.action(description=_("Pindahkan / limpahkan kewenangan terpilih"))
    def reassign_selected(self, request, queryset):
        if "apply" in request.POST:
            form = BulkReassignForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                plan = [(k, self._bulk_kwargs(form, data)) for k in queryset.order_by("code")]
                gaps = {k.code: route_gaps(k, self._bulk_holder(k, kw)) for k, kw in plan}
                gaps = {code: found for code, found in gaps.items() if found}
                if gaps and not data["override_route_gaps"]:
                    for code, found in gaps.items():
                        form.add_error(None, f"{code}: {route_gap_message(found)}")
                    return intermediate_page(
                        self,
                        request,
                        queryset,
                        form,
                        title=_("Pindahkan atau limpahkan kewenangan"),
                        action="reassign_selected",
                        submit_label=_("Simpan dan catat riwayat"),
                    )
                changed = 0
                scheduled = []
                try:
                    with transaction.atomic():
                        for kewenangan, kwargs in plan:
                            history = reassign_kewenangan(
                                kewenangan,
                                legal_basis=data["legal_basis"],
                                effective_date=data["effective_date"],
                                actor=request.user,
                                reason=data["reason"],
                                source="admin",
                                route_override="; ".join(gaps.get(kewenangan.code, [])),
                                **kwargs,
                            )
                            changed += history is not None
                            if history is not None and history.status == "terjadwal":
                                scheduled.append(history)
                except ValidationError as exc:
                    self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                    return None
                for history in scheduled:
                    self.message_user(request, scheduled_message(history), messages.INFO)
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
        return intermediate_page(
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
        "from_label",
        "to_opd",
        "to_delegated",
        "legal_basis",
        "effective_date",
        "status",
        "changed_by",
        "source",
    )
    list_filter = ("status", "source", "to_delegated", "to_opd")
    actions = ["cancel_selected"]

    @admin.display(description=_("dari OPD"))
    def from_label(self, obj):
        return obj.from_label

    @admin.action(description=_("Batalkan perubahan terjadwal yang dipilih"))
    def cancel_selected(self, request, queryset):
        cancelled = 0
        for history in queryset.filter(status=Pelimpahan.Status.TERJADWAL):
            if cancel_scheduled_change(history, actor=request.user):
                cancelled += 1
                self.log_change(request, history, gettext("Perubahan terjadwal dibatalkan."))
        self.message_user(
            request,
            ngettext(
                "%(count)d perubahan terjadwal dibatalkan.",
                "%(count)d perubahan terjadwal dibatalkan.",
                cancelled,
            )
            % {"count": cancelled},
            messages.SUCCESS if cancelled else messages.WARNING,
        )

    list_select_related = ("kewenangan", "from_opd", "to_opd", "changed_by")
    search_fields = ("kewenangan__code", "kewenangan__name", "legal_basis", "reason")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
