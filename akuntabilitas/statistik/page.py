"""Everything ``/statistik/`` shows for one year (``Statistik``), computed in a fixed number of
queries from the application, survey and complaint statistics. Not cached here:
``statistik.cache.get_statistik`` is what the page calls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from akuntabilitas.ikm import IkmResult
from akuntabilitas.statistik import measures
from akuntabilitas.statistik.measures import median, year_bounds
from akuntabilitas.statistik.pengaduan import ComplaintStats, complaint_stats
from akuntabilitas.statistik.permohonan import (
    MonthRow,
    ServiceRow,
    decisions,
    monthly_counts,
    service_rows,
)
from akuntabilitas.statistik.survei import (
    IkmGroup,
    Profile,
    answers_in_year,
    ikm_groups,
    ikm_overall,
    labelled_groups,
    respondent_profile,
)
from kewenangan.models import JenisIzin, PerangkatDaerah
from kewenangan.selectors import delegation_progress
from perizinan.models import Permohonan
from perizinan.workdays import default_calendar


@dataclass(frozen=True)
class Delegation:
    total: int
    delegated: int

    @property
    def share(self) -> Decimal | None:
        return measures.share(self.delegated, self.total)


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
        return measures.share(self.within_time, self.decided)


def compute_statistik(year: int, *, today: dt.date | None = None) -> Statistik:
    """Everything ``/statistik/`` shows for one year, in a fixed number of queries."""
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
        median_days=median([d.processing_days for d in decided]),
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
