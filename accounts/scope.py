"""The one home of the office rule: **an officer without an OPD works for the DPMPTSP**.

Every place that asks "which office does this officer work for" or its inverse "which
officers work for this office" calls one of these, so the rule is written once:

- ``office_filter(user, field)``: a ``Q`` on an OPD foreign key ``field`` that matches the
  offices ``user`` works for (their own OPD; the DPMPTSP when they have none);
- ``works_for(user, opd)``: the same as a predicate on one OPD object;
- ``works_for_dpmptsp(user)``: the officer's office is the DPMPTSP;
- ``staff_of(opd)``: a ``Q`` on users: the staff who work for ``opd`` (the inverse).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from accounts.models import User
    from kewenangan.models import PerangkatDaerah


def works_for_dpmptsp(user: User) -> bool:
    if user.opd_id is None:
        return True
    return bool(user.opd is not None and user.opd.is_dpmptsp)


def works_for(user: User, opd: PerangkatDaerah | None) -> bool:
    """``user`` works for ``opd`` (an OPD object or None)."""
    if opd is None:
        return False
    if user.opd_id is not None:
        return user.opd_id == opd.pk
    return bool(opd.is_dpmptsp)


def office_filter(user: User, field: str) -> Q:
    """Rows whose OPD foreign key ``field`` is an office ``user`` works for."""
    if user.opd_id is not None:
        return Q(**{f"{field}_id": user.opd_id})
    return Q(**{f"{field}__is_dpmptsp": True})


def staff_of(opd: PerangkatDaerah | None, *, prefix: str = "") -> Q:
    """Users (``prefix`` for a relation to them) who work for ``opd``: its own staff and, for
    the DPMPTSP, the officers without an OPD."""
    if opd is None:
        return Q(pk__in=[])
    scope = Q(**{f"{prefix}opd": opd})
    if opd.is_dpmptsp:
        scope |= Q(**{f"{prefix}opd__isnull": True})
    return scope
