"""The roles of Satu Pintu: the one place that says who is who.

A user has exactly one role. Staff roles are granted by an admin in Django admin; everyone who
signs up on the site is a pemohon (applicant). Code asks questions of a role through the helpers
below, never by comparing strings in views or templates.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PEMOHON = "pemohon", _("Pemohon")
    FRONT_OFFICE = "front_office", _("Front office")
    BACK_OFFICE = "back_office", _("Back office")
    TIM_TEKNIS = "tim_teknis", _("Tim teknis OPD")
    KEPALA = "kepala", _("Kepala (penanda tangan)")
    ADMIN = "admin", _("Admin")


#: Roles that work in the officers' area (/petugas/).
OFFICER_ROLES = frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.TIM_TEKNIS, Role.KEPALA})

#: Roles that must be bound to one OPD (PerangkatDaerah).
OPD_BOUND_ROLES = frozenset({Role.TIM_TEKNIS})

#: Roles that reach Django admin.
ADMIN_ROLES = frozenset({Role.ADMIN})


def is_officer(role: str) -> bool:
    return role in OFFICER_ROLES


def needs_opd(role: str) -> bool:
    return role in OPD_BOUND_ROLES
