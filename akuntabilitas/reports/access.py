"""Who may read the office reports and the compliance page.

The office-wide reports are the DPMPTSP's: its front office, back office and head (an officer
without an OPD works for the DPMPTSP, ``accounts.scope``) and admins. The OPDs' technical
teams, and officers of another OPD, work in their own queues.
"""

from __future__ import annotations

from accounts import scope as office
from accounts.roles import Role

REPORT_ROLES = frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.KEPALA, Role.ADMIN})
COMPLIANCE_ROLES = frozenset({Role.KEPALA, Role.ADMIN})


def can_view_reports(user) -> bool:
    """Office reports: the DPMPTSP's front office, back office and head, and admins."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role not in REPORT_ROLES:
        return False
    return office.works_for_dpmptsp(user)


def can_view_compliance(user) -> bool:
    """The compliance page: the DPMPTSP's head and admins."""
    return can_view_reports(user) and user.role in COMPLIANCE_ROLES
