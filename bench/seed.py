"""Bulk data for the benchmark: applications with their history across every open service,
state and OPD, written with PostgreSQL ``COPY`` (psycopg2 ``copy_expert``) in batches.

Needs the catalogue and the demo officers first (``manage.py seed_demo``); then::

    python -m bench.cli seed 100000      # DJANGO_SETTINGS_MODULE and DATABASE_URL from the env

What it writes, for ``rows`` applications:

* ``rows // 5`` applicants (``bench0000001@pemohon.bench``, unusable password);
* ``rows`` applications (``Permohonan``): about 5 % drafts, 30 % waiting for an officer or
  the applicant, 65 % decided (issued, rejected, withdrawn, lapsed), spread over three
  years, on the open services with a long tail (a few services get most of the files), routed like
  ``services.route_for`` (the DPMPTSP for delegated authorities, else the origin OPD; the
  technical OPD when the service has a technical review);
* their history (``RiwayatStatus``): every move from ``submit`` to the current state, the
  correction and technical-fix loops included, with the acting officer of the right role
  and OPD when the demo data has one;
* ``citizen_rows`` of the applications belong to ``pemohon@contoh.id`` (the citizen's list
  of the benchmark shows the same number of files at every size).

The application numbers continue the gapless counter (``Penomoran``) and the counter is moved
past them, so applications submitted later keep unique numbers. Columns the seeder does not
know get their model default, so a new column with a default needs no change here; a new
required column without one makes ``COPY`` fail loudly (``tests/config/test_bench_seed.py``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from kewenangan.models import JenisIzin, PerangkatDaerah
from perizinan import selectors
from perizinan.models import Penomoran, Permohonan, RiwayatStatus
from perizinan.services.permohonan import APPLICATION_COUNTER
from perizinan.workflow import SYSTEM, Status

CITIZEN_EMAIL = "pemohon@contoh.id"
APPLICANT_EMAIL = "bench{:07d}@pemohon.bench"
BATCH = 20_000
APPLICANT = Role.PEMOHON
FO, BO, TT, KEPALA = Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.TIM_TEKNIS, Role.KEPALA

#: The share of each state (per mille). The officers' states are heavier than in a real
#: regency (about one month of files is open at a time) so that the deep queue page of the
#: benchmark (page 200 of 25 rows) exists at the default size.
STATUS_WEIGHTS = {
    Status.DRAFT: 50,
    Status.DIAJUKAN: 30,
    Status.VERIFIKASI: 20,
    Status.DIKEMBALIKAN: 15,
    Status.TERDAFTAR: 80,
    Status.KAJIAN_TEKNIS: 45,
    Status.PERBAIKAN_TEKNIS: 10,
    Status.MENUNGGU_PEMBAYARAN: 30,
    Status.PENANDATANGANAN: 20,
    Status.TERBIT: 580,
    Status.DITOLAK: 50,
    Status.DIBATALKAN: 40,
    Status.GUGUR: 30,
}
OFFICER_STATES = frozenset(
    {
        Status.DIAJUKAN,
        Status.VERIFIKASI,
        Status.TERDAFTAR,
        Status.KAJIAN_TEKNIS,
        Status.MENUNGGU_PEMBAYARAN,
        Status.PENANDATANGANAN,
    }
)
#: Who works on a file in each state (for ``assigned_to``).
DESK_ROLE = {
    Status.DIAJUKAN: FO,
    Status.VERIFIKASI: FO,
    Status.TERDAFTAR: BO,
    Status.KAJIAN_TEKNIS: TT,
    Status.MENUNGGU_PEMBAYARAN: BO,
    Status.PENANDATANGANAN: KEPALA,
}
HISTORY_SPAN_DAYS = 3 * 365
FIRST_NAMES = [
    "Siti",
    "Agus",
    "Budi",
    "Dewi",
    "Eko",
    "Fitri",
    "Gusti",
    "Hendra",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Putu",
    "Rahmat",
    "Sri",
    "Taufik",
    "Utami",
    "Wahyu",
    "Yohanes",
    "Yuliana",
    "Andi",
    "Bayu",
    "Citra",
    "Dimas",
    "Erna",
    "Fajar",
    "Galih",
]
LAST_NAMES = [
    "Rahmawati",
    "Santoso",
    "Kartika",
    "Saputra",
    "Wijaya",
    "Lestari",
    "Hidayat",
    "Nugroho",
    "Pratama",
    "Susanto",
    "Handayani",
    "Setiawan",
    "Kurniawan",
    "Permana",
    "Siregar",
    "Simanjuntak",
    "Rahman",
    "Halim",
    "Utomo",
    "Tarigan",
]
PLACES = ("Tamiang Layang", "Ampah", "Dusun Tengah", "Pematang Karau", "Awang", "Benua Lima")


@dataclass
class SeedReport:
    applications: int = 0
    history: int = 0
    applicants: int = 0
    citizen_applications: int = 0
    by_status: dict = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "applications": self.applications,
            "history": self.history,
            "applicants": self.applicants,
            "citizen_applications": self.citizen_applications,
            "by_status": self.by_status,
            "seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True)
class Service:
    id: int
    delegated: bool
    processing_opd_id: int
    technical_opd_id: int | None
    needs_payment: bool
    needs_field_check: bool
    sla_working_days: int
    fee_amount: int
    versi_id: int | None


# --- COPY ------------------------------------------------------------------------------------


def _text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, dt.date | dt.datetime):
        value = value.isoformat()
    else:
        value = str(value)
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


class Copier:
    """COPY rows of one model: the caller gives some columns, every other concrete column
    gets the model's default (per row for unique ones, such as a UUID)."""

    def __init__(self, model: type[models.Model], columns: list[str], *, now: dt.datetime):
        self.model = model
        self.table = model._meta.db_table
        self.columns = list(columns)
        given = set(columns)
        self.per_row: list[tuple[str, Callable]] = []
        constant: list[tuple[str, object]] = []
        for f in model._meta.concrete_fields:
            if f.attname in given or (f.primary_key and f.attname not in given):
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                constant.append((f.column, now))
            elif f.unique and f.has_default():
                self.per_row.append((f.column, f.get_default))
            else:
                constant.append((f.column, f.get_default()))
        self.all_columns = [model._meta.get_field(c).column for c in self.columns]
        self.all_columns += [c for c, _ in self.per_row] + [c for c, _ in constant]
        self.suffix = "".join("\t" + _text(v) for _, v in constant)

    def lines(self, rows: Iterable[tuple]) -> Iterator[str]:
        per_row = self.per_row
        suffix = self.suffix
        for row in rows:
            parts = [_text(v) for v in row]
            parts += [_text(make()) for _, make in per_row]
            yield "\t".join(parts) + suffix + "\n"

    def copy(self, cursor, rows: Iterable[tuple], *, batch: int = BATCH) -> int:
        sql = 'COPY "{}" ({}) FROM STDIN'.format(
            self.table, ", ".join(f'"{c}"' for c in self.all_columns)
        )
        count = 0
        buffer = io.StringIO()
        pending = 0
        for line in self.lines(rows):
            buffer.write(line)
            pending += 1
            if pending >= batch:
                count += self._flush(cursor, sql, buffer)
                buffer, pending = io.StringIO(), 0
        if pending:
            count += self._flush(cursor, sql, buffer)
        return count

    @staticmethod
    def _flush(cursor, sql: str, buffer: io.StringIO) -> int:
        n = buffer.getvalue().count("\n")
        buffer.seek(0)
        cursor.copy_expert(sql, buffer)
        return n


