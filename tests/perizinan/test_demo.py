"""Demo applications for pemohon@contoh.id: idempotent, and nothing without services."""

from __future__ import annotations

import pytest

from perizinan import demo
from perizinan.models import Permohonan
from perizinan.workflow import Status
from tests.factories import UserFactory
from tests.perizinan.factories import make_service

pytestmark = pytest.mark.django_db


def test_demo_seed_does_nothing_without_an_open_service():
    UserFactory(email=demo.DEMO_EMAIL)
    make_service(published=False)
    assert demo.seed() == []
    assert not Permohonan.objects.exists()


def test_demo_seed_creates_one_draft_and_one_submitted_application_once():
    user = UserFactory(email=demo.DEMO_EMAIL)
    make_service()
    make_service()
    demo.seed()
    demo.seed()
    statuses = sorted(Permohonan.objects.filter(applicant=user).values_list("status", flat=True))
    assert statuses == sorted([Status.DRAFT, Status.DIAJUKAN])
