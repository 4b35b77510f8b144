"""Claims on the officers' desk: claim, release, a supervisor's reassignment, the hand-over
between desks, and races between officers (threads on the real PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from perizinan import services
from perizinan.exceptions import WorkflowError
from perizinan.models import AktivitasBerkas, Permohonan
from perizinan.services import petugas as desk_services
from perizinan.workflow import Status, available_transitions
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import (
    advance,
    desk_for,
    fast_submitted,
    make_service,
    register,
    submitted,
)

# --- Claim and release ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_claim_takes_an_unclaimed_file_and_is_recorded():
    permohonan = submitted()
    fo = desk_for(permohonan).fo
    claimed = desk_services.claim_permohonan(permohonan, actor=fo)
    assert claimed.assigned_to == fo
    assert AktivitasBerkas.objects.get(permohonan=permohonan).kind == "claim"


@pytest.mark.django_db
def test_claiming_twice_is_harmless_for_the_holder():
    permohonan = submitted()
    fo = desk_for(permohonan).fo
    desk_services.claim_permohonan(permohonan, actor=fo)
    desk_services.claim_permohonan(permohonan, actor=fo)
    assert AktivitasBerkas.objects.filter(kind="claim").count() == 1


@pytest.mark.django_db
def test_second_officer_cannot_claim_a_claimed_file():
    permohonan = submitted()
    fo = desk_for(permohonan).fo
    colleague = UserFactory(front_office=True, opd=permohonan.processing_opd)
    desk_services.claim_permohonan(permohonan, actor=fo)
    with pytest.raises(WorkflowError, match="sudah diambil"):
        desk_services.claim_permohonan(permohonan, actor=colleague)


@pytest.mark.django_db
def test_officer_cannot_claim_a_file_at_another_desk():
    permohonan = submitted()
    with pytest.raises(WorkflowError):
        desk_services.claim_permohonan(permohonan, actor=desk_for(permohonan).bo)


@pytest.mark.django_db
def test_officer_cannot_claim_a_file_out_of_scope():
    permohonan = submitted()
    outsider = UserFactory(front_office=True, opd=PerangkatDaerahFactory(pupr=True))
    with pytest.raises(WorkflowError):
        desk_services.claim_permohonan(permohonan, actor=outsider)


@pytest.mark.django_db
def test_a_claimed_file_takes_moves_only_from_its_holder_or_a_supervisor():
    permohonan = submitted()
    desk = desk_for(permohonan)
    colleague = UserFactory(front_office=True, opd=permohonan.processing_opd)
    desk_services.claim_permohonan(permohonan, actor=desk.fo)
    permohonan.refresh_from_db()
    assert available_transitions(permohonan, colleague) == []
    with pytest.raises(WorkflowError, match="ditangani petugas lain"):
        services.transition(permohonan, name="start_verification", actor=colleague)
    assert (
        services.transition(permohonan, name="start_verification", actor=desk.fo).status
        == Status.VERIFIKASI
    )


@pytest.mark.django_db
def test_holder_keeps_the_file_within_the_desk_and_loses_it_when_it_moves_on():
    permohonan = submitted()
    desk = desk_for(permohonan)
    desk_services.claim_permohonan(permohonan, actor=desk.fo)
    verifying = services.transition(permohonan, name="start_verification", actor=desk.fo)
    assert verifying.assigned_to == desk.fo
    registered = register(verifying, desk.fo)
    assert registered.assigned_to is None


@pytest.mark.django_db
def test_holder_gets_the_file_back_after_the_applicants_fix():
    permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
    tt = desk_for(permohonan).tt
    desk_services.claim_permohonan(permohonan, actor=tt)
    waiting = services.transition(permohonan, name="request_technical_fix", actor=tt, note="x")
    fixed = services.submit_permohonan(waiting, actor=waiting.applicant, declaration_accepted=True)
    assert fixed.status == Status.KAJIAN_TEKNIS
    assert fixed.assigned_to == tt


@pytest.mark.django_db
def test_holder_releases_the_file_to_the_queue():
    permohonan = submitted()
    fo = desk_for(permohonan).fo
    desk_services.claim_permohonan(permohonan, actor=fo)
    released = desk_services.release_permohonan(permohonan, actor=fo)
    assert released.assigned_to is None


@pytest.mark.django_db
def test_colleague_cannot_release_someone_elses_file():
    permohonan = submitted()
    fo = desk_for(permohonan).fo
    desk_services.claim_permohonan(permohonan, actor=fo)
    colleague = UserFactory(front_office=True, opd=permohonan.processing_opd)
    with pytest.raises(WorkflowError):
        desk_services.release_permohonan(permohonan, actor=colleague)


# --- Supervisor ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_kepala_of_the_processing_opd_reassigns_to_a_colleague_with_a_reason():
    permohonan = submitted()
    desk = desk_for(permohonan)
    colleague = UserFactory(front_office=True, opd=permohonan.processing_opd)
    desk_services.claim_permohonan(permohonan, actor=desk.fo)
    moved = desk_services.reassign_permohonan(
        permohonan, actor=desk.kepala, to_user=colleague, reason="Budi cuti"
    )
    assert moved.assigned_to == colleague
    entry = AktivitasBerkas.objects.get(kind="reassign")
    assert entry.text == "Budi cuti" and entry.actor == desk.kepala


@pytest.mark.django_db
def test_supervisor_cannot_hand_a_file_to_an_officer_of_the_wrong_desk():
    permohonan = submitted()
    desk = desk_for(permohonan)
    with pytest.raises(ValidationError):
        desk_services.reassign_permohonan(permohonan, actor=desk.kepala, to_user=desk.bo)


@pytest.mark.django_db
def test_front_office_cannot_reassign():
    permohonan = submitted()
    desk = desk_for(permohonan)
    colleague = UserFactory(front_office=True, opd=permohonan.processing_opd)
    with pytest.raises(WorkflowError):
        desk_services.reassign_permohonan(permohonan, actor=desk.fo, to_user=colleague)


@pytest.mark.django_db
def test_kepala_of_another_opd_is_not_a_supervisor_of_the_file():
    permohonan = submitted()
    colleague = UserFactory(front_office=True, opd=permohonan.processing_opd)
    other_head = UserFactory(kepala=True, opd=PerangkatDaerahFactory(pupr=True))
    with pytest.raises(WorkflowError):
        desk_services.reassign_permohonan(permohonan, actor=other_head, to_user=colleague)


@pytest.mark.django_db
def test_admin_is_a_supervisor_and_may_release_any_claim():
    permohonan = submitted()
    desk_services.claim_permohonan(permohonan, actor=desk_for(permohonan).fo)
    released = desk_services.release_permohonan(permohonan, actor=UserFactory(admin=True))
    assert released.assigned_to is None


@pytest.mark.django_db
def test_claim_next_takes_the_most_urgent_unclaimed_file():
    from datetime import date

    service = make_service()
    applicant = UserFactory()
    files = fast_submitted(applicant, service, 3)
    Permohonan.objects.filter(pk=files[0].pk).update(
        status=Status.VERIFIKASI, due_date=date(2030, 1, 10)
    )
    Permohonan.objects.filter(pk=files[1].pk).update(
        status=Status.VERIFIKASI, due_date=date(2030, 1, 5)
    )
    fo = UserFactory(front_office=True, opd=files[0].processing_opd)
    assert desk_services.claim_next(actor=fo).pk == files[1].pk
    assert desk_services.claim_next(actor=fo).pk == files[0].pk
    assert desk_services.claim_next(actor=fo).pk == files[2].pk  # no deadline yet: last
    assert desk_services.claim_next(actor=fo) is None


# --- Races (threads, real PostgreSQL, real transactions) -----------------------------------------


def _run_in_threads(functions):
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def runner(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_officers_claiming_at_once_one_wins_the_other_is_told():
    permohonan = submitted()
    officers = [UserFactory(front_office=True, opd=permohonan.processing_opd) for _ in range(6)]
    results = _run_in_threads(
        [lambda o=o: desk_services.claim_permohonan(permohonan, actor=o) for o in officers]
    )
    winners = [r for r in results if r[0] == "ok"]
    losers = [r for r in results if r[0] == "error"]
    assert len(winners) == 1
    assert all(isinstance(exc, WorkflowError) for _, exc in losers)
    permohonan.refresh_from_db()
    assert permohonan.assigned_to_id == winners[0][1].assigned_to_id
    assert AktivitasBerkas.objects.filter(kind="claim").count() == 1


@pytest.mark.django_db(transaction=True)
def test_officers_pulling_work_at_once_never_get_the_same_file():
    service = make_service()
    files = fast_submitted(UserFactory(), service, 24)
    opd = files[0].processing_opd
    officers = [UserFactory(front_office=True, opd=opd) for _ in range(6)]

    def pull(officer):
        taken = []
        while (item := desk_services.claim_next(actor=officer)) is not None:
            taken.append(item.pk)
        return taken

    results = _run_in_threads([lambda o=o: pull(o) for o in officers])
    assert all(kind == "ok" for kind, _ in results), results
    claimed = [pk for _, taken in results for pk in taken]
    assert len(claimed) == len(set(claimed)) == 24


@pytest.mark.django_db(transaction=True)
def test_two_officers_moving_one_file_at_once_one_wins_nothing_half_done():
    permohonan = submitted()
    officers = [UserFactory(front_office=True, opd=permohonan.processing_opd) for _ in range(4)]
    results = _run_in_threads(
        [
            lambda o=o: services.transition(permohonan, name="start_verification", actor=o)
            for o in officers
        ]
    )
    assert [r[0] for r in results].count("ok") == 1
    assert all(isinstance(r[1], WorkflowError) for r in results if r[0] == "error")
    permohonan.refresh_from_db()
    assert permohonan.status == Status.VERIFIKASI
    assert permohonan.riwayat.filter(transition="start_verification").count() == 1
    assert permohonan.state_version == 2


@pytest.mark.django_db
def test_supervisor_is_offered_only_colleagues_of_the_desk_and_the_opd():
    permohonan = submitted()
    desk = desk_for(permohonan)
    colleague = UserFactory(front_office=True, opd=permohonan.processing_opd)
    UserFactory(front_office=True, opd=PerangkatDaerahFactory(pupr=True))
    offered = desk_services.colleagues_for(permohonan, desk.kepala)
    assert set(offered) == {desk.fo, colleague}
    assert desk_services.colleagues_for(permohonan, desk.fo) == []
