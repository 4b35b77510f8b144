"""Deadlines of a file in working days, computed from its history (never typed in by hand).

* The overall deadline (``due_date``): ``n`` working days of the service standard from the day
  the file is declared complete (TERDAFTAR), moved by the working days the file spent back with
  the applicant (DIKEMBALIKAN, PERBAIKAN_TEKNIS): the clock stops there.
* Per-stage deadlines (``stage_due_date``) where the service sets them: verification
  (``sla_verification_days``, from submission or resubmission), technical review
  (``sla_technical_days``, from the day the file reaches the tim teknis, with the same clock
  stop while the applicant fixes a technical shortfall) and signing (``sla_signing_days``).
* The applicant's own deadline (``fix_due_date``) while the file waits for them: a number of
  working days chosen by the officer who sends it back, for a correction at verification
  (default ``settings.RETURN_FIX_WORKING_DAYS``) or a technical fix (default
  ``settings.TECHNICAL_FIX_WORKING_DAYS``). The applicant sees the date on their page, in the
  message and on /lacak/, and is reminded ``settings.FIX_REMINDER_WORKING_DAYS`` working days
  before it; when it passes, ``perizinan.tasks.workflow.lapse_overdue_fixes`` moves the file to
  GUGUR.

The functions here are pure over ``(day, from_status, to_status)`` entries, so that the
service computes everything inside the transition's transaction and tests can feed them dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from perizinan.workdays import WorkCalendar
from perizinan.workflow import WAITING_FOR_APPLICANT, Status

#: One history entry: the local day of the move, from, to.
Entry = tuple[dt.date, str, str]

DEFAULT_FIX_WORKING_DAYS = 40  # about two months, as Dinkes Bartim gives for an apotek
DEFAULT_RETURN_WORKING_DAYS = 10  # to complete missing documents at verification


@dataclass(frozen=True)
class Stage:
    name: str
    states: frozenset
    sla_field: str


STAGES = (
    Stage("verifikasi", frozenset({Status.DIAJUKAN, Status.VERIFIKASI}), "sla_verification_days"),
    Stage(
        "teknis",
        frozenset({Status.KAJIAN_TEKNIS, Status.PERBAIKAN_TEKNIS}),
        "sla_technical_days",
    ),
    Stage("penandatanganan", frozenset({Status.PENANDATANGANAN}), "sla_signing_days"),
)


def stage_of(status: str) -> Stage | None:
    return next((s for s in STAGES if status in s.states), None)


def fix_working_days_default(target: str = Status.PERBAIKAN_TEKNIS) -> int:
    """The working days an applicant gets, by default, in the state ``target`` they are sent to."""
    if target == Status.DIKEMBALIKAN:
        return int(getattr(settings, "RETURN_FIX_WORKING_DAYS", DEFAULT_RETURN_WORKING_DAYS))
    return int(getattr(settings, "TECHNICAL_FIX_WORKING_DAYS", DEFAULT_FIX_WORKING_DAYS))


def clock_pauses(entries: Iterable[Entry]) -> list[tuple[dt.date, dt.date]]:
    """The clock stops of a file: ``(returned_on, resubmitted_on)`` for every stay in a state
    where the applicant must act, in time order. A stay that has not ended yet is left out."""
    pauses = []
    started: dt.date | None = None
    for day, from_status, to_status in entries:
        if to_status in WAITING_FOR_APPLICANT and from_status not in WAITING_FOR_APPLICANT:
            started = day
        elif from_status in WAITING_FOR_APPLICANT and to_status not in WAITING_FOR_APPLICANT:
            if started is not None:
                pauses.append((started, day))
            started = None
    return pauses


def overall_due_date(
    registered_on: dt.date | None,
    working_days: int | None,
    entries: Sequence[Entry],
    calendar: WorkCalendar,
) -> dt.date | None:
    """The service-standard deadline with every finished clock stop after registration."""
    if registered_on is None or not working_days:
        return None
    return calendar.due_date(registered_on, working_days, pauses=clock_pauses(entries))


def stage_due_date(
    status: str, jenis_izin, entries: Sequence[Entry], calendar: WorkCalendar
) -> dt.date | None:
    """The deadline of the stage ``status`` belongs to, when the service sets one."""
    stage = stage_of(status)
    if stage is None:
        return None
    n = getattr(jenis_izin, stage.sla_field, None)
    if not n:
        return None
    start = None
    for day, from_status, to_status in entries:
        if to_status in stage.states and from_status not in stage.states:
            start = day
    if start is None:
        return None
    in_stage = [e for e in entries if e[0] >= start]
    return calendar.due_date(start, n, pauses=clock_pauses(in_stage))


def history_entries(permohonan) -> list[Entry]:
    """The file's history as entries, oldest first (one query)."""
    rows = permohonan.riwayat.order_by("created_at", "id").values_list(
        "created_at", "from_status", "to_status"
    )
    return [(timezone.localdate(at), f, t) for at, f, t in rows]


