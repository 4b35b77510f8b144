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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


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

    @property
    def is_applicant_move(self) -> bool:
        return APPLICANT in self.roles

    def allows_role(self, role: str) -> bool:
        return role in self.roles


def _t(name, sources, target, roles, label, **kwargs) -> Transition:
    if isinstance(sources, str):
        sources = {sources}
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
        guard=needs_payment,
    ),
    _t(
        "recommend_approval",
        Status.KAJIAN_TEKNIS,
        Status.PENANDATANGANAN,
        {Role.TIM_TEKNIS},
        _("Rekomendasi setuju"),
        guard=no_payment,
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
    from perizinan.models import Permohonan

    return Permohonan.objects.visible_to(user).filter(pk=permohonan.pk).exists()


def available_transitions(permohonan, user) -> list[Transition]:
    """The moves this user may make on this file now (system-only moves are never offered)."""
    result = []
    for t in transitions_from(permohonan.status):
        if t.system_only:
            continue
        if t.guard is not None and not t.guard(permohonan):
            continue
        if actor_may(t, permohonan, user):
            result.append(t)
    return result
