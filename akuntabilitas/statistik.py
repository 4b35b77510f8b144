"""Open statistics: reads with rules for ``/statistik/``, the complaint register and reports.

Definitions (also printed under the tables of ``/statistik/``):

* *received* in a month: applications submitted in that month (drafts never count);
* *issued* / *rejected*: decisions (``TERBIT`` / ``DITOLAK``) made in that month;
* *in progress* at the end of a month: submitted by then and not yet closed by then (closed
  means any final state: issued, rejected, withdrawn, lapsed);
* *processing time*: working days on the office calendar from the day the file was declared
  complete (``registered_at``) to the decision, minus the working days the file was back with
  the applicant for a technical fix (the clock stops, as for the due date);
* *within the service time*: processing time <= the service's working days frozen on the
  application (equivalently: decided on or before its due date, moved by the clock stops);
* complaints *answered on time*: answered on or before their due date.

Every function runs a fixed number of queries, whatever the number of rows. ``get_statistik``
caches the whole result in Redis for ``STATISTICS_CACHE_SECONDS``; a new survey answer bumps
the cache generation so that the published index moves at once.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from akuntabilitas.ikm import IkmResult, from_totals
from akuntabilitas.models import OPEN_COMPLAINT_STATES, JawabanSurvei, NilaiUnsur, Pengaduan
from kewenangan.models import JenisIzin, PerangkatDaerah
from perizinan.models import Permohonan, RiwayatStatus
from perizinan.workdays import WorkCalendar, default_calendar
from perizinan.workflow import Status

DECISIONS = (Status.TERBIT, Status.DITOLAK)
GENERATION_KEY = "statistik:generation"
CACHE_VERSION = 1


# --- Periods -------------------------------------------------------------------------------------


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


def _month_end(month: dt.date) -> dt.datetime:
    tz = timezone.get_current_timezone()
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return dt.datetime(nxt.year, nxt.month, 1, tzinfo=tz)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _median(values: list) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Applications -------------------------------------------------------------------------------


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
        return _share(self.within_time, self.decided)


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
            median_days=_median([d.processing_days for d in mine]),
        )
        if row.received or row.issued or row.rejected or row.in_progress:
            rows.append(row)
    return rows


# --- Survey (IKM) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IkmGroup:
    key: object
    label: str
    result: IkmResult
    #: False when the group is too small to publish its index separately.
    shown: bool = True


def _semester_case(prefix: str = ""):
    return Case(
        When(**{f"{prefix}submitted_on__month__lte": 6}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def ikm_groups(answers: QuerySet[JawabanSurvei], group: str) -> dict[object, IkmResult]:
    """The index per group of respondents (two queries). ``group``: ``all``, ``jenis_izin``,
    ``opd``, ``semester`` or ``channel``."""
    if group == "all":
        resp_qs = answers.annotate(g=Value(0, output_field=IntegerField()))
        nilai_qs = NilaiUnsur.objects.filter(jawaban__in=answers).annotate(
            g=Value(0, output_field=IntegerField())
        )
    elif group == "semester":
        resp_qs = answers.annotate(g=_semester_case())
        nilai_qs = NilaiUnsur.objects.filter(jawaban__in=answers).annotate(
            g=_semester_case("jawaban__")
        )
    else:
        field_name = {"jenis_izin": "jenis_izin_id", "opd": "opd_id", "channel": "channel"}[group]
        resp_qs = answers.annotate(g=_ref(field_name))
        nilai_qs = NilaiUnsur.objects.filter(jawaban__in=answers).annotate(
            g=_ref(f"jawaban__{field_name}")
        )
    respondents = dict(resp_qs.order_by().values_list("g").annotate(n=Count("id")))
    totals: dict[object, dict[str, tuple[int, int]]] = defaultdict(dict)
    for g, unsur, total, answered in (
        nilai_qs.order_by()
        .values_list("g", "unsur")
        .annotate(total=Sum("value"), answered=Count("id"))
    ):
        totals[g][unsur] = (total, answered)
    return {g: from_totals(totals.get(g, {}), respondents=n) for g, n in respondents.items()}


def _ref(name: str):
    from django.db.models import F

    return F(name)


def ikm_overall(answers: QuerySet[JawabanSurvei]) -> IkmResult:
    return ikm_groups(answers, "all").get(0) or from_totals({}, respondents=0)


def answers_in_year(year: int) -> QuerySet[JawabanSurvei]:
    return JawabanSurvei.objects.filter(submitted_on__year=year)


def min_group_size() -> int:
    return int(getattr(settings, "SURVEY_MIN_GROUP_SIZE", 3))


def labelled_groups(
    results: dict[object, IkmResult], labels: dict[object, str], *, missing_label: str
) -> list[IkmGroup]:
    threshold = min_group_size()
    groups = [
        IkmGroup(
            key=key,
            label=labels.get(key, missing_label) if key is not None else missing_label,
            result=result,
            shown=result.respondents >= threshold,
        )
        for key, result in results.items()
    ]
    return sorted(groups, key=lambda g: (g.label or "").lower())


@dataclass(frozen=True)
class Profile:
    """Respondent counts per band of one profile field."""

    field: str
    counts: tuple[tuple[str, int], ...]


def respondent_profile(answers: QuerySet[JawabanSurvei]) -> list[Profile]:
    """Respondents per age band, sex, education and occupation (four queries)."""
    result = []
    for name in ("age_band", "sex", "education", "occupation"):
        counted = dict(answers.order_by().values_list(name).annotate(n=Count("id")))
        choices = JawabanSurvei._meta.get_field(name).choices
        result.append(Profile(name, tuple((str(label), counted.get(v, 0)) for v, label in choices)))
    return result


# --- Complaints ----------------------------------------------------------------------------------


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
        return _share(self.answered_on_time, self.answered)


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
        median_response_days=_median(days),
    )


# --- The public page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delegation:
    total: int
    delegated: int

    @property
    def share(self) -> Decimal | None:
        return _share(self.delegated, self.total)


@dataclass(frozen=True)
class Statistik:
    year: int
    generated_at: dt.datetime
    months: list[MonthRow]
    services: list[ServiceRow]
    decided: int
    within_time: int
    median_days: Decimal | None
    ikm: IkmResult
    ikm_semesters: list[IkmGroup]
    ikm_units: list[IkmGroup]
    ikm_services: list[IkmGroup]
    profile: list[Profile]
    complaints: ComplaintStats
    delegation: Delegation
    totals: dict = field(default_factory=dict)

    @property
    def within_time_share(self) -> Decimal | None:
        return _share(self.within_time, self.decided)


def compute_statistik(year: int, *, today: dt.date | None = None) -> Statistik:
    """Everything ``/statistik/`` shows for one year, in a fixed number of queries."""
    from kewenangan.selectors import delegation_progress

    today = today or timezone.localdate()
    calendar = default_calendar()
    base = Permohonan.objects.submitted()
    start, stop = year_bounds(year)
    months = monthly_counts(base, year, today)
    decided = decisions(base, start, stop, calendar)
    services = service_rows(base, year, today, decided)
    timed = [d for d in decided if d.within_time is not None]

    answers = answers_in_year(year)
    names = dict(JenisIzin.objects.values_list("id", "name"))
    units = dict(PerangkatDaerah.objects.values_list("id", "short_name"))
    semester_labels = {1: "Semester I", 2: "Semester II"}
    progress = delegation_progress()
    return Statistik(
        year=year,
        generated_at=timezone.now(),
        months=months,
        services=services,
        decided=len(timed),
        within_time=sum(1 for d in timed if d.within_time),
        median_days=_median([d.processing_days for d in decided]),
        ikm=ikm_overall(answers),
        ikm_semesters=sorted(
            labelled_groups(ikm_groups(answers, "semester"), semester_labels, missing_label="-"),
            key=lambda g: g.key,
        ),
        ikm_units=labelled_groups(ikm_groups(answers, "opd"), units, missing_label="-"),
        ikm_services=labelled_groups(
            ikm_groups(answers, "jenis_izin"), names, missing_label="Survei umum"
        ),
        profile=respondent_profile(answers),
        complaints=complaint_stats(year, today),
        delegation=Delegation(total=progress.total, delegated=progress.delegated),
        totals={
            "received": sum(m.received for m in months),
            "issued": sum(m.issued for m in months),
            "rejected": sum(m.rejected for m in months),
            "in_progress": months[-1].in_progress if months else 0,
        },
    )


def _generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def invalidate() -> None:
    """Make the next visitor recompute the statistics (a new survey answer, new data)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def get_statistik(year: int | None = None) -> Statistik:
    """The cached statistics of ``year`` (default: this year)."""
    year = year or timezone.localdate().year
    key = f"statistik:v{CACHE_VERSION}:{_generation()}:{year}"
    result = cache.get(key)
    if result is None:
        result = compute_statistik(year)
        cache.set(key, result, timeout=settings.STATISTICS_CACHE_SECONDS)
    return result


