"""The life of an application (Permohonan) as data: ONE table, everything else derived.

Every state is in ``Status``; every allowed move is one ``Transition`` in ``TRANSITIONS``, and
``MACHINE`` (a ``config.statemachine.StateMachine``) checks the table. Only
``perizinan.services.transition`` changes a status, and it reads this table. Views and
templates ask ``available_transitions(permohonan, user)`` which buttons to show.

Flow (RESEARCH.md section 1e)::

    DRAFT -submit-> DIAJUKAN -start_verification-> VERIFIKASI
    VERIFIKASI -return_for_correction-> DIKEMBALIKAN -resubmit-> DIAJUKAN
    DIKEMBALIKAN -lapse-> GUGUR                            (system: the applicant's deadline passed)
    DIAJUKAN, VERIFIKASI -refuse-> DITOLAK                  (front office: not for this office)
    VERIFIKASI -register-> TERDAFTAR                       (the SLA clock starts here)
    TERDAFTAR -send_back-> VERIFIKASI                      (back office: to the front office)
    TERDAFTAR -send_to_technical-> KAJIAN_TEKNIS           (service needs technical review)
    TERDAFTAR -send_to_signing-> PENANDATANGANAN           (no technical review)
    KAJIAN_TEKNIS -request_technical_fix-> PERBAIKAN_TEKNIS -technical_fixed-> KAJIAN_TEKNIS
    PERBAIKAN_TEKNIS -lapse-> GUGUR                        (system: the applicant's deadline passed)
    KAJIAN_TEKNIS -recommend_payment-> MENUNGGU_PEMBAYARAN (service carries a fee)
    KAJIAN_TEKNIS -recommend_approval-> PENANDATANGANAN
    KAJIAN_TEKNIS -recommend_rejection-> PENANDATANGANAN   (a recommendation, not a decision)
    MENUNGGU_PEMBAYARAN -confirm_payment-> PENANDATANGANAN
    PENANDATANGANAN -issue-> TERBIT                        (system: the signing service)
    PENANDATANGANAN -reject-> DITOLAK                      (the signer; the signed letter)
    PENANDATANGANAN -return_to_technical-> KAJIAN_TEKNIS   (the signer disagrees: review again)
    any state before a decision -withdraw-> DIBATALKAN     (applicant, with a reason)

A move's ``when`` is its route (technical review or not, a fee or not); its ``guard`` what must
be done first, with the ``guard_message`` the officer reads (the field report, BAP, before a
recommendation; the assessed amount before payment is confirmed); ``inputs`` what its form
asks; ``judges_documents`` marks the moves decided on the strength of the documents.
``register`` needs a verdict "Sesuai" on every current document (``DOCUMENTS_VALID``): a
document marked "Perlu diperbaiki", or one the applicant replaced and nobody has judged yet,
sends the file back to the applicant (``return_for_correction``), never on.

Decisions belong to whoever holds them:

- **The tim teknis recommends; the signer decides.** ``recommend_approval``,
  ``recommend_payment`` and ``recommend_rejection`` store the recommendation on the file
  (``Permohonan.recommendation``, its reasons and who made it, ``recommends``). A rejection
  recommendation goes to the signer's desk (PENANDATANGANAN) with its reasons, for officers
  only (``internal_note_required``): the applicant is told nothing until the signer decides.
  Only the signer of the route (the kepala, ``reject``) rejects, with the reasons for the
  applicant that the numbered rejection letter carries in the signer's name
  (``signs_rejection_letter``). A signer who does not share the recommendation does not issue
  against it (``issue`` has the check ``NOT_RECOMMENDED_FOR_REJECTION``: a permit needs a
  favourable technical recommendation, and a file sent on for rejection skipped the fee):
  they send the file back to the tim teknis with a note (``return_to_technical``, which
  withdraws the recommendation); the tim teknis then recommends again. The kepala may also
  reject a file recommended for approval.
- **Front office refuses what is not for this office** (``refuse``: a wrong service, an
  application for another office) from DIAJUKAN or VERIFIKASI with the reason for the
  applicant. The refusal is recorded in the history with its reason and the applicant is told
  (the ``REJECTED`` message); no letter is issued, since no signer decided: a refusal at the
  counter is not a decision on the permit and the applicant may apply again for the right
  service. The SLA clock never started (it starts at ``register``).
- **Back office sends a file back to front office** (``send_back``, TERDAFTAR to VERIFIKASI)
  with a note for officers; the applicant is not told. The SLA clock keeps running from the
  first registration (the time is the office's, not the applicant's); a second ``register``
  does not restart it. The front office is told the file is back in its queue.

Derived from the table, never written a second time: ``officer_roles_for(status)`` (who acts:
the roles of its moves that are not system-only) and ``statuses_for_role``;
``document_judge_roles``; ``new_in_queue_roles`` (who is told of a new file); the field
report's roles and states; ``FINAL_STATES`` (declared and checked), ``ACTIVE_STATES``,
``EDITABLE_STATES`` and ``hand_in_move``, ``WAITING_FOR_APPLICANT``, ``SYSTEM_ONLY_TARGETS``.
Who may make a move on one file: ``actor_may`` (role and ``perizinan.scope.sees``),
``assignment_allows`` (the claim), ``is_supervisor``. This module does not import the models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from config import statemachine
from config.statemachine import SYSTEM, StateMachine
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

#: Not officers: the roles left out of the officers' queues.
NOT_OFFICERS = frozenset({APPLICANT, SYSTEM})

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


def needs_technical_review(permohonan: Any) -> bool:
    return permohonan.technical_opd_id is not None


def skips_technical_review(permohonan: Any) -> bool:
    return permohonan.technical_opd_id is None


def needs_payment(permohonan: Any) -> bool:
    return bool(permohonan.needs_payment)


def no_payment(permohonan: Any) -> bool:
    return not permohonan.needs_payment


def field_check_done(permohonan: Any) -> bool:
    """A service with a field check needs the inspection report (BAP) before a recommendation."""
    return not permohonan.needs_field_check or permohonan.field_check_done_at is not None


def fee_assessed(permohonan: Any) -> bool:
    return permohonan.fee_amount is not None and permohonan.fee_amount > 0


def documents_scanned(permohonan: Any) -> bool:
    """No current document waits for the malware scanner or was found infected
    (``perizinan.scanning``): officers cannot open those, so nothing is decided on them."""
    from perizinan.scanning.status import BLOCKING_STATUSES

    return not permohonan.dokumen.filter(
        is_current=True, scan_status__in=BLOCKING_STATUSES
    ).exists()


#: What an officer's form may carry for a move (see ``perizinan.services.transition``).
INPUT_FEE = "fee_amount"
INPUT_PAYMENT_REFERENCE = "payment_reference"
INPUT_FIX_DAYS = "fix_working_days"
INPUT_FIELDS_TO_FIX = "fields_to_fix"

#: Said when a move is not for this file, or its guard has no message of its own.
NOT_MET = _("syarat tindakan ini tidak terpenuhi untuk permohonan ini.")
BAP_FIRST = _("unggah berita acara pemeriksaan lapangan (BAP) lebih dulu.")
SCAN_FIRST = _(
    "ada dokumen yang masih menunggu pemindaian virus atau terdeteksi virus. Tunggu hasil "
    "pemindaian, atau kembalikan permohonan agar pemohon mengunggah berkas lain."
)

#: A decision on documents waits until none of them is held by the malware scanner (a
#: document replaced during a technical fix is scanned again).
SCANNED = statemachine.Check(documents_scanned, SCAN_FIRST)


def documents_valid(permohonan: Any) -> bool:
    """Every current document has the verdict "Sesuai": none "Perlu diperbaiki" and none
    still unjudged (a document the applicant replaced starts unjudged)."""
    return not permohonan.dokumen.filter(is_current=True).exclude(verdict=VERDICT_VALID).exists()


#: ``Dokumen.Verdict.VALID`` (this module does not import the models).
VERDICT_VALID = "valid"


VALID_FIRST = _(
    "setiap dokumen harus dinyatakan “Sesuai” lebih dulu. Periksa dokumen yang belum "
    "diperiksa; bila ada yang perlu diperbaiki, kembalikan permohonan kepada pemohon."
)
DOCUMENTS_VALID = statemachine.Check(documents_valid, VALID_FIRST)

#: The kinds of a technical recommendation (``Permohonan.recommendation``).
RECOMMEND_APPROVAL = "approval"
RECOMMEND_REJECTION = "rejection"


def not_recommended_for_rejection(permohonan: Any) -> bool:
    return getattr(permohonan, "recommendation", "") != RECOMMEND_REJECTION


RECOMMENDED_REJECTION = _(
    "tim teknis merekomendasikan penolakan. Tolak permohonan, atau bila Anda tidak sependapat, "
    "kembalikan ke tim teknis dengan catatan untuk dikaji ulang."
)
NOT_RECOMMENDED_FOR_REJECTION = statemachine.Check(
    not_recommended_for_rejection, RECOMMENDED_REJECTION
)


@dataclass(frozen=True)
class Transition(statemachine.Transition):
    """A move of an application (``config.statemachine.Transition``) with perizinan's words."""

    #: The move decides on the strength of the documents: its roles judge them in its sources.
    judges_documents: bool = False
    #: The note is for officers only: the internal note is required and the form asks no
    #: note for the applicant (a recommendation, a file sent back between desks).
    internal_note_required: bool = False
    #: The move records a technical recommendation of this kind (``RECOMMEND_*``); a move
    #: out of the signer's desk back to review withdraws it (``withdraws_recommendation``).
    recommends: str = ""
    withdraws_recommendation: bool = False
    #: The move is the signer's rejection: the numbered letter is written in the signer's
    #: name (``perizinan.services.penolakan``).
    signs_rejection_letter: bool = False

    @property
    def is_applicant_move(self) -> bool:
        return APPLICANT in self.roles

    def refusal(self, obj: Any, *, otherwise: Any = NOT_MET) -> Any:
        return super().refusal(obj, otherwise=otherwise)


