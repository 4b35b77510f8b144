"""The list of office reports (slug, title, description, the period it takes) and
``build``, which turns a slug and the request's parameters into the report's tables for one
reader."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from akuntabilitas.reports.complaints import complaint_report
from akuntabilitas.reports.performance import overdue_report, rekap_report
from akuntabilitas.reports.periods import Period, parse_period
from akuntabilitas.reports.sippn import sippn_report
from akuntabilitas.reports.survey import ikm_report
from akuntabilitas.reports.tables import Table
from akuntabilitas.reports.workload import workload_report


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    description: str
    period: str  # "month", "year" or "none"


REPORTS = (
    Report(
        "rekap",
        gettext_lazy("Rekap bulanan per layanan dan per OPD"),
        gettext_lazy("Diterima, terbit, ditolak, dalam proses, ketepatan waktu dan median."),
        "month",
    ),
    Report(
        "beban-kerja",
        gettext_lazy("Beban kerja per petugas"),
        gettext_lazy("Tindakan yang tercatat per petugas dan berkas yang dipegang."),
        "month",
    ),
    Report(
        "terlambat",
        gettext_lazy("Daftar permohonan terlambat"),
        gettext_lazy("Berkas yang melewati batas waktu layanan hari ini."),
        "none",
    ),
    Report(
        "pengaduan",
        gettext_lazy("Laporan pengaduan"),
        gettext_lazy("Register pengaduan dengan batas waktu dan lama jawaban."),
        "year",
    ),
    Report(
        "ikm",
        gettext_lazy("Laporan survei kepuasan (IKM)"),
        gettext_lazy("IKM per periode, unit dan layanan; profil dan jawaban anonim."),
        "year",
    ),
    Report(
        "standar-pelayanan",
        gettext_lazy("Standar pelayanan (format SIPPN)"),
        gettext_lazy("Komponen standar pelayanan setiap layanan yang diterbitkan."),
        "none",
    ),
)
REPORTS_BY_SLUG = {r.slug: r for r in REPORTS}


def build(slug: str, user, params) -> tuple[Report, Period | None, list[Table]]:
    report = REPORTS_BY_SLUG[slug]
    period = None
    if report.period != "none":
        period = parse_period(params, monthly_default=report.period == "month")
    if slug == "rekap":
        tables = rekap_report(user, period)
    elif slug == "beban-kerja":
        tables = workload_report(user, period)
    elif slug == "terlambat":
        tables = overdue_report(user)
    elif slug == "pengaduan":
        tables = complaint_report(user, period)
    elif slug == "ikm":
        tables = ikm_report(period)
    else:
        tables = sippn_report()
    return report, period, tables
