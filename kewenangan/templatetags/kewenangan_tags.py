"""Display helpers for service standards: ``{% load kewenangan_tags %}``."""

import datetime

from django import template
from django.utils.translation import gettext as _

from kewenangan.models import IsianFormulir, JenisIzin

register = template.Library()


@register.filter
def iso_date(value):
    """``"2027-01-04"`` (a date in a snapshot) -> a date, for the ``date`` filter."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def rupiah(amount) -> str:
    """``150000`` -> ``Rp 150.000`` (Indonesian grouping in both languages)."""
    if amount in (None, ""):
        return ""
    return "Rp " + f"{int(amount):,}".replace(",", ".")


@register.filter
def fee_text(fee: dict) -> str:
    """The Biaya/Tarif line of a snapshot's ``fee``."""
    kind = fee.get("kind")
    if kind == JenisIzin.FeeKind.TETAP:
        return rupiah(fee.get("amount"))
    if kind == JenisIzin.FeeKind.DIHITUNG:
        return _("Retribusi dihitung per permohonan sesuai Peraturan Daerah")
    return _("Gratis (Rp 0)")


@register.filter
def variant_label(value: str) -> str:
    try:
        return JenisIzin.Variant(value).label
    except ValueError:
        return value


@register.filter
def kind_label(value: str) -> str:
    try:
        return JenisIzin.Kind(value).label
    except ValueError:
        return value


@register.filter
def field_type_label(value: str) -> str:
    try:
        return IsianFormulir.FieldType(value).label
    except ValueError:
        return value


@register.filter
def file_types(types) -> str:
    return ", ".join(t.upper() for t in types or [])
