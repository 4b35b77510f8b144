"""Reads with rules: the service catalogue as the application form needs it, lists, timelines,
what the applicant must fix, expected completion and public tracking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Func, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from kewenangan.models import JenisIzin
from perizinan.models import Dokumen, Permohonan, RiwayatStatus
from perizinan.models.permohonan import QUEUE_NO_DUE_DATE, QUEUE_ORDER, queue_due_key
from perizinan.workflow import FINAL_STATES, Status

# --- The catalogue (issue 3). Switch to JenisIzin.objects.published() / .current_version
# when the kewenangan app provides them: these two functions are the only places to change.


def published_services() -> QuerySet[JenisIzin]:
    manager = JenisIzin.objects
    if hasattr(manager, "published"):
        return manager.published()
    return manager.filter(is_published=True)


def current_version(jenis_izin: JenisIzin):
    """The published VersiStandar an application is filed under (None if none yet)."""
    return jenis_izin.versi.order_by("-number").first()


def accepts_applications(jenis_izin: JenisIzin) -> bool:
    """Whether the catalogue opens this service to online applications."""
    return bool(getattr(jenis_izin, "accepts_applications", jenis_izin.is_published))


def get_published_service(slug: str) -> JenisIzin:
    service = published_services().select_related("kewenangan").filter(slug=slug).first()
    if service is None:
        raise Http404
    return service


def requirements_of(jenis_izin: JenisIzin) -> list:
    return list(jenis_izin.persyaratan.order_by("order", "id"))


def form_fields_of(jenis_izin: JenisIzin) -> list:
    return list(jenis_izin.isian.order_by("order", "id"))


# --- Applications -----------------------------------------------------------------------------


def get_visible(user, public_id) -> Permohonan:
    """The application with this public id if the user may see it, else 404."""
    obj = (
        Permohonan.objects.visible_to(user)
        .select_related("jenis_izin", "applicant", "processing_opd", "technical_opd")
        .filter(public_id=public_id)
        .first()
    )
    if obj is None:
        raise Http404
    return obj


def get_own(user, public_id) -> Permohonan:
    """The applicant's own application (for editing moves), else 404."""
    obj = get_visible(user, public_id)
    if obj.applicant_id != user.pk:
        raise Http404
    return obj


def list_for(user) -> QuerySet[Permohonan]:
    """``/permohonan/``: a constant number of queries whatever the length."""
    return (
        Permohonan.objects.visible_to(user)
        .select_related("jenis_izin")
        .only(
            "public_id",
            "status",
            "number",
            "jenis_izin__name",
            "jenis_izin__slug",
            "last_step",
            "submitted_at",
            "due_date",
            "updated_at",
            "created_at",
            "applicant_id",
        )
        .order_by("-updated_at", "-id")
    )


def current_documents(permohonan: Permohonan) -> dict[int, Dokumen]:
    """Current document per requirement id."""
    docs = permohonan.dokumen.filter(is_current=True).select_related("persyaratan")
    return {d.persyaratan_id: d for d in docs}


def document_history(permohonan: Permohonan) -> list[Dokumen]:
    return list(
        permohonan.dokumen.select_related("persyaratan").order_by(
            "persyaratan__order", "persyaratan_id", "-uploaded_at"
        )
    )


def timeline(permohonan: Permohonan) -> list[RiwayatStatus]:
    return list(permohonan.riwayat.order_by("created_at", "id"))


@dataclass(frozen=True)
class CorrectionRequest:
    note: str
    fields: list[str]
    documents: list[Dokumen]
    asked_at: dt.datetime


def correction_request(permohonan: Permohonan) -> CorrectionRequest | None:
    """What the officer asked the applicant to fix, while the file waits for the applicant."""
    if permohonan.status not in (Status.DIKEMBALIKAN, Status.PERBAIKAN_TEKNIS):
        return None
    entry = permohonan.riwayat.filter(to_status=permohonan.status).order_by("-created_at").first()
    labels = {f.key: f.label for f in form_fields_of(permohonan.jenis_izin)}
    labels["applicant"] = gettext("Data pemohon")
    fields = [labels.get(key, key) for key in (entry.fields_to_fix if entry else [])]
    documents = list(
        permohonan.dokumen.filter(
            is_current=True, verdict=Dokumen.Verdict.NEEDS_CORRECTION
        ).select_related("persyaratan")
    )
    return CorrectionRequest(
        note=entry.note if entry else "",
        fields=fields,
        documents=documents,
        asked_at=entry.created_at if entry else permohonan.updated_at,
    )


