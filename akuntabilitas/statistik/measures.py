"""The measures every statistic shares: the bounds of a year and the months shown so far, a
percentage share and a median, both to one decimal (half up)."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """``[1 January, 1 January next year)`` in the office's time zone."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def months_shown(year: int, today: dt.date) -> list[dt.date]:
    """The first day of every month of ``year`` up to the current one."""
    if year > today.year:
        return []
    last = 12 if year < today.year else today.month
    return [dt.date(year, m, 1) for m in range(1, last + 1)]


def share(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def median(values: list) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
