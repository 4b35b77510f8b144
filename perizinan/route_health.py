"""Route health: does every state a file can reach on its route have an officer who exists?

The roles a route needs are derived from the workflow table (``perizinan.workflow``), never
listed by hand: from the initial state, every move that is for the route (its ``when``: with
or without technical review, with or without a fee) is followed; in every state reached that
is not final, the roles of its moves (the applicant and the system left out) must each have an
active officer whose scope holds the file (``perizinan.scope``: tim teknis of the technical
OPD, the others of the processing OPD, which is the DPMPTSP for a delegated authority).

Used by:

- ``kewenangan``'s admin, through the hook ``kewenangan.routes`` (registered in
  ``PerizinanConfig.ready``): a change of holder whose route would lack a role is refused
  unless the admin overrides it;
- the admins' page ``/petugas/kesehatan-rute/`` (``services_with_gaps``, ``files_with_gaps``);
- ``on_status_changed``: admins are told when a file lands in a state nobody can work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import Role
from config.logs import log_event
from kewenangan.models import JenisIzin, Kewenangan, PerangkatDaerah
from kewenangan.routes import Holder
from notifikasi import services as notifikasi
from perizinan import workflow
from perizinan.scope import PROCESSING_ROLES

logger = logging.getLogger("perizinan")

#: The admins' message (``templates/notifikasi/<language>/admin_rute_tanpa_petugas.txt``).
ROUTE_GAP_EVENT = "admin_rute_tanpa_petugas"

#: Files listed on the page at most (the count above says how many there are).
MAX_FILES = 200


@dataclass(frozen=True)
class RouteShape:
    """What the workflow's ``when`` conditions read of a file, for a route without a file."""

    processing_opd_id: int | None
    technical_opd_id: int | None
    needs_payment: bool
    needs_field_check: bool = False
    fee_amount: int | None = None
    field_check_done_at: Any = None


@dataclass(frozen=True)
class Gap:
    """A role missing in a state of a route."""

    status: str
    role: str
    opd: PerangkatDaerah | None

    @property
    def status_label(self) -> str:
        return str(workflow.Status(self.status).label)

    @property
    def words(self) -> str:
        role = str(Role(self.role).label) if self.role in Role.values else self.role
        if self.opd is None:
            return role
        return _("%(role)s di %(opd)s") % {"role": role, "opd": self.opd.short_name}


def _applies(move: Any, shape: Any) -> bool:
    try:
        return move.applies_to(shape)
    except (AttributeError, TypeError):  # a condition that needs a real file: assume it may
        return True


def roles_in(status: str, shape: Any) -> frozenset[str]:
    """The officers' roles that move a file of this route out of ``status`` (moves made by
    a service on an officer's behalf, such as signing, count for their officer)."""
    return frozenset(
        role
        for move in workflow.transitions_from(status)
        if _applies(move, shape)
        for role in move.roles
        if role not in workflow.NOT_OFFICERS
    )


def route_states(shape: Any) -> dict[str, frozenset[str]]:
    """Every state a file of this route can reach that is not final (the draft left out),
    with the officers' roles acting in it (empty: the applicant acts)."""
    seen: set[str] = set()
    todo = [workflow.MACHINE.initial]
    needed: dict[str, frozenset[str]] = {}
    while todo:
        status = todo.pop()
        if status in seen:
            continue
        seen.add(status)
        moves = [m for m in workflow.transitions_from(status) if _applies(m, shape)]
        if status not in workflow.FINAL_STATES and status != workflow.MACHINE.initial:
            needed[status] = roles_in(status, shape)
        todo.extend(m.target for m in moves)
    order = list(workflow.Status.values)
    return dict(sorted(needed.items(), key=lambda item: order.index(item[0])))


@dataclass
class Staffing:
    """Who is on duty: the (role, OPD id) pairs of the active staff (one query)."""

    pairs: set[tuple[str, int | None]] = field(default_factory=set)

    @classmethod
    def load(cls) -> Staffing:
        from accounts.models import User

        rows = (
            User.objects.filter(is_active=True)
            .exclude(role=Role.PEMOHON)
            .values_list("role", "opd_id")
            .distinct()
        )
        return cls(set(rows))

    def has(self, role: str, opd: PerangkatDaerah | None) -> bool:
        if opd is None:
            return False
        if (role, opd.pk) in self.pairs:
            return True
        # An officer without an OPD works for the DPMPTSP (accounts.scope), but a tim teknis
        # is always bound to one OPD.
        return bool(opd.is_dpmptsp and role != Role.TIM_TEKNIS and (role, None) in self.pairs)


