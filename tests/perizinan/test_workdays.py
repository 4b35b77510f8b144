"""Working-day deadlines: the vectors of TEST_VECTORS.md and the rules of perizinan.workdays."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.apps.registry import Apps

from perizinan import workdays
from perizinan.workdays import WorkCalendar

WITH_CUTI = WorkCalendar(include_cuti_bersama=True)
PUBLIC_ONLY = WorkCalendar(include_cuti_bersama=False)

# (file complete on, working days, due with cuti bersama, due with public holidays only)
VECTORS = [
    (date(2026, 3, 17), 5, date(2026, 3, 31), date(2026, 3, 25)),
    (date(2026, 12, 23), 3, date(2026, 12, 30), date(2026, 12, 29)),
    (date(2026, 5, 12), 10, date(2026, 6, 2), date(2026, 5, 28)),
    (date(2027, 3, 5), 5, date(2027, 3, 22), date(2027, 3, 17)),
    (date(2026, 8, 14), 2, date(2026, 8, 19), date(2026, 8, 19)),
]


@pytest.mark.parametrize(("start", "n", "due", "_"), VECTORS)
def test_due_date_with_cuti_bersama_matches_test_vectors(start, n, due, _):
    assert WITH_CUTI.add_working_days(start, n) == due
    assert WITH_CUTI.due_date(start, n) == due


@pytest.mark.parametrize(("start", "n", "_", "due"), VECTORS)
def test_due_date_with_public_holidays_only_matches_test_vectors(start, n, _, due):
    assert PUBLIC_ONLY.add_working_days(start, n) == due
    assert PUBLIC_ONLY.due_date(start, n) == due


def test_weekends_are_not_working_days():
    assert WITH_CUTI.is_working_day(date(2026, 11, 27))  # Friday
    assert not WITH_CUTI.is_working_day(date(2026, 11, 28))  # Saturday
    assert not WITH_CUTI.is_working_day(date(2026, 11, 29))  # Sunday


def test_public_holiday_is_not_a_working_day():
    assert not PUBLIC_ONLY.is_working_day(date(2026, 8, 17))  # Hari Kemerdekaan, Monday


def test_cuti_bersama_is_a_working_day_only_when_excluded():
    christmas_eve_joint_leave = date(2026, 12, 24)  # Thursday
    assert not WITH_CUTI.is_working_day(christmas_eve_joint_leave)
    assert PUBLIC_ONLY.is_working_day(christmas_eve_joint_leave)


def test_day_one_is_the_first_working_day_after_start():
    assert WITH_CUTI.add_working_days(date(2026, 11, 25), 1) == date(2026, 11, 26)


def test_start_on_friday_day_one_is_monday():
    assert WITH_CUTI.add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)


def test_start_on_weekend_day_one_is_next_working_day():
    assert WITH_CUTI.add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)
    assert WITH_CUTI.add_working_days(date(2026, 11, 29), 1) == date(2026, 11, 30)


def test_start_on_holiday_day_one_is_next_working_day():
    # Mon 2026-08-17 is Independence Day; Tuesday is day 1.
    assert WITH_CUTI.add_working_days(date(2026, 8, 17), 1) == date(2026, 8, 18)


def test_deadline_crosses_year_boundary():
    # Thu 24 cuti bersama, Fri 25 Christmas, Mon 28, Tue 29, Wed 30, Thu 31, Fri 1 Jan holiday.
    assert WITH_CUTI.add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    assert WITH_CUTI.add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)


def test_zero_or_negative_working_days_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        WITH_CUTI.add_working_days(date(2026, 11, 25), 0)


def test_local_closures_are_not_working_days():
    closed = date(2026, 11, 26)  # a Thursday, e.g. a regional election day
    calendar = WorkCalendar(closures=[closed])
    assert not calendar.is_working_day(closed)
    assert calendar.add_working_days(date(2026, 11, 25), 1) == date(2026, 11, 27)
    assert calendar.working_days_between(date(2026, 11, 25), date(2026, 11, 27)) == 1


def test_closure_on_a_holiday_is_not_subtracted_twice():
    calendar = WorkCalendar(closures=[date(2026, 8, 17), date(2026, 8, 15)])  # holiday, Saturday
    assert calendar.working_days_between(date(2026, 8, 14), date(2026, 8, 19)) == 2


def test_working_days_between_counts_end_but_not_start():
    # Mon 2026-11-23 .. Fri 2026-11-27: (Mon, Fri] holds Tue, Wed, Thu, Fri.
    assert WITH_CUTI.working_days_between(date(2026, 11, 23), date(2026, 11, 27)) == 4


def test_working_days_between_is_zero_when_end_not_after_start():
    assert WITH_CUTI.working_days_between(date(2026, 11, 27), date(2026, 11, 27)) == 0
    assert WITH_CUTI.working_days_between(date(2026, 11, 27), date(2026, 11, 20)) == 0


def test_working_days_between_a_whole_year_matches_day_by_day_count():
    start, end = date(2025, 12, 31), date(2026, 12, 31)
    by_day = sum(
        WITH_CUTI.is_working_day(start + timedelta(days=i))
        for i in range(1, (end - start).days + 1)
    )
    assert WITH_CUTI.working_days_between(start, end) == by_day
    assert by_day == 261 - 21  # 261 weekdays in 2026, 21 of them holidays or cuti bersama


def test_working_days_between_inverts_add_working_days():
    rng = random.Random(20261127)  # fixed seed: the same cases on every run
    for calendar in (WITH_CUTI, PUBLIC_ONLY, WorkCalendar(closures=[date(2026, 4, 7)])):
        for _ in range(300):
            start = date(2025, 1, 1) + timedelta(days=rng.randrange(3 * 365))
            n = rng.randint(1, 60)
            due = calendar.add_working_days(start, n)
            assert calendar.is_working_day(due)
            assert calendar.working_days_between(start, due) == n, (start, n)
            assert calendar.working_days_between(start, due - timedelta(days=1)) == n - 1


def test_pause_of_three_working_days_moves_due_date_by_three_working_days():
    start = date(2026, 11, 2)  # Monday; 10 working days -> Mon 2026-11-16
    assert WITH_CUTI.due_date(start, 10) == date(2026, 11, 16)
    # Returned Wed 4th, resubmitted Mon 9th: Thu 5, Fri 6, Mon 9 are lost (3 working days).
    pause = (date(2026, 11, 4), date(2026, 11, 9))
    assert WITH_CUTI.working_days_lost(start, [pause]) == 3
    assert WITH_CUTI.due_date(start, 10, pauses=[pause]) == date(2026, 11, 19)


def test_pause_day_of_return_counts_for_office_and_day_of_resubmission_does_not():
    start = date(2026, 11, 2)
    same_day = (date(2026, 11, 4), date(2026, 11, 4))
    next_day = (date(2026, 11, 4), date(2026, 11, 5))
    assert WITH_CUTI.due_date(start, 10, pauses=[same_day]) == date(2026, 11, 16)
    assert WITH_CUTI.due_date(start, 10, pauses=[next_day]) == date(2026, 11, 17)


def test_pause_spanning_a_holiday_loses_only_working_days():
    # Returned Fri 2026-08-14, resubmitted Wed 2026-08-19: Sat, Sun, Mon 17 (Independence Day)
    # are not working days, so only Tue 18 and Wed 19 are lost.
    start = date(2026, 8, 10)
    pause = (date(2026, 8, 14), date(2026, 8, 19))
    assert WITH_CUTI.working_days_lost(start, [pause]) == 2
    assert WITH_CUTI.due_date(start, 5) == date(2026, 8, 18)
    assert WITH_CUTI.due_date(start, 5, pauses=[pause]) == date(2026, 8, 20)


def test_overlapping_pauses_are_counted_once():
    start = date(2026, 11, 2)
    pauses = [(date(2026, 11, 4), date(2026, 11, 9)), (date(2026, 11, 5), date(2026, 11, 6))]
    assert WITH_CUTI.working_days_lost(start, pauses) == 3


def test_two_separate_pauses_add_up():
    start = date(2026, 11, 2)
    pauses = [(date(2026, 11, 3), date(2026, 11, 4)), (date(2026, 11, 9), date(2026, 11, 11))]
    assert WITH_CUTI.working_days_lost(start, pauses) == 3
    assert WITH_CUTI.due_date(start, 10, pauses=pauses) == date(2026, 11, 19)


def test_pause_days_before_start_do_not_count():
    start = date(2026, 11, 4)
    pause = (date(2026, 11, 2), date(2026, 11, 5))  # only Thu 5th lies after the start
    assert WITH_CUTI.working_days_lost(start, [pause]) == 1


def test_pause_ending_before_it_begins_is_refused():
    with pytest.raises(ValueError, match="cannot end"):
        WITH_CUTI.due_date(date(2026, 11, 2), 5, pauses=[(date(2026, 11, 9), date(2026, 11, 4))])


def test_days_left_counts_working_days_to_due_date():
    due = date(2026, 11, 30)  # Monday
    assert WITH_CUTI.days_left(due, date(2026, 11, 26)) == 2  # Thu: Fri, Mon
    assert WITH_CUTI.days_left(due, due) == 0


def test_days_left_is_negative_when_overdue():
    due = date(2026, 11, 27)  # Friday
    assert WITH_CUTI.days_left(due, date(2026, 11, 29)) == 0  # Sunday: no working day missed
    assert WITH_CUTI.days_left(due, date(2026, 11, 30)) == -1
    assert WITH_CUTI.days_left(due, date(2026, 12, 2)) == -3


def test_holiday_sets_are_cached_per_year():
    workdays.national_days_off.cache_clear()
    WITH_CUTI.working_days_between(date(2026, 1, 1), date(2026, 12, 31))
    WITH_CUTI.add_working_days(date(2026, 3, 17), 5)
    info = workdays.national_days_off.cache_info()
    assert info.misses == 1
    assert info.hits > 0


@pytest.mark.django_db
def test_default_calendar_includes_cuti_bersama():
    calendar = workdays.default_calendar()
    assert calendar.include_cuti_bersama
    assert workdays.add_working_days(date(2026, 3, 17), 5) == date(2026, 3, 31)


@pytest.mark.django_db
def test_default_calendar_honours_local_closures_table():
    hari_libur = apps.get_model("kewenangan", "HariLibur")
    assert workdays.add_working_days(date(2026, 11, 25), 1) == date(2026, 11, 26)
    hari_libur.objects.create(date=date(2026, 11, 26), description="Pemilihan Kepala Daerah")
    assert workdays.local_closures() == (date(2026, 11, 26),)  # the memo was cleared on save
    assert workdays.add_working_days(date(2026, 11, 25), 1) == date(2026, 11, 27)


@pytest.mark.django_db
def test_default_calendar_reads_closures_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        workdays.default_calendar()


def test_closures_read_as_empty_while_hari_libur_model_does_not_exist(monkeypatch):
    monkeypatch.setattr(workdays, "apps", Apps(installed_apps=()))
    assert workdays.local_closures() == ()
    assert workdays.add_working_days(date(2026, 3, 17), 5) == date(2026, 3, 31)
