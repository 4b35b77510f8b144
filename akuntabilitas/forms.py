"""Forms of public accountability: complaints, their follow-up, the officers' answer and the
satisfaction survey. Explicit fields only; labels and errors in Indonesian."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_phone
from akuntabilitas.ikm import UNSUR
from akuntabilitas.models import JawabanSurvei, Pengaduan
from kewenangan.models import JenisIzin


def _published_services():
    return JenisIzin.objects.published().order_by("name").only("id", "name")


#: What "Kirim tanpa nama" leaves out of an anonymous complaint.
IDENTITY_FIELDS = ("name", "email", "phone")


class PengaduanForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("Tentang apa pengaduan Anda?"),
        choices=Pengaduan.Topic.choices,
        widget=forms.RadioSelect,
    )
    jenis_izin = forms.ModelChoiceField(
        label=_("Layanan yang diadukan"),
        queryset=JenisIzin.objects.none(),
        required=False,
        empty_label=_("(tidak terkait layanan tertentu)"),
    )
    permohonan_number = forms.CharField(
        label=_("Nomor permohonan"),
        max_length=40,
        required=False,
        help_text=_("Bila pengaduan tentang permohonan tertentu, mis. BTM-2026-000123."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    title = forms.CharField(label=_("Ringkasan pengaduan"), max_length=200)
    description = forms.CharField(
        label=_("Uraian pengaduan"),
        max_length=5000,
        help_text=_(
            "Ceritakan apa yang terjadi, kapan dan di mana. Bila tentang petugas, sebutkan "
            "waktu dan tempat kejadian."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachment = forms.FileField(
        label=_("Lampiran (opsional)"),
        required=False,
        help_text=_("PDF, JPEG atau PNG, paling besar 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    anonymous = forms.BooleanField(
        label=_("Kirim tanpa nama (anonim)"),
        required=False,
        help_text=_(
            "Nama, e-mail, nomor telepon dan akun Anda tidak disimpan, juga bila terisi di "
            "bawah ini. Jawaban hanya dapat diikuti dengan nomor tiket dan PIN."
        ),
    )
    name = forms.CharField(
        label=_("Nama"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail untuk jawaban (opsional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Nomor telepon (opsional)"),
        max_length=20,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["jenis_izin"].queryset = _published_services()
        if user is not None and user.is_authenticated:
            self.fields["name"].initial = user.get_full_name()
            self.fields["email"].initial = user.email

    def clean(self):
        data = super().clean()
        topic = data.get("topic")
        if topic == Pengaduan.Topic.PERMOHONAN and not data.get("permohonan_number"):
            self.add_error("permohonan_number", _("Isi nomor permohonan yang Anda adukan."))
        if topic == Pengaduan.Topic.LAYANAN and not data.get("jenis_izin"):
            self.add_error("jenis_izin", _("Pilih layanan yang Anda adukan."))
        logged_in = self.user is not None and self.user.is_authenticated
        if data.get("anonymous"):
            # Anonymous means no identity at all: what the page prefilled (the account's name
            # and e-mail) or the visitor typed is dropped, errors of those fields included.
            for name in IDENTITY_FIELDS:
                data[name] = ""
                self.errors.pop(name, None)
        elif not data.get("name") and not logged_in:
            self.add_error("name", _("Isi nama Anda, atau centang “Kirim tanpa nama”."))
        return data


class TicketForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor tiket"),
        max_length=30,
        help_text=_("Contoh: ADU-2026-000045."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "pin-input"}
        ),
    )


class PengaduanMoveForm(forms.Form):
    answer = forms.CharField(
        label=_("Jawaban untuk pelapor"),
        required=False,
        max_length=5000,
        help_text=_("Dikirim kepada pelapor dan tampil di halaman tiketnya."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    note = forms.CharField(
        label=_("Catatan internal (opsional)"),
        required=False,
        max_length=2000,
        help_text=_("Hanya untuk petugas; tidak dikirim kepada pelapor."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    state_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SurveiForm(forms.Form):
    """The nine questions (by unsur key), the respondent's profile and a comment."""

    def __init__(self, *args, general: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if general:
            self.fields["jenis_izin"] = forms.ModelChoiceField(
                label=_("Layanan yang Anda terima"),
                queryset=_published_services(),
                required=False,
                empty_label=_("(tidak memilih layanan tertentu)"),
            )
        for unsur in UNSUR:
            self.fields[f"u_{unsur.key}"] = forms.TypedChoiceField(
                label=f"{unsur.label}: {unsur.question}",
                choices=[(i, label) for i, label in enumerate(unsur.scale, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Pilih salah satu jawaban.")},
            )
        self.fields["age_band"] = forms.ChoiceField(
            label=_("Usia"), choices=JawabanSurvei.AgeBand.choices, widget=forms.RadioSelect
        )
        self.fields["sex"] = forms.ChoiceField(
            label=_("Jenis kelamin"), choices=JawabanSurvei.Sex.choices, widget=forms.RadioSelect
        )
        self.fields["education"] = forms.ChoiceField(
            label=_("Pendidikan terakhir"), choices=JawabanSurvei.Education.choices
        )
        self.fields["occupation"] = forms.ChoiceField(
            label=_("Pekerjaan"), choices=JawabanSurvei.Occupation.choices
        )
        self.fields["comment"] = forms.CharField(
            label=_("Saran dan masukan (opsional)"),
            required=False,
            max_length=2000,
            help_text=_("Jangan menuliskan nama, NIK atau nomor permohonan Anda."),
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def question_fields(self):
        return [self[f"u_{u.key}"] for u in UNSUR]

    def profile_fields(self):
        return [self[name] for name in ("age_band", "sex", "education", "occupation")]

    def answers(self) -> dict[str, int]:
        return {u.key: self.cleaned_data[f"u_{u.key}"] for u in UNSUR}

    def profile(self) -> dict[str, str]:
        return {n: self.cleaned_data[n] for n in ("age_band", "sex", "education", "occupation")}