def _opd_for(role: str, processing: PerangkatDaerah | None, technical: PerangkatDaerah | None):
    if role == Role.TIM_TEKNIS:
        return technical
    if role in PROCESSING_ROLES:
        return processing
    return processing


def state_gaps(
    status: str,
    roles: Iterable[str],
    *,
    processing: PerangkatDaerah | None,
    technical: PerangkatDaerah | None,
    staffing: Staffing,
) -> list[Gap]:
    gaps = []
    for role in sorted(roles):
        opd = _opd_for(role, processing, technical)
        if not staffing.has(role, opd):
            gaps.append(Gap(status, role, opd))
    return gaps


def route_gaps(
    *,
    processing: PerangkatDaerah | None,
    technical: PerangkatDaerah | None,
    needs_payment: bool,
    needs_field_check: bool = False,
    staffing: Staffing | None = None,
) -> list[Gap]:
    """Every role missing on a route, state by state."""
    staffing = staffing or Staffing.load()
    shape = RouteShape(
        processing_opd_id=processing.pk if processing else None,
        technical_opd_id=technical.pk if technical else None,
        needs_payment=needs_payment,
        needs_field_check=needs_field_check,
    )
    gaps: list[Gap] = []
    for status, roles in route_states(shape).items():
        gaps += state_gaps(
            status, roles, processing=processing, technical=technical, staffing=staffing
        )
    return gaps


def service_route(
    service: JenisIzin, holder: Holder, dpmptsp: PerangkatDaerah | None
) -> dict[str, Any]:
    return {
        "processing": dpmptsp if holder.delegated else holder.origin_opd,
        "technical": holder.technical_opd if service.needs_technical_review else None,
        "needs_payment": service.fee_kind != JenisIzin.FeeKind.GRATIS,
        "needs_field_check": service.needs_field_check,
    }


def missing_for_holder(kewenangan: Kewenangan, holder: Holder) -> list[str]:
    """The hook of ``kewenangan.routes``: the roles the published services of ``kewenangan``
    would lack under ``holder``, in words ("Front office di Dinkes")."""
    services = list(JenisIzin.objects.filter(kewenangan=kewenangan, is_published=True))
    if not services:
        return []
    dpmptsp = PerangkatDaerah.objects.filter(is_dpmptsp=True).first()
    staffing = Staffing.load()
    words: list[str] = []
    for service in services:
        for gap in route_gaps(staffing=staffing, **service_route(service, holder, dpmptsp)):
            if gap.words not in words:
                words.append(gap.words)
    return words


# --- The admins' page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceGaps:
    service: JenisIzin
    gaps: list[Gap]


def services_with_gaps() -> list[ServiceGaps]:
    """Published services whose current route has a state nobody can work."""
    services = JenisIzin.objects.published().with_kewenangan().order_by("kewenangan__code", "name")
    dpmptsp = PerangkatDaerah.objects.filter(is_dpmptsp=True).first()
    staffing = Staffing.load()
    memo: dict[tuple, list[Gap]] = {}
    found = []
    for service in services:
        k = service.kewenangan
        holder = Holder(k.origin_opd, k.technical_opd, k.delegated)
        route = service_route(service, holder, dpmptsp)
        key = (
            getattr(route["processing"], "pk", None),
            getattr(route["technical"], "pk", None),
            route["needs_payment"],
        )
        if key not in memo:
            memo[key] = route_gaps(staffing=staffing, **route)
        if memo[key]:
            found.append(ServiceGaps(service, memo[key]))
    return found


@dataclass(frozen=True)
class FileGaps:
    total: int
    files: list[Any]  # Permohonan, each with ``gaps``


