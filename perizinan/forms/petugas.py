"""Forms of the officers' desk: queue filters, the move form, verdicts, notes, the BAP,
reassignment and the counter's assisted entry. Explicit fields only."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from config.forms import RupiahField, SafeCharField, valid_values
from config.memo import ttl_memo
from config.widgets import FastSelect, PrerenderedSelect, options_html
from perizinan import selectors
from perizinan.forms.pemohon import ApplicantForm
from perizinan.models import Dokumen
from perizinan.services.fees import fee_limit_message, max_fee
from perizinan.workflow import (
    INPUT_FEE,
    INPUT_FIELDS_TO_FIX,
    INPUT_FIX_DAYS,
    INPUT_PAYMENT_REFERENCE,
    Status,
)

QUEUE_VIEW_CHOICES = [
    (selectors.QUEUE_WORK, _("Pekerjaan saya (tahap peran saya)")),
    (selectors.QUEUE_ACTIVE, _("Semua yang berjalan")),
    (selectors.QUEUE_WAITING, _("Menunggu pemohon")),
    (selectors.QUEUE_DONE, _("Selesai")),
] + [(s.value, s.label) for s in Status if s != Status.DRAFT]

DUE_CHOICES = [
    ("", _("Semua tenggat")),
    (selectors.DUE_OVERDUE, _("Lewat tenggat")),
    (selectors.DUE_TODAY, _("Jatuh tempo hari ini")),
    (selectors.DUE_WEEK, _("Tujuh hari ke depan")),
]

ASSIGNED_CHOICES = [
    ("", _("Semua petugas")),
    (selectors.ASSIGNED_MINE, _("Yang saya pegang")),
    (selectors.ASSIGNED_NONE, _("Belum diambil")),
]


@ttl_memo(60)
def _service_options(language: str) -> tuple[dict, str]:
    """The published services for the queue filter: ``{slug: pk}`` and the ``<option>``
    elements, read and rendered once a minute per process and language instead of on every
    queue page (about 200 services; bench/README.md)."""
    services = selectors.published_services().order_by("name").values_list("pk", "slug", "name")
    choices = [("", gettext("Semua layanan"))] + [(slug, name) for _pk, slug, name in services]
    return {slug: pk for pk, slug, _name in services}, options_html(choices)


class QueueFilterForm(forms.Form):
    """GET filters of a queue. Unknown or refused values fall back to the defaults.

    Rendered by hand in ``queue.html`` with ``FastSelect`` widgets, not through crispy: the
    queue is the officers' busiest page and crispy cost about 2 ms per field there."""

    status = forms.ChoiceField(
        label=_("Tahap"),
        choices=QUEUE_VIEW_CHOICES,
        required=False,
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    layanan = SafeCharField(
        label=_("Layanan"),
        required=False,
        max_length=200,
        widget=PrerenderedSelect(attrs={"class": "form-select"}),
    )
    tenggat = forms.ChoiceField(
        label=_("Tenggat"),
        choices=DUE_CHOICES,
        required=False,
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    penugasan = forms.ChoiceField(
        label=_("Penugasan"),
        choices=ASSIGNED_CHOICES,
        required=False,
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    q = SafeCharField(
        label=_("Cari nomor atau nama pemohon"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.services, self.fields["layanan"].widget.prerendered = _service_options(get_language())

    def clean_layanan(self) -> str:
        slug = self.cleaned_data.get("layanan") or ""
        return slug if slug in self.services else ""

    def values(self) -> dict:
        """The filters to apply; a refused field (a control character, a value too long, an
        unknown choice) falls back to its default, the others still apply."""
        data = valid_values(self) if self.is_bound else {}
        return {
            "view": data.get("status") or selectors.QUEUE_WORK,
            "service": self.services.get(data.get("layanan") or ""),
            "due": data.get("tenggat") or "",
            "assigned": data.get("penugasan") or "",
            "q": data.get("q") or "",
        }


class MoveForm(forms.Form):
    """One move on the file page. The fields shown follow the move's ``inputs``."""

    state_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(
        label=_("Catatan untuk pemohon"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dikirim kepada pemohon dan tampil pada riwayat permohonannya."),
    )
    internal_note = forms.CharField(
        label=_("Catatan internal"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Hanya terlihat oleh petugas."),
    )
    fee_amount = RupiahField(
        label=_("Nominal retribusi (rupiah)"),
        min_value=1,
        required=False,
        help_text=_("Misalnya 4.750.000 atau Rp 4.750.000."),
    )
    payment_reference = forms.CharField(
        label=_("Nomor bukti pembayaran (STS/kode bayar)"), max_length=100, required=False
    )
    fix_working_days = forms.IntegerField(
        label=_("Batas waktu perbaikan (hari kerja)"),
        min_value=1,
        max_value=365,
        required=False,
    )
    fields_to_fix = forms.MultipleChoiceField(
        label=_("Isian yang perlu diperbaiki"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, move, permohonan, field_choices=(), fix_days_default=None, **kw):
        prefix = kw.pop("prefix", None) or f"t-{move.name}"
        super().__init__(*args, prefix=prefix, **kw)
        self.move = move
        self.fields["note"].required = move.note_required
        if move.note_required:
            self.fields["note"].label = _("Catatan untuk pemohon (wajib)")
        if move.internal_note_required:
            # A note between officers (a recommendation's reasons, a file sent back to
            # another desk): the applicant is told nothing by this move.
            del self.fields["note"]
            self.fields["internal_note"].required = True
            self.fields["internal_note"].label = _("Alasan untuk petugas (wajib)")
            self.fields["internal_note"].widget.attrs["rows"] = 4
        if move.signs_rejection_letter:
            self.fields["note"].label = _("Alasan penolakan untuk pemohon (wajib)")
            self.fields["note"].help_text = _(
                "Dicetak pada surat penolakan yang ditandatangani atas nama Anda dan dikirim "
                "kepada pemohon."
            )
            if permohonan.recommendation == permohonan.Rekomendasi.REJECTION:
                self.fields["note"].initial = permohonan.recommendation_reasons
        inputs = move.inputs
        service = permohonan.jenis_izin
        if INPUT_FEE not in inputs:
            del self.fields["fee_amount"]
        elif service.fee_kind == "tetap" and service.fee_amount:
            del self.fields["fee_amount"]
            self.fixed_fee = service.fee_amount
        else:
            self._bound_fee(self.fields["fee_amount"])
        if INPUT_PAYMENT_REFERENCE not in inputs:
            del self.fields["payment_reference"]
        else:
            self.fields["payment_reference"].required = True
        if INPUT_FIX_DAYS not in inputs:
            del self.fields["fix_working_days"]
        else:
            self.fields["fix_working_days"].initial = fix_days_default
            self.fields["fix_working_days"].help_text = _(
                "Lewat batas ini tanpa perbaikan, permohonan gugur otomatis."
            )
        if INPUT_FIELDS_TO_FIX not in inputs or not field_choices:
            del self.fields["fields_to_fix"]
        else:
            self.fields["fields_to_fix"].choices = list(field_choices)

    @staticmethod
    def _bound_fee(field: forms.Field) -> None:
        """Required, and at most ``settings.FEE_MAX_RUPIAH`` (``perizinan.services.fees``): a
        typo of a few zeros, or a number beyond what the database holds, is a form error, not
        a bill or a 500."""
        field.required = True
        field.validators.append(MaxValueValidator(max_fee(), fee_limit_message()))
        field.widget.attrs["max"] = str(max_fee())

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        return {
            key: d[key]
            for key in (INPUT_FEE, INPUT_PAYMENT_REFERENCE, INPUT_FIX_DAYS)
            if key in self.fields and d.get(key) not in (None, "")
        }


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Hasil pemeriksaan"),
        choices=[
            (Dokumen.Verdict.VALID, _("Sesuai")),
            (Dokumen.Verdict.NEEDS_CORRECTION, _("Perlu diperbaiki")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Catatan (wajib bila perlu diperbaiki)"),
        max_length=1000,
        required=False,
        widget=forms.TextInput,
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("verdict") == Dokumen.Verdict.NEEDS_CORRECTION
            and not (data.get("note") or "").strip()
        ):
            self.add_error("note", _("Tuliskan apa yang perlu diperbaiki pada dokumen ini."))
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Catatan internal baru"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Hanya terlihat oleh petugas; tidak dapat diubah setelah disimpan."),
    )


class BeritaAcaraForm(forms.Form):
    inspected_on = forms.DateField(
        label=_("Tanggal pemeriksaan lapangan"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    summary = forms.CharField(
        label=_("Ringkasan hasil pemeriksaan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=_("Berkas BAP (PDF, JPEG atau PNG, paling besar 5 MB)"), allow_empty_file=True
    )

    def clean_inspected_on(self):
        value = self.cleaned_data["inspected_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal pemeriksaan tidak boleh di masa depan."))
        return value


class ReassignForm(forms.Form):
    to_user = forms.ChoiceField(label=_("Alihkan kepada"))
    reason = forms.CharField(label=_("Alasan"), max_length=500, required=False)

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.colleagues = {str(u.pk): u for u in colleagues}
        self.fields["to_user"].choices = [
            (str(u.pk), f"{u} ({u.get_role_display()})") for u in colleagues
        ]

    def selected_user(self):
        return self.colleagues.get(self.cleaned_data["to_user"])


class RerouteForm(forms.Form):
    """Admin action: the reason for re-routing the selected files."""

    reason = forms.CharField(
        label=_("Alasan pengalihan rute"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssistedApplicantForm(ApplicantForm):
    """The walk-in applicant's data, with an optional e-mail for the account."""

    email = forms.EmailField(
        label=_("E-mail pemohon (bila ada)"),
        required=False,
        help_text=_(
            "Untuk mengirim tanda terima dan kabar permohonan. Kosongkan bila pemohon tidak "
            "memiliki e-mail: pemohon melacak dengan nomor dan PIN."
        ),
    )
    field_order = ["email"]

    def __init__(self, *args, with_email: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_email:  # correcting a file: its account is not chosen again
            del self.fields["email"]


class CounterLookupForm(forms.Form):
    identifier = SafeCharField(
        label=_("E-mail pemohon"),
        max_length=150,
        required=False,
        help_text=_("Untuk mengisi data dari akun pemohon yang sudah ada."),
    )


class AssistedDocumentsForm(forms.Form):
    """One file input per requirement of the service, and the applicant's declaration."""

    declaration = forms.BooleanField(
        label=_(
            "Pernyataan kebenaran data telah dibacakan kepada pemohon dan pemohon menyetujuinya."
        ),
        required=True,
    )

    def __init__(self, *args, requirements=(), optional: bool = False, **kwargs):
        """``optional``: correcting a file, where only the documents to replace are chosen
        (whatever is still missing is named by the submission check)."""
        super().__init__(*args, **kwargs)
        self.requirements = list(requirements)
        for requirement in self.requirements:
            self.fields[f"dok_{requirement.pk}"] = forms.FileField(
                label=requirement.name,
                required=requirement.mandatory and not optional,
                allow_empty_file=True,
            )
        self.order_fields([f"dok_{r.pk}" for r in self.requirements] + ["declaration"])

    def files_by_requirement(self) -> dict:
        return {
            r.pk: self.cleaned_data[f"dok_{r.pk}"]
            for r in self.requirements
            if self.cleaned_data.get(f"dok_{r.pk}")
        }
