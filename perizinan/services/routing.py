"""Where a file goes: the route of a new application, and an admin re-routing a file in
progress after its authority (kewenangan) was reassigned."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from config.logs import log_event
from kewenangan.models import JenisIzin, Kewenangan, PerangkatDaerah
from kewenangan.services import apply_due_changes
from perizinan.exceptions import WorkflowError
from perizinan.models import Permohonan
from perizinan.services.activity import Kind, record_activity
from perizinan.workflow import ACTIVE_STATES, Status

logger = logging.getLogger("perizinan")


@dataclass(frozen=True)
class Route:
    processing_opd: PerangkatDaerah
    technical_opd: PerangkatDaerah | None
    delegated: bool


def route_for(jenis_izin: JenisIzin) -> Route:
    """Where a new application goes: the DPMPTSP processes it when the kewenangan is delegated,
    else the origin OPD; the kewenangan's technical OPD reviews it when the service needs it.

    A scheduled change of holder whose day has come is applied first (the beat task may not
    have run yet), so a file submitted from 00:00 WIB of that day follows the new holder and
    one submitted before keeps the old route (frozen on the file at submission)."""
    if apply_due_changes(kewenangan_ids=[jenis_izin.kewenangan_id]):
        jenis_izin.kewenangan = Kewenangan.objects.select_related(
            "origin_opd", "technical_opd"
        ).get(pk=jenis_izin.kewenangan_id)
    kewenangan = jenis_izin.kewenangan
    if kewenangan.delegated:
        processing = PerangkatDaerah.objects.filter(is_dpmptsp=True).first()
        if processing is None:
            raise WorkflowError(
                _("Layanan ini belum dapat diajukan: DPMPTSP belum terdaftar. Hubungi admin.")
            )
    else:
        processing = kewenangan.origin_opd
    technical = kewenangan.technical_opd if jenis_izin.needs_technical_review else None
    return Route(processing_opd=processing, technical_opd=technical, delegated=kewenangan.delegated)


@transaction.atomic
def reroute_permohonan(permohonan: Permohonan, *, actor: Any, reason: str) -> Permohonan:
    """An admin moves a file in progress to the route its kewenangan has now (after a
    reassignment of the authority). Files otherwise keep the route they were submitted under.
    The claim is dropped; the change is recorded with the reason."""
    if actor is None or actor.role != Role.ADMIN:
        raise WorkflowError(_("Hanya admin yang dapat mengalihkan rute permohonan."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tuliskan alasan pengalihan rute.")})
    locked = (
        Permohonan.objects.select_for_update(of=("self",))
        .select_related("jenis_izin__kewenangan", "processing_opd", "technical_opd")
        .get(pk=permohonan.pk)
    )
    if locked.status not in ACTIVE_STATES:
        raise WorkflowError(_("Hanya permohonan yang masih berjalan yang dapat dialihkan."))
    route = route_for(locked.jenis_izin)
    technical = route.technical_opd if locked.technical_opd_id is not None else None
    if locked.status in (Status.KAJIAN_TEKNIS, Status.PERBAIKAN_TEKNIS):
        # A file already in technical review keeps a technical OPD whatever the new route says.
        technical = route.technical_opd or locked.technical_opd
    before = {
        "processing_opd": str(locked.processing_opd),
        "technical_opd": str(locked.technical_opd or "-"),
        "delegated": locked.route_delegated,
    }
    if (
        locked.processing_opd_id == route.processing_opd.pk
        and locked.technical_opd_id == (technical.pk if technical else None)
        and locked.route_delegated == route.delegated
    ):
        raise WorkflowError(_("Rute permohonan ini sudah sama dengan rute kewenangan saat ini."))
    locked.processing_opd = route.processing_opd
    locked.technical_opd = technical
    locked.route_delegated = route.delegated
    locked.assigned_to = None
    locked.assigned_at = None
    locked.save(
        update_fields=[
            "processing_opd",
            "technical_opd",
            "route_delegated",
            "assigned_to",
            "assigned_at",
            "updated_at",
        ]
    )
    after = {
        "processing_opd": str(route.processing_opd),
        "technical_opd": str(technical or "-"),
        "delegated": route.delegated,
    }
    record_activity(locked, Kind.REROUTE, actor, reason.strip(), before=before, after=after)
    log_event(logger, "reroute", number=locked.number, actor_id=actor.pk)
    return locked