def _t(
    name: str, sources: Any, target: str, roles: Iterable[str], label: Any, **kwargs: Any
) -> Transition:
    if isinstance(sources, str):
        sources = {sources}
    if "inputs" in kwargs:
        kwargs["inputs"] = frozenset(kwargs["inputs"])
    return Transition(name, frozenset(sources), target, frozenset(roles), label, **kwargs)


S, R = Status, Role  # short names for the table

TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", S.DRAFT, S.DIAJUKAN, {APPLICANT}, _("Ajukan permohonan")),
    _t("start_verification", S.DIAJUKAN, S.VERIFIKASI, {R.FRONT_OFFICE}, _("Mulai verifikasi")),
    _t(
        "return_for_correction",
        S.VERIFIKASI,
        S.DIKEMBALIKAN,
        {R.FRONT_OFFICE},
        _("Kembalikan untuk dilengkapi"),
        note_required=True,
        style="warning",
        inputs={INPUT_FIX_DAYS, INPUT_FIELDS_TO_FIX},
        judges_documents=True,
    ),
    _t("resubmit", S.DIKEMBALIKAN, S.DIAJUKAN, {APPLICANT}, _("Ajukan ulang")),
    _t(
        "register",
        S.VERIFIKASI,
        S.TERDAFTAR,
        {R.FRONT_OFFICE},
        _("Nyatakan lengkap dan daftarkan"),
        guard=documents_scanned,
        guard_message=SCAN_FIRST,
        checks=(DOCUMENTS_VALID,),
        judges_documents=True,
    ),
    _t(
        "refuse",
        {S.DIAJUKAN, S.VERIFIKASI},
        S.DITOLAK,
        {R.FRONT_OFFICE},
        _("Tolak: bukan layanan kantor ini"),
        note_required=True,
        style="outline-danger",
    ),
    _t(
        "send_back",
        S.TERDAFTAR,
        S.VERIFIKASI,
        {R.BACK_OFFICE},
        _("Kembalikan ke front office"),
        internal_note_required=True,
        style="warning",
    ),
    _t(
        "send_to_technical",
        S.TERDAFTAR,
        S.KAJIAN_TEKNIS,
        {R.BACK_OFFICE},
        _("Teruskan ke tim teknis"),
        when=needs_technical_review,
        judges_documents=True,
    ),
    _t(
        "send_to_signing",
        S.TERDAFTAR,
        S.PENANDATANGANAN,
        {R.BACK_OFFICE},
        _("Teruskan ke penandatanganan"),
        when=skips_technical_review,
        judges_documents=True,
    ),
    _t(
        "request_technical_fix",
        S.KAJIAN_TEKNIS,
        S.PERBAIKAN_TEKNIS,
        {R.TIM_TEKNIS},
        _("Minta perbaikan teknis"),
        note_required=True,
        style="warning",
        inputs={INPUT_FIX_DAYS, INPUT_FIELDS_TO_FIX},
        judges_documents=True,
    ),
    _t("technical_fixed", S.PERBAIKAN_TEKNIS, S.KAJIAN_TEKNIS, {APPLICANT}, _("Kirim perbaikan")),
    _t(
        "lapse",
        {S.DIKEMBALIKAN, S.PERBAIKAN_TEKNIS},
        S.GUGUR,
        {SYSTEM},
        _("Gugur karena batas waktu perbaikan lewat"),
        system_only=True,
    ),
    _t(
        "recommend_payment",
        S.KAJIAN_TEKNIS,
        S.MENUNGGU_PEMBAYARAN,
        {R.TIM_TEKNIS},
        _("Rekomendasi setuju, terbitkan tagihan retribusi"),
        when=needs_payment,
        guard=field_check_done,
        guard_message=BAP_FIRST,
        inputs={INPUT_FEE},
        checks=(SCANNED,),
        judges_documents=True,
        recommends=RECOMMEND_APPROVAL,
    ),
    _t(
        "recommend_approval",
        S.KAJIAN_TEKNIS,
        S.PENANDATANGANAN,
        {R.TIM_TEKNIS},
        _("Rekomendasi setuju"),
        when=no_payment,
        guard=field_check_done,
        guard_message=BAP_FIRST,
        checks=(SCANNED,),
        judges_documents=True,
        recommends=RECOMMEND_APPROVAL,
    ),
    _t(
        "recommend_rejection",
        S.KAJIAN_TEKNIS,
        S.PENANDATANGANAN,
        {R.TIM_TEKNIS},
        _("Rekomendasi tolak"),
        internal_note_required=True,
        style="danger",
        judges_documents=True,
        recommends=RECOMMEND_REJECTION,
    ),
    _t(
        "confirm_payment",
        S.MENUNGGU_PEMBAYARAN,
        S.PENANDATANGANAN,
        {R.BACK_OFFICE, SYSTEM},
        _("Konfirmasi pembayaran"),
        guard=fee_assessed,
        guard_message=_("nominal retribusi belum ditetapkan."),
        inputs={INPUT_PAYMENT_REFERENCE},
    ),
    _t(
        "issue",
        S.PENANDATANGANAN,
        S.TERBIT,
        {R.KEPALA, SYSTEM},
        _("Tandatangani dan terbitkan izin"),
        system_only=True,
        checks=(NOT_RECOMMENDED_FOR_REJECTION,),
    ),
    _t(
        "reject",
        S.PENANDATANGANAN,
        S.DITOLAK,
        {R.KEPALA},
        _("Tolak permohonan"),
        note_required=True,
        style="danger",
        signs_rejection_letter=True,
    ),
    _t(
        "return_to_technical",
        S.PENANDATANGANAN,
        S.KAJIAN_TEKNIS,
        {R.KEPALA},
        _("Kembalikan ke tim teknis untuk dikaji ulang"),
        when=needs_technical_review,
        internal_note_required=True,
        style="warning",
        withdraws_recommendation=True,
    ),
    _t(
        "withdraw",
        WITHDRAWABLE_STATES,
        S.DIBATALKAN,
        {APPLICANT},
        _("Batalkan permohonan"),
        note_required=True,
        style="outline-danger",
    ),
)