def cached_content(year: int, language: str, render) -> SafeString:
    """The rendered content of /statistik/ for ``year`` in ``language``: ``render(stats)``
    once per statistics generation, kept until the statistics it shows expire (so the page
    is never older than the statistics' own promise, "diperbarui paling lama setiap N
    menit")."""
    key = f"statistik-html:v{CACHE_VERSION}:{_generation()}:{year}:{language}"
    html = cache.get(key)
    if html is None:
        stats = get_statistik(year)
        html = render(stats)
        age = (timezone.now() - stats.generated_at).total_seconds()
        cache.set(key, str(html), timeout=max(1, int(settings.STATISTICS_CACHE_SECONDS - age)))
    return mark_safe(html)  # noqa: S308 - our own template's output


def available_years(today: dt.date | None = None) -> list[int]:
    """Years a visitor may pick: from the first application (or this year) to now. Cached."""
    today = today or timezone.localdate()

    def first_year():
        first = (
            Permohonan.objects.submitted()
            .order_by("submitted_at")
            .values_list("submitted_at", flat=True)
            .first()
        )
        return timezone.localdate(first).year if first else today.year

    start = cache.get_or_set("statistik:first-year", first_year, timeout=3600)
    return list(range(today.year, min(start, today.year) - 1, -1))
