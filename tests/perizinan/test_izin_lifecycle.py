"""After issue: revocation, expiry (stored by the daily task, computed either way), and the
selection for the expiry reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from perizinan.exceptions import WorkflowError
from perizinan.models import Izin
from perizinan.selectors.izin import permits_expiring_on
from perizinan.services import izin as izin_services
from perizinan.tasks.izin import mark_expired_permits
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.izin_support import (
    files_waiting,
    kepala_dpmptsp,
    signing_service,
    to_signing,
)

pytestmark = pytest.mark.django_db

REASON = "Pemegang izin tidak lagi berpraktik di alamat ini."


@pytest.fixture
def kepala():
    return kepala_dpmptsp()


@pytest.fixture
def issued(kepala):
    return izin_services.sign_permohonan(to_signing(), actor=kepala)


# --- Revocation ------------------------------------------------------------------------------


def test_admin_revokes_a_permit_with_a_reason():
    admin = UserFactory(admin=True)
    izin = izin_services.sign_permohonan(to_signing(), actor=kepala_dpmptsp())
    revoked = izin_services.revoke_izin(izin, actor=admin, reason=REASON)
    assert revoked.status == Izin.Status.REVOKED
    assert (revoked.revoked_by, revoked.revocation_reason) == (admin, REASON)
    assert revoked.revoked_at is not None


def test_head_of_the_scope_revokes_a_permit(kepala, issued):
    assert izin_services.revoke_izin(issued, actor=kepala, reason=REASON).status == "dicabut"


def test_head_of_another_opd_cannot_revoke(issued):
    other = UserFactory(kepala=True, opd=PerangkatDaerahFactory(pupr=True))
    with pytest.raises(WorkflowError):
        izin_services.revoke_izin(issued, actor=other, reason=REASON)


def test_back_office_cannot_revoke(issued):
    with pytest.raises(WorkflowError):
        izin_services.revoke_izin(issued, actor=UserFactory(back_office=True), reason=REASON)


def test_holder_cannot_revoke_their_own_permit(issued):
    with pytest.raises(WorkflowError):
        izin_services.revoke_izin(issued, actor=issued.permohonan.applicant, reason=REASON)


def test_revocation_needs_a_reason(kepala, issued):
    with pytest.raises(ValidationError):
        izin_services.revoke_izin(issued, actor=kepala, reason="  ")
    issued.refresh_from_db()
    assert issued.status == Izin.Status.VALID


def test_revoking_twice_is_refused(kepala, issued):
    izin_services.revoke_izin(issued, actor=kepala, reason=REASON)
    with pytest.raises(WorkflowError, match="sudah dicabut"):
        izin_services.revoke_izin(issued, actor=kepala, reason=REASON)


def test_an_expired_permit_cannot_be_revoked(kepala, issued):
    Izin.objects.filter(pk=issued.pk).update(valid_until=timezone.localdate() - dt.timedelta(1))
    issued.refresh_from_db()
    with pytest.raises(WorkflowError, match="kedaluwarsa"):
        izin_services.revoke_izin(issued, actor=kepala, reason=REASON)


def test_database_refuses_a_revoked_permit_without_a_reason(issued):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Izin.objects.filter(pk=issued.pk).update(status=Izin.Status.REVOKED)


# --- Expiry ----------------------------------------------------------------------------------


def test_permit_is_expired_the_day_after_its_last_valid_day_even_before_the_task(issued):
    assert issued.effective_status(issued.valid_until) == Izin.Status.VALID
    after = issued.valid_until + dt.timedelta(days=1)
    assert issued.effective_status(after) == Izin.Status.EXPIRED
    assert issued.status == Izin.Status.VALID


def test_revoked_wins_over_expired(kepala, issued):
    izin_services.revoke_izin(issued, actor=kepala, reason=REASON)
    issued.refresh_from_db()
    assert issued.effective_status(dt.date(2999, 1, 1)) == Izin.Status.REVOKED


def test_daily_task_marks_only_permits_past_their_last_day(kepala):
    old, current, forever = files_waiting(3)
    old_izin = izin_services.sign_permohonan(old, actor=kepala)
    current_izin = izin_services.sign_permohonan(current, actor=kepala)
    today = timezone.localdate()
    Izin.objects.filter(pk=old_izin.pk).update(valid_until=today - dt.timedelta(days=1))
    Izin.objects.filter(pk=current_izin.pk).update(valid_until=today)
    forever_izin = izin_services.sign_permohonan(
        to_signing(service=signing_service(validity_months=None)), actor=kepala
    )
    assert mark_expired_permits() == 1
    statuses = dict(Izin.objects.values_list("pk", "status"))
    assert statuses[old_izin.pk] == Izin.Status.EXPIRED
    assert statuses[current_izin.pk] == Izin.Status.VALID
    assert statuses[forever_izin.pk] == Izin.Status.VALID


def test_daily_task_is_idempotent(issued):
    Izin.objects.filter(pk=issued.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert mark_expired_permits() == 1
    issued.refresh_from_db()
    first_mark = issued.expired_at
    assert mark_expired_permits() == 0
    issued.refresh_from_db()
    assert (issued.status, issued.expired_at) == (Izin.Status.EXPIRED, first_mark)


def test_daily_task_leaves_revoked_permits_revoked(kepala, issued):
    izin_services.revoke_izin(issued, actor=kepala, reason=REASON)
    Izin.objects.filter(pk=issued.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert mark_expired_permits() == 0
    issued.refresh_from_db()
    assert issued.status == Izin.Status.REVOKED


def test_daily_task_is_scheduled_by_beat(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "perizinan.tasks.izin.mark_expired_permits" in tasks


# --- Reminders' selection ----------------------------------------------------------------------


def test_permits_expiring_on_selects_valid_permits_ending_that_day(kepala):
    ending, later, revoked = files_waiting(3)
    ending = izin_services.sign_permohonan(ending, actor=kepala)
    later = izin_services.sign_permohonan(later, actor=kepala)
    revoked = izin_services.sign_permohonan(revoked, actor=kepala)
    izin_services.revoke_izin(revoked, actor=kepala, reason=REASON)
    day = ending.valid_until
    Izin.objects.filter(pk=later.pk).update(valid_until=day + dt.timedelta(days=1))
    assert list(permits_expiring_on(day)) == [ending]


def test_permits_expiring_on_needs_no_query_per_permit(kepala, django_assert_num_queries):
    for p in files_waiting(3):
        izin_services.sign_permohonan(p, actor=kepala)
    day = Izin.objects.first().valid_until
    with django_assert_num_queries(1):
        rows = [
            (i.permohonan.applicant.email, i.permohonan.jenis_izin.name)
            for i in permits_expiring_on(day)
        ]
    assert len(rows) == 3