MACHINE = StateMachine(
    states=tuple(Status),
    transitions=TRANSITIONS,
    initial=Status.DRAFT,
    final_states={Status.TERBIT, Status.DITOLAK, Status.DIBATALKAN, Status.GUGUR},
)

TRANSITIONS_BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def get_transition(name: str) -> Transition | None:
    return TRANSITIONS_BY_NAME.get(name)


def transition_label(name: str) -> Any:
    """The words of a move for history and reports ("Nyatakan lengkap dan daftarkan"), never
    its code. A move no longer in the table (an old history row) is still named, not shown raw."""
    move = TRANSITIONS_BY_NAME.get(name)
    if move is not None:
        return move.label
    return _("Tindakan lama (%(name)s)") % {"name": name}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources]


# --- Derived from the table ------------------------------------------------------------------

#: Final states: nothing moves out of them.
FINAL_STATES: frozenset[str] = MACHINE.final_states

#: Submitted files not yet decided: the officers' active work.
ACTIVE_STATES = frozenset(set(Status.values) - FINAL_STATES - {MACHINE.initial})

#: States only the system may set: no form, officer or applicant chooses them directly.
SYSTEM_ONLY_TARGETS = frozenset(t.target for t in TRANSITIONS if t.system_only)

#: The applicant's move that hands the file (back) to the office, by state: the applicant's
#: moves into a state that is not final (submit, resubmit, send the technical fix).
_HAND_IN_MOVES: dict[str, Transition] = {
    source: t
    for t in TRANSITIONS
    if t.is_applicant_move and t.target not in FINAL_STATES
    for source in t.sources
}