def files_with_gaps() -> FileGaps:
    """Files in progress whose next move has no active officer (grouped in one query by
    state and route, then the first ``MAX_FILES`` of them)."""
    from perizinan.models import Permohonan

    groups = (
        Permohonan.objects.filter(status__in=workflow.ACTIVE_STATES)
        .values("status", "processing_opd_id", "technical_opd_id", "needs_payment")
        .annotate(n=Count("pk"))
        .order_by()
    )
    groups = list(groups)
    opd_ids = {g["processing_opd_id"] for g in groups} | {g["technical_opd_id"] for g in groups}
    opds = PerangkatDaerah.objects.in_bulk([pk for pk in opd_ids if pk is not None])
    staffing = Staffing.load()
    stuck: dict[tuple, list[Gap]] = {}
    for g in groups:
        shape = RouteShape(g["processing_opd_id"], g["technical_opd_id"], g["needs_payment"])
        gaps = state_gaps(
            g["status"],
            roles_in(g["status"], shape),
            processing=opds.get(g["processing_opd_id"]),
            technical=opds.get(g["technical_opd_id"]),
            staffing=staffing,
        )
        if gaps:
            key = (g["status"], g["processing_opd_id"], g["technical_opd_id"], g["needs_payment"])
            stuck[key] = gaps
    if not stuck:
        return FileGaps(0, [])
    condition = Q(pk__in=[])
    for status, processing_id, technical_id, needs_payment in stuck:
        condition |= Q(
            status=status,
            processing_opd_id=processing_id,
            technical_opd_id=technical_id,
            needs_payment=needs_payment,
        )
    matching = Permohonan.objects.filter(condition)
    files = list(
        matching.select_related("jenis_izin", "processing_opd", "technical_opd").order_by(
            "submitted_at", "pk"
        )[:MAX_FILES]
    )
    for f in files:
        f.gaps = stuck[(f.status, f.processing_opd_id, f.technical_opd_id, f.needs_payment)]
    total = sum(
        g["n"]
        for g in groups
        if (g["status"], g["processing_opd_id"], g["technical_opd_id"], g["needs_payment"]) in stuck
    )
    return FileGaps(total, files)


# --- Telling the admins ----------------------------------------------------------------------


def file_gaps(permohonan: Any) -> list[Gap]:
    """The roles missing for the next move of this file (empty: someone can act, or the
    applicant is to act, or the file is final)."""
    if permohonan.status not in workflow.ACTIVE_STATES:
        return []
    roles = roles_in(permohonan.status, permohonan)
    if not roles:
        return []
    return state_gaps(
        permohonan.status,
        roles,
        processing=permohonan.processing_opd,
        technical=permohonan.technical_opd,
        staffing=Staffing.load(),
    )


def notify_admins_of_gap(permohonan: Any, gaps: list[Gap]) -> int:
    """Tell every active admin that this file waits for a role nobody holds (once per state
    of the file)."""
    from accounts.models import User
    from perizinan.notifications.events import absolute

    context = {
        "nomor": permohonan.number or "",
        "layanan": permohonan.jenis_izin.name,
        "status": permohonan.get_status_display(),
        "peran_kosong": [gap.words for gap in gaps],
        "tautan": absolute(reverse("petugas:route_health")),
    }
    written = 0
    for admin in User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk"):
        written += notifikasi.notify(
            user=admin,
            event=ROUTE_GAP_EVENT,
            key=f"rute:p{permohonan.pk}:v{permohonan.state_version}",
            context=context,
            channels=notifikasi.channels_for(admin, staff=True),
            reference=permohonan.number or "",
        )
    log_event(
        logger,
        "route_gap",
        level=logging.WARNING,
        number=permohonan.number,
        status=permohonan.status,
        missing=",".join(f"{g.role}@{getattr(g.opd, 'short_name', '-')}" for g in gaps),
    )
    return written


def on_status_changed(sender, permohonan, **kwargs) -> None:
    """Receiver of ``perizinan.signals.status_changed`` (inside the transition's transaction,
    in its own savepoint: a failure here never blocks the move)."""
    try:
        with transaction.atomic():
            gaps = file_gaps(permohonan)
            if gaps:
                notify_admins_of_gap(permohonan, gaps)
    except Exception:  # noqa: BLE001 - the state change must go through; the error is logged
        log_event(
            logger,
            "route_gap_check_error",
            level=logging.ERROR,
            exc_info=True,
            number=permohonan.number,
        )


def sample_context() -> dict:
    """Made-up values for the preview of the admins' message in notifikasi's template admin."""
    return {
        "peran_kosong": ["Front office di Dinkes", "Kepala (penanda tangan) di Dinkes"],
    }