def reserve_ids(cursor, model: type[models.Model], n: int) -> int:
    """Take ``n`` ids from the table's sequence at once; returns the first one. The table is
    locked against other writers until the transaction ends."""
    table = model._meta.db_table
    cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')  # noqa: S608 - model name
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - model name
    first = cursor.fetchone()[0] + 1
    cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
    return first


# --- What exists -----------------------------------------------------------------------------


def open_services() -> list[Service]:
    dpmptsp = PerangkatDaerah.objects.filter(is_dpmptsp=True).values_list("pk", flat=True).first()
    if dpmptsp is None:
        raise RuntimeError("bench.seed: no DPMPTSP in the database; run seed_demo first.")
    result = []
    qs = selectors.published_services().select_related("kewenangan").order_by("pk")
    for s in qs:
        if not selectors.accepts_applications(s):
            continue
        k = s.kewenangan
        versi = selectors.current_version(s)
        result.append(
            Service(
                id=s.pk,
                delegated=bool(k.delegated),
                processing_opd_id=dpmptsp if k.delegated else k.origin_opd_id,
                technical_opd_id=k.technical_opd_id if s.needs_technical_review else None,
                needs_payment=s.fee_kind != JenisIzin.FeeKind.GRATIS,
                needs_field_check=bool(s.needs_field_check),
                sla_working_days=s.sla_working_days or 10,
                fee_amount=s.fee_amount or 150_000,
                versi_id=versi.pk if versi else None,
            )
        )
    if not result:
        raise RuntimeError("bench.seed: no service accepts applications; run seed_demo first.")
    return result