def expected_completion(permohonan: Permohonan) -> dt.date | None:
    """The due date once set; before registration an estimate from the submission date."""
    if permohonan.due_date:
        return permohonan.due_date
    if permohonan.status in FINAL_STATES or permohonan.status == Status.DRAFT:
        return None
    if not permohonan.sla_working_days or not permohonan.submitted_at:
        return None
    try:
        from perizinan.workdays import add_working_days
    except ImportError:
        return None
    start = timezone.localdate(permohonan.submitted_at)
    return add_working_days(start, permohonan.sla_working_days)


# --- Public tracking -------------------------------------------------------------------------


def track(number: str, pin: str) -> Permohonan | None:
    """The application with this number and PIN, or None (never says which one was wrong)."""
    from django.utils.crypto import constant_time_compare

    number = (number or "").strip().upper()
    pin = (pin or "").strip()
    obj = (
        Permohonan.objects.submitted()
        .select_related("jenis_izin")
        .prefetch_related(
            Prefetch("riwayat", queryset=RiwayatStatus.objects.order_by("created_at", "id"))
        )
        .filter(number=number)
        .first()
    )
    if obj is None:
        constant_time_compare(pin, "000000")
        return None
    if not constant_time_compare(pin, obj.pin):
        return None
    return obj


# --- Officers' desk (/petugas/) -----------------------------------------------------------------

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
COUNTS_CACHE_SECONDS = 60


def queue_statuses(user, view: str) -> list[str]:
    from perizinan.workflow import ACTIVE_STATES, WAITING_FOR_APPLICANT, statuses_for_role

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
) -> QuerySet[Permohonan]:
    """A queue: the files in scope (``visible_to``) in the chosen states, filtered, most urgent
    first. The queryset selects what a row shows, so a page is a constant number of queries;
    the filter on state + OPD + deadline is served by the queue indexes."""
    from django.db.models import Q

    from perizinan.workflow import WAITING_FOR_APPLICANT

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


class _RowCompare(Func):
    """``(a, b, c) > (x, y, z)``: one row comparison, which PostgreSQL answers from an index
    in that order (the equivalent OR of ANDs it cannot)."""

    output_field = BooleanField()

    def __init__(self, lhs, op: str, rhs):
        if op not in (">", "<") or len(lhs) != len(rhs):
            raise ValueError("a row comparison needs > or < and rows of one width")
        self.op, self.width = op, len(lhs)
        super().__init__(*lhs, *rhs)

    def as_sql(self, compiler, connection, **extra_context):
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
    parse is ignored (the first page), and a forged one only moves the start within the
    officer's own scope."""

    due: dt.date
    submitted_us: int
    pk: int

    @classmethod
    def of(cls, row) -> QueueCursor:
        submitted = row.submitted_at or _EPOCH
        due = row.due_date or QUEUE_NO_DUE_DATE
        return cls(due, (submitted - _EPOCH) // dt.timedelta(microseconds=1), row.pk)

    @classmethod
    def parse(cls, text: str | None) -> QueueCursor | None:
        try:
            due, submitted_us, pk = (text or "").split(".")
            return cls(dt.date.fromisoformat(due), int(submitted_us), int(pk))
        except ValueError:
            return None

    def __str__(self) -> str:
        return f"{self.due.isoformat()}.{self.submitted_us}.{self.pk}"

    def values(self) -> list:
        from django.db.models import DateField, DateTimeField, IntegerField, Value

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
    from django.db.models import F

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
    from django.db.models import F

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
    from perizinan.services.deadlines import deadline_of
    from perizinan.workdays import default_calendar

    today = today or timezone.localdate()
    calendar = default_calendar()
    labels = {value: str(label) for value, label in Status.choices}
    for row in rows:
        row.deadline = deadline_of(row, calendar, today)
        row.status_label = labels.get(row.status, row.status)
    return rows


def _counts_key(user, today: dt.date) -> str:
    scope = "all" if user.role == "admin" else f"{user.role}:{user.opd_id or 'dpmptsp'}"
    return f"petugas:counts:{scope}:{today.isoformat()}"


def dashboard_counts(user, *, today: dt.date | None = None, use_cache: bool = True) -> dict:
    """Counts per state, due today and overdue in the user's scope: one grouped query over
    the running files, cached briefly per scope (officers of one desk share it)."""
    from django.core.cache import cache
    from django.db.models import Count, Q

    from perizinan.workflow import ACTIVE_STATES, WAITING_FOR_APPLICANT

    today = today or timezone.localdate()
    key = _counts_key(user, today)
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cached
    running = ~Q(status__in=WAITING_FOR_APPLICANT)
    rows = (
        Permohonan.objects.visible_to(user)
        .filter(status__in=ACTIVE_STATES)
        .order_by()
        .values("status")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=running & Q(due_date__lt=today)),
            due_today=Count("id", filter=running & Q(due_date=today)),
            unassigned=Count("id", filter=Q(assigned_to__isnull=True)),
        )
    )
    by_status = {r["status"]: r for r in rows}
    result = {
        "by_status": {
            s: by_status.get(s, {}).get("n", 0) for s in Status.values if s in ACTIVE_STATES
        },
        "overdue": sum(r["overdue"] for r in by_status.values()),
        "due_today": sum(r["due_today"] for r in by_status.values()),
        "unassigned": {s: r["unassigned"] for s, r in by_status.items()},
        "total": sum(r["n"] for r in by_status.values()),
    }
    if use_cache:
        cache.set(key, result, COUNTS_CACHE_SECONDS)
    return result


