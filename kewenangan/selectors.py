"""Reads with rules: the public catalogue, its search, the list of authorities and its
counts, and the link to start an application."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.urls import reverse

from kewenangan.models import JenisIzin, JenisIzinQuerySet, Kewenangan, Pelimpahan, PerangkatDaerah

#: PostgreSQL text-search configurations: Indonesian stemming ("perizinan" finds "izin"),
#: plus ``simple`` so that acronyms and partial words match as typed.
SEARCH_CONFIGS = ("indonesian", "simple")
_WORD = re.compile(r"[0-9A-Za-zÀ-ÿ]+")
MAX_SEARCH_WORDS = 8


def _search_vector():
    vectors = [
        SearchVector("name", weight="A", config=config)
        + SearchVector("kewenangan__name", "product", weight="B", config=config)
        + SearchVector(
            "kewenangan__sector",
            "kewenangan__origin_opd__name",
            "kewenangan__origin_opd__short_name",
            weight="C",
            config=config,
        )
        + SearchVector("description", weight="D", config=config)
        for config in SEARCH_CONFIGS
    ]
    return vectors[0] + vectors[1]


def _search_query(text: str) -> SearchQuery | None:
    """Every word must match, as a prefix (``bid`` finds ``bidan``). Only letters and digits
    reach PostgreSQL, so no input can break the ``tsquery`` syntax."""
    words = _WORD.findall(text or "")[:MAX_SEARCH_WORDS]
    if not words:
        return None
    raw = " & ".join(f"{word.lower()}:*" for word in words)
    query = None
    for config in SEARCH_CONFIGS:
        part = SearchQuery(raw, search_type="raw", config=config)
        query = part if query is None else query | part
    return query


def catalogue(*, q: str = "", opd: str = "", sector: str = "") -> JenisIzinQuerySet:
    """Published services, searched (PostgreSQL full text) and filtered by origin OPD (short
    name) and sector. Ordered by relevance when searching; new-permit services before their
    renewal, change and revocation variants; then by name."""
    services = JenisIzin.objects.published().with_kewenangan()
    if opd:
        services = services.filter(kewenangan__origin_opd__short_name=opd)
    if sector:
        services = services.filter(kewenangan__sector=sector)
    services = services.annotate(
        variant_rank=Case(
            When(variant=JenisIzin.Variant.BARU, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    query = _search_query(q)
    if query is None:
        return services.order_by("variant_rank", "name", "pk")
    return (
        services.annotate(search=_search_vector(), rank=SearchRank(_search_vector(), query))
        .filter(search=query)
        .order_by("-rank", "variant_rank", "name", "pk")
    )


def catalogue_filters() -> dict:
    """The choices of the catalogue filters: OPDs and sectors that have published services."""
    published = JenisIzin.objects.published()
    opds = PerangkatDaerah.objects.filter(kewenangan_asal__jenis_izin__in=published).distinct()
    sectors = (
        published.order_by("kewenangan__sector")
        .values_list("kewenangan__sector", flat=True)
        .distinct()
    )
    return {"opds": list(opds.order_by("name")), "sectors": list(sectors)}


def published_service(slug: str) -> JenisIzin:
    """One published service by slug (``JenisIzin.DoesNotExist`` otherwise)."""
    return JenisIzin.objects.published().with_kewenangan().get(slug=slug)


def apply_url(jenis_izin: JenisIzin) -> str:
    """Where the "Ajukan permohonan" button goes (the application flow owns the URL)."""
    return reverse("perizinan:permohonan_create", kwargs={"slug": jenis_izin.slug})


@dataclass(frozen=True)
class DelegationProgress:
    total: int
    delegated: int
    not_delegated: int
    by_stage: list[tuple[int, int]]

    @property
    def percent(self) -> int:
        return round(100 * self.delegated / self.total) if self.total else 0


def delegation_progress() -> DelegationProgress:
    """How far the one-stop transfer has come: counts of active authorities (2 queries)."""
    active = Kewenangan.objects.active()
    counts = active.aggregate(total=Count("pk"), delegated=Count("pk", filter=Q(delegated=True)))
    stages = (
        active.filter(delegated=True, stage_year__isnull=False)
        .values_list("stage_year")
        .annotate(n=Count("pk"))
        .order_by("stage_year")
    )
    return DelegationProgress(
        total=counts["total"],
        delegated=counts["delegated"],
        not_delegated=counts["total"] - counts["delegated"],
        by_stage=list(stages),
    )


def with_basis_and_coming(items: QuerySet[Kewenangan]) -> QuerySet[Kewenangan]:
    """Annotate each authority with the legal basis of the change in force
    (``basis_text``/``basis_date``: the latest applied history row with one) and the change
    waiting for its day (``coming_date``, ``coming_holder``, ``coming_delegated``)."""
    applied = (
        Pelimpahan.objects.applied()
        .filter(kewenangan=OuterRef("pk"))
        .exclude(legal_basis="")
        .order_by("-applied_at", "-id")
    )
    coming = (
        Pelimpahan.objects.scheduled()
        .filter(kewenangan=OuterRef("pk"))
        .order_by("effective_date", "id")
    )
    return items.annotate(
        basis_text=Subquery(applied.values("legal_basis")[:1]),
        basis_date=Subquery(applied.values("effective_date")[:1]),
        coming_date=Subquery(coming.values("effective_date")[:1]),
        coming_holder=Subquery(coming.values("to_opd__short_name")[:1]),
        coming_delegated=Subquery(coming.values("to_delegated")[:1]),
    )


def public_kewenangan(*, opd: str = "", status: str = "", q: str = "") -> QuerySet[Kewenangan]:
    """Active authorities for the public list, with their OPDs, the legal basis of their
    current holder and any change coming (one query)."""
    items = with_basis_and_coming(Kewenangan.objects.active().with_opds())
    if opd:
        items = items.filter(Q(origin_opd__short_name=opd) | Q(technical_opd__short_name=opd))
    if status == "dilimpahkan":
        items = items.filter(delegated=True)
    elif status == "belum":
        items = items.filter(delegated=False)
    words = _WORD.findall(q or "")[:MAX_SEARCH_WORDS]
    for word in words:
        items = items.filter(Q(name__icontains=word) | Q(code__icontains=word))
    return items.order_by("code")