def officers() -> dict[tuple[str, int | None], int]:
    """(role, OPD id) -> one officer's id; (role, None) is the role's DPMPTSP officer."""
    dpmptsp = PerangkatDaerah.objects.filter(is_dpmptsp=True).values_list("pk", flat=True).first()
    result: dict[tuple[str, int | None], int] = {}
    qs = User.objects.filter(role__in=[FO, BO, TT, KEPALA], is_active=True).order_by("pk")
    for pk, role, opd_id in qs.values_list("pk", "role", "opd_id"):
        result.setdefault((role, opd_id), pk)
        if opd_id in (None, dpmptsp):
            result.setdefault((role, dpmptsp), pk)
    return result


# --- Generating ------------------------------------------------------------------------------


def path_to(status: str, svc: Service, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """The moves (name, from, to, role) that bring a new file to ``status``, as
    ``perizinan.workflow`` allows them."""
    moves = [("submit", Status.DRAFT, Status.DIAJUKAN, APPLICANT)]
    if status == Status.DIAJUKAN:
        return moves
    if status == Status.DIBATALKAN:
        return [*moves, ("withdraw", Status.DIAJUKAN, Status.DIBATALKAN, APPLICANT)]
    moves.append(("start_verification", Status.DIAJUKAN, Status.VERIFIKASI, FO))
    if status == Status.DIKEMBALIKAN or rng.random() < 0.15:
        moves.append(("return_for_correction", Status.VERIFIKASI, Status.DIKEMBALIKAN, FO))
        if status == Status.DIKEMBALIKAN:
            return moves
        moves.append(("resubmit", Status.DIKEMBALIKAN, Status.DIAJUKAN, APPLICANT))
        moves.append(("start_verification", Status.DIAJUKAN, Status.VERIFIKASI, FO))
    if status == Status.VERIFIKASI:
        return moves
    moves.append(("register", Status.VERIFIKASI, Status.TERDAFTAR, FO))
    if status == Status.TERDAFTAR:
        return moves
    if svc.technical_opd_id is None:
        moves.append(("send_to_signing", Status.TERDAFTAR, Status.PENANDATANGANAN, BO))
    else:
        moves.append(("send_to_technical", Status.TERDAFTAR, Status.KAJIAN_TEKNIS, BO))
        fix = status in (Status.PERBAIKAN_TEKNIS, Status.GUGUR) or rng.random() < 0.1
        if fix:
            moves.append(
                ("request_technical_fix", Status.KAJIAN_TEKNIS, Status.PERBAIKAN_TEKNIS, TT)
            )
            if status == Status.PERBAIKAN_TEKNIS:
                return moves
            if status == Status.GUGUR:
                return [*moves, ("lapse", Status.PERBAIKAN_TEKNIS, Status.GUGUR, SYSTEM)]
            moves.append(
                ("technical_fixed", Status.PERBAIKAN_TEKNIS, Status.KAJIAN_TEKNIS, APPLICANT)
            )
        if status == Status.KAJIAN_TEKNIS:
            return moves
        if status == Status.DITOLAK and rng.random() < 0.7:
            # The tim teknis recommends; the kepala rejects (and signs the letter).
            return [
                *moves,
                ("recommend_rejection", Status.KAJIAN_TEKNIS, Status.PENANDATANGANAN, TT),
                ("reject", Status.PENANDATANGANAN, Status.DITOLAK, KEPALA),
            ]
        if svc.needs_payment:
            moves.append(
                ("recommend_payment", Status.KAJIAN_TEKNIS, Status.MENUNGGU_PEMBAYARAN, TT)
            )
            if status == Status.MENUNGGU_PEMBAYARAN:
                return moves
            moves.append(
                ("confirm_payment", Status.MENUNGGU_PEMBAYARAN, Status.PENANDATANGANAN, BO)
            )
        else:
            moves.append(("recommend_approval", Status.KAJIAN_TEKNIS, Status.PENANDATANGANAN, TT))
    if status == Status.PENANDATANGANAN:
        return moves
    if status == Status.DITOLAK:
        return [*moves, ("reject", Status.PENANDATANGANAN, Status.DITOLAK, KEPALA)]
    return [*moves, ("issue", Status.PENANDATANGANAN, Status.TERBIT, KEPALA)]


def reachable(status: str, svc: Service) -> str:
    """The state a file of this service can be in instead of one it cannot reach."""
    technical = {Status.KAJIAN_TEKNIS, Status.PERBAIKAN_TEKNIS, Status.GUGUR}
    if svc.technical_opd_id is None and status in technical | {Status.MENUNGGU_PEMBAYARAN}:
        return Status.DIBATALKAN if status == Status.GUGUR else Status.TERDAFTAR
    if status == Status.MENUNGGU_PEMBAYARAN and not svc.needs_payment:
        return Status.KAJIAN_TEKNIS
    return status


def _weighted(rng: random.Random, items: list, weights: list[float]) -> Callable[[], object]:
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)

    def pick():
        import bisect

        return items[bisect.bisect_right(cumulative, rng.random() * total)]

    return pick


