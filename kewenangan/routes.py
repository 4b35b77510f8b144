"""Who can work a route: a hook the upper parts fill in.

kewenangan knows who holds an authority but not the workflow nor the users (it imports no
other part). Before the holder of an authority changes, the admin asks ``route_gaps``: each
checker registered here (perizinan registers one in its ``AppConfig.ready``: the roles its
workflow needs on the route, against the active users) answers which roles the new route
lacks, in words an admin reads ("front office di Dinkes"). No checker: no gaps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kewenangan.models import Kewenangan, PerangkatDaerah


@dataclass(frozen=True)
class Holder:
    """The state a change of holder would give an authority."""

    origin_opd: PerangkatDaerah
    technical_opd: PerangkatDaerah | None
    delegated: bool


#: ``checker(kewenangan, holder) -> list[str]``: the missing roles, each in words.
RouteChecker = Callable[["Kewenangan", Holder], list[str]]

_CHECKERS: dict[str, RouteChecker] = {}


def register_route_checker(name: str, checker: RouteChecker) -> None:
    """Called from an ``AppConfig.ready``; a second call with the same name replaces it."""
    _CHECKERS[name] = checker


def route_gaps(kewenangan: Kewenangan, holder: Holder) -> list[str]:
    """What the route of ``kewenangan`` would lack under ``holder`` (empty: nothing)."""
    gaps: list[str] = []
    for checker in _CHECKERS.values():
        for gap in checker(kewenangan, holder):
            if gap not in gaps:
                gaps.append(gap)
    return gaps
