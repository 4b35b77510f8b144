"""A workflow as data: the moves between states and everything that follows from them.

Applications (``perizinan.workflow``) and complaints (``akuntabilitas.workflow``) are both a
``StateMachine`` of ``Transition`` rows. What a page, a service or a notification needs to know
about a workflow (which moves leave a state, who acts in it, which states are final) is asked
of the machine, never written down a second time.

A ``Transition`` is one allowed move: from any of ``sources`` to ``target``, by one of
``roles``. Two kinds of condition decide whether it can be made on one object:

- ``when``: which objects the move is for at all (a route: a file with or without technical
  review, with or without a fee). A move that is not for an object is never offered for it;
- ``guard``: what must be done first (a report uploaded, a fee assessed). ``guard_message`` says
  what, in words the officer reads after "cannot be done yet: ...".

``StateMachine`` checks the table when it is built (names unique, every state known, every
state but the initial one reachable, the declared final states exactly those nothing leaves)
and answers: ``get(name)``, ``moves_from(state)``, ``acting_roles(state)``,
``states_for_role(role)``, ``sources_of(name)``, ``final_states``, ``roles``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

#: The actor of a move made by a scheduled task or a service acting by itself.
SYSTEM = "system"

Condition = Callable[[Any], bool]


@dataclass(frozen=True)
class Check:
    """A further condition of a move, with the words said when it does not hold."""

    condition: Condition
    message: str | Promise = ""


@dataclass(frozen=True)
class Transition:
    """One allowed move of a workflow (see the module's docstring)."""

    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str | Promise
    #: The objects this move is for (None: every object).
    when: Condition | None = None
    #: What must hold before the move (None: nothing).
    guard: Condition | None = None
    #: Why the move waits when ``guard`` fails (translatable, lower case, a full stop).
    guard_message: str | Promise = ""
    #: Made only by a service or a task, never chosen on a form.
    system_only: bool = False
    #: The note to the other party (the applicant, the complainant) is required.
    note_required: bool = False
    #: Button style for templates.
    style: str = field(default="primary")
    #: What the form of the move asks for (names defined by the workflow).
    inputs: frozenset[str] = frozenset()
    #: Further conditions, each with its own message, checked after ``guard``.
    checks: tuple[Check, ...] = ()

    def allows_role(self, role: str) -> bool:
        return role in self.roles

    def applies_to(self, obj: Any) -> bool:
        return self.when is None or bool(self.when(obj))

    def can_be_made_on(self, obj: Any) -> bool:
        """For this object, and its guard holds (the state is checked by the caller)."""
        return (
            self.applies_to(obj)
            and (self.guard is None or bool(self.guard(obj)))
            and all(check.condition(obj) for check in self.checks)
        )

    def refusal(self, obj: Any, *, otherwise: str | Promise = "") -> str | Promise | None:
        """Why the move cannot be made on ``obj`` now, or None when it can: ``guard_message``
        when the guard fails, ``otherwise`` when the move is not for ``obj`` or the guard has
        no message."""
        if not self.applies_to(obj):
            return otherwise
        if self.guard is not None and not self.guard(obj):
            return self.guard_message or otherwise
        for check in self.checks:
            if not check.condition(obj):
                return check.message or otherwise
        return None


def all_of(*conditions: Condition) -> Condition:
    """A condition that holds when each of ``conditions`` holds."""

    def condition(obj: Any) -> bool:
        return all(c(obj) for c in conditions)

    condition.__name__ = "_and_".join(c.__name__ for c in conditions)
    return condition


class StateMachine:
    """The states and moves of one workflow, checked when built, asked by everyone else."""

    def __init__(
        self,
        *,
        states: Iterable[str],
        transitions: Iterable[Transition],
        initial: str,
        final_states: Iterable[str] | None = None,
    ) -> None:
        self.states: tuple[str, ...] = tuple(states)
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.initial = initial
        self._by_name = {t.name: t for t in self.transitions}
        self._check_table()
        derived = frozenset(s for s in self.states if not self.moves_from(s))
        if final_states is not None and frozenset(final_states) != derived:
            raise ImproperlyConfigured(
                f"Declared final states {sorted(final_states)} differ from the states no move "
                f"leaves {sorted(derived)}."
            )
        self.final_states: frozenset[str] = derived

    def _check_table(self) -> None:
        known = set(self.states)
        if len(self._by_name) != len(self.transitions):
            raise ImproperlyConfigured("Two moves of a state machine share a name.")
        if self.initial not in known:
            raise ImproperlyConfigured(f"Unknown initial state {self.initial!r}.")
        for t in self.transitions:
            unknown = (set(t.sources) | {t.target}) - known
            if unknown or not t.sources:
                raise ImproperlyConfigured(f"Move {t.name!r} names unknown states {unknown}.")
        unreachable = known - {self.initial} - {t.target for t in self.transitions}
        if unreachable:
            raise ImproperlyConfigured(f"No move leads to {sorted(unreachable)}.")

    def get(self, name: str) -> Transition | None:
        return self._by_name.get(name)

    def moves_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def sources_of(self, name: str) -> frozenset[str]:
        move = self._by_name.get(name)
        return move.sources if move is not None else frozenset()

    def acting_roles(
        self,
        state: str,
        *,
        exclude: Iterable[str] = (),
        where: Callable[[Transition], bool] | None = None,
    ) -> frozenset[str]:
        """The roles that choose a move out of ``state`` (system-only moves left out; only the
        moves ``where`` holds for, when given)."""
        left_out = set(exclude)
        return frozenset(
            role
            for t in self.moves_from(state)
            if not t.system_only and (where is None or where(t))
            for role in t.roles
            if role not in left_out
        )

    def states_for_role(self, role: str, *, exclude: Iterable[str] = ()) -> list[str]:
        """The states in which ``role`` has a move to choose, in the order of ``states``."""
        return [s for s in self.states if role in self.acting_roles(s, exclude=exclude)]

    @property
    def roles(self) -> frozenset[str]:
        """Every role named in the table."""
        return frozenset(role for t in self.transitions for role in t.roles)
