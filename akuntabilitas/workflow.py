"""The life of a complaint (Pengaduan) as data: received -> in follow-up -> answered -> closed.

The same kind of table as the applications' (``config.statemachine``): every state is in
``PengaduanStatus``, every move one ``Transition`` in ``MOVES``, and ``MACHINE`` checks the
table. Only ``akuntabilitas.services.pengaduan.move_pengaduan`` changes a complaint's status.

Derived from the table: ``COMPLAINT_HANDLER_ROLES`` (every role that makes a move),
``OPEN_COMPLAINT_STATES`` (the office still owes an answer: the states the answer leaves from)
and the final state (nothing leaves it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from config import statemachine
from config.statemachine import StateMachine


class PengaduanStatus(models.TextChoices):
    DITERIMA = "diterima", _("Diterima")
    DITINDAKLANJUTI = "ditindaklanjuti", _("Sedang ditindaklanjuti")
    DIJAWAB = "dijawab", _("Dijawab")
    SELESAI = "selesai", _("Selesai")


S = PengaduanStatus

#: The answer to the complainant (required by the move that takes it, and sent).
INPUT_ANSWER = "answer"

#: The DPMPTSP's front and back office and the admins handle complaints. The head (kepala)
#: reads them (``akuntabilitas.models.COMPLAINT_READER_ROLES``) but makes no move.
_HANDLERS = frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.ADMIN})


@dataclass(frozen=True)
class Move(statemachine.Transition):
    """A move of a complaint (``config.statemachine.Transition``)."""

    @property
    def needs_answer(self) -> bool:
        return INPUT_ANSWER in self.inputs


MOVES: tuple[Move, ...] = (
    Move(
        "follow_up",
        frozenset({S.DITERIMA}),
        S.DITINDAKLANJUTI,
        _HANDLERS,
        _("Tindak lanjuti"),
    ),
    Move(
        "answer",
        frozenset({S.DITERIMA, S.DITINDAKLANJUTI}),
        S.DIJAWAB,
        _HANDLERS,
        _("Kirim jawaban"),
        inputs=frozenset({INPUT_ANSWER}),
        style="success",
    ),
    Move(
        "close",
        frozenset({S.DIJAWAB}),
        S.SELESAI,
        _HANDLERS,
        _("Tutup pengaduan"),
        style="outline-secondary",
    ),
)

MACHINE = StateMachine(
    states=tuple(PengaduanStatus),
    transitions=MOVES,
    initial=S.DITERIMA,
    final_states={S.SELESAI},
)

#: Who handles complaints: every role that makes a move.
COMPLAINT_HANDLER_ROLES: frozenset[str] = MACHINE.roles

#: States in which the office still owes the complainant an answer.
OPEN_COMPLAINT_STATES: frozenset[str] = MACHINE.sources_of("answer")


def get_move(name: str) -> Move | None:
    move = MACHINE.get(name)
    return move if isinstance(move, Move) else None


def moves_from(status: str) -> list[Move]:
    return [m for m in MOVES if status in m.sources]
