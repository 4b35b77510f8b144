"""Complaints (pengaduan): the officers' workflow and queue.

The workflow is data (``akuntabilitas.workflow``: the same kind of table as the applications');
``move_pengaduan`` is the one function that changes a complaint's status. It checks the move and
the actor, locks the row, writes the append-only ``RiwayatPengaduan`` row and queues the message
to the complainant in the same transaction (the outbox delivers after commit).

Who handles complaints: the roles of the table's moves (``COMPLAINT_HANDLER_ROLES``: the front
office, back office and admins) of the DPMPTSP (``accounts.scope.works_for_dpmptsp``). The head
(kepala) reads every complaint and receives the daily escalation of overdue ones
(``akuntabilitas.services.eskalasi``). Filing and following a complaint by ticket and PIN is
``akuntabilitas.services.tiket``; both are re-exported here. The response time is
``PengaturanPengaduan.response_working_days`` (admin-editable), counted on the office calendar
from the first working day after receipt.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scope as office
from accounts.roles import Role
from akuntabilitas.models import (
    COMPLAINT_HANDLER_ROLES,
    COMPLAINT_READER_ROLES,
    OPEN_COMPLAINT_STATES,
    Pengaduan,
    PengaduanStatus,
    RiwayatPengaduan,
)
from akuntabilitas.services import kabar
from akuntabilitas.services.eskalasi import escalate_overdue, heads  # noqa: F401 - tasks, tests
from akuntabilitas.services.tiket import (  # noqa: F401 - filing and follow-up, re-exported
    Ticket,
    file_pengaduan,
    find_by_ticket,
    new_pin,
    pin_digest,
    response_working_days,
    ticket_number,
)
from akuntabilitas.workflow import INPUT_ANSWER, Move, get_move, moves_from
from config.logs import log_event
from perizinan.exceptions import WorkflowError
from perizinan.workdays import default_calendar

logger = logging.getLogger("akuntabilitas.pengaduan")

S = PengaduanStatus


# --- Who handles complaints ----------------------------------------------------------------


def _of_the_office(user: Any, roles: frozenset[str]) -> bool:
    """An active user with one of ``roles`` who works for the DPMPTSP (admins always)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role not in roles:
        return False
    return user.role == Role.ADMIN or office.works_for_dpmptsp(user)


def can_read(user: Any) -> bool:
    """May this user open the complaint queue (handlers and the head)?"""
    return _of_the_office(user, COMPLAINT_READER_ROLES)


def can_handle(user: Any, move: Move | None = None) -> bool:
    """May this user move complaints (follow up, answer, close), or make ``move``?"""
    return _of_the_office(user, move.roles if move is not None else COMPLAINT_HANDLER_ROLES)


def available_moves(pengaduan: Pengaduan, user: Any) -> list[Move]:
    return [m for m in moves_from(pengaduan.status) if can_handle(user, m)]


# --- The officers' workflow --------------------------------------------------------------------


