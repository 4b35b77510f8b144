"""The filter bars of the public catalogue (``/layanan/``) and the list of authorities
(``/kewenangan/``). Read from the query string; the templates render the bars by hand."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import SafeCharField

#: The values of ``/kewenangan/?status=``.
STATUS_DELEGATED = "dilimpahkan"
STATUS_NOT_DELEGATED = "belum"


class LayananFilterForm(forms.Form):
    q = SafeCharField(label=_("Cari layanan"), max_length=100, required=False)
    opd = SafeCharField(label=_("Perangkat daerah"), max_length=40, required=False)
    sektor = SafeCharField(label=_("Sektor"), max_length=100, required=False)


class KewenanganFilterForm(forms.Form):
    q = SafeCharField(label=_("Cari kewenangan"), max_length=100, required=False)
    opd = SafeCharField(label=_("Perangkat daerah"), max_length=40, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Semua")),
            (STATUS_DELEGATED, _("Sudah dilimpahkan")),
            (STATUS_NOT_DELEGATED, _("Belum dilimpahkan")),
        ],
        # Django's message repeats the value sent; this one does not echo what came in.
        error_messages={"invalid_choice": _("Pilih salah satu status dari daftar.")},
    )
