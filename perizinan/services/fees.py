"""The bound on an assessed fee (retribusi): ``settings.FEE_MAX_RUPIAH``, Rp 10.000.000.000
unless the regency's Perda sets another. The move form shows it as a form error and the
transition service (``transitions._apply_inputs``) refuses a larger amount whoever sends it, so
neither a typing slip of a few zeros nor a number beyond what the database holds is billed or
becomes a server error (issue 16)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def max_fee() -> int:
    return settings.FEE_MAX_RUPIAH


def rupiah(amount: int) -> str:
    """``10000000000`` -> ``"Rp 10.000.000.000"`` (Indonesian digit grouping)."""
    return "Rp " + f"{amount:,}".replace(",", ".")


def fee_limit_message() -> str:
    return _("Nominal retribusi paling banyak %(limit)s. Periksa kembali jumlah digitnya.") % {
        "limit": rupiah(max_fee())
    }


def within_limit(amount: int) -> bool:
    return 0 < amount <= max_fee()
