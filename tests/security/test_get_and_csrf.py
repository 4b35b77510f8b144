"""GET never changes data; every POST without a CSRF token is refused (QUALITY.md §1.2,
ASVS v5.0.0-3.5.1 and 3.5.3).

Both walk every URL of the permission matrix (``tests/security/matrix.py``), which itself must
cover the whole resolver. The database snapshot (``tests/security/world.py``) holds, for every
table, the row count, ``max(updated_at)`` where the column exists and a digest of the rows'
content. Excluded: ``django_session`` (each request of a signed-in user records its activity
in the session) and ``axes_*`` (log-in attempt logs). The one documented exception to "GET
never writes" is the access log of citizens' documents (``matrix.GET_MAY_WRITE``).
"""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.test import Client

from perizinan.models import AksesDokumen
from tests.security.matrix import ALLOWED, GET_MAY_WRITE, MATRIX, ROLES, row
from tests.security.test_permission_matrix import observed, post_data
from tests.security.world import Snapshot, build_world, changes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    return build_world()


# --- GET ---------------------------------------------------------------------------------------


def test_get_never_changes_data(world):
    """Every URL, every role (those refused too): the database is the same after the GET."""
    clients = {role: world.client(role) for role in ROLES}
    snapshot = Snapshot()
    wrong = []
    for name, entry in MATRIX.items():
        url = world.url(name, entry)
        allowed = GET_MAY_WRITE.get(name, frozenset())
        for role in ROLES:
            before = snapshot.take()
            clients[role].get(url)
            changed = changes(before, snapshot.take(), allowed=allowed)
            if changed:
                wrong.append(f"GET {name} as {role} changed {sorted(changed)}")
    assert not wrong, "\n".join(wrong)


def test_the_only_write_a_get_may_make_is_the_record_of_a_staff_view_of_a_document(world):
    """The exception above, exactly: one access record per staff view, none for the owner."""
    entry = MATRIX["perizinan:dokumen_download"]
    url = world.url("perizinan:dokumen_download", entry)
    world.client("owner").get(url)
    assert not AksesDokumen.objects.exists()
    for role in ("front_office", "tim_teknis"):
        world.client(role).get(url)
    officer_url = world.url("petugas:document", MATRIX["petugas:document"])
    world.client("kepala").get(officer_url)
    recorded = AksesDokumen.objects.filter(dokumen=world.document)
    assert sorted(recorded.values_list("user__role", flat=True)) == [
        "front_office",
        "kepala",
        "tim_teknis",
    ]


# --- CSRF --------------------------------------------------------------------------------------


def _poster(entry) -> str:
    """The role whose POST would be accepted (or, for a GET-only page, who may open it)."""
    if entry.get("control"):
        return entry["control"]
    if "post" in entry:
        return next(role for role, s in row(entry, "post").items() if s == ALLOWED)
    return next((role for role, s in row(entry).items() if s == 200), "admin")


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(world, caplog):
    """Every URL of the matrix, POST-only or not, as the role the page is for, with the data
    its form would send, from a client that enforces CSRF like a browser: 403, the refusal
    logged on ``django.security.csrf``, and no change."""
    snapshot = Snapshot()
    wrong = []
    for name, entry in MATRIX.items():
        role = _poster(entry)
        client = Client(enforce_csrf_checks=True)
        if role in world.users:
            client.force_login(world.users[role])
        url = world.url(name, entry)
        caplog.clear()
        before = snapshot.take()
        with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
            response = client.post(url, post_data(world, entry))
        changed = changes(before, snapshot.take())
        logged = any(r.name == "django.security.csrf" for r in caplog.records)
        if response.status_code != 403 or not logged or changed:
            wrong.append(
                f"POST {name} as {role} without a token: {observed(response)}, "
                f"csrf refusal logged: {logged}, changed: {sorted(changed)}"
            )
    assert not wrong, "\n".join(wrong)


def test_the_same_post_with_its_token_passes_the_csrf_check(world):
    """The control of the test above: with the token, the CSRF check lets the POST through
    (so the 403s above are the token's absence, not the role)."""
    entry = MATRIX["petugas:note"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[entry["control"]])
    url = world.url("petugas:note", entry)
    client.get(world.url("petugas:file", MATRIX["petugas:file"]))  # sets the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(url, {**post_data(world, entry), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert world.filed.aktivitas.filter(kind="note").exists()