#: States in which the applicant may edit data and replace documents.
EDITABLE_STATES = frozenset(_HAND_IN_MOVES)


def hand_in_move(status: str) -> Transition | None:
    """The move the applicant's "submit" button makes in ``status`` (None: nothing to hand in)."""
    return _HAND_IN_MOVES.get(status)


def officer_roles_for(status: str) -> frozenset[str]:
    """The officers' roles that act on a file in ``status`` (from the table, system excluded)."""
    return MACHINE.acting_roles(status, exclude=NOT_OFFICERS)


def statuses_for_role(role: str) -> list[str]:
    """The states in which ``role`` has work to do, in the order of the flow."""
    return MACHINE.states_for_role(role, exclude=NOT_OFFICERS)


#: States in which the applicant must act (the clock stops): submitted, undecided, and no
#: officer has a move.
WAITING_FOR_APPLICANT = frozenset(s for s in ACTIVE_STATES if not officer_roles_for(s))


def document_judge_roles(status: str) -> frozenset[str]:
    """The officers' roles that mark documents valid or to be corrected in ``status``: the
    roles of the moves out of it that decide on the strength of the documents."""
    return MACHINE.acting_roles(status, exclude=NOT_OFFICERS, where=_judges_documents)


def _judges_documents(t: Any) -> bool:
    return bool(t.judges_documents)


