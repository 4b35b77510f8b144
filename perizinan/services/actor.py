"""Who makes a move: one value instead of mode flags.

- ``Actor.user(u)``: a person acting for themselves (the applicant on their own file, an
  officer at their desk). Their role and scope are checked, and the claim on the file.
- ``Actor.system()``: a scheduled task or a service acting by itself (a deadline lapses).
  Only moves whose roles include ``SYSTEM`` are open to it, system-only ones included.
- ``Actor.system(u)``: a service acting because a person set it off (the head's signature
  issues the permit): the system-only moves are open, the person's role and scope are still
  checked, and the person is recorded as the actor.
- ``Actor.on_behalf(officer)``: the front office officer who entered a walk-in application
  makes the applicant's move for them.

``Actor.of(value)`` accepts an ``Actor`` or a user (a user means ``Actor.user``), so callers
that pass ``request.user`` keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from perizinan.exceptions import WorkflowError
from perizinan.workflow import SYSTEM

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
