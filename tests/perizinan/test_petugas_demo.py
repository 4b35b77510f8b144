"""The demo gives every demo officer work in their queue, idempotently."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import User
from perizinan import demo
from perizinan.models import Permohonan
from perizinan.workflow import Status, statuses_for_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    from accounts import demo as accounts_demo
    from kewenangan import demo as kewenangan_demo

    kewenangan_demo.seed()
    accounts_demo.seed()
    demo.seed()


def test_every_demo_officer_finds_work_in_their_queue(seeded):
    emails = [
        "fo@contoh.id",
        "bo@contoh.id",
        "teknis.dinkes@contoh.id",
        "teknis.pupr@contoh.id",
        "kepala@contoh.id",
    ]
    for email in emails:
        officer = User.objects.get(email=email)
        work = Permohonan.objects.visible_to(officer).filter(
            status__in=statuses_for_role(officer.role)
        )
        assert work.exists(), email


def test_demo_has_an_overdue_file_a_file_due_today_and_a_file_of_an_origin_opd(seeded):
    today = timezone.localdate()
    assert Permohonan.objects.filter(due_date__lt=today, status=Status.TERDAFTAR).exists()
    assert Permohonan.objects.filter(due_date=today).exists()
    origin = Permohonan.objects.get(route_delegated=False)
    fo = User.objects.get(email=f"fo.{origin.processing_opd.short_name.lower()}@contoh.id")
    assert Permohonan.objects.visible_to(fo).filter(pk=origin.pk).exists()


def test_demo_desk_is_seeded_once(seeded):
    count = Permohonan.objects.count()
    assert demo.seed() == []
    assert Permohonan.objects.count() == count


def test_demo_kepala_has_a_rejection_recommendation_to_decide_and_a_signed_rejection(seeded):
    from perizinan.models import SuratPenolakan

    kepala = User.objects.get(email="kepala@contoh.id")
    waiting = Permohonan.objects.visible_to(kepala).get(
        status=Status.PENANDATANGANAN, recommendation=Permohonan.Rekomendasi.REJECTION
    )
    assert waiting.recommendation_reasons
    assert not SuratPenolakan.objects.filter(permohonan=waiting).exists()
    letter = SuratPenolakan.objects.get(permohonan__status=Status.DITOLAK)
    assert letter.transition == "reject" and letter.decided_by == kepala


def test_demo_applicant_holds_a_permit_due_for_renewal(seeded):
    """Issue 13: a renewal can be tried end to end from ``make run`` as pemohon@contoh.id."""
    from perizinan.models import Izin
    from perizinan.services import lifecycle

    izin = Izin.objects.get(permohonan__applicant__email="pemohon@contoh.id")
    assert lifecycle.renewal_refusal(izin, izin.permohonan.applicant) is None
    assert izin.printed_fields  # the sample service prints its own fields
