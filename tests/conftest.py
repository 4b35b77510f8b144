"""Fixtures for the whole suite. Tests run on the real PostgreSQL and Redis of DATABASE_URL
and REDIS_URL (see README: `make test`)."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import Client

from config import memo
from tests import mfa
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.security.logscan import PersonalDataLogScanner, remember_session_keys


@pytest.fixture(scope="session", autouse=True)
def _personal_data_log_scanner():
    """Every log record of the run is scanned for a NIK or a session id (ASVS 16.2.5); see
    tests/security/logscan.py. Records outside any test fail the session at its end."""
    scanner = PersonalDataLogScanner()
    root = logging.getLogger()
    with remember_session_keys(scanner.session_keys):
        root.addHandler(scanner)
        try:
            yield scanner
        finally:
            root.removeHandler(scanner)
    leaks = scanner.outside_tests + scanner.take_findings()
    if leaks:
        pytest.fail("Personal data in log records:\n" + "\n".join(leaks), pytrace=False)


@pytest.fixture(autouse=True)
def _no_personal_data_in_logs(request, _personal_data_log_scanner):
    """The same scan, failing the test during which the record was emitted."""
    scanner = _personal_data_log_scanner
    scanner.outside_tests += scanner.take_findings()  # reported at the end of the session
    scanner.context = request.node.nodeid
    yield
    scanner.context = "outside any test"
    leaks = scanner.take_findings()
    if leaks:
        pytest.fail("Personal data in log records:\n" + "\n".join(leaks), pytrace=False)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at Django's default cost takes ~0.3 s per hash and the suite creates thousands of
    users. Tests of password storage put the real hashers back (see tests/accounts)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache_and_files(settings, tmp_path):
    """Each test gets its own private/public file roots and a clean cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    memo.clear_all()
    yield
    cache.clear()
    memo.clear_all()


@pytest.fixture(scope="session")
def clamd_server(tmp_path_factory):
    """Debian's real clamd with the tests' own EICAR signatures (tests/fakes/clamd.py), one for
    the session. Without clamav-daemon installed the tests that upload fail with the install
    hint; they are never skipped."""
    from tests.fakes.clamd import Clamd

    server = Clamd(tmp_path_factory.mktemp("clamd"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _uploads_scanned_by_clamd(request, settings):
    """Every upload of the suite goes through the production scanner (perizinan.scanning
    ClamdScanner) and the session's clamd, as in production (started once, ~0.1 s)."""
    server = request.getfixturevalue("clamd_server")
    if not server.running:  # a test stopped it (tests/perizinan/test_scanning.py)
        server.start()
    server.apply(settings)


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """``client.force_login(officer)`` signs in as after the password AND the code page, as
    every staff page now requires (accounts/mfa/). Tests of the second factor itself use
    ``tests.mfa.password_only_login`` or the real pages; the middleware is never relaxed."""
    monkeypatch.setattr(Client, "force_login", mfa.verified_login)


@pytest.fixture
def dpmptsp(db):
    return PerangkatDaerahFactory(dpmptsp=True)


@pytest.fixture
def dinkes(db):
    return PerangkatDaerahFactory(dinkes=True)


@pytest.fixture
def pupr(db):
    return PerangkatDaerahFactory(pupr=True)


@pytest.fixture
def pemohon(db):
    return UserFactory(email="warga@contoh.test")


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@contoh.test", admin=True)
