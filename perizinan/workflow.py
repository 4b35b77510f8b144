"""The life of an application (Permohonan) as data.

Every state is in ``Status``; every allowed move is one ``Transition`` in ``TRANSITIONS``.
Only ``perizinan.services.transition`` changes a status, and it reads this table. Views and
templates ask ``available_transitions(permohonan, user)`` which buttons to show.

Flow (RESEARCH.md section 1e)::

    DRAFT -submit-> DIAJUKAN -start_verification-> VERIFIKASI
    VERIFIKASI -return_for_correction-> DIKEMBALIKAN -resubmit-> DIAJUKAN
    VERIFIKASI -register-> TERDAFTAR                       (the SLA clock starts here)
    TERDAFTAR -send_to_technical-> KAJIAN_TEKNIS           (service needs technical review)
    TERDAFTAR -send_to_signing-> PENANDATANGANAN           (no technical review)
    KAJIAN_TEKNIS -request_technical_fix-> PERBAIKAN_TEKNIS -technical_fixed-> KAJIAN_TEKNIS
    PERBAIKAN_TEKNIS -lapse-> GUGUR                        (system: the deadline passed)
    KAJIAN_TEKNIS -recommend_payment-> MENUNGGU_PEMBAYARAN (service carries a fee)
    KAJIAN_TEKNIS -recommend_approval-> PENANDATANGANAN
    KAJIAN_TEKNIS -recommend_rejection-> DITOLAK
    MENUNGGU_PEMBAYARAN -confirm_payment-> PENANDATANGANAN
    PENANDATANGANAN -issue-> TERBIT                        (system: the signing service)
    PENANDATANGANAN -reject-> DITOLAK
    any state before a decision -withdraw-> DIBATALKAN     (applicant, with a reason)

Guards are part of the table: a service with a field check needs its report (BAP) before the
recommendation; payment can be confirmed only once the amount has been assessed.
``inputs`` names what the officer's form asks for a move (the fee, the payment reference, the
days the applicant gets for a technical fix, the fields to correct).

Who works on what: ``officer_roles_for(status)`` is derived from the table (the roles of the
non-system moves out of a state); the officers' queues, claims and assignments use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from perizinan import scope


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    DIAJUKAN = "diajukan", _("Diajukan")
    VERIFIKASI = "verifikasi", _("Verifikasi berkas")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan untuk dilengkapi")
    TERDAFTAR = "terdaftar", _("Terdaftar")
    KAJIAN_TEKNIS = "kajian_teknis", _("Kajian teknis")
    PERBAIKAN_TEKNIS = "perbaikan_teknis", _("Perbaikan teknis")
    MENUNGGU_PEMBAYARAN = "menunggu_pembayaran", _("Menunggu pembayaran")
    PENANDATANGANAN = "penandatanganan", _("Penandatanganan")
    TERBIT = "terbit", _("Izin terbit")
    DITOLAK = "ditolak", _("Ditolak")
    DIBATALKAN = "dibatalkan", _("Dibatalkan pemohon")
    GUGUR = "gugur", _("Gugur")


#: Who may perform a move. ``APPLICANT`` means the owner of the file; ``SYSTEM`` a scheduled
#: task or a service (signing, deadline) that acts by itself.
APPLICANT = Role.PEMOHON
SYSTEM = "system"

#: States only the system may set: no form, officer or applicant chooses them directly.
SYSTEM_ONLY_TARGETS = frozenset({Status.TERBIT, Status.GUGUR})

#: States in which the applicant may edit data and replace documents.
EDITABLE_STATES = frozenset({Status.DRAFT, Status.DIKEMBALIKAN, Status.PERBAIKAN_TEKNIS})

#: Final states: nothing moves out of them.
FINAL_STATES = frozenset({Status.TERBIT, Status.DITOLAK, Status.DIBATALKAN, Status.GUGUR})

#: States in which the applicant must act (the clock stops).
WAITING_FOR_APPLICANT = frozenset({Status.DIKEMBALIKAN, Status.PERBAIKAN_TEKNIS})

#: States before a decision: the applicant may still withdraw.
WITHDRAWABLE_STATES = frozenset(
    {
        Status.DIAJUKAN,
        Status.VERIFIKASI,
        Status.DIKEMBALIKAN,
        Status.TERDAFTAR,
        Status.KAJIAN_TEKNIS,
        Status.PERBAIKAN_TEKNIS,
        Status.MENUNGGU_PEMBAYARAN,
    }
)


def needs_technical_review(permohonan) -> bool:
    return permohonan.technical_opd_id is not None


def skips_technical_review(permohonan) -> bool:
    return permohonan.technical_opd_id is None


def needs_payment(permohonan) -> bool:
    return bool(permohonan.needs_payment)


def no_payment(permohonan) -> bool:
    return not permohonan.needs_payment


def field_check_done(permohonan) -> bool:
    """A service with a field check needs the inspection report (BAP) before a recommendation."""
    return not permohonan.needs_field_check or permohonan.field_check_done_at is not None


def fee_assessed(permohonan) -> bool:
    return permohonan.fee_amount is not None and permohonan.fee_amount > 0


def all_of(*guards: Callable) -> Callable:
    def guard(permohonan) -> bool:
        return all(g(permohonan) for g in guards)

    guard.__name__ = "_and_".join(g.__name__ for g in guards)
    return guard


#: What an officer's form may carry for a move (see ``perizinan.services.transition``).
INPUT_FEE = "fee_amount"
INPUT_PAYMENT_REFERENCE = "payment_reference"
INPUT_FIX_DAYS = "fix_working_days"
INPUT_FIELDS_TO_FIX = "fields_to_fix"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    roles: frozenset
    label: str
    guard: Callable | None = None
    #: Set only by a service or a task (``transition(..., system=True)``), never from a form.
    system_only: bool = False
    #: The note to the applicant is required (returns, rejections, withdrawals).
    note_required: bool = False
    #: Button style for templates.
    style: str = field(default="primary")
    #: Extra inputs the move takes (``INPUT_*``).
    inputs: frozenset = frozenset()

    @property
    def is_applicant_move(self) -> bool:
        return APPLICANT in self.roles

    def allows_role(self, role: str) -> bool:
        return role in self.roles


def _t(name, sources, target, roles, label, **kwargs) -> Transition:
    if isinstance(sources, str):
        sources = {sources}
    if "inputs" in kwargs:
        kwargs["inputs"] = frozenset(kwargs["inputs"])
    return Transition(name, frozenset(sources), target, frozenset(roles), label, **kwargs)


TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", Status.DRAFT, Status.DIAJUKAN, {APPLICANT}, _("Ajukan permohonan")),
    _t(
        "start_verification",
        Status.DIAJUKAN,
        Status.VERIFIKASI,
        {Role.FRONT_OFFICE},
        _("Mulai verifikasi"),
    ),
    _t(
        "return_for_correction",
        Status.VERIFIKASI,
        Status.DIKEMBALIKAN,
        {Role.FRONT_OFFICE},
        _("Kembalikan untuk dilengkapi"),
        note_required=True,
        style="warning",
        inputs={INPUT_FIELDS_TO_FIX},
    ),
    _t("resubmit", Status.DIKEMBALIKAN, Status.DIAJUKAN, {APPLICANT}, _("Ajukan ulang")),
    _t(
        "register",
        Status.VERIFIKASI,
        Status.TERDAFTAR,
        {Role.FRONT_OFFICE},
        _("Nyatakan lengkap dan daftarkan"),
    ),
    _t(
        "send_to_technical",
        Status.TERDAFTAR,
        Status.KAJIAN_TEKNIS,
        {Role.BACK_OFFICE},
        _("Teruskan ke tim teknis"),
        guard=needs_technical_review,
    ),
    _t(
        "send_to_signing",
        Status.TERDAFTAR,
        Status.PENANDATANGANAN,
        {Role.BACK_OFFICE},
        _("Teruskan ke penandatanganan"),
        guard=skips_technical_review,
    ),
    _t(
        "request_technical_fix",
        Status.KAJIAN_TEKNIS,
        Status.PERBAIKAN_TEKNIS,
        {Role.TIM_TEKNIS},
        _("Minta perbaikan teknis"),
        note_required=True,
        style="warning",
        inputs={INPUT_FIX_DAYS, INPUT_FIELDS_TO_FIX},
    ),
    _t(
        "technical_fixed",
        Status.PERBAIKAN_TEKNIS,
        Status.KAJIAN_TEKNIS,
        {APPLICANT},
        _("Kirim perbaikan"),
    ),
    _t(
        "lapse",
        Status.PERBAIKAN_TEKNIS,
        Status.GUGUR,
        {SYSTEM},
        _("Gugur karena batas waktu perbaikan lewat"),
        system_only=True,
    ),
    _t(
        "recommend_payment",
        Status.KAJIAN_TEKNIS,
        Status.MENUNGGU_PEMBAYARAN,
        {Role.TIM_TEKNIS},
        _("Rekomendasi setuju, terbitkan tagihan retribusi"),
        guard=all_of(needs_payment, field_check_done),
        inputs={INPUT_FEE},
    ),
    _t(
        "recommend_approval",
        Status.KAJIAN_TEKNIS,
        Status.PENANDATANGANAN,
        {Role.TIM_TEKNIS},
        _("Rekomendasi setuju"),
        guard=all_of(no_payment, field_check_done),
    ),
    _t(
        "recommend_rejection",
        Status.KAJIAN_TEKNIS,
        Status.DITOLAK,
        {Role.TIM_TEKNIS},
        _("Rekomendasi tolak"),
        note_required=True,
        style="danger",
    ),
    _t(
        "confirm_payment",
        Status.MENUNGGU_PEMBAYARAN,
        Status.PENANDATANGANAN,
        {Role.BACK_OFFICE, SYSTEM},
        _("Konfirmasi pembayaran"),
        guard=fee_assessed,
        inputs={INPUT_PAYMENT_REFERENCE},
    ),
    _t(
        "issue",
        Status.PENANDATANGANAN,
        Status.TERBIT,
        {Role.KEPALA, SYSTEM},
        _("Tandatangani dan terbitkan izin"),
        system_only=True,
    ),
    _t(
        "reject",
        Status.PENANDATANGANAN,
        Status.DITOLAK,
        {Role.KEPALA},
        _("Tolak permohonan"),
        note_required=True,
        style="danger",
    ),
    _t(
        "withdraw",
        WITHDRAWABLE_STATES,
        Status.DIBATALKAN,
        {APPLICANT},
        _("Batalkan permohonan"),
        note_required=True,
        style="outline-danger",
    ),
)

TRANSITIONS_BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def get_transition(name: str) -> Transition | None:
    return TRANSITIONS_BY_NAME.get(name)


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources]


def actor_may(transition: Transition, permohonan, user) -> bool:
    """The role and scope rule of a move, without the state check."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not transition.allows_role(user.role):
        return False
    if transition.is_applicant_move and user.role == Role.PEMOHON:
        return permohonan.applicant_id == user.pk
    # Officers: the same scope as Permohonan.objects.visible_to.
    return scope.sees(user, permohonan)


