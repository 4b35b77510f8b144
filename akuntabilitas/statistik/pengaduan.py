"""Complaint statistics of a year: received, answered, answered on time, open, overdue and the
median working days to an answer (two queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from akuntabilitas.models import OPEN_COMPLAINT_STATES, Pengaduan
from akuntabilitas.statistik.measures import median, share, year_bounds


@dataclass(frozen=True)
class ComplaintStats:
    received: int
    answered: int
    answered_on_time: int
    open: int
    overdue: int
    median_response_days: Decimal | None

    @property
    def on_time_share(self) -> Decimal | None:
        return share(self.answered_on_time, self.answered)


def complaint_stats(year: int, today: dt.date) -> ComplaintStats:
    """Complaints received in ``year`` and how they were answered (two queries)."""
    start, stop = year_bounds(year)
    qs = Pengaduan.objects.filter(received_at__gte=start, received_at__lt=stop)
    agg = qs.aggregate(
        received=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        on_time=Count("id", filter=Q(answered_on_time=True)),
        open=Count("id", filter=Q(status__in=OPEN_COMPLAINT_STATES)),
        overdue=Count("id", filter=Q(status__in=OPEN_COMPLAINT_STATES, due_date__lt=today)),
    )
    days = list(qs.filter(response_days__isnull=False).values_list("response_days", flat=True))
    return ComplaintStats(
        received=agg["received"],
        answered=agg["answered"],
        answered_on_time=agg["on_time"],
        open=agg["open"],
        overdue=agg["overdue"],
        median_response_days=median(days),
    )
