"""Helpers for the notification tests: officers of the DPMPTSP and a file moved through the
workflow by the real services."""

from __future__ import annotations

from perizinan import services
from perizinan.models import Permohonan
from tests.factories import UserFactory
from tests.perizinan.factories import make_service, register, submitted


def officers() -> dict:
    """One officer per role in the DPMPTSP scope (no OPD = the DPMPTSP), and a Dinkes tim
    teknis."""
    return {
        "fo": UserFactory(front_office=True, email="fo@contoh.test"),
        "bo": UserFactory(back_office=True, email="bo@contoh.test"),
        "kepala": UserFactory(kepala=True, email="kepala@contoh.test"),
        "teknis": UserFactory(tim_teknis=True, email="teknis@contoh.test"),
    }


def registered(applicant=None, *, fo, service=None) -> Permohonan:
    permohonan = submitted(applicant, service or make_service())
    permohonan = services.transition(permohonan, name="start_verification", actor=fo)
    return register(permohonan, fo)
