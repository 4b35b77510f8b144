"""Deadlines of a file in working days: the test vectors through the service, the clock stop
while the file is with the applicant, per-stage deadlines, the applicant's technical-fix
deadline and the lapse task."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time

from kewenangan.models import HariLibur
from perizinan import services
from perizinan.services.deadlines import clock_pauses, deadline_of
from perizinan.tasks.workflow import lapse_overdue_fixes, lapse_overdue_fixes_task
from perizinan.workdays import WorkCalendar
from perizinan.workflow import Status
from tests.perizinan.factories import advance, desk_for, make_service, submitted

pytestmark = pytest.mark.django_db

CALENDAR = WorkCalendar(include_cuti_bersama=True)


def at(day: str) -> str:
    """10:00 WIB on ``day`` (03:00 UTC)."""
    return f"{day} 03:00:00"


# --- The overall deadline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("complete_on", "n", "due"),
    [
        ("2026-03-17", 5, date(2026, 3, 31)),
        ("2026-12-23", 3, date(2026, 12, 30)),
        ("2026-05-12", 10, date(2026, 6, 2)),
        ("2027-03-05", 5, date(2027, 3, 22)),
        ("2026-08-14", 2, date(2026, 8, 19)),
    ],
)
def test_due_date_at_registration_matches_the_test_vectors(complete_on, n, due):
    with freeze_time(at(complete_on)):
        permohonan = submitted(service=make_service(sla_working_days=n))
        registered = advance(permohonan, Status.TERDAFTAR)
    assert registered.due_date == due


def test_days_back_with_the_applicant_for_a_technical_fix_do_not_count():
    with freeze_time(at("2026-11-02")) as clock:  # Monday; 5 working days -> 9 November
        permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
        assert permohonan.due_date == date(2026, 11, 9)
        desk = desk_for(permohonan)
        clock.move_to(at("2026-11-04"))  # returned on Wednesday
        waiting = services.transition(
            permohonan, name="request_technical_fix", actor=desk.tt, note="Denah belum sesuai"
        )
        clock.move_to(at("2026-11-06"))  # fixed on Friday: Thursday and Friday are lost
        fixed = services.submit_permohonan(
            waiting, actor=waiting.applicant, declaration_accepted=True
        )
    assert fixed.due_date == date(2026, 11, 11)


def test_a_return_before_registration_does_not_move_the_due_date():
    with freeze_time(at("2026-11-02")) as clock:
        permohonan = advance(submitted(), Status.VERIFIKASI)
        desk = desk_for(permohonan)
        returned = services.transition(
            permohonan, name="return_for_correction", actor=desk.fo, note="KTP buram"
        )
        clock.move_to(at("2026-11-05"))
        again = services.submit_permohonan(
            returned, actor=returned.applicant, declaration_accepted=True
        )
        registered = advance(again, Status.TERDAFTAR, desk)
    assert registered.due_date == CALENDAR.add_working_days(date(2026, 11, 5), 5)


def test_a_local_closure_of_the_office_is_not_a_working_day():
    HariLibur.objects.create(date=date(2026, 11, 4), description="Hari jadi kabupaten")
    with freeze_time(at("2026-11-02")):
        registered = advance(submitted(), Status.TERDAFTAR)
    assert registered.due_date == date(2026, 11, 10)


def test_clock_pauses_pair_each_stay_with_the_applicant_with_its_end():
    entries = [
        (date(2026, 11, 2), Status.VERIFIKASI, Status.TERDAFTAR),
        (date(2026, 11, 3), Status.KAJIAN_TEKNIS, Status.PERBAIKAN_TEKNIS),
        (date(2026, 11, 5), Status.PERBAIKAN_TEKNIS, Status.KAJIAN_TEKNIS),
        (date(2026, 11, 9), Status.KAJIAN_TEKNIS, Status.PERBAIKAN_TEKNIS),
    ]
    assert clock_pauses(entries) == [(date(2026, 11, 3), date(2026, 11, 5))]


# --- Per-stage deadlines -------------------------------------------------------------------------


def test_verification_stage_deadline_runs_from_submission():
    service = make_service(sla_verification_days=1)
    with freeze_time(at("2026-11-02")):
        permohonan = submitted(service=service)
    assert permohonan.stage_due_date == date(2026, 11, 3)
    assert permohonan.due_date is None


def test_technical_stage_deadline_stops_with_the_clock():
    service = make_service(sla_technical_days=2)
    with freeze_time(at("2026-11-02")) as clock:
        permohonan = advance(submitted(service=service), Status.KAJIAN_TEKNIS)
        assert permohonan.stage_due_date == date(2026, 11, 4)
        desk = desk_for(permohonan)
        clock.move_to(at("2026-11-03"))
        waiting = services.transition(
            permohonan, name="request_technical_fix", actor=desk.tt, note="Perbaiki"
        )
        clock.move_to(at("2026-11-06"))  # 4, 5, 6 November lost
        fixed = services.submit_permohonan(
            waiting, actor=waiting.applicant, declaration_accepted=True
        )
    assert fixed.stage_due_date == date(2026, 11, 9)


def test_signing_stage_deadline_is_set_on_reaching_the_head():
    service = make_service(technical_review=False, sla_signing_days=1)
    with freeze_time(at("2026-11-02")):
        permohonan = advance(submitted(service=service), Status.PENANDATANGANAN)
    assert permohonan.stage_due_date == date(2026, 11, 3)


def test_stage_without_a_standard_has_no_stage_deadline():
    with freeze_time(at("2026-11-02")):
        permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
    assert permohonan.stage_due_date is None


# --- The applicant's technical-fix deadline and the lapse ----------------------------------------


def test_technical_fix_deadline_defaults_to_the_setting(settings):
    settings.TECHNICAL_FIX_WORKING_DAYS = 3
    with freeze_time(at("2026-11-02")):
        permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
        waiting = services.transition(
            permohonan,
            name="request_technical_fix",
            actor=desk_for(permohonan).tt,
            note="Perbaiki",
        )
    assert waiting.fix_due_date == date(2026, 11, 5)


def test_the_officer_sets_the_days_for_a_technical_fix():
    with freeze_time(at("2026-11-02")):
        permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
        waiting = services.transition(
            permohonan,
            name="request_technical_fix",
            actor=desk_for(permohonan).tt,
            note="Perbaiki",
            data={"fix_working_days": 10},
        )
    assert waiting.fix_due_date == date(2026, 11, 16)


def _waiting_for_fix(days=2):
    with freeze_time(at("2026-11-02")):
        permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
        return services.transition(
            permohonan,
            name="request_technical_fix",
            actor=desk_for(permohonan).tt,
            note="Perbaiki",
            data={"fix_working_days": days},
        )


def test_lapse_task_moves_a_file_past_its_fix_deadline_to_gugur():
    waiting = _waiting_for_fix(days=2)  # until 4 November
    assert lapse_overdue_fixes(today=date(2026, 11, 4)) == []
    assert lapse_overdue_fixes(today=date(2026, 11, 5)) == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.status == Status.GUGUR
    last = waiting.riwayat.last()
    assert last.actor is None and last.transition == "lapse"


def test_lapse_task_is_idempotent():
    waiting = _waiting_for_fix(days=1)
    with freeze_time(at("2026-11-10")):
        assert lapse_overdue_fixes_task() == 1
        assert lapse_overdue_fixes_task() == 0
    assert waiting.riwayat.filter(transition="lapse").count() == 1


def test_a_fixed_file_does_not_lapse():
    waiting = _waiting_for_fix(days=1)
    with freeze_time(at("2026-11-03")):
        services.submit_permohonan(waiting, actor=waiting.applicant, declaration_accepted=True)
    assert lapse_overdue_fixes(today=date(2026, 11, 20)) == []


# --- What a queue shows --------------------------------------------------------------------------


def test_deadline_shows_days_left_due_today_and_overdue():
    with freeze_time(at("2026-11-02")):
        permohonan = advance(submitted(), Status.TERDAFTAR)  # due 9 November
    assert deadline_of(permohonan, CALENDAR, date(2026, 11, 5)).days_left == 2
    assert deadline_of(permohonan, CALENDAR, date(2026, 11, 9)).due_today
    late = deadline_of(permohonan, CALENDAR, date(2026, 11, 11))
    assert late.overdue and late.days_overdue == 2


def test_the_weekend_after_a_friday_deadline_is_already_overdue():
    with freeze_time(at("2026-11-02")):
        permohonan = advance(submitted(), Status.TERDAFTAR)  # due Monday 9 November
    from perizinan.models import Permohonan

    Permohonan.objects.filter(pk=permohonan.pk).update(due_date=date(2026, 11, 6))  # Friday
    permohonan.refresh_from_db()
    saturday = deadline_of(permohonan, CALENDAR, date(2026, 11, 7))
    assert saturday.overdue and not saturday.due_today and saturday.days_overdue == 1


def test_deadline_of_a_file_with_the_applicant_says_the_clock_is_stopped():
    waiting = _waiting_for_fix()
    shown = deadline_of(waiting, CALENDAR, date(2026, 11, 3))
    assert shown.kind == "fix"
    assert shown.date == waiting.fix_due_date
