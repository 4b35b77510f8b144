"""The officers' queues: which states a queue view holds, the queue of one officer (in scope
through ``visible_to``, filtered, most urgent first), its keyset pages (a cursor in the URL,
never an OFFSET or a COUNT) and the deadline of each row of a page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    DateField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Q,
    Value,
)
from django.utils import timezone

from perizinan.models import Permohonan, PermohonanQuerySet
from perizinan.models.permohonan import QUEUE_NO_DUE_DATE, QUEUE_ORDER, queue_due_key
from perizinan.workdays import default_calendar
from perizinan.workflow import (
    ACTIVE_STATES,
    FINAL_STATES,
    WAITING_FOR_APPLICANT,
    Status,
    statuses_for_role,
)

#: Queue views beside the single states: the officer's own work (default), everything still
#: running, files waiting for the applicant, decided files.
QUEUE_WORK = "kerja"
QUEUE_ACTIVE = "aktif"
QUEUE_WAITING = "menunggu"
QUEUE_DONE = "selesai"
QUEUE_VIEWS = (QUEUE_WORK, QUEUE_ACTIVE, QUEUE_WAITING, QUEUE_DONE)
DUE_OVERDUE = "lewat"
DUE_TODAY = "hari-ini"
DUE_WEEK = "minggu-ini"
ASSIGNED_MINE = "saya"
ASSIGNED_NONE = "belum"


def queue_statuses(user, view: str) -> list[str]:
    if view in Status.values:
        return [view]
    if view == QUEUE_ACTIVE:
        return [s for s in Status.values if s in ACTIVE_STATES]
    if view == QUEUE_WAITING:
        return [s for s in Status.values if s in WAITING_FOR_APPLICANT]
    if view == QUEUE_DONE:
        return [s for s in Status.values if s in FINAL_STATES]
    own = statuses_for_role(user.role)
    return own or [s for s in Status.values if s in ACTIVE_STATES]


def officer_queue(
    user,
    *,
    view: str = QUEUE_WORK,
    service=None,
    due: str = "",
    q: str = "",
    assigned: str = "",
    today: dt.date | None = None,
) -> PermohonanQuerySet:
    """A queue: the files in scope (``visible_to``) in the chosen states, filtered, most urgent
    first. The queryset selects what a row shows, so a page is a constant number of queries;
    the filter on state + OPD + deadline is served by the queue indexes."""
    today = today or timezone.localdate()
    qs = Permohonan.objects.visible_to(user).filter(status__in=queue_statuses(user, view))
    if service is not None:
        qs = qs.filter(jenis_izin=service)
    running = ~Q(status__in=WAITING_FOR_APPLICANT | FINAL_STATES)
    if due == DUE_OVERDUE:
        qs = qs.filter(running, due_date__lt=today)
    elif due == DUE_TODAY:
        qs = qs.filter(running, due_date=today)
    elif due == DUE_WEEK:
        qs = qs.filter(running, due_date__gte=today, due_date__lte=today + dt.timedelta(days=7))
    if assigned == ASSIGNED_MINE:
        qs = qs.filter(assigned_to=user)
    elif assigned == ASSIGNED_NONE:
        qs = qs.filter(assigned_to__isnull=True)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(number__iexact=q)
            | Q(number__iendswith=q.lstrip("0") or q)
            | Q(applicant_data__full_name__icontains=q)
            | Q(applicant_data__company_name__icontains=q)
        )
    return (
        qs.select_related("jenis_izin", "assigned_to")
        .only(
            "public_id",
            "number",
            "status",
            "applicant_data",
            "submitted_at",
            "registered_at",
            "due_date",
            "stage_due_date",
            "fix_due_date",
            "assisted_by_id",
            "route_delegated",
            "jenis_izin__name",
            "jenis_izin__slug",
            "assigned_to__full_name",
            "assigned_to__email",
            "processing_opd_id",
            "technical_opd_id",
        )
        .alias(due_key=queue_due_key())
        .order_by(*QUEUE_ORDER)
    )


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
#: ``submitted_at`` of a cursor must be a datetime Python and PostgreSQL both hold (years 1 to
#: 9999), and its id a positive bigint: a larger number is refused before any arithmetic.
_MIN_US = (dt.datetime.min.replace(tzinfo=dt.UTC) - _EPOCH) // _MICROSECOND
_MAX_US = (dt.datetime.max.replace(tzinfo=dt.UTC) - _EPOCH) // _MICROSECOND
_MAX_PK = 2**63 - 1
#: ``<date>.<microseconds>.<id>`` in ASCII digits, each number of at most 19 digits.
_CURSOR = re.compile(r"(\d{4}-\d{2}-\d{2})\.(-?\d{1,19})\.(\d{1,19})", re.ASCII)


class _RowCompare(Func):
    """``(a, b, c) > (x, y, z)``: one row comparison, which PostgreSQL answers from an index
    in that order (the equivalent OR of ANDs it cannot)."""

    output_field = BooleanField()

    def __init__(self, lhs, op: str, rhs):
        if op not in (">", "<") or len(lhs) != len(rhs):
            raise ValueError("a row comparison needs > or < and rows of one width")
        self.op, self.width = op, len(lhs)
        super().__init__(*lhs, *rhs)

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, sql_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(sql_params)
        left, right = ", ".join(parts[: self.width]), ", ".join(parts[self.width :])
        return f"({left}) {self.op} ({right})", params


@dataclass(frozen=True)
class QueueCursor:
    """A position in a queue: the sort key of one row. In the URL it is
    ``<due date>.<submitted_at in microseconds since the epoch>.<id>``; a value that does not
    parse, or whose numbers are out of range, is ignored (the first page), and a forged one
    only moves the start within the officer's own scope."""

    due: dt.date
    submitted_us: int
    pk: int

    @classmethod
    def of(cls, row) -> QueueCursor:
        submitted = row.submitted_at or _EPOCH
        due = row.due_date or QUEUE_NO_DUE_DATE
        return cls(due, (submitted - _EPOCH) // _MICROSECOND, row.pk)

    @classmethod
    def parse(cls, text: str | None) -> QueueCursor | None:
        match = _CURSOR.fullmatch(text or "")
        if match is None:
            return None
        due, submitted_us, pk = match[1], int(match[2]), int(match[3])
        if not (_MIN_US <= submitted_us <= _MAX_US and 0 < pk <= _MAX_PK):
            return None
        try:
            return cls(dt.date.fromisoformat(due), submitted_us, pk)
        except ValueError:  # 2026-13-45
            return None

    def __str__(self) -> str:
        return f"{self.due.isoformat()}.{self.submitted_us}.{self.pk}"

    def values(self) -> list:
        submitted = _EPOCH + dt.timedelta(microseconds=self.submitted_us)
        return [
            Value(self.due, output_field=DateField()),
            Value(submitted, output_field=DateTimeField()),
            Value(self.pk, output_field=IntegerField()),
        ]


@dataclass(frozen=True)
class QueuePage:
    """One page of a queue, by keyset: the rows after (or before) a cursor, never an OFFSET
    and never a ``COUNT(*)``, so the 200th page costs what the first does. One row more than
    shown tells whether there is a page beyond."""

    rows: list
    has_next: bool
    has_previous: bool

    @property
    def next_cursor(self) -> str:
        return str(QueueCursor.of(self.rows[-1])) if self.rows else ""

    @property
    def previous_cursor(self) -> str:
        return str(QueueCursor.of(self.rows[0])) if self.rows else ""


def queue_page(qs, *, after: str = "", before: str = "", per_page: int = 25) -> QueuePage:
    """The page after the cursor ``after``, or the page before ``before``, or the first
    (``qs`` comes from ``officer_queue``)."""
    cursor = QueueCursor.parse(before)
    if cursor is not None:
        keys = [F(name) for name in QUEUE_ORDER]
        earlier = qs.filter(_RowCompare(keys, "<", cursor.values()))
        rows = list(earlier.order_by(*(f"-{name}" for name in QUEUE_ORDER))[: per_page + 1])
        return QueuePage(
            rows=rows[:per_page][::-1], has_next=True, has_previous=len(rows) > per_page
        )
    rows = list(queue_page_queryset(qs, after=after, per_page=per_page))
    return QueuePage(
        rows=rows[:per_page],
        has_next=len(rows) > per_page,
        has_previous=QueueCursor.parse(after) is not None,
    )


def queue_page_queryset(qs, *, after: str = "", per_page: int = 25):
    """The query of a forward page (one row more than shown); the benchmark EXPLAINs it."""
    cursor = QueueCursor.parse(after)
    if cursor is not None:
        keys = [F(name) for name in QUEUE_ORDER]
        qs = qs.filter(_RowCompare(keys, ">", cursor.values()))
    return qs.order_by(*QUEUE_ORDER)[: per_page + 1]


def with_deadlines(rows, *, today: dt.date | None = None) -> list:
    """Attach ``row.deadline`` (days left / overdue) and ``row.status_label`` to each row: one
    calendar for the page (one query for the local closures), no query per row. The label
    comes from one dict: ``get_status_display()`` rebuilds the choices per call, which was a
    measurable part of a queue page."""
    # Here, not at the top: ``perizinan.services`` imports this package.
    from perizinan.services.deadlines import deadline_of

    today = today or timezone.localdate()
    calendar = default_calendar()
    labels = {value: str(label) for value, label in Status.choices}
    for row in rows:
        row.deadline = deadline_of(row, calendar, today)
        row.status_label = labels.get(row.status, row.status)
    return rows
