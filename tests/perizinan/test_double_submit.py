"""A double click or a resent POST creates one application (real PostgreSQL, two threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from perizinan import services
from perizinan.models import Penomoran, Permohonan, RiwayatStatus
from perizinan.workflow import Status
from tests.perizinan.factories import complete_draft


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_create_one_application():
    draft = complete_draft()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            results.append(
                services.submit_permohonan(
                    Permohonan.objects.get(pk=draft.pk),
                    actor=draft.applicant,
                    declaration_accepted=True,
                    expected_version=0,
                )
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert errors == []
    assert len(results) == 2
    assert {r.number for r in results} == {Permohonan.objects.get(pk=draft.pk).number}
    assert Permohonan.objects.get(pk=draft.pk).status == Status.DIAJUKAN
    assert RiwayatStatus.objects.filter(transition="submit").count() == 1
    assert Penomoran.objects.get().last_value == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_one_wins_the_other_gets_a_clear_error():
    from perizinan.exceptions import WorkflowError
    from tests.factories import UserFactory
    from tests.perizinan.factories import judge_all_valid, submitted

    permohonan = submitted()
    services.transition(permohonan, name="start_verification", actor=UserFactory(front_office=True))
    officers = [UserFactory(front_office=True), UserFactory(front_office=True)]
    judge_all_valid(permohonan, officers[0])  # register needs every document "Sesuai"
    moves = [("register", ""), ("return_for_correction", "Kurang lengkap")]
    barrier = threading.Barrier(2)
    outcomes = []

    def act(officer, move):
        try:
            barrier.wait(timeout=10)
            services.transition(
                Permohonan.objects.get(pk=permohonan.pk),
                name=move[0],
                actor=officer,
                note=move[1],
            )
            outcomes.append("ok")
        except WorkflowError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=pair) for pair in zip(officers, moves, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert outcomes.count("ok") == 1
    loser = next(o for o in outcomes if o != "ok")
    assert "sudah diproses orang lain" in loser
    assert RiwayatStatus.objects.filter(permohonan=permohonan).count() == 3
