"""Reaching the test database from outside the test's own connection (a Celery worker started
by a test, a second connection that ends the first).

The database may be reached over TCP (``DATABASE_URL=postgres://…@127.0.0.1:5432/…``, as in CI)
or through the socket directory of the embedded PostgreSQL that ``make test`` starts when
``DATABASE_URL`` is not set (django-environ puts that directory in ``OPTIONS["host"]``).
"""

from __future__ import annotations

from urllib.parse import quote

from django.db import connection


def _host(db: dict) -> str:
    return db["HOST"] or db.get("OPTIONS", {}).get("host") or "127.0.0.1"


def subprocess_database_url() -> str:
    """A ``DATABASE_URL`` for another process, pointing at the current (test) database."""
    db = connection.settings_dict
    userinfo = quote(db["USER"], safe="")
    if db.get("PASSWORD"):
        userinfo += ":" + quote(db["PASSWORD"], safe="")
    host = _host(db)
    if host.startswith("/"):  # a socket directory
        return f"postgres://{userinfo}@/{db['NAME']}?host={quote(host, safe='/')}"
    return f"postgres://{userinfo}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def connect_kwargs() -> dict:
    """``psycopg2.connect`` arguments for a second connection to the current database."""
    db = connection.settings_dict
    return {
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "host": _host(db),
        "port": db["PORT"] or 5432,
    }