def officer_roles_for(status: str) -> frozenset:
    """The officers' roles that act on a file in ``status`` (from the table, system excluded)."""
    return _OFFICER_ROLES_BY_STATUS.get(status, frozenset())


def statuses_for_role(role: str) -> list[str]:
    """The states in which ``role`` has work to do, in the order of the flow."""
    return [s for s in Status.values if role in officer_roles_for(s)]


def _officer_roles_by_status() -> dict[str, frozenset]:
    result: dict[str, set] = {}
    for t in TRANSITIONS:
        if t.system_only:
            continue
        roles = {r for r in t.roles if r not in (APPLICANT, SYSTEM)}
        for source in t.sources:
            result.setdefault(source, set()).update(roles)
    return {k: frozenset(v) for k, v in result.items()}


_OFFICER_ROLES_BY_STATUS = _officer_roles_by_status()

#: Submitted files not yet decided: the officers' active work.
ACTIVE_STATES = frozenset(set(Status.values) - FINAL_STATES - {Status.DRAFT})


def is_supervisor(user, permohonan) -> bool:
    """The supervisor rule: an admin, or the kepala of the OPD that processes the file (the
    DPMPTSP for delegated authorities, the origin OPD otherwise). Supervisors reassign files
    to colleagues, release anyone's claim and may act on a file a colleague has claimed."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.KEPALA:
        return False
    return scope.sees(user, permohonan)


def assignment_allows(permohonan, user) -> bool:
    """An officer acts on a file nobody has claimed, on their own, or as a supervisor."""
    if permohonan.assigned_to_id in (None, user.pk):
        return True
    return is_supervisor(user, permohonan)


def available_transitions(permohonan, user) -> list[Transition]:
    """The moves this user may make on this file now (system-only moves are never offered;
    officers' moves only when the file is unclaimed, theirs, or they supervise it)."""
    result = []
    for t in transitions_from(permohonan.status):
        if t.system_only:
            continue
        if t.guard is not None and not t.guard(permohonan):
            continue
        if not actor_may(t, permohonan, user):
            continue
        if not t.is_applicant_move and not assignment_allows(permohonan, user):
            continue
        result.append(t)
    return result
