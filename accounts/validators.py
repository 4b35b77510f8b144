"""Validators for Indonesian identity numbers (NIK, NIB, NPWP) and phone numbers."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NIK_RE = re.compile(r"^\d{16}$")


def validate_nik(value: str) -> None:
    """A NIK has 16 digits: province (2), regency (2), district (2), birth date (6, +40 on the
    day for women), serial (4). Province codes start at 11; the serial is never 0000."""
    if not NIK_RE.match(value or ""):
        raise ValidationError(_("NIK harus 16 digit angka."), code="nik_format")
    province = int(value[:2])
    day, month = int(value[6:8]), int(value[8:10])
    if day > 40:
        day -= 40
    if province < 11 or province > 99:
        raise ValidationError(_("Kode provinsi pada NIK tidak dikenal."), code="nik_province")
    try:
        date(2000, month, day)
    except ValueError:
        raise ValidationError(
            _("Tanggal lahir pada NIK (digit 7 sampai 12) tidak valid."), code="nik_birthdate"
        ) from None
    if value[12:] == "0000":
        raise ValidationError(_("Nomor urut pada NIK tidak boleh 0000."), code="nik_serial")


def validate_nib(value: str) -> None:
    if not re.fullmatch(r"\d{13}", value or ""):
        raise ValidationError(_("NIB harus 13 digit angka."), code="nib_format")


def validate_npwp(value: str) -> None:
    digits = re.sub(r"[.\-\s]", "", value or "")
    if not re.fullmatch(r"\d{15}|\d{16}", digits):
        raise ValidationError(_("NPWP harus 15 atau 16 digit angka."), code="npwp_format")


def validate_phone(value: str) -> None:
    digits = re.sub(r"[\s\-]", "", value or "")
    if not re.fullmatch(r"(\+62|62|0)8\d{7,11}", digits):
        raise ValidationError(
            _("Nomor telepon seluler tidak valid, contoh: 0812 3456 7890."), code="phone_format"
        )
