"""The one field of the MFA pages: a code, typed or pasted (nothing blocks pasting)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.mfa import services


class CodeForm(forms.Form):
    """A six-digit code of the authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=32,
        strip=True,
        help_text=_("Enam angka dari aplikasi autentikator Anda, atau salah satu kode cadangan."),
        error_messages={"required": _("Masukkan kode verifikasi.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = services.normalize_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Masukkan kode verifikasi."))
        return code


class EnrolForm(forms.Form):
    """The first code of a newly added authenticator, proving it was set up right."""

    code = forms.CharField(
        label=_("Kode dari aplikasi"),
        max_length=32,
        strip=True,
        help_text=_("Enam angka yang sekarang tampil di aplikasi autentikator Anda."),
        error_messages={"required": _("Masukkan enam angka dari aplikasi autentikator.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = services.normalize_code(self.cleaned_data["code"])
        if not services.is_app_code(code):
            raise forms.ValidationError(
                _("Kode dari aplikasi autentikator terdiri dari enam angka.")
            )
        return code
