"""Reads of the service catalogue as applications need it: the published services, the
version of the standard an application is filed under, a service's requirements and form
fields, and the services the front office may enter at its counter."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.scope import works_for, works_for_dpmptsp
from kewenangan.models import IsianFormulir, JenisIzin, Persyaratan, VersiStandar


def published_services() -> QuerySet[JenisIzin]:
    """Services the public sees (``JenisIzin.objects.published``)."""
    return JenisIzin.objects.published()


def current_version(jenis_izin: JenisIzin) -> VersiStandar | None:
    """The published VersiStandar an application is filed under (None if none yet)."""
    return jenis_izin.current_version


def accepts_applications(jenis_izin: JenisIzin) -> bool:
    """Whether the catalogue opens this service to online applications."""
    return jenis_izin.accepts_applications


def get_published_service(slug: str) -> JenisIzin:
    service = published_services().select_related("kewenangan").filter(slug=slug).first()
    if service is None:
        raise Http404
    return service


def requirements_of(jenis_izin: JenisIzin) -> list[Persyaratan]:
    return list(jenis_izin.persyaratan.order_by("order", "id"))


def form_fields_of(jenis_izin: JenisIzin) -> list[IsianFormulir]:
    return list(jenis_izin.isian.order_by("order", "id"))


def counter_services_matching(services: list[JenisIzin], query: str) -> list[JenisIzin]:
    """The counter's services whose name or slug holds every word of ``query`` (the same
    rule as the list's filter-as-you-type, for a browser without JavaScript)."""
    words = query.lower().split()
    return [s for s in services if all(w in f"{s.name.lower()} {s.slug}" for w in words)]


def open_services_for_counter(user) -> list[JenisIzin]:
    """Services the front office may enter at its counter: open services routed to its
    office. Delegated authorities go to the DPMPTSP (which an officer without an OPD works
    for, ``accounts.scope``), the others to their origin OPD."""
    qs = published_services().select_related("kewenangan", "kewenangan__origin_opd")
    for_dpmptsp = works_for_dpmptsp(user)
    result = []
    for service in qs.order_by("name"):
        if not accepts_applications(service):
            continue
        kewenangan = service.kewenangan
        if for_dpmptsp:
            if kewenangan.delegated:
                result.append(service)
        elif not kewenangan.delegated and works_for(user, kewenangan.origin_opd):
            result.append(service)
    return result
