"""Fixtures for the whole suite. Tests run on the real PostgreSQL and Redis of DATABASE_URL
and REDIS_URL (see README: `make test`)."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache

from config import memo
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
