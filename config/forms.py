"""Form pieces every part shares: text fields that refuse control characters.

PostgreSQL cannot hold a NUL in text: a query with one fails inside the database driver
("A string literal cannot contain NUL"), which was a public 500 on ``/layanan/?opd=%00``
(issue 16). A NUL in a query string is refused before any view by
``config.query_guard.RefuseBadQueryMiddleware``; Django's ``forms.CharField`` refuses it in a
POST. ``SafeCharField`` refuses every control character (C0, DEL and C1; tabs and line breaks
only where ``multiline=True``) with one message in the user's language, so that a filter bar or
a form answers a form error, never a server error, and nothing invisible reaches a query, a
log line or a CSV.

Every GET filter form of the portal builds its text fields from ``SafeCharField``
(``kewenangan.forms``, ``perizinan.forms.petugas``); ``tests/security/test_query_fuzz.py``
sends hostile values to every parameter of every page.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: C0 controls (NUL among them), DEL and the C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: The same without tab, line feed and carriage return, for text areas.
CONTROL_CHARACTERS_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    pattern = CONTROL_CHARACTERS_MULTILINE if multiline else CONTROL_CHARACTERS
    return pattern.search(text) is not None


@deconstructible
class ProhibitControlCharactersValidator:
    """Refuse text holding a control character (see the module's docstring)."""

    message = _("Isian ini tidak boleh memuat karakter kontrol (misalnya NUL).")
    code = "control_characters"

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if has_control_characters(str(value), multiline=self.multiline):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, ProhibitControlCharactersValidator)
            and self.multiline == other.multiline
        )


class SafeCharField(forms.CharField):
    """A ``CharField`` that refuses control characters with one clear message (it replaces
    Django's own NUL check, which it covers). A single-line field reads a pasted tab or line
    break as a space; ``multiline=True`` keeps them."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.multiline = multiline
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(ProhibitControlCharactersValidator(multiline=multiline))

    def to_python(self, value):
        value = super().to_python(value)
        if not self.multiline and isinstance(value, str):
            value = _LINE_BREAKS.sub(" ", value)
        return value


def valid_values(form: forms.Form) -> dict:
    """The cleaned value of every field of a bound ``form`` that validated: a filter bar with
    one bad field still filters by the others (the bad one falls back to its default)."""
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if name not in form.errors}


def error_lines(form: forms.Form) -> list[str]:
    """``"Label: message"`` for each error of ``form``, for an alert above a page's results."""
    return [
        f"{form.fields[name].label}: {message}" if name in form.fields else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]


#: "Rp 4.750.000", "4.750.000,00", "4 750 000", "Rp4750000": Indonesian grouping, a leading
#: "Rp" and zero sen are accepted; anything else is not a whole number of rupiah.
_RUPIAH = re.compile(r"^(?:rp\.?)?\s*(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:,0{1,2})?$", re.IGNORECASE)


class RupiahField(forms.IntegerField):
    """A whole amount of rupiah as people write it (``4.750.000``, ``Rp 4.750.000``), shown
    back with Indonesian grouping. A plain text input: a browser's number input refuses the
    dots."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Tulis jumlah rupiah tanpa sen, misalnya 4.750.000 atau Rp 4.750.000."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.pop("step", None)
        for limit in ("min", "max"):
            self.widget.attrs.pop(limit, None)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        match = _RUPIAH.match(str(value).strip())
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(re.sub(r"[.\s]", "", match.group(1)))

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    def widget_attrs(self, widget):
        return {"inputmode": "numeric"}
