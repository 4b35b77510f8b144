"""Who makes a move: one value instead of mode flags.

- ``Actor.user(u)``: a person acting for themselves (the applicant on their own file, an
  officer at their desk). Their role and scope are checked, and the claim on the file.
- ``Actor.system()``: a scheduled task or a service acting by itself (a deadline lapses).
  Only moves whose roles include ``SYSTEM`` are open to it, system-only ones included.
- ``Actor.system(u)``: a service acting because a person set it off (the head's signature
  issues the permit): the system-only moves are open, the person's role and scope are still
  checked, and the person is recorded as the actor.
- ``Actor.on_behalf(officer)``: a front office officer makes the applicant's move on a file
  entered at the counter (``may_act_for_applicant``: any front office officer of the office
  that processes it, not only the one who entered it, since the applicant comes back to
  whoever is at the counter that day).

``Actor.of(value)`` accepts an ``Actor`` or a user (a user means ``Actor.user``), so callers
that pass ``request.user`` keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from accounts.roles import Role
from perizinan import scope
from perizinan.exceptions import WorkflowError
from perizinan.workflow import SYSTEM, Status


def may_act_for_applicant(permohonan: Any, officer: Any) -> bool:
    """The one rule of assisted service: a counter file (``assisted_by`` set) may be filled
    in, corrected, handed in and its receipt printed by an active front office officer whose
    office processes it (while the entry is still a draft, only the officer entering it). The
    officer is recorded as the actor each time."""
    if not (
        permohonan.assisted_by_id is not None
        and officer is not None
        and getattr(officer, "is_authenticated", False)
        and officer.is_active
        and officer.role == Role.FRONT_OFFICE
    ):
        return False
    if permohonan.status == Status.DRAFT:
        return bool(permohonan.assisted_by_id == officer.pk)
    return scope.sees(officer, permohonan)


USER = "user"
SYSTEM_KIND = "system"
ON_BEHALF = "on_behalf"


@dataclass(frozen=True)
class Actor:
    kind: str
    #: The person recorded as the actor (None: the system alone).
    person: Any = None

    @classmethod
    def user(cls, person: Any) -> Actor:
        if person is None:
            raise WorkflowError(_("Tindakan ini memerlukan petugas atau pemohon."))
        return cls(USER, person)

    @classmethod
    def system(cls, person: Any = None) -> Actor:
        return cls(SYSTEM_KIND, person)

    @classmethod
    def on_behalf(cls, officer: Any) -> Actor:
        if officer is None:
            raise WorkflowError(_("Tindakan ini memerlukan petugas atau pemohon."))
        return cls(ON_BEHALF, officer)

    @classmethod
    def of(cls, value: Any) -> Actor:
        """An ``Actor`` as it is; a user as ``Actor.user``; None is refused (say
        ``Actor.system()`` for the system)."""
        if isinstance(value, Actor):
            return value
        return cls.user(value)

    @property
    def is_system(self) -> bool:
        return self.kind == SYSTEM_KIND

    @property
    def is_on_behalf(self) -> bool:
        return self.kind == ON_BEHALF

    @property
    def role(self) -> str:
        """The role recorded in the history: the person's, or ``system``."""
        return self.person.role if self.person is not None else SYSTEM

    @property
    def log_id(self) -> Any:
        return self.person.pk if self.person is not None else SYSTEM
