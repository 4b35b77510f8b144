"""The state machine as data: complete, consistent, and asked by the pages."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from perizinan.workflow import (
    ACTIVE_STATES,
    APPLICANT,
    EDITABLE_STATES,
    FINAL_STATES,
    SYSTEM,
    SYSTEM_ONLY_TARGETS,
    TRANSITIONS,
    WAITING_FOR_APPLICANT,
    WITHDRAWABLE_STATES,
    Status,
    available_transitions,
    document_judge_roles,
    get_transition,
    hand_in_move,
    officer_roles_for,
    transitions_from,
)
from tests.factories import UserFactory
from tests.perizinan.factories import make_service, register, submitted


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
    # Refusing a file that is not for this office is possible before verification starts.
    assert names == ["start_verification", "refuse"]


@pytest.mark.django_db
def test_available_transitions_never_offer_system_only_moves():
    from perizinan import services

    permohonan = submitted(service=make_service(technical_review=False))
    fo = UserFactory(front_office=True)
    services.transition(permohonan, name="start_verification", actor=fo)
    register(permohonan, fo)
    permohonan = services.transition(
        permohonan, name="send_to_signing", actor=UserFactory(back_office=True)
    )
    names = [t.name for t in available_transitions(permohonan, UserFactory(kepala=True))]
    assert names == ["reject"]


@pytest.mark.django_db
def test_stranger_has_no_available_transitions():
    permohonan = submitted()
    assert available_transitions(permohonan, UserFactory()) == []


# --- One source: every state set, role table and message comes from the table ------------------


def test_the_final_states_are_the_states_no_move_leaves():
    assert {s for s in Status.values if not transitions_from(s)} == FINAL_STATES
    assert {Status.TERBIT, Status.DITOLAK, Status.DIBATALKAN, Status.GUGUR} == FINAL_STATES


def test_waiting_for_the_applicant_are_the_active_states_no_officer_acts_in():
    assert {s for s in ACTIVE_STATES if not officer_roles_for(s)} == WAITING_FOR_APPLICANT
    assert {Status.DIKEMBALIKAN, Status.PERBAIKAN_TEKNIS} == WAITING_FOR_APPLICANT


def test_the_applicant_edits_the_file_in_the_states_they_hand_it_in_from():
    handed_in = {
        s
        for t in TRANSITIONS
        if APPLICANT in t.roles and t.target not in FINAL_STATES
        for s in t.sources
    }
    assert handed_in == EDITABLE_STATES
    assert {Status.DRAFT, Status.DIKEMBALIKAN, Status.PERBAIKAN_TEKNIS} == EDITABLE_STATES
    assert {s: hand_in_move(s).name for s in EDITABLE_STATES} == {
        Status.DRAFT: "submit",
        Status.DIKEMBALIKAN: "resubmit",
        Status.PERBAIKAN_TEKNIS: "technical_fixed",
    }
    assert hand_in_move(Status.DIAJUKAN) is None


def test_system_only_targets_are_the_targets_of_the_system_only_moves():
    assert {t.target for t in TRANSITIONS if t.system_only} == SYSTEM_ONLY_TARGETS
    assert {Status.TERBIT, Status.GUGUR} == SYSTEM_ONLY_TARGETS


def test_officers_act_in_a_state_by_the_roles_of_its_moves():
    for status in Status.values:
        roles = {
            r
            for t in transitions_from(status)
            if not t.system_only
            for r in t.roles
            if r not in (APPLICANT, SYSTEM)
        }
        assert officer_roles_for(status) == roles, status


def test_the_verdict_roles_are_the_roles_of_the_moves_that_judge_documents():
    from perizinan.services import petugas

    assert {s: set(document_judge_roles(s)) for s in Status.values if document_judge_roles(s)} == {
        Status.VERIFIKASI: {Role.FRONT_OFFICE},
        Status.TERDAFTAR: {Role.BACK_OFFICE},
        Status.KAJIAN_TEKNIS: {Role.TIM_TEKNIS},
    }
    for status in Status.values:
        assert document_judge_roles(status) <= officer_roles_for(status), status
    assert not hasattr(petugas, "VERDICT_STATES")


def test_a_guards_message_lives_on_its_move():
    for t in TRANSITIONS:
        if t.guard is not None:
            assert str(t.guard_message).strip(), t.name
    assert "BAP" in str(get_transition("recommend_approval").guard_message)
    assert "retribusi" in str(get_transition("confirm_payment").guard_message)


def test_the_workflow_does_not_import_the_models():
    import ast
    import inspect

    from perizinan import workflow

    tree = ast.parse(inspect.getsource(workflow))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name and name.startswith("perizinan.models")}


def test_applications_and_complaints_are_one_kind_of_state_machine():
    from akuntabilitas import workflow as complaints
    from config.statemachine import StateMachine
    from config.statemachine import Transition as Move
    from perizinan.workflow import MACHINE

    assert isinstance(MACHINE, StateMachine) and isinstance(complaints.MACHINE, StateMachine)
    assert all(isinstance(t, Move) for t in TRANSITIONS + complaints.MOVES)


@pytest.mark.django_db
def test_a_move_not_for_this_file_is_refused_as_its_condition_not_met():
    from perizinan import services
    from perizinan.exceptions import WorkflowError

    permohonan = submitted(service=make_service(technical_review=True))
    fo = UserFactory(front_office=True)
    services.transition(permohonan, name="start_verification", actor=fo)
    register(permohonan, fo)
    with pytest.raises(WorkflowError, match="syarat tindakan ini tidak terpenuhi"):
        services.transition(permohonan, name="send_to_signing", actor=UserFactory(back_office=True))


def test_the_field_report_is_filed_by_the_roles_of_the_moves_that_wait_for_it():
    from perizinan.workflow import FIELD_REPORT_ROLES, FIELD_REPORT_STATES, field_check_done

    waiting = [t for t in TRANSITIONS if t.guard is field_check_done]
    assert {t.name for t in waiting} == {"recommend_payment", "recommend_approval"}
    assert {Status.KAJIAN_TEKNIS} == FIELD_REPORT_STATES
    assert {Role.TIM_TEKNIS} == FIELD_REPORT_ROLES