#: The moves that wait for the field inspection report (BAP): whoever makes them files it, in
#: the states they leave from (the tim teknis, during the technical review).
_FIELD_CHECK_MOVES = tuple(t for t in TRANSITIONS if t.guard is field_check_done)
FIELD_REPORT_STATES = frozenset(s for t in _FIELD_CHECK_MOVES for s in t.sources)
FIELD_REPORT_ROLES = frozenset(r for t in _FIELD_CHECK_MOVES for r in t.roles) - NOT_OFFICERS


def new_in_queue_roles(from_status: str | None, to_status: str) -> frozenset[str]:
    """The officers' roles told that a file moving from ``from_status`` to ``to_status`` is
    new in their queue: those acting in the state it enters, less those already acting on it
    in the state it left (starting the verification is no news to the front office)."""
    before = officer_roles_for(from_status) if from_status else frozenset()
    return officer_roles_for(to_status) - before


# --- Who may make a move on one file ---------------------------------------------------------


def actor_may(transition: Transition, permohonan: Any, user: Any) -> bool:
    """The role and scope rule of a move, without the state check."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not transition.allows_role(user.role):
        return False
    if transition.is_applicant_move and user.role == Role.PEMOHON:
        return bool(permohonan.applicant_id == user.pk)
    # Officers: the same scope as Permohonan.objects.visible_to.
    return scope.sees(user, permohonan)


def is_supervisor(user: Any, permohonan: Any) -> bool:
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


def assignment_allows(permohonan: Any, user: Any) -> bool:
    """An officer acts on a file nobody has claimed, on their own, or as a supervisor."""
    if permohonan.assigned_to_id in (None, user.pk):
        return True
    return is_supervisor(user, permohonan)


def available_transitions(permohonan: Any, user: Any) -> list[Transition]:
    """The moves this user may make on this file now (system-only moves are never offered;
    officers' moves only when the file is unclaimed, theirs, or they supervise it)."""
    return [
        t
        for t in transitions_from(permohonan.status)
        if not t.system_only
        and t.can_be_made_on(permohonan)
        and actor_may(t, permohonan, user)
        and (t.is_applicant_move or assignment_allows(permohonan, user))
    ]
