"""Gapless numbers: the per-year counters (applications, permits, letters, complaints), the
application number and the tracking PIN."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction

from perizinan.models import Penomoran

APPLICATION_COUNTER = "permohonan"
PIN_DIGITS = 6


@transaction.atomic
def next_number(key: str, year: int) -> int:
    """The next value of a gapless per-year counter. The row stays locked until the caller's
    transaction ends, so numbers are unique and a rollback gives the number back."""
    Penomoran.objects.bulk_create([Penomoran(key=key, year=year)], ignore_conflicts=True)
    row = Penomoran.objects.select_for_update().get(key=key, year=year)
    row.last_value += 1
    row.save(update_fields=["last_value"])
    return row.last_value


def application_number(year: int, n: int) -> str:
    return f"{settings.APPLICATION_NUMBER_PREFIX}-{year}-{n:06d}"


def new_pin() -> str:
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"
