"""Forms of the account pages. Labels and errors are in Indonesian; every field carries the
``autocomplete`` token password managers and phones need, and nothing blocks pasting."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import identifiers, services
from accounts.models import Desa, Kecamatan, User


class AddressField(forms.EmailField):
    """An e-mail field that folds what is typed (NFKC, case-folded: ``accounts.identifiers``)
    before it is validated, so ``ＡＮＩ@contoh.id`` is ``ani@contoh.id``; anything else that is not
    a plain address is refused with one message that says what is expected."""

    default_error_messages = {"invalid": identifiers.NOT_PLAIN_MESSAGE}

    def to_python(self, value):
        return identifiers.fold(super().to_python(value))


class LoginForm(auth_forms.AuthenticationForm):
    """Log in by e-mail. An applicant whose address is not verified yet is told so, and the
    page offers to send the link again.

    The address goes to ``authenticate`` as typed: the backend and the lockout counter bring it
    to the same plain form (``accounts.identifiers``), so a look-alike spelling is refused and
    still counted as a failure. The visitor is told when what they typed is not a plain
    address."""

    username = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "E-mail atau kata sandi salah. Periksa kembali, atau gunakan “Lupa kata sandi”."
        ),
        "inactive": _("Akun ini dinonaktifkan. Hubungi petugas DPMPTSP."),
        "email_unverified": _(
            "Alamat e-mail Anda belum diverifikasi. Buka tautan verifikasi yang kami kirim ke "
            "e-mail Anda, atau kirim ulang e-mail verifikasinya."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.unverified_email = None

    def get_invalid_login_error(self):
        if identifiers.plain_address(self.cleaned_data.get("username")) is None:
            return ValidationError(identifiers.NOT_PLAIN_MESSAGE, code="not_plain_email")
        return super().get_invalid_login_error()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.must_verify_email:
            self.unverified_email = user.email
            raise ValidationError(self.error_messages["email_unverified"], code="email_unverified")


class SignupForm(auth_forms.SetPasswordMixin, forms.Form):
    """Sign-up of an applicant: e-mail, full name, applicant kind, password twice."""

    email = AddressField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text=_("Kami mengirim tautan verifikasi ke alamat ini."),
    )
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Sesuai KTP."),
    )
    applicant_kind = forms.ChoiceField(
        label=_("Mendaftar sebagai"),
        choices=User.ApplicantKind.choices,
        initial=User.ApplicantKind.PERORANGAN,
        widget=forms.RadioSelect,
    )
    password1, password2 = auth_forms.SetPasswordMixin.create_password_fields(
        label1=_("Kata sandi"), label2=_("Ulangi kata sandi")
    )

    error_messages = {"password_mismatch": _("Kedua kata sandi tidak sama.")}

    def clean_email(self):
        address = identifiers.clean_address(self.cleaned_data["email"])
        if services.is_placeholder_address(address):
            raise ValidationError(
                _("Alamat ini tidak dapat menerima e-mail. Gunakan alamat e-mail Anda sendiri."),
                code="placeholder_email",
            )
        return address

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        # Check the password against the name and address being registered.
        candidate = User(email=cleaned.get("email") or "", full_name=cleaned.get("full_name", ""))
        self.validate_password_for_user(candidate)
        return cleaned


class ResendVerificationForm(forms.Form):
    email = AddressField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, but the e-mail goes out through Celery (``accounts.tasks``) and at
    most a few times an hour per address. The page never says whether the address exists."""

    email = AddressField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email):
        """The active account with exactly this address, with or without a usable password: an
        account made at the counter has none, and this link is how its owner sets one (the
        link proves they read this mailbox). Never an address that cannot receive mail."""
        return services.accounts_for_password_link(email)

    def save(self, *args, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            services.request_password_reset(user=user)


class SetPasswordForm(auth_forms.SetPasswordForm):
    new_password1, new_password2 = auth_forms.SetPasswordMixin.create_password_fields(
        label1=_("Kata sandi baru"), label2=_("Ulangi kata sandi baru")
    )
    error_messages = {"password_mismatch": _("Kedua kata sandi tidak sama.")}


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    old_password = forms.CharField(
        label=_("Kata sandi lama"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1, new_password2 = auth_forms.SetPasswordMixin.create_password_fields(
        label1=_("Kata sandi baru"), label2=_("Ulangi kata sandi baru")
    )
    error_messages = {
        "password_mismatch": _("Kedua kata sandi tidak sama."),
        "password_incorrect": _("Kata sandi lama salah. Silakan coba lagi."),
    }


class DesaSelect(forms.Select):
    """A plain ``<select>`` of every desa grouped by kecamatan (works without JavaScript);
    ``static/js/accounts-profile.js`` hides the groups of other kecamatan."""


def desa_choices():
    groups: dict[str, list] = {}
    for desa in Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "name"):
        groups.setdefault(desa.kecamatan.name, []).append((desa.pk, desa.name))
    return [("", _("— Pilih desa/kelurahan —")), *groups.items()]


class ProfileForm(forms.ModelForm):
    """The applicant's profile. The owner sees and edits their own NIK in full here."""

    class Meta:
        model = User
        fields = services.APPLICANT_PROFILE_FIELDS
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "nik": forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "inputmode": "numeric",
                    "pattern": "[0-9]{16}",
                    "maxlength": 16,
                }
            ),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "kecamatan": forms.Select(attrs={"data-kecamatan-select": ""}),
            "desa": DesaSelect(attrs={"data-desa-select": ""}),
            "applicant_kind": forms.RadioSelect(attrs={"data-applicant-kind": ""}),
            "company_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "nib": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
            "npwp": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        }
        help_texts = {
            "nik": _("16 digit sesuai KTP."),
            "phone": _("Nomor seluler, contoh: 0812 3456 7890."),
            "desa": _("Boleh dikosongkan bila desa/kelurahan Anda belum ada di daftar."),
            "company_name": _("Wajib untuk badan usaha."),
            "nib": _("Nomor Induk Berusaha, 13 digit. Wajib untuk badan usaha."),
            "npwp": _("15 atau 16 digit. Wajib untuk badan usaha."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "nik", "phone", "address", "kecamatan"):
            self.fields[name].required = True
        self.fields["kecamatan"].queryset = Kecamatan.objects.order_by("name")
        self.fields["kecamatan"].empty_label = _("— Pilih kecamatan —")
        self.fields["desa"].queryset = Desa.objects.select_related("kecamatan")
        self.fields["desa"].choices = desa_choices()
        self.fields["language"].required = False

    def clean_nik(self):
        return (self.cleaned_data.get("nik") or "").strip()

    def clean_language(self):
        return _language_or_current(self)

    def clean(self):
        cleaned = super().clean()
        missing = services.missing_company_fields(
            applicant_kind=cleaned.get("applicant_kind"), values=cleaned
        )
        for name in missing:
            if name not in self.errors:
                self.add_error(name, _("Wajib diisi untuk pemohon badan usaha."))
        return cleaned


class OfficerProfileForm(forms.ModelForm):
    """Officers keep only their name and phone here; their role and OPD are set by an admin."""

    class Meta:
        model = User
        fields = services.OFFICER_PROFILE_FIELDS
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }


def _language_or_current(form) -> str:
    """The chosen message language; a form posted without it keeps the current one."""
    return form.cleaned_data.get("language") or form.instance.language or "id"
