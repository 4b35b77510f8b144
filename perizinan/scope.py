"""Who may see and act on an application: the one rule, as a query and as a predicate.

``Permohonan.objects.visible_to(user)`` (lists, details, downloads, admin, exports) is
``scope_filter(user)``; ``sees(user, permohonan)`` answers the same for one file in Python
(the workflow's checks, without a query and without importing the models); and
``officers_for(permohonan, roles)`` is its inverse: the officers whose scope holds the file
(notifications, digests). A test holds the three to the same answers for every role.

pemohon: own files (drafts too) · front office, back office, kepala: submitted files
processed by an office they work for (``accounts.scope``: the DPMPTSP when they have no OPD)
· tim teknis: submitted files whose technical OPD is theirs · admin: everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from accounts import scope as office
from accounts.roles import Role

if TYPE_CHECKING:
    from accounts.models import User
    from perizinan.models import Permohonan

#: Roles whose scope is the processing OPD of a file.
PROCESSING_ROLES = frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.KEPALA})


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def scope_filter(user: Any) -> Q | None:
    """The ``Q`` of the files ``user`` may see; ``None`` means every file (admin) and an
    empty ``Q(pk__in=[])`` none."""
    if not _active(user):
        return Q(pk__in=[])
    role = user.role
    if role == Role.ADMIN:
        return None
    if role == Role.PEMOHON:
        return Q(applicant=user)
    from perizinan.workflow import Status

    submitted = ~Q(status=Status.DRAFT)
    if role == Role.TIM_TEKNIS:
        if user.opd_id is None:
            return Q(pk__in=[])
        return submitted & Q(technical_opd_id=user.opd_id)
    if role in PROCESSING_ROLES:
        return submitted & office.office_filter(user, "processing_opd")
    return Q(pk__in=[])


def sees(user: Any, permohonan: Permohonan) -> bool:
    """``visible_to(user)`` for one file, in Python."""
    if not _active(user):
        return False
    role = user.role
    if role == Role.ADMIN:
        return True
    if role == Role.PEMOHON:
        return bool(permohonan.applicant_id == user.pk)
    from perizinan.workflow import Status

    if permohonan.status == Status.DRAFT:
        return False
    if role == Role.TIM_TEKNIS:
        return user.opd_id is not None and permohonan.technical_opd_id == user.opd_id
    if role in PROCESSING_ROLES:
        if permohonan.processing_opd_id is None:
            return False
        return office.works_for(user, permohonan.processing_opd)
    return False


def officers_for(permohonan: Permohonan, roles: Iterable[str]) -> list[User]:
    """The active officers with one of ``roles`` whose scope holds this file: tim teknis of
    its technical OPD, the others of its processing OPD (in a stable order)."""
    from accounts.models import User

    wanted = set(roles)
    people: list[User] = []
    if Role.TIM_TEKNIS in wanted and permohonan.technical_opd_id is not None:
        people += list(
            User.objects.filter(
                role=Role.TIM_TEKNIS, opd_id=permohonan.technical_opd_id, is_active=True
            ).order_by("pk")
        )
    others = wanted & PROCESSING_ROLES
    if others and permohonan.processing_opd_id is not None:
        people += list(
            User.objects.filter(
                office.staff_of(permohonan.processing_opd), role__in=list(others), is_active=True
            ).order_by("pk")
        )
    return people