def _person(rng: random.Random) -> tuple[str, str, str]:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    nik = f"6212{rng.randrange(10**11, 10**12):012d}"
    phone = f"08{rng.randrange(10**9, 10**10)}"
    return name, nik, phone


PERMOHONAN_COLUMNS = [
    "id",
    "public_id",
    "applicant_id",
    "jenis_izin_id",
    "versi_id",
    "status",
    "state_version",
    "number",
    "pin",
    "applicant_data",
    "form_data",
    "last_step",
    "declaration_accepted_at",
    "technical_opd_id",
    "processing_opd_id",
    "route_delegated",
    "needs_payment",
    "needs_field_check",
    "sla_working_days",
    "assigned_to_id",
    "assigned_at",
    "field_check_done_at",
    "fee_amount",
    "payment_reference",
    "paid_at",
    "payment_confirmed_by_id",
    "submitted_at",
    "registered_at",
    "decided_at",
    "due_date",
    "stage_due_date",
    "fix_due_date",
    "created_at",
    "updated_at",
]
RIWAYAT_COLUMNS = [
    "permohonan_id",
    "transition",
    "from_status",
    "to_status",
    "actor_id",
    "actor_role",
    "note",
    "fields_to_fix",
    "created_at",
]


class Generator:
    """Rows of applications and their history, deterministic for one random seed."""

    def __init__(
        self,
        *,
        services: list[Service],
        officer_ids: dict,
        applicant_ids: list[int],
        citizen_id: int | None,
        citizen_rows: int,
        first_id: int,
        counters: dict[int, int],
        now: dt.datetime,
        rng: random.Random,
    ):
        self.services = services
        self.officer_ids = officer_ids
        self.applicant_ids = applicant_ids
        self.citizen_id = citizen_id
        self.citizen_rows = citizen_rows if citizen_id else 0
        self.next_id = first_id
        self.counters = counters
        self.now = now
        self.rng = rng
        order = list(services)
        rng.shuffle(order)
        self.pick_service = _weighted(rng, order, [1 / (k + 1) ** 0.9 for k in range(len(order))])
        statuses = list(STATUS_WEIGHTS)
        self.pick_status = _weighted(rng, statuses, [STATUS_WEIGHTS[s] for s in statuses])
        self.history: list[tuple] = []
        self.by_status: dict[str, int] = {}
        self.citizen_applications = 0
        self.pin_digits = 6

    def actor(self, role: str, svc: Service, applicant_id: int) -> tuple[int | None, str]:
        if role == APPLICANT:
            return applicant_id, APPLICANT
        if role == SYSTEM:
            return None, SYSTEM
        opd = svc.technical_opd_id if role == TT else svc.processing_opd_id
        return self.officer_ids.get((role, opd)), role

    def number(self, year: int) -> str:
        n = self.counters.get(year, 0) + 1
        self.counters[year] = n
        return f"{settings.APPLICATION_NUMBER_PREFIX}-{year}-{n:06d}"

    def rows(self, count: int) -> Iterator[tuple]:
        for _ in range(count):
            yield self.one(citizen=self.citizen_applications < self.citizen_rows)

    def one(self, *, citizen: bool) -> tuple:
        rng, now = self.rng, self.now
        pk = self.next_id
        self.next_id += 1
        svc = self.pick_service()
        status = reachable(self.pick_status(), svc)
        applicant_id = self.citizen_id if citizen else rng.choice(self.applicant_ids)
        self.citizen_applications += citizen
        self.by_status[status] = self.by_status.get(status, 0) + 1
        name, nik, phone = _person(rng)
        applicant_data = {
            "full_name": name,
            "nik": nik,
            "phone": phone,
            "address": f"Jl. {rng.choice(LAST_NAMES)} No. {rng.randrange(1, 200)}, "
            f"{rng.choice(PLACES)}",
            "applicant_kind": "perorangan",
        }
        if status == Status.DRAFT:
            created = now - dt.timedelta(days=rng.uniform(0, 180))
            updated = min(now, created + dt.timedelta(minutes=rng.uniform(1, 600)))
            return (
                pk,
                uuid.uuid4(),
                applicant_id,
                svc.id,
                None,
                status,
                0,
                None,
                "",
                applicant_data,
                {},
                rng.randrange(0, 4),
                None,
                None,
                None,
                None,
                False,
                False,
                None,
                None,
                None,
                None,
                None,
                "",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                created,
                updated,
            )
        moves = path_to(status, svc, rng)
        gaps = [dt.timedelta(hours=rng.uniform(0.5, 96)) for _ in moves]
        total = sum(gaps, dt.timedelta())
        if status in OFFICER_STATES or status in (Status.DIKEMBALIKAN, Status.PERBAIKAN_TEKNIS):
            age = total + dt.timedelta(hours=rng.uniform(0, 240))
        else:
            age = total + dt.timedelta(days=rng.uniform(0, HISTORY_SPAN_DAYS))
        at = now - age
        submitted_at = registered_at = decided_at = paid_at = fix_asked = None
        field_check_done_at = None
        fee_amount = None
        payment_reference = ""
        payment_confirmed_by = None
        for (name_, from_s, to_s, role), gap in zip(moves, gaps, strict=True):
            at = at + gap
            actor_id, actor_role = self.actor(role, svc, applicant_id)
            self.history.append((pk, name_, from_s, to_s, actor_id, actor_role, "", [], at))
            if name_ == "submit":
                submitted_at = at
            elif name_ == "register":
                registered_at = at
            elif name_ == "request_technical_fix":
                fix_asked = at
            elif name_ in ("recommend_payment", "recommend_approval", "recommend_rejection"):
                if svc.needs_field_check:
                    field_check_done_at = at - gap / 2
                if name_ == "recommend_payment":
                    fee_amount = svc.fee_amount
            elif name_ == "confirm_payment":
                paid_at = at
                payment_reference = f"STS-{at:%Y%m%d}-{pk}"
                payment_confirmed_by = actor_id
            if to_s in (Status.TERBIT, Status.DITOLAK, Status.DIBATALKAN, Status.GUGUR):
                decided_at = at
        updated_at = at
        year = timezone.localtime(submitted_at).year
        due_date = stage_due = fix_due = None
        if registered_at is not None:
            calendar_days = svc.sla_working_days * 7 // 5 + 1
            due_date = timezone.localdate(registered_at) + dt.timedelta(days=calendar_days)
            if status in OFFICER_STATES:
                stage_due = timezone.localdate(updated_at) + dt.timedelta(days=rng.randrange(2, 6))
        if status == Status.PERBAIKAN_TEKNIS and fix_asked is not None:
            fix_due = timezone.localdate(fix_asked) + dt.timedelta(days=56)
        assigned_to = assigned_at = None
        desk = DESK_ROLE.get(status)
        if desk is not None and rng.random() < 0.4:
            assigned_to, _role = self.actor(desk, svc, applicant_id)
            assigned_at = updated_at if assigned_to else None
        return (
            pk,
            uuid.uuid4(),
            applicant_id,
            svc.id,
            svc.versi_id,
            status,
            len(moves),
            self.number(year),
            f"{rng.randrange(10**self.pin_digits):0{self.pin_digits}d}",
            applicant_data,
            {},
            4,
            submitted_at,
            svc.technical_opd_id,
            svc.processing_opd_id,
            svc.delegated,
            svc.needs_payment,
            svc.needs_field_check,
            svc.sla_working_days,
            assigned_to,
            assigned_at,
            field_check_done_at,
            fee_amount if paid_at is None else svc.fee_amount,
            payment_reference,
            paid_at,
            payment_confirmed_by,
            submitted_at,
            registered_at,
            decided_at,
            due_date,
            stage_due,
            fix_due,
            submitted_at - dt.timedelta(minutes=rng.uniform(5, 2000)),
            updated_at,
        )


