"""Working days (hari kerja): the engine behind every service-standard deadline.

Rules (see ``/work/shared/domain/TEST_VECTORS.md``):

* Saturdays, Sundays, national public holidays and cuti bersama (joint leave) are not working
  days (Perpres 21/2023: five working days a week). Holidays come from the ``holidays``
  package, ``country_holidays("ID", categories=("public", "government"))``, where
  "government" is cuti bersama. Local office closures (a regional holiday, an election day)
  come from the admin table ``kewenangan.HariLibur`` when it exists.
* Day 1 is the first working day *after* the start date ("sejak berkas dinyatakan lengkap").
  Starting on a weekend or a holiday changes nothing: day 1 is still the next working day.
* Clock stops: while the file is back with the applicant (DIKEMBALIKAN, PERBAIKAN_TEKNIS) the
  clock does not run. A pause is ``(returned_on, resubmitted_on)``; the working days strictly
  after ``returned_on`` up to and including ``resubmitted_on`` are lost (the day of return
  still counts for the office, the day of resubmission does not). Only lost days after the
  start date matter, and overlapping pauses are counted once. The due date then moves by the
  number of working days lost: ``due = add_working_days(start, n + lost)``. A pause that
  begins after the original due date still moves it, so an office that was already late when
  it returned the file is exactly as late when the file comes back.

Everything here is pure and works on ``datetime.date``; only :func:`default_calendar` reads
the database (the local closures, memoized for a minute). Holiday sets are cached per year.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.apps import apps

from config.memo import ttl_memo

__all__ = ["WorkCalendar", "add_working_days", "default_calendar"]

ONE_DAY = timedelta(days=1)
SATURDAY = 5  # date.weekday(): Monday is 0

# The package knows holidays from 1950 to a few years ahead; outside that range only weekends
# count, which is the best that can be said about such dates anyway.


@lru_cache(maxsize=64)
def national_days_off(year: int, include_cuti_bersama: bool = True) -> frozenset[date]:
    """National public holidays (and cuti bersama when asked) of one year, cached."""
    categories = ("public", "government") if include_cuti_bersama else ("public",)
    return frozenset(holidays.country_holidays("ID", categories=categories, years=year))


class WorkCalendar:
    """A calendar of working days: weekdays that are neither holidays nor office closures."""

    def __init__(self, *, include_cuti_bersama: bool = True, closures: Iterable[date] = ()):
        self.include_cuti_bersama = include_cuti_bersama
        self.closures: frozenset[date] = frozenset(closures)

    def is_working_day(self, d: date) -> bool:
        if d.weekday() >= SATURDAY:
            return False
        if d in self.closures:
            return False
        return d not in national_days_off(d.year, self.include_cuti_bersama)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``n >= 1``; ``start`` itself never counts)."""
        if n < 1:
            raise ValueError(f"n must be at least 1 working day, got {n}.")
        d = start
        while n:
            d += ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days in ``(start, end]``; 0 when ``end <= start``."""
        if end <= start:
            return 0
        first = start + ONE_DAY
        count = _weekdays_in(first, end)
        # Subtract the days off that fall on a weekday inside the range, each once.
        days_off = set(self.closures)
        for year in range(first.year, end.year + 1):
            days_off |= national_days_off(year, self.include_cuti_bersama)
        count -= sum(1 for d in days_off if first <= d <= end and d.weekday() < SATURDAY)
        return count

    def working_days_lost(self, start: date, pauses: Iterable[tuple[date, date]]) -> int:
        """Working days after ``start`` during which the file was back with the applicant.

        Each pause ``(returned_on, resubmitted_on)`` covers ``(returned_on, resubmitted_on]``;
        overlapping pauses count once.
        """
        intervals = []
        for returned_on, resubmitted_on in pauses:
            if resubmitted_on < returned_on:
                raise ValueError(
                    f"A pause cannot end ({resubmitted_on}) before it begins ({returned_on})."
                )
            intervals.append((max(returned_on, start), resubmitted_on))
        lost = 0
        covered_until = start
        for begin, end in sorted(intervals):
            begin = max(begin, covered_until)
            if end > begin:
                lost += self.working_days_between(begin, end)
                covered_until = end
        return lost

    def due_date(self, start: date, n: int, *, pauses: Iterable[tuple[date, date]] = ()) -> date:
        """Due date of an ``n``-working-day standard that started on ``start``, moved by the
        working days lost in ``pauses`` (see the module docstring for the exact rule)."""
        return self.add_working_days(start, n + self.working_days_lost(start, pauses))

    def days_left(self, due: date, today: date) -> int:
        """Working days from ``today`` to ``due``: 0 on the due date, negative when overdue
        (``-1`` on the first working day after the due date)."""
        if today <= due:
            return self.working_days_between(today, due)
        return -self.working_days_between(due, today)


def _weekdays_in(first: date, last: date) -> int:
    """Number of Mondays to Fridays in ``[first, last]`` (``first <= last``), in O(1)."""
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    weekday = first.weekday()
    for i in range(rest):
        if (weekday + i) % 7 < SATURDAY:
            count += 1
    return count


@ttl_memo(60)
def local_closures() -> tuple[date, ...]:
    """Dates of the office's local closures from ``kewenangan.HariLibur``.

    Read once a minute per process (``config.memo``; every queue page needs them): a closure
    an admin adds counts at once in the process that saved it (a signal clears the memo, see
    ``PerizinanConfig``) and within a minute in the others. Closures are announced days ahead.
    Empty while that model does not exist, so this module works before and after it lands.
    """
    try:
        model = apps.get_model("kewenangan", "HariLibur")
    except LookupError:
        return ()
    return tuple(model.objects.values_list("date", flat=True))


def default_calendar() -> WorkCalendar:
    """The office calendar: public holidays, cuti bersama and the local closures (DB read)."""
    return WorkCalendar(include_cuti_bersama=True, closures=local_closures())


def add_working_days(start: date, n: int) -> date:
    """``n`` working days after ``start`` on the office calendar (reads the closures)."""
    return default_calendar().add_working_days(start, n)
