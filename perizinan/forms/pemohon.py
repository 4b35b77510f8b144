"""Forms of the application steps, withdrawal and public tracking. Explicit fields only."""

from __future__ import annotations

import datetime as dt
import decimal

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import Desa, Kecamatan, User
from accounts.validators import validate_nib, validate_nik, validate_npwp, validate_phone
from kewenangan.models import IsianFormulir


def _digits(value: str) -> str:
    return "".join((value or "").split())


class ApplicantForm(forms.Form):
    """Step 1: the applicant, prefilled from the profile."""

    applicant_kind = forms.ChoiceField(
        label=_("Jenis pemohon"),
        choices=User.ApplicantKind.choices,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(label=_("Nama lengkap (sesuai KTP)"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=20,
        help_text=_("16 digit angka, sesuai KTP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Nomor telepon seluler"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(
        label=_("Alamat"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Kecamatan.objects.all(),
        required=False,
        empty_label=_("— Pilih kecamatan —"),
    )
    desa = forms.ModelChoiceField(
        label=_("Desa/kelurahan"),
        queryset=Desa.objects.select_related("kecamatan"),
        required=False,
        empty_label=_("— Pilih desa/kelurahan —"),
    )
    company_name = forms.CharField(
        label=_("Nama badan usaha"),
        max_length=200,
        required=False,
        help_text=_("Wajib bila pemohon badan usaha."),
    )
    nib = forms.CharField(
        label=_("NIB"),
        max_length=20,
        required=False,
        help_text=_("Nomor Induk Berusaha, 13 digit. Wajib bila pemohon badan usaha."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    npwp = forms.CharField(label=_("NPWP"), max_length=25, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not Desa.objects.exists():  # no village list loaded yet: don't show an empty select
            del self.fields["desa"]

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        initial = {k: v for k, v in (data or {}).items() if k in cls.base_fields}
        initial["kecamatan"] = (data or {}).get("kecamatan_id")
        initial["desa"] = (data or {}).get("desa_id")
        initial.setdefault("applicant_kind", User.ApplicantKind.PERORANGAN)
        return initial

    def clean_nik(self):
        value = _digits(self.cleaned_data["nik"])
        validate_nik(value)
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        validate_phone(value)
        return value

    def clean_nib(self):
        value = _digits(self.cleaned_data.get("nib", ""))
        if value:
            validate_nib(value)
        return value

    def clean_npwp(self):
        value = self.cleaned_data.get("npwp", "").strip()
        if value:
            validate_npwp(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("applicant_kind") == User.ApplicantKind.BADAN_USAHA:
            if not data.get("company_name"):
                self.add_error("company_name", _("Wajib diisi untuk badan usaha."))
            if not data.get("nib") and "nib" not in self.errors:
                self.add_error("nib", _("Wajib diisi untuk badan usaha."))
        desa, kecamatan = data.get("desa"), data.get("kecamatan")
        if desa is not None and kecamatan is not None and desa.kecamatan_id != kecamatan.pk:
            self.add_error(
                "desa", _("Desa/kelurahan ini bukan bagian dari kecamatan yang dipilih.")
            )
        return data

    def to_data(self) -> dict:
        d = self.cleaned_data
        kecamatan, desa = d.get("kecamatan"), d.get("desa")
        return {
            "applicant_kind": d["applicant_kind"],
            "full_name": d["full_name"].strip(),
            "nik": d["nik"],
            "phone": d["phone"],
            "address": d["address"].strip(),
            "kecamatan_id": kecamatan.pk if kecamatan else None,
            "kecamatan": kecamatan.name if kecamatan else "",
            "desa_id": desa.pk if desa else None,
            "desa": desa.name if desa else "",
            "company_name": d.get("company_name", "").strip(),
            "nib": d.get("nib", ""),
            "npwp": d.get("npwp", ""),
        }


def _field_for(definition: IsianFormulir) -> forms.Field:
    kind = IsianFormulir.FieldType
    common = {
        "label": definition.label,
        "required": definition.required,
        "help_text": definition.help_text,
    }
    t = definition.field_type
    if t == kind.LONG_TEXT:
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}),
            validators=[MaxLengthValidator(2000)],
            **common,
        )
    if t == kind.NUMBER:
        return forms.DecimalField(
            max_digits=18,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    if t == kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if t == kind.CHOICE:
        choices = [("", "---------")] + [(c, c) for c in definition.choice_list]
        return forms.ChoiceField(choices=choices, **common)
    if t == kind.EMAIL:
        return forms.EmailField(**common)
    if t == kind.PHONE:
        return forms.CharField(
            max_length=20,
            validators=[validate_phone],
            widget=forms.TextInput(attrs={"inputmode": "tel"}),
            **common,
        )
    if t == kind.NIK:
        return forms.CharField(
            max_length=16,
            validators=[validate_nik],
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            **common,
        )
    if t == kind.NPWP:
        return forms.CharField(max_length=25, validators=[validate_npwp], **common)
    return forms.CharField(max_length=300, **common)


class ApplicantStepForm(ApplicantForm):
    """Step 1 of the online form: the applicant's data, and whether to keep them in the
    profile, so that the next application starts filled in."""

    save_to_profile = forms.BooleanField(
        label=_("Simpan data ini ke profil saya, agar permohonan berikutnya terisi otomatis"),
        required=False,
        initial=True,
    )


class ServiceFieldsForm(forms.Form):
    """Step 2: the fields the service defines (``IsianFormulir``)."""

    def __init__(self, *args, definitions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.definitions = list(definitions)
        for definition in self.definitions:
            self.fields[definition.key] = _field_for(definition)

    def to_data(self) -> dict:
        result = {}
        for key, value in self.cleaned_data.items():
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, decimal.Decimal):
                value = format(value.normalize(), "f")
            elif value is None:
                value = ""
            result[key] = value
        return result


class DokumenUploadForm(forms.Form):
    """Step 3: one document for one requirement (each requirement has its own small form)."""

    persyaratan = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Pilih berkas"), allow_empty_file=True)


class SubmitForm(forms.Form):
    """Step 4: the declaration. ``state_version`` makes a resent POST harmless."""

    declaration = forms.BooleanField(
        label=_(
            "Saya menyatakan bahwa data dan dokumen yang saya kirim benar dan sah. Saya bersedia "
            "menerima sanksi sesuai peraturan bila ternyata tidak benar."
        ),
        required=True,
        error_messages={"required": _("Centang pernyataan ini untuk mengajukan permohonan.")},
    )
    state_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alasan ini tercatat pada riwayat permohonan."),
    )


class LacakForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor permohonan"),
        max_length=40,
        help_text=_("Contoh: BTM-2026-000123, tertera pada tanda terima."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "pin-input"}
        ),
    )
