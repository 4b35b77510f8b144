"""Application statistics: per month (received, issued, rejected, in progress), the decisions
with their processing time in working days (the applicant's technical fixes stop the clock) and
the rows per service. Each function runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from akuntabilitas.statistik.measures import median, months_shown, share, year_bounds
from perizinan.models import Permohonan, RiwayatStatus
from perizinan.workdays import WorkCalendar
from perizinan.workflow import Status

DECISIONS = (Status.TERBIT, Status.DITOLAK)


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    received: int
    issued: int
    rejected: int
    in_progress: int


@dataclass(frozen=True)
class ServiceRow:
    jenis_izin_id: int
    name: str
    received: int
    issued: int
    rejected: int
    in_progress: int
    decided: int
    within_time: int
    median_days: Decimal | None

    @property
    def within_time_share(self) -> Decimal | None:
        return share(self.within_time, self.decided)


@dataclass(frozen=True)
class Decision:
    """One decided application, reduced to what the statistics need."""

    jenis_izin_id: int
    processing_opd_id: int | None
    decided_on: dt.date
    status: str
    processing_days: int
    within_time: bool | None


def monthly_counts(base: QuerySet[Permohonan], year: int, today: dt.date) -> list[MonthRow]:
    """Received, issued, rejected and in progress per month (three queries)."""
    start, stop = year_bounds(year)
    months = months_shown(year, today)
    received = dict(
        base.filter(submitted_at__gte=start, submitted_at__lt=stop)
        .annotate(m=TruncMonth("submitted_at"))
        .values_list("m")
        .annotate(n=Count("id"))
    )
    closed = defaultdict(lambda: defaultdict(int))
    for m, status, n in (
        base.filter(decided_at__gte=start, decided_at__lt=stop)
        .annotate(m=TruncMonth("decided_at"))
        .values_list("m", "status")
        .annotate(n=Count("id"))
    ):
        closed[_as_date(m)][status] += n
    received = {_as_date(k): v for k, v in received.items()}
    open_at_start = base.filter(submitted_at__lt=start).exclude(decided_at__lt=start).count()
    rows, open_now = [], open_at_start
    for month in months:
        month_closed = closed.get(month, {})
        open_now += received.get(month, 0) - sum(month_closed.values())
        rows.append(
            MonthRow(
                month=month,
                received=received.get(month, 0),
                issued=month_closed.get(Status.TERBIT, 0),
                rejected=month_closed.get(Status.DITOLAK, 0),
                in_progress=open_now,
            )
        )
    return rows


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def decisions(
    base: QuerySet[Permohonan], start: dt.datetime, stop: dt.datetime, calendar: WorkCalendar
) -> list[Decision]:
    """Issued and rejected files decided in ``[start, stop)`` that had been registered, with
    their processing time in working days (two queries)."""
    decided = base.filter(
        status__in=DECISIONS,
        decided_at__gte=start,
        decided_at__lt=stop,
        registered_at__isnull=False,
    )
    rows = list(
        decided.values_list(
            "id",
            "jenis_izin_id",
            "processing_opd_id",
            "status",
            "registered_at",
            "decided_at",
            "due_date",
            "sla_working_days",
        )
    )
    pauses = _technical_fix_pauses(decided)
    result = []
    for pk, service, opd, status, registered_at, decided_at, due, sla in rows:
        registered_on = timezone.localdate(registered_at)
        decided_on = timezone.localdate(decided_at)
        lost = calendar.working_days_lost(registered_on, pauses.get(pk, []))
        days = max(calendar.working_days_between(registered_on, decided_on) - lost, 0)
        if sla:
            within = days <= sla
        elif due:
            within = decided_on <= due
        else:
            within = None
        result.append(Decision(service, opd, decided_on, status, days, within))
    return result


def _technical_fix_pauses(decided: QuerySet[Permohonan]) -> dict[int, list[tuple]]:
    """Per application, the ``(returned_on, resubmitted_on)`` pairs of its technical fixes."""
    events = (
        RiwayatStatus.objects.filter(permohonan__in=decided)
        .filter(Q(to_status=Status.PERBAIKAN_TEKNIS) | Q(from_status=Status.PERBAIKAN_TEKNIS))
        .order_by("permohonan_id", "created_at", "id")
        .values_list("permohonan_id", "to_status", "created_at")
    )
    pauses: dict[int, list[tuple]] = defaultdict(list)
    opened: dict[int, dt.date] = {}
    for pk, to_status, created_at in events:
        day = timezone.localdate(created_at)
        if to_status == Status.PERBAIKAN_TEKNIS:
            opened[pk] = day
        elif pk in opened:
            pauses[pk].append((opened.pop(pk), day))
    return pauses


def service_rows(
    base: QuerySet[Permohonan], year: int, today: dt.date, decided: list[Decision]
) -> list[ServiceRow]:
    """Per service: received, issued, rejected, in progress, processing time (one query)."""
    start, stop = year_bounds(year)
    end = min(stop, timezone.now())
    counts = (
        base.values("jenis_izin_id", "jenis_izin__name")
        .annotate(
            received=Count("id", filter=Q(submitted_at__gte=start, submitted_at__lt=stop)),
            issued=Count(
                "id", filter=Q(status=Status.TERBIT, decided_at__gte=start, decided_at__lt=stop)
            ),
            rejected=Count(
                "id", filter=Q(status=Status.DITOLAK, decided_at__gte=start, decided_at__lt=stop)
            ),
            in_progress=Count(
                "id",
                filter=Q(submitted_at__lt=end)
                & (Q(decided_at__isnull=True) | Q(decided_at__gte=end)),
            ),
        )
        .order_by("jenis_izin__name")
    )
    by_service: dict[int, list[Decision]] = defaultdict(list)
    for d in decided:
        by_service[d.jenis_izin_id].append(d)
    rows = []
    for c in counts:
        mine = by_service.get(c["jenis_izin_id"], [])
        timed = [d for d in mine if d.within_time is not None]
        row = ServiceRow(
            jenis_izin_id=c["jenis_izin_id"],
            name=c["jenis_izin__name"],
            received=c["received"],
            issued=c["issued"],
            rejected=c["rejected"],
            in_progress=c["in_progress"],
            decided=len(timed),
            within_time=sum(1 for d in timed if d.within_time),
            median_days=median([d.processing_days for d in mine]),
        )
        if row.received or row.issued or row.rejected or row.in_progress:
            rows.append(row)
    return rows
