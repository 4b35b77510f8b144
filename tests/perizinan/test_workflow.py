"""The state machine as data: complete, consistent, and asked by the pages."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from perizinan.workflow import (
    FINAL_STATES,
    SYSTEM,
    SYSTEM_ONLY_TARGETS,
    TRANSITIONS,
    WITHDRAWABLE_STATES,
    Status,
    available_transitions,
)
from tests.factories import UserFactory
from tests.perizinan.factories import make_service, submitted


def test_every_state_but_draft_is_the_target_of_some_transition():
    targets = {t.target for t in TRANSITIONS}
    assert set(Status.values) - {Status.DRAFT} <= targets


def test_nothing_leaves_a_final_state():
    assert not [t.name for t in TRANSITIONS if t.sources & FINAL_STATES]


def test_transition_names_are_unique():
    names = [t.name for t in TRANSITIONS]
    assert len(names) == len(set(names))


def test_moves_to_system_only_targets_are_marked_system_only():
    for t in TRANSITIONS:
        if t.target in SYSTEM_ONLY_TARGETS:
            assert t.system_only, t.name


def test_roles_are_known_roles_or_the_system():
    known = set(Role.values) | {SYSTEM}
    for t in TRANSITIONS:
        assert t.roles <= known, t.name


def test_withdrawal_is_possible_only_before_a_decision():
    withdraw = next(t for t in TRANSITIONS if t.name == "withdraw")
    assert withdraw.sources == WITHDRAWABLE_STATES
    assert Status.PENANDATANGANAN not in withdraw.sources
    assert Status.DRAFT not in withdraw.sources


@pytest.mark.django_db
def test_available_transitions_for_the_owner_of_a_submitted_file_is_withdraw_only():
    permohonan = submitted()
    assert [t.name for t in available_transitions(permohonan, permohonan.applicant)] == ["withdraw"]


@pytest.mark.django_db
def test_available_transitions_for_front_office_on_a_submitted_file():
    permohonan = submitted()
    names = [t.name for t in available_transitions(permohonan, UserFactory(front_office=True))]
    assert names == ["start_verification"]


@pytest.mark.django_db
def test_available_transitions_never_offer_system_only_moves():
    from perizinan import services

    permohonan = submitted(service=make_service(technical_review=False))
    fo = UserFactory(front_office=True)
    services.transition(permohonan, name="start_verification", actor=fo)
    services.transition(permohonan, name="register", actor=fo)
    permohonan = services.transition(
        permohonan, name="send_to_signing", actor=UserFactory(back_office=True)
    )
    names = [t.name for t in available_transitions(permohonan, UserFactory(kepala=True))]
    assert names == ["reject"]


@pytest.mark.django_db
def test_stranger_has_no_available_transitions():
    permohonan = submitted()
    assert available_transitions(permohonan, UserFactory()) == []
