"""The Django side of the benchmark, run by ``bench/run.py`` inside the benchmark's environment
(its database, its Redis, its ``SECRET_KEY``)::

    python -m bench.cli seed 100000     # bulk data (bench/seed.py), then VACUUM ANALYZE
    python -m bench.cli targets         # sessions + the objects the pages need, as JSON
    python -m bench.cli explain         # EXPLAIN (ANALYZE, BUFFERS) of the officer queue
    python -m bench.cli pages PAGES     # queries and SQL time per page, in-process (JSON list)

Each prints one JSON document on its last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import django

#: The accounts whose pages are measured (created by ``manage.py seed_demo``).
CITIZEN_EMAIL = "pemohon@contoh.id"
OFFICER_EMAIL = "bo@contoh.id"
SERVICE_SLUG = "sip-bidan"
QUEUE_PAGE_SIZE = 25
DEEP_PAGE = 200


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def cmd_seed(options) -> dict:
    from bench import seed

    report = seed.seed(options.rows, random_seed=options.seed, log=lambda m: print(f"[seed] {m}"))
    seed.analyze()
    return report.as_dict()


def make_session(user) -> str:
    """A logged-in session in the session store, as ``login()`` would leave it; the key is the
    cookie value. The HTTPS-only cookie of production cannot be obtained over plain HTTP on
    loopback, so the benchmark writes the session directly."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.mfa import services as mfa
    from config import security

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.EmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = int(timezone.now().timestamp())
    session[security.LOGIN_AT_KEY] = now
    session[security.ACTIVITY_AT_KEY] = now
    if mfa.required_for(user):
        # A staff session has passed the second factor too, with the device seed_demo gave
        # the demo officer (as django_otp.login leaves it after the code page).
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


def cmd_targets(options) -> dict:
    from django.conf import settings

    from accounts.models import User
    from perizinan import selectors
    from perizinan.models import Permohonan

    citizen = User.objects.get(email=CITIZEN_EMAIL)
    officer = User.objects.get(email=OFFICER_EMAIL)
    tracked = (
        Permohonan.objects.submitted()
        .filter(applicant=citizen)
        .order_by("id")
        .values("number", "pin")
        .first()
    )
    queue = selectors.officer_queue(officer)
    first = queue.values_list("public_id", flat=True).first()
    deep_cursor = queue_cursor_before(officer, DEEP_PAGE)
    service = selectors.published_services().filter(slug=SERVICE_SLUG).first()
    if service is None:
        service = selectors.published_services().order_by("pk").first()
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "citizen_session": make_session(citizen),
        "officer_session": make_session(officer),
        "officer": OFFICER_EMAIL,
        "service_slug": service.slug,
        "tracked_number": tracked["number"] if tracked else "",
        "tracked_pin": tracked["pin"] if tracked else "",
        "file_public_id": str(first) if first else "",
        "queue_deep_cursor": deep_cursor,
        "queue_rows": queue.count(),
        "citizen_rows": Permohonan.objects.visible_to(citizen).count(),
        "applications": Permohonan.objects.count(),
    }


def queue_cursor_before(officer, page: int) -> str:
    """The cursor that the "Berikutnya" link of page ``page - 1`` carries (the queue pages by
    keyset): the last row of that page, found once here with an OFFSET. When the queue has
    fewer pages (1,000 rows), the cursor of its last full page instead, so that both sizes
    measure a full page read at depth, not an empty page at one size."""
    from perizinan import selectors

    queue = selectors.officer_queue(officer)
    total = queue.count()
    offset = min((page - 1) * QUEUE_PAGE_SIZE, total - QUEUE_PAGE_SIZE) - 1
    row = queue[offset : offset + 1].first() if offset >= 0 else None
    return str(selectors.QueueCursor.of(row)) if row is not None else ""


def queue_explain(officer_email: str = OFFICER_EMAIL, page: int = 1) -> str:
    """The plan of one page of the officer's default queue, as the view runs it."""
    from accounts.models import User
    from perizinan import selectors

    officer = User.objects.get(email=officer_email)
    after = queue_cursor_before(officer, page) if page > 1 else ""
    qs = selectors.queue_page_queryset(
        selectors.officer_queue(officer), after=after, per_page=QUEUE_PAGE_SIZE
    )
    return qs.explain(analyze=True, buffers=True)


def cmd_explain(options) -> dict:
    plans = {}
    for page in (1, DEEP_PAGE):
        plan = queue_explain(page=page)
        print(f"--- EXPLAIN (ANALYZE, BUFFERS): officer queue, page {page}\n{plan}\n")
        plans[f"page_{page}"] = {
            "plan": plan,
            "seq_scan_on_permohonan": "Seq Scan on perizinan_permohonan" in plan,
        }
    return plans


def cmd_pages(options) -> dict:
    """Per page: the number of queries and the time spent in SQL and in the whole request,
    medians of ``options.repeat`` requests through Django's test client in this process (no
    HTTP, no concurrency): the part of a page's cost that grows with the data shows here
    without the noise of a shared machine."""
    import statistics
    import time

    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from config import page_cache

    spent: list[float] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((time.perf_counter() - started) * 1000)

    clients = {"": Client(HTTP_HOST="127.0.0.1")}
    for who, email in (("citizen", CITIZEN_EMAIL), ("officer", OFFICER_EMAIL)):
        clients[who] = Client(HTTP_HOST="127.0.0.1")
        clients[who].force_login(User.objects.get(email=email))
    result = {}
    for page in json.loads(options.pages):
        client = clients[page["session"]]
        client.get(page["path"])
        queries, sql, total, again = [], [], [], []
        for _ in range(options.repeat):
            page_cache.bump()  # measure the page rendered, not a stored copy
            spent.clear()
            with connection.execute_wrapper(timed):
                started = time.perf_counter()
                response = client.get(page["path"])
                total.append((time.perf_counter() - started) * 1000)
            queries.append(len(spent))
            sql.append(sum(spent))
            started = time.perf_counter()  # the same page right after: stored by page_cache
            client.get(page["path"])
            again.append((time.perf_counter() - started) * 1000)
        result[page["name"]] = {
            "status": response.status_code,
            "queries": max(queries),
            "sql_ms": round(statistics.median(sql), 2),
            "server_ms": round(statistics.median(total), 2),
            "server_ms_again": round(statistics.median(again), 2),
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cli")
    sub = parser.add_subparsers(dest="action", required=True)
    seed = sub.add_parser("seed")
    seed.add_argument("rows", type=int)
    seed.add_argument("--seed", type=int, default=8)
    sub.add_parser("targets")
    sub.add_parser("explain")
    pages = sub.add_parser("pages")
    pages.add_argument("pages", help='JSON: [{"name": ..., "path": ..., "session": ""}]')
    pages.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args(argv)
    _setup()
    handler = {"seed": cmd_seed, "targets": cmd_targets, "explain": cmd_explain, "pages": cmd_pages}
    result = handler[options.action](options)
    sys.stdout.write(json.dumps(result, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
