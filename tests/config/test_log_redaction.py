"""Tokens in URLs never reach a log line (issue 16, "Info"; ASVS v5.0.0-16.2.5): Django logged
``Bad Request: /akun/verifikasi/<token>/`` and the access log held survey tokens.

``config.logs.RedactTokens``, the filter of the console handler, rewrites the credential of
every token URL to ``:token`` and drops the query string of request lines; gunicorn's logs get
the same filter through ``gunicorn.conf.py`` (``config/gunicorn_logging.py``). The tests go
through the configured handler and a real gunicorn, not through the function alone.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from config.logs import RedactTokens, redact_paths
from tests.db import subprocess_database_url

#: Names of URL arguments that are credentials.
TOKEN_ARGUMENTS = frozenset({"token", "uidb64"})
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _routes(patterns=None, prefix="", namespace=""):
    """``(name, route)`` of every named URL, namespaces included (admin's left out)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            inner = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            if inner != "admin":
                yield from _routes(pattern.url_patterns, route, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route


def _example(converter: str | None, name: str, secret: str):
    if name in TOKEN_ARGUMENTS:
        return secret
    return {"int": 7, "uuid": uuid.uuid4(), "slug": "contoh-layanan"}.get(converter, "contoh")


def _secret() -> str:
    return "Rahasia" + secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")


def test_every_token_url_of_the_resolver_is_redacted_and_no_other_url_is_touched():
    token_urls, other_urls = [], []
    for name, route in _routes():
        arguments = list(_ARGUMENT.finditer(route))
        secret = _secret()
        kwargs = {m["name"]: _example(m["converter"], m["name"], secret) for m in arguments}
        url = reverse(name, kwargs=kwargs or None)
        if TOKEN_ARGUMENTS & set(kwargs):
            token_urls.append((name, url, secret))
        else:
            other_urls.append((name, url))
    assert {name for name, _u, _s in token_urls} >= {
        "accounts:verify_email",
        "accounts:password_reset_confirm",
        "perizinan:verifikasi",
        "akuntabilitas:survei_token",
    }
    leaked = [
        f"{name}: {redact_paths(url)}"
        for name, url, secret in token_urls
        if secret in redact_paths(url) or ":token" not in redact_paths(url)
    ]
    assert not leaked, "token URLs config.logs does not redact:\n" + "\n".join(leaked)
    touched = [f"{name}: {url}" for name, url in other_urls if redact_paths(url) != url]
    assert not touched, "URLs without a token that were changed:\n" + "\n".join(touched)


# --- Through the configured handler -----------------------------------------------------------


def _console() -> logging.Handler:
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactTokens) for f in h.filters)
    ]
    return handler


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def written_logs():
    """What the console handler writes, and the messages of every record after it ran."""
    console = _console()
    stream = io.StringIO()
    original = console.setStream(stream)
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield stream, collector.messages
    finally:
        root.removeHandler(collector)
        console.setStream(original)


@pytest.mark.django_db
def test_a_failed_request_to_a_token_url_is_logged_without_the_token():
    secret = _secret()
    requests = [
        ("post", reverse("accounts:verify_email", kwargs={"token": secret}), 400),
        ("get", reverse("akuntabilitas:survei_token", kwargs={"token": secret}), 410),
        ("get", reverse("perizinan:verifikasi", kwargs={"token": secret}), 404),
    ]
    with written_logs() as (stream, messages):
        for method, url, status in requests:
            assert getattr(Client(), method)(url).status_code == status
        # A POST refused for its missing CSRF token names the path on django.security.csrf.
        url = reverse("akuntabilitas:survei_token", kwargs={"token": secret})
        assert Client(enforce_csrf_checks=True).post(url).status_code == 403
    output = stream.getvalue()
    assert "Bad Request: /akun/verifikasi/:token/" in output
    assert "Gone: /survei/:token/" in output
    assert "Not Found: /verifikasi/:token/" in output
    assert "Forbidden (CSRF cookie not set.): /survei/:token/" in output
    assert secret not in output
    assert not [m for m in messages if secret in m]


def test_the_development_server_s_request_line_loses_the_token_and_the_query():
    """The shape of ``django.core.servers.basehttp.WSGIRequestHandler.log_message``; its
    records now reach the console handler (settings.LOGGING) instead of Django's own."""
    secret = _secret()
    server = logging.getLogger("django.server")
    with written_logs() as (stream, messages):
        line = f"GET /akun/lupa-sandi/MQ/{secret}/?email=warga@contoh.id HTTP/1.1"
        server.info('"%s" %s %s', line, 200, 9)
        server.info('"%s" %s %s', "GET /layanan/?q=Siti+Aminah HTTP/1.1", 200, 9)
    output = stream.getvalue()
    assert '"GET /akun/lupa-sandi/:uidb64/:token/ HTTP/1.1" 200 9' in output
    assert '"GET /layanan/ HTTP/1.1" 200 9' in output
    assert secret not in output and "warga@contoh.id" not in output and "Aminah" not in output
    assert len(messages) == 2 and not [m for m in messages if secret in m]


def test_an_event_with_a_path_field_is_redacted_in_both_formats():
    from config.logs import JsonFormatter, log_event

    secret = _secret()
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger("satupintu.test.redaction")
    keep = Keep()
    keep.addFilter(RedactTokens())
    logger.addHandler(keep)
    try:
        log_event(logger, "link_opened", path=f"/survei/{secret}/", n=1)
    finally:
        logger.removeHandler(keep)
    (record,) = records
    assert secret not in record.getMessage()
    assert secret not in JsonFormatter().format(record)
    assert record.fields == {"path": "/survei/:token/", "n": 1}


# --- gunicorn ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@contextlib.contextmanager
def gunicorn(tmp_path: Path):
    """gunicorn started from the project's directory, so with its ``gunicorn.conf.py``."""
    port = _free_port()
    access = tmp_path / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": subprocess_database_url(),
        "DEBUG": "true",
        "LOG_FORMAT": "kv",
    }
    errors = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=errors,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", access, tmp_path / "gunicorn.log"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        errors.close()


@pytest.mark.django_db
def test_gunicorn_logs_token_urls_without_the_token_or_the_query(tmp_path):
    secret, searched = _secret(), _secret()
    with gunicorn(tmp_path) as (base, access, errors):
        status, headers = _get(f"{base}/survei/{secret}/?q={searched}")
        assert status == 410
        assert _get(f"{base}/verifikasi/{secret}/")[0] == 404
        deadline = time.monotonic() + 10
        while access.read_text().count("\n") < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    lines = access.read_text()
    assert '"GET /survei/:token/ HTTP/1.1" 410' in lines
    assert '"GET /verifikasi/:token/ HTTP/1.1" 404' in lines
    assert secret not in lines and searched not in lines
    # Django's own records in the worker (Gone:, Not Found:) go through the same filter.
    server_log = errors.read_text()
    assert "Gone: /survei/:token/" in server_log
    assert secret not in server_log and searched not in server_log
    # gunicorn names itself, without a version; no gunicorn setting removes the header
    # (README, Production: the reverse proxy drops it with ``proxy_hide_header Server``).
    assert headers["Server"] == "gunicorn"
