"""Fixtures of the accounts tests."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings

from accounts.demo import seed_kecamatan
from accounts.models import Desa, Kecamatan

# A NIK that passes every rule: Kalimantan Tengah (62), Barito Timur (12), kecamatan 01,
# born 15-08-1990 (man), serial 0001.
VALID_NIK = "6212011508900001"
OTHER_NIK = "6212025502850002"  # a woman (day 15 + 40), born 15-02-1985

LINK_RE = re.compile(r"https?://\S+")

#: The project's real hashers, for the test that checks passwords are stored strongly.
REAL_PASSWORD_HASHERS = list(django_settings.PASSWORD_HASHERS)


@pytest.fixture
def eager_tasks(settings):
    """Run Celery tasks in-process: for unit tests of what a task does, not of the broker."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture
def kecamatan(db):
    seed_kecamatan()
    return {k.name: k for k in Kecamatan.objects.all()}


@pytest.fixture
def desa(kecamatan):
    return {
        "tamiang": Desa.objects.create(kecamatan=kecamatan["Dusun Timur"], name="Desa Uji Timur"),
        "ampah": Desa.objects.create(kecamatan=kecamatan["Dusun Tengah"], name="Desa Uji Tengah"),
    }


def link_in(message) -> str:
    """The first link in an e-mail, as a path on this site."""
    url = LINK_RE.search(message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)