def my_open_count(user) -> int:
    from perizinan.workflow import ACTIVE_STATES

    return Permohonan.objects.filter(assigned_to=user, status__in=ACTIVE_STATES).count()


def officer_file(user, public_id) -> Permohonan:
    """The file page's object: in scope or 404."""
    obj = (
        Permohonan.objects.visible_to(user)
        .select_related(
            "jenis_izin__kewenangan",
            "applicant",
            "processing_opd",
            "technical_opd",
            "assigned_to",
            "assisted_by",
            "payment_confirmed_by",
            "versi",
        )
        .filter(public_id=public_id)
        .first()
    )
    if obj is None:
        raise Http404
    return obj


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    kind: str  # "status" or an AktivitasBerkas kind
    entry: object


def officer_history(permohonan: Permohonan) -> list[HistoryItem]:
    """Status moves and the desk's activity (notes, claims, verdicts, re-routing), in time."""
    items = [
        HistoryItem(r.created_at, "status", r)
        for r in permohonan.riwayat.select_related("actor").order_by("created_at", "id")
    ]
    items += [
        HistoryItem(a.created_at, a.kind, a)
        for a in permohonan.aktivitas.select_related("actor").order_by("created_at", "id")
    ]
    return sorted(items, key=lambda i: i.at)


def officer_document(user, public_id):
    """An applicant's document the officer may open (scope through ``visible_to``), or 404."""
    visible = Permohonan.objects.visible_to(user)
    dokumen = (
        Dokumen.objects.select_related("permohonan", "persyaratan")
        .filter(public_id=public_id, permohonan__in=visible)
        .first()
    )
    if dokumen is None:
        raise Http404
    return dokumen


def officer_berita_acara(user, public_id):
    from perizinan.models import BeritaAcara

    visible = Permohonan.objects.visible_to(user)
    report = BeritaAcara.objects.filter(public_id=public_id, permohonan__in=visible).first()
    if report is None:
        raise Http404
    return report


def open_services_for_counter(user) -> list[JenisIzin]:
    """Services the front office may enter at its counter: open services routed to its OPD."""
    qs = published_services().select_related("kewenangan", "kewenangan__origin_opd")
    result = []
    for service in qs.order_by("name"):
        if not accepts_applications(service):
            continue
        kewenangan = service.kewenangan
        if user.opd_id is None or getattr(user.opd, "is_dpmptsp", False):
            if kewenangan.delegated:
                result.append(service)
        elif not kewenangan.delegated and kewenangan.origin_opd_id == user.opd_id:
            result.append(service)
    return result
