"""Fixtures for the whole suite. Tests run on the real PostgreSQL and Redis of DATABASE_URL
and REDIS_URL (see README: `make test`)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import PerangkatDaerahFactory, UserFactory


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
    yield
    cache.clear()


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
