"""The period a report covers: a month or a year, read from ``?tahun=2026&bulan=3``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None

    @property
    def start(self) -> dt.datetime:
        tz = timezone.get_current_timezone()
        return dt.datetime(self.year, self.month or 1, 1, tzinfo=tz)

    @property
    def stop(self) -> dt.datetime:
        tz = timezone.get_current_timezone()
        if self.month is None:
            return dt.datetime(self.year + 1, 1, 1, tzinfo=tz)
        nxt_year = self.year + (self.month == 12)
        return dt.datetime(nxt_year, self.month % 12 + 1, 1, tzinfo=tz)

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def label(self) -> str:
        if self.month is None:
            return str(self.year)
        from django.utils.dateformat import format as date_format

        return date_format(dt.date(self.year, self.month, 1), "F Y")


def parse_period(params, *, monthly_default: bool) -> Period:
    """``?tahun=2026&bulan=3`` -> Period; bad or missing values fall back to now."""
    today = timezone.localdate()
    try:
        year = int(params.get("tahun", today.year))
    except (TypeError, ValueError):
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    raw_month = params.get("bulan", "")
    if raw_month in ("", None):
        month = today.month if monthly_default and year == today.year else None
        if monthly_default and month is None:
            month = 12
    else:
        try:
            month = int(raw_month)
        except (TypeError, ValueError):
            month = None
        if month is not None and not 1 <= month <= 12:
            month = None
    return Period(year, month)
