"""The statistics in Redis: ``get_statistik`` keeps a year's ``Statistik`` for
``STATISTICS_CACHE_SECONDS``, ``cached_content`` the rendered page content per language for
what is left of that time, and ``invalidate`` moves the cache generation so that the next
visitor recomputes both (a new survey answer moves the published index at once). Also the
years a visitor may pick, cached for an hour."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from akuntabilitas.statistik.page import Statistik, compute_statistik
from perizinan.models import Permohonan

GENERATION_KEY = "statistik:generation"
#: Part of every key: bump it when the cached objects change shape or move (they are pickled).
CACHE_VERSION = 2


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
