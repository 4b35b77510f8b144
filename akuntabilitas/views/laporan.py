"""Office reports: the list, one report on a page (its tables, a period to pick), its CSV
(one table) and XLSX (all tables) downloads, and the compliance page. Who may read them is
``reports.can_view_reports`` / ``reports.can_view_compliance``; the files the reports count
come through ``visible_to(user)``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from akuntabilitas import reports, statistik


def _require_reports(user):
    if not reports.can_view_reports(user):
        raise PermissionDenied


@never_cache
@login_required
@require_GET
def laporan_index(request):
    _require_reports(request.user)
    today = timezone.localdate()
    return render(
        request,
        "akuntabilitas/laporan_index.html",
        {
            "reports": reports.REPORTS,
            "year": today.year,
            "month": today.month,
            "months": range(1, 13),
            "years": statistik.available_years(),
            "can_compliance": reports.can_view_compliance(request.user),
            "survey_url": settings.SITE_URL.rstrip("/") + reverse("akuntabilitas:survei_umum"),
        },
    )


@never_cache
@login_required
@require_GET
def laporan_report(request, slug):
    _require_reports(request.user)
    if slug not in reports.REPORTS_BY_SLUG:
        raise Http404
    report, period, tables = reports.build(slug, request.user, request.GET)
    query = request.GET.urlencode()
    return render(
        request,
        "akuntabilitas/laporan_report.html",
        {
            "report": report,
            "period": period,
            "tables": tables,
            "query": query,
            "years": statistik.available_years(),
            "months": range(1, 13),
        },
    )


@never_cache
@login_required
@require_GET
def laporan_download(request, slug, fmt):
    _require_reports(request.user)
    if slug not in reports.REPORTS_BY_SLUG or fmt not in ("csv", "xlsx"):
        raise Http404
    report, period, tables = reports.build(slug, request.user, request.GET)
    filename = f"laporan-{slug}" + (f"-{period.slug}" if period else "")
    if fmt == "xlsx":
        return reports.xlsx_response(tables, filename)
    wanted = request.GET.get("tabel")
    table = next((t for t in tables if t.slug == wanted), tables[0])
    if wanted and table.slug != wanted:
        raise Http404
    suffix = f"-{table.slug}" if table.slug != slug else ""
    return reports.csv_response(table, filename + suffix)


@never_cache
@login_required
@require_GET
def kepatuhan(request):
    if not reports.can_view_compliance(request.user):
        raise PermissionDenied
    items = reports.compliance_items()
    return render(
        request,
        "akuntabilitas/kepatuhan.html",
        {"items": items, "missing": sum(1 for i in items if i.status == reports.MISSING)},
    )