@dataclass(frozen=True)
class Deadline:
    """What a queue row or a file page says about time: the date that matters now and how
    many working days are left (negative: overdue)."""

    date: dt.date | None
    days_left: int | None
    kind: str  # "overall", "stage", "fix", "paused", "none"
    today: dt.date | None = None

    @property
    def overdue(self) -> bool:
        """Past the due date (also on the weekend right after a Friday deadline)."""
        if self.days_left is None or self.date is None:
            return False
        return self.days_left < 0 or (self.today is not None and self.date < self.today)

    @property
    def due_today(self) -> bool:
        return self.days_left == 0 and not self.overdue

    @property
    def days_overdue(self) -> int:
        """Working days late, at least 1 once the due date has passed."""
        if not self.overdue or self.days_left is None:
            return 0
        return max(1, -self.days_left)

    @property
    def text(self) -> str:
        """What the queue and the file page say, e.g. "3 hari kerja lagi" (in the active
        language). Built here rather than in the template: a queue page shows 25 of them, and
        ``{% blocktranslate count %}`` per row was a measurable part of its cost."""
        if self.kind == "paused":
            return gettext("Jam berhenti (menunggu pemohon)")
        if self.overdue:
            n = self.days_overdue
            return ngettext("Terlambat %(n)s hari kerja", "Terlambat %(n)s hari kerja", n) % {
                "n": n
            }
        if self.due_today:
            return gettext("Jatuh tempo hari ini")
        n = self.days_left or 0
        return ngettext("%(n)s hari kerja lagi", "%(n)s hari kerja lagi", n) % {"n": n}

    @property
    def basis(self) -> str:
        """Which deadline the date is."""
        if self.kind == "fix":
            return gettext("batas perbaikan pemohon")
        if self.kind == "stage":
            return gettext("batas tahap")
        return gettext("batas penyelesaian")


def deadline_of(permohonan, calendar: WorkCalendar, today: dt.date) -> Deadline:
    """The deadline to show for a file now (no query: reads the stored dates)."""
    from perizinan.workflow import FINAL_STATES

    status = permohonan.status
    if status in FINAL_STATES or status == Status.DRAFT:
        return Deadline(None, None, "none")
    if status in WAITING_FOR_APPLICANT and permohonan.fix_due_date:
        due = permohonan.fix_due_date
        return Deadline(due, calendar.days_left(due, today), "fix", today)
    if status in WAITING_FOR_APPLICANT:
        return Deadline(permohonan.due_date, None, "paused")
    candidates = [
        (d, kind)
        for d, kind in ((permohonan.stage_due_date, "stage"), (permohonan.due_date, "overall"))
        if d is not None
    ]
    if not candidates:
        return Deadline(None, None, "none")
    due, kind = min(candidates)
    return Deadline(due, calendar.days_left(due, today), kind, today)
