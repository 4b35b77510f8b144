"""The permission matrix (QUALITY.md §1.2; ASVS v5.0.0-8.2.1 function level, 8.2.2 data level):
every URL of the resolver times every role, against the checked-in ``tests/security/matrix.py``.

A URL missing from the matrix fails ``test_every_url_of_the_resolver_is_in_the_matrix``: a new
view is refused until someone writes down who may open it.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, reverse

from tests.perizinan.factories import pdf_upload
from tests.security.matrix import (
    ADMIN_LOGIN,
    ADMIN_NAMESPACE,
    ALLOWED,
    GET_STATUSES,
    LOGIN,
    MATRIX,
    POST_STATUSES,
    REDIRECT,
    ROLES,
    row,
)
from tests.security.world import Snapshot, build_world, changes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """A dozen users per test; their passwords need not be strong."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    return build_world()


# --- Helpers (also used by test_get_and_csrf) -------------------------------------------------


def url_patterns(patterns=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """``(name, route)`` of every pattern of the resolver, walked recursively; a name carries
    its namespaces (``petugas:file``). An unnamed pattern is listed as ``<unnamed route>``."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += url_patterns(pattern.url_patterns, route, inner)
        else:
            name = pattern.name or f"<unnamed {route}>"
            found.append((f"{namespace}:{name}" if namespace else name, route))
    return found


def is_admin(name: str) -> bool:
    return name.split(":", 1)[0] == ADMIN_NAMESPACE


def observed(response) -> object:
    """The response as a matrix status: a number, or LOGIN / ADMIN_LOGIN / REDIRECT."""
    if response.status_code != 302:
        return response.status_code
    path = urlsplit(response["Location"]).path
    if path == resolve_url(settings.LOGIN_URL):
        return LOGIN
    if path == reverse("admin:login"):
        return ADMIN_LOGIN
    return REDIRECT


def post_data(world, entry: dict) -> dict:
    data = {}
    for key, value in (entry.get("data") or {}).items():
        data[key.format_map(world.objects)] = (
            pdf_upload() if value == "@pdf" else world.resolve(value)
        )
    return data


# --- The matrix covers the resolver ----------------------------------------------------------


def test_every_url_of_the_resolver_is_in_the_matrix():
    """Django admin's URLs are covered by the ``admin:index`` row (matrix.py explains why)."""
    missing = sorted(
        f"{name} ({route})"
        for name, route in url_patterns()
        if name not in MATRIX and not is_admin(name)
    )
    assert not missing, "URLs without a row in tests/security/matrix.py:\n" + "\n".join(missing)


def test_the_matrix_names_only_urls_that_exist():
    names = {name for name, _route in url_patterns()}
    assert sorted(set(MATRIX) - names) == []


def test_every_row_of_the_matrix_has_a_valid_status_for_each_role():
    bad = []
    for name, entry in MATRIX.items():
        for method, allowed in (("get", GET_STATUSES), ("post", POST_STATUSES)):
            if method not in entry:
                continue
            if len(entry[method]) != len(ROLES):
                bad.append(f"{name} {method}: {len(entry[method])} columns")
            bad += [f"{name} {method}: {s!r}" for s in entry[method] if s not in allowed]
    assert not bad, bad


# --- GET -------------------------------------------------------------------------------------


def test_every_role_gets_the_status_the_matrix_says(world):
    clients = {role: world.client(role) for role in ROLES}
    wrong = []
    for name, entry in MATRIX.items():
        url = world.url(name, entry)
        for role, expected in row(entry).items():
            got = observed(clients[role].get(url))
            if got != expected:
                wrong.append(f"{name} {url} as {role}: expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)


def _unknown(value: str):
    """A value of the same kind as the object's id, naming no object."""
    if value.endswith(".public_id"):
        return uuid.uuid4()
    return "x" + uuid.uuid4().hex  # tokens


def _object_bearing(entry) -> bool:
    return any(
        isinstance(v, str) and v.startswith("@") and v.endswith((".public_id", "token"))
        and v != "@verify_token"
        for v in (entry.get("kwargs") or {}).values()
    )  # fmt: skip


def _objects(entry) -> frozenset[str]:
    """The world's objects a URL points at: ``{"filed"}`` for ``"@filed.public_id"``."""
    return frozenset(
        v[1:].split(".")[0]
        for v in (entry.get("kwargs") or {}).values()
        if isinstance(v, str) and v.startswith("@")
    )


def _roles_that_see_each_object() -> dict[frozenset, set[str]]:
    seen: dict[frozenset, set[str]] = {}
    for entry in MATRIX.values():
        if _object_bearing(entry):
            roles = {role for role, status in row(entry).items() if status == 200}
            seen.setdefault(_objects(entry), set()).update(roles)
    return seen


def test_a_refused_role_cannot_tell_an_object_of_someone_else_from_one_that_does_not_exist(
    world,
):
    """ASVS 8.2.2, for GET and POST: a role that cannot see an object gets for it exactly what
    it gets for an id that names nothing (404, or the 403 of a page it may not use at all).
    Who may use the page gets 404 for an unknown id (or the page's own "not found" status,
    ``missing``). A role that sees the object anyway (200 on some page of it) may also be
    refused A's object otherwise than an unknown one: a front office opens a file (200) but
    may not reassign it (403), and that 403 tells it nothing new."""
    clients = {role: world.client(role) for role in ROLES}
    seen_by = _roles_that_see_each_object()
    snapshot = Snapshot()
    wrong = []
    for name, entry in MATRIX.items():
        if not _object_bearing(entry):
            continue
        kwargs = {
            k: (_unknown(v) if isinstance(v, str) and v.startswith("@") else v)
            for k, v in entry["kwargs"].items()
        }
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            if method not in entry:
                continue
            for role, status in row(entry, method).items():
                missing = entry.get("missing", 404)
                if status in (200, REDIRECT, ALLOWED):
                    expected = {missing}
                elif role in seen_by[_objects(entry)]:
                    expected = {status, missing}
                else:
                    expected = {status}
                before = snapshot.take()
                send = getattr(clients[role], method)
                got = observed(
                    send(url, post_data(world, entry)) if method == "post" else send(url)
                )
                changed = changes(before, snapshot.take())
                if got not in expected or changed:
                    wrong.append(
                        f"{method.upper()} {name} with an unknown id as {role}: expected "
                        f"{expected}, got {got}"
                        + (f"; changed {sorted(changed)}" if changed else "")
                    )
    assert not wrong, "\n".join(wrong)


# --- POST ------------------------------------------------------------------------------------


def test_a_post_by_a_role_without_permission_is_refused_and_changes_nothing(world):
    """The data sent is what the page's own form would send (``data``), so only the
    permission check stands between the POST and the change."""
    clients = {role: world.client(role) for role in ROLES}
    snapshot = Snapshot()
    wrong = []
    for name, entry in MATRIX.items():
        if "post" not in entry:
            continue
        url = world.url(name, entry)
        data = post_data(world, entry)
        for role, expected in row(entry, "post").items():
            if expected == ALLOWED:
                continue
            before = snapshot.take()
            got = observed(clients[role].post(url, data))
            changed = changes(before, snapshot.take())
            if got != expected or changed:
                wrong.append(
                    f"{name} POST as {role}: expected {expected}, got {got}"
                    + (f"; changed {sorted(changed)}" if changed else "")
                )
    assert not wrong, "\n".join(wrong)


class _RollBack(Exception):
    pass


def test_the_allowed_role_s_post_of_the_same_data_does_change_the_database(world):
    """The control of the test above: its refusals are refusals of a POST that works."""
    snapshot = Snapshot()
    unchanged = []
    for name, entry in MATRIX.items():
        role = entry.get("control")
        if role is None:
            continue
        assert row(entry, "post")[role] == ALLOWED, name
        client = world.client(role)
        url = world.url(name, entry)
        try:
            with transaction.atomic():
                before = snapshot.take()
                response = client.post(url, post_data(world, entry))
                changed = changes(before, snapshot.take())
                raise _RollBack
        except _RollBack:
            pass
        if not changed or observed(response) not in (200, REDIRECT):
            unchanged.append(f"{name} POST as {role}: {observed(response)}, changed {changed}")
    assert not unchanged, "\n".join(unchanged)
