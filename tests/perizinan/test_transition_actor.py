"""One actor value instead of mode flags: who makes a move (a person, the system, the counter
officer for the applicant), and the transition's check, apply and record steps."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from perizinan import services
from perizinan.exceptions import WorkflowError
from perizinan.services import Actor
from perizinan.workflow import SYSTEM, Status
from tests.factories import UserFactory
from tests.perizinan.factories import advance, complete_draft, desk_for, submitted

pytestmark = pytest.mark.django_db


def test_a_user_passed_as_the_actor_acts_for_themselves():
    permohonan = submitted()
    fo = UserFactory(front_office=True)
    moved = services.transition(permohonan, name="start_verification", actor=fo)
    assert moved.status == Status.VERIFIKASI
    assert moved.riwayat.last().actor == fo


def test_no_actor_is_refused():
    permohonan = submitted()
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="start_verification", actor=None)


def test_the_transition_takes_no_mode_flags():
    permohonan = submitted()
    with pytest.raises(TypeError):
        services.transition(permohonan, name="issue", actor=None, system=True)
    with pytest.raises(TypeError):
        services.transition(
            permohonan, name="withdraw", actor=permohonan.applicant, on_behalf_of_applicant=True
        )


def test_the_system_alone_makes_only_the_moves_whose_roles_include_the_system():
    permohonan = submitted()
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="start_verification", actor=Actor.system())
    assert permohonan.riwayat.count() == 1


def test_a_person_never_makes_a_system_only_move_for_themselves():
    permohonan = advance(submitted(), Status.PENANDATANGANAN)
    with pytest.raises(WorkflowError, match="sistem"):
        services.transition(permohonan, name="issue", actor=Actor.user(desk_for(permohonan).kepala))


def test_the_system_acting_for_a_person_still_checks_their_role_and_scope():
    permohonan = advance(submitted(), Status.PENANDATANGANAN)
    with pytest.raises(WorkflowError):
        services.transition(
            permohonan, name="issue", actor=Actor.system(UserFactory(front_office=True))
        )
    issued = services.transition(
        permohonan, name="issue", actor=Actor.system(desk_for(permohonan).kepala)
    )
    assert issued.riwayat.last().actor_role == Role.KEPALA


def test_the_system_alone_is_recorded_as_the_system():
    permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
    waiting = services.transition(
        permohonan, name="request_technical_fix", actor=desk_for(permohonan).tt, note="Denah"
    )
    lapsed = services.transition(waiting, name="lapse", actor=Actor.system())
    last = lapsed.riwayat.last()
    assert (last.actor, last.actor_role) == (None, SYSTEM)


def test_only_the_counter_officer_who_entered_the_file_acts_for_the_applicant():
    draft = complete_draft()
    officer = UserFactory(front_office=True)
    with pytest.raises(WorkflowError, match="loket"):
        services.transition(draft, name="submit", actor=Actor.on_behalf(officer))
    type(draft).objects.filter(pk=draft.pk).update(assisted_by=officer)
    draft.refresh_from_db()
    with pytest.raises(WorkflowError, match="loket"):
        services.transition(
            draft, name="submit", actor=Actor.on_behalf(UserFactory(front_office=True))
        )


def test_an_officer_never_acts_for_the_applicant_on_an_officers_move():
    permohonan = submitted()
    officer = UserFactory(front_office=True)
    type(permohonan).objects.filter(pk=permohonan.pk).update(assisted_by=officer)
    permohonan.refresh_from_db()
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="start_verification", actor=Actor.on_behalf(officer))


def test_a_refused_move_writes_nothing():
    permohonan = advance(submitted(), Status.VERIFIKASI)
    version = permohonan.state_version
    with pytest.raises(WorkflowError):
        services.transition(
            permohonan, name="return_for_correction", actor=desk_for(permohonan).fo, note=""
        )
    permohonan.refresh_from_db()
    assert (permohonan.status, permohonan.state_version) == (Status.VERIFIKASI, version)
    assert permohonan.riwayat.count() == 2  # submit, start_verification


def test_a_decision_stamps_the_decision_time_for_every_final_state():
    permohonan = submitted()
    withdrawn = services.withdraw_permohonan(
        permohonan, actor=permohonan.applicant, reason="Tidak jadi"
    )
    assert withdrawn.status == Status.DIBATALKAN
    assert withdrawn.decided_at is not None
