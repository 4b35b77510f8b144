"""config.statemachine: a workflow table is checked when it is built and answers for itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.statemachine import SYSTEM, StateMachine, Transition, all_of

STATES = ("new", "open", "done")


def move(name, sources, target, roles=("clerk",), **kwargs):
    return Transition(name, frozenset(sources), target, frozenset(roles), name, **kwargs)


def machine(*moves, **kwargs):
    return StateMachine(states=STATES, transitions=moves, initial="new", **kwargs)


def test_a_table_with_two_moves_of_one_name_is_refused():
    with pytest.raises(ImproperlyConfigured):
        machine(move("go", {"new"}, "open"), move("go", {"open"}, "done"))


def test_a_move_naming_an_unknown_state_is_refused():
    with pytest.raises(ImproperlyConfigured):
        machine(move("go", {"new"}, "open"), move("end", {"open"}, "closed"))


def test_a_state_no_move_leads_to_is_refused():
    with pytest.raises(ImproperlyConfigured):
        machine(move("go", {"new"}, "open"))


def test_declared_final_states_must_be_the_states_nothing_leaves():
    moves = (move("go", {"new"}, "open"), move("end", {"open"}, "done"))
    assert machine(*moves).final_states == {"done"}
    assert machine(*moves, final_states={"done"}).final_states == {"done"}
    with pytest.raises(ImproperlyConfigured):
        machine(*moves, final_states={"open", "done"})


def test_roles_acting_in_a_state_leave_out_system_only_moves_and_excluded_roles():
    table = machine(
        move("go", {"new"}, "open", roles=("clerk", "owner")),
        move("end", {"open"}, "done", roles=("head", SYSTEM), system_only=True),
        move("drop", {"open"}, "done", roles=("head",)),
    )
    assert table.acting_roles("new") == {"clerk", "owner"}
    assert table.acting_roles("new", exclude={"owner"}) == {"clerk"}
    assert table.acting_roles("open") == {"head"}
    assert table.acting_roles("done") == frozenset()
    assert table.states_for_role("head") == ["open"]
    assert table.roles == {"clerk", "owner", "head", SYSTEM}
    assert [m.name for m in table.moves_from("open")] == ["end", "drop"]
    assert table.get("drop").target == "done" and table.get("nope") is None
    assert table.sources_of("go") == {"new"}


def test_a_move_not_for_an_object_or_whose_guard_fails_says_why():
    guarded = move(
        "end",
        {"open"},
        "done",
        when=lambda obj: obj["kind"] == "a",
        guard=all_of(lambda obj: obj["ready"]),
        guard_message="not ready yet.",
    )
    assert guarded.refusal({"kind": "a", "ready": True}) is None
    assert guarded.can_be_made_on({"kind": "a", "ready": True})
    assert guarded.refusal({"kind": "a", "ready": False}, otherwise="no.") == "not ready yet."
    assert guarded.refusal({"kind": "b", "ready": True}, otherwise="no.") == "no."
    assert not guarded.can_be_made_on({"kind": "b", "ready": True})