# --- The seeder ------------------------------------------------------------------------------


def _applicants(cursor, count: int, rng: random.Random, now: dt.datetime) -> list[int]:
    if count <= 0:
        return []
    first = reserve_ids(cursor, User, count)
    cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE email LIKE %s", ["%@pemohon.bench"])
    offset = cursor.fetchone()[0]
    copier = Copier(
        User,
        ["id", "email", "full_name", "role", "password", "nik", "phone", "email_verified_at"],
        now=now,
    )

    def rows():
        for i in range(count):
            name, nik, phone = _person(rng)
            email = APPLICANT_EMAIL.format(offset + i + 1)
            yield (first + i, email, name, Role.PEMOHON, "!bench", nik, phone, now)

    copier.copy(cursor, rows())
    return list(range(first, first + count))


def _counters() -> dict[int, int]:
    return dict(Penomoran.objects.filter(key=APPLICATION_COUNTER).values_list("year", "last_value"))


def _save_counters(counters: dict[int, int]) -> None:
    for year, value in counters.items():
        row, _ = Penomoran.objects.get_or_create(key=APPLICATION_COUNTER, year=year)
        if value > row.last_value:
            row.last_value = value
            row.save(update_fields=["last_value"])


def seed(
    rows: int,
    *,
    citizen_email: str = CITIZEN_EMAIL,
    citizen_rows: int = 40,
    random_seed: int = 8,
    now: dt.datetime | None = None,
    batch: int = BATCH,
    log: Callable[[str], None] | None = None,
) -> SeedReport:
    """Add ``rows`` applications with their history (and ``rows // 5`` applicants) in one
    transaction. Run ``analyze()`` afterwards on a fresh database."""
    log = log or (lambda message: None)
    started = time.monotonic()
    now = now or timezone.now()
    rng = random.Random(random_seed)
    services = open_services()
    officer_ids = officers()
    citizen_id = User.objects.filter(email=citizen_email).values_list("pk", flat=True).first()
    report = SeedReport()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")
        applicant_ids = _applicants(cursor, max(rows // 5, 1), rng, now)
        report.applicants = len(applicant_ids)
        log(f"applicants: {report.applicants}")
        counters = _counters()
        generator = Generator(
            services=services,
            officer_ids=officer_ids,
            applicant_ids=applicant_ids,
            citizen_id=citizen_id,
            citizen_rows=min(citizen_rows, rows),
            first_id=reserve_ids(cursor, Permohonan, rows),
            counters=counters,
            now=now,
            rng=rng,
        )
        applications = Copier(Permohonan, PERMOHONAN_COLUMNS, now=now)
        history = Copier(RiwayatStatus, RIWAYAT_COLUMNS, now=now)
        done = 0
        while done < rows:
            chunk = min(batch, rows - done)
            report.applications += applications.copy(cursor, generator.rows(chunk), batch=batch)
            report.history += history.copy(cursor, generator.history, batch=batch * 8)
            generator.history = []
            done += chunk
            if done % (batch * 10) == 0 or done == rows:
                log(f"applications: {done}/{rows} ({time.monotonic() - started:.0f} s)")
        _save_counters(generator.counters)
    report.citizen_applications = generator.citizen_applications
    report.by_status = dict(sorted(generator.by_status.items()))
    report.seconds = time.monotonic() - started
    return report


def analyze() -> None:
    """Fresh statistics for the planner (outside a transaction: VACUUM cannot run in one)."""
    tables = [m._meta.db_table for m in (User, Permohonan, RiwayatStatus)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'VACUUM ANALYZE "{table}"')