@transaction.atomic
def move_pengaduan(
    pengaduan: Pengaduan,
    *,
    name: str,
    actor,
    answer: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Pengaduan:
    """The one function that changes a complaint's status (the moves of
    ``akuntabilitas.workflow``)."""
    move = get_move(name)
    if move is None:
        raise WorkflowError(_("Tindakan “%(name)s” tidak dikenal.") % {"name": name})
    if not can_handle(actor, move):
        raise WorkflowError(_("Anda tidak berwenang menangani pengaduan."))
    locked = Pengaduan.objects.visible_to(actor).select_for_update().filter(pk=pengaduan.pk).first()
    if locked is None:
        raise WorkflowError(_("Anda tidak berwenang menangani pengaduan ini."))
    if locked.status not in move.sources:
        raise WorkflowError(
            _(
                "Pengaduan %(number)s sekarang berstatus “%(status)s”; tindakan “%(action)s” "
                "tidak dapat dilakukan (mungkin sudah diproses orang lain)."
            )
            % {
                "number": locked.number,
                "status": locked.get_status_display(),
                "action": move.label,
            }
        )
    if expected_version is not None and locked.state_version != expected_version:
        raise WorkflowError(
            _("Pengaduan %(number)s baru saja diubah orang lain. Muat ulang halaman.")
            % {"number": locked.number}
        )
    answer = (answer or "").strip()
    if INPUT_ANSWER in move.inputs and not answer:
        raise ValidationError({INPUT_ANSWER: _("Tuliskan jawaban untuk pelapor.")})

    now = timezone.now()
    from_status = locked.status
    locked.status = move.target
    locked.state_version += 1
    fields = ["status", "state_version"]
    if locked.handled_by_id is None:
        locked.handled_by = actor
        fields.append("handled_by")
    if move.target == S.DITINDAKLANJUTI:
        locked.followed_up_at = now
        fields.append("followed_up_at")
    if move.target == S.DIJAWAB:
        calendar = default_calendar()
        received_on = timezone.localdate(locked.received_at)
        answered_on = timezone.localdate(now)
        locked.answer = answer
        locked.answered_at = now
        locked.answered_by = actor
        locked.answered_on_time = answered_on <= locked.due_date
        locked.response_days = calendar.working_days_between(received_on, answered_on)
        fields += ["answer", "answered_at", "answered_by", "answered_on_time", "response_days"]
    if move.target == S.SELESAI:
        locked.closed_at = now
        fields.append("closed_at")
    locked.save(update_fields=fields)
    RiwayatPengaduan.objects.create(
        pengaduan=locked,
        action=move.name,
        from_status=from_status,
        to_status=move.target,
        actor=actor,
        actor_role=actor.role,
        note=(note or "").strip(),
    )
    if move.target == S.DIJAWAB and locked.contact_email:
        kabar.queue(
            key=f"pengaduan.dijawab:{locked.pk}",
            reference=locked.number,
            event="pengaduan.dijawab",
            subject=_("Jawaban atas pengaduan %(number)s") % {"number": locked.number},
            body=_(
                "Pengaduan Anda nomor %(number)s telah dijawab:\n\n%(answer)s\n\n"
                "Jawaban ini juga dapat dilihat di %(url)s dengan nomor tiket dan PIN Anda."
            )
            % {
                "number": locked.number,
                "answer": answer,
                "url": kabar.tracking_url(),
            },
            email=locked.contact_email,
            user=None if locked.anonymous else locked.reporter,
        )
    log_event(
        logger,
        f"complaint_{move.name}",
        number=locked.number,
        from_status=from_status,
        to_status=move.target,
        actor_id=actor.pk,
    )
    return locked


def follow_up_pengaduan(pengaduan: Pengaduan, *, actor, note: str = "") -> Pengaduan:
    return move_pengaduan(pengaduan, name="follow_up", actor=actor, note=note)


def answer_pengaduan(pengaduan: Pengaduan, *, actor, answer: str, note: str = "") -> Pengaduan:
    return move_pengaduan(pengaduan, name="answer", actor=actor, answer=answer, note=note)


def close_pengaduan(pengaduan: Pengaduan, *, actor, note: str = "") -> Pengaduan:
    return move_pengaduan(pengaduan, name="close", actor=actor, note=note)


# --- Reads ---------------------------------------------------------------------------------------


def queue_for(user, *, status: str = "", today: date | None = None):
    """The officers' complaint queue: open ones first, oldest due date first."""
    qs = Pengaduan.objects.visible_to(user).select_related("jenis_izin", "opd", "handled_by")
    if status == "terlambat":
        qs = qs.overdue(today or timezone.localdate())
    elif status == "terbuka":
        qs = qs.open()
    elif status in S.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_date", "received_at", "id").defer("description", "answer")


def is_overdue(pengaduan: Pengaduan, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return pengaduan.status in OPEN_COMPLAINT_STATES and pengaduan.due_date < today
