"""The public statistics page (``/statistik/``, one year at a time, its content cached per year
and language) and the CSV of each of its datasets (``statistik.datasets``)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from akuntabilitas import charts, reports, statistik
from akuntabilitas.ikm import UNSUR
from akuntabilitas.statistik.datasets import dataset_tables


def _year(request) -> int:
    years = statistik.available_years()
    try:
        year = int(request.GET.get("tahun", years[0]))
    except (TypeError, ValueError):
        year = years[0]
    return year if year in years else years[0]


def _month_label(d) -> str:
    return date_format(d, "M")


@require_GET
def statistik_page(request):
    """The public statistics. The page's content is the same for every visitor, so it is
    rendered once per year, language and statistics generation and kept in the cache for the
    rest of the statistics' own cache time (``statistik.cached_content``): a request then costs
    the same whatever the size of the data."""
    year = _year(request)
    body = statistik.cached_content(
        year, get_language(), lambda stats: _statistik_body(stats, year)
    )
    response = render(request, "akuntabilitas/statistik.html", {"body": body, "year": year})
    response["Cache-Control"] = "public, max-age=300"
    return response


def _statistik_body(stats, year: int) -> str:
    monthly_chart = charts.grouped_columns(
        [_month_label(m.month) for m in stats.months],
        [
            (_("Diterima"), "bar-a", [m.received for m in stats.months]),
            (_("Terbit"), "bar-b", [m.issued for m in stats.months]),
            (_("Ditolak"), "bar-c", [m.rejected for m in stats.months]),
            (_("Dalam proses"), "bar-d", [m.in_progress for m in stats.months]),
        ],
    )
    service_chart = charts.horizontal_bars(
        [(s.name[:40], s.received) for s in stats.services[:15]], css="bar-a"
    )
    ikm_chart = charts.horizontal_bars(
        [(str(u.label)[:40], stats.ikm.score(u.key).nrr or 0) for u in UNSUR],
        max_value=4,
        css="bar-b",
    )
    context = {
        "stats": stats,
        "year": year,
        "years": statistik.available_years(),
        "monthly_chart": monthly_chart,
        "service_chart": service_chart,
        "ikm_chart": ikm_chart,
        "unsur": UNSUR,
        "ikm_scores": [(u, stats.ikm.score(u.key)) for u in UNSUR],
        "min_group": statistik.min_group_size(),
        "lapor_url": settings.SP4N_LAPOR_URL,
        "cache_minutes": settings.STATISTICS_CACHE_SECONDS // 60,
    }
    return render_to_string("akuntabilitas/_statistik_body.html", context)


@require_GET
def statistik_csv(request, dataset):
    year = _year(request)
    tables = dataset_tables(statistik.get_statistik(year))
    if dataset not in tables:
        raise Http404
    return reports.csv_response(tables[dataset], f"statistik-{dataset}-{year}")
