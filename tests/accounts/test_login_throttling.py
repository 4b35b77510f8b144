"""The log-in identifier has one spelling for the look-up and for the lockout counter, and the
lockout also counts per client address (issue 16, finding 4).

PostgreSQL's ``iexact`` folds ``ı`` to ``I`` and ``ſ`` to ``S`` while django-axes counted on
Python's ``lower()``: ``admın@contoh.id`` logged in as admin under a counter of its own, and a
locked account still logged in as ``wargab@contoh.ıd``. And 40 accounts × 1 guess from one
address were never blocked (password spraying)."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory

from accounts import identifiers
from accounts.throttling import axes_username
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
ADMIN_LOGIN = "/admin/login/"
ATTACKER_IP = "203.0.113.7"
OWNER_IP = "198.51.100.20"

#: Spellings of ani@contoh.test that fold to it: they log in and count as it.
SAME_ADDRESS = [
    "ani@contoh.test",
    " ANI@Contoh.TEST ",
    "ＡＮＩ@ｃｏｎｔｏｈ.test",
    "ani@contoh.teſt",
]
#: Look-alikes that are not plain addresses: refused, yet counted against ani@contoh.test.
LOOK_ALIKES = ["anı@contoh.test", "ani@contoh.tëst", "ANİ@contoh.test", "ani@contoh.teſt\u0301"]


def attempt(client, password, *, email="ani@contoh.test", ip=ATTACKER_IP, url=LOGIN):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def ani(db):
    return UserFactory(email="ani@contoh.test")


# --- One spelling --------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["admın@contoh.id", "ADMİN@contoh.id", "admin@contoh.ıd"])
@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_a_look_alike_of_the_admin_address_does_not_log_in_as_admin(client, spelling, url):
    UserFactory(admin=True, email="admin@contoh.id")
    response = attempt(client, PASSWORD, email=spelling, url=url)
    assert response.status_code == 200
    assert not signed_in(client)


def test_the_log_in_page_says_what_a_plain_address_is(client, ani):
    response = attempt(client, PASSWORD, email="anı@contoh.test")
    html = response.content.decode()
    assert "Masukkan alamat e-mail biasa" in html
    assert "E-mail atau kata sandi salah" not in html


@pytest.mark.parametrize("spelling", SAME_ADDRESS)
def test_spellings_that_fold_to_the_address_log_in(client, ani, spelling):
    attempt(client, PASSWORD, email=spelling)
    assert client.session["_auth_user_id"] == str(ani.pk)


def test_every_spelling_counts_against_the_same_counter(client, ani):
    spellings = [*SAME_ADDRESS[1:], *LOOK_ALIKES]
    for n, spelling in enumerate(spellings[:4]):  # AXES_FAILURE_LIMIT - 1
        assert attempt(client, f"tebakan-{n}", email=spelling).status_code == 200
    assert attempt(client, "tebakan-5", email=LOOK_ALIKES[-1]).status_code == 429


def test_look_alikes_alone_use_up_the_accounts_attempts(client, ani):
    for n, spelling in enumerate([*LOOK_ALIKES, "anı@contoh.test"]):
        response = attempt(client, f"tebakan-{n}", email=spelling)
    assert response.status_code == 429
    assert attempt(client, PASSWORD).status_code == 429
    assert not signed_in(client)


@pytest.mark.parametrize("spelling", [*SAME_ADDRESS, *LOOK_ALIKES, "wargab@contoh.ıd"])
def test_a_locked_account_stays_locked_under_every_spelling(client, spelling):
    UserFactory(email="ani@contoh.test")
    UserFactory(email="wargab@contoh.id")
    for n in range(5):
        attempt(client, f"tebakan-{n}")
        attempt(client, f"tebakan-{n}", email="wargab@contoh.id")
    response = attempt(client, PASSWORD, email=spelling)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_identifier_is_folded_once_for_the_lookup_and_the_counter():
    for spelling in SAME_ADDRESS:
        assert identifiers.plain_address(spelling) == "ani@contoh.test"
        assert identifiers.counter_key(spelling) == "ani@contoh.test"
    for spelling in LOOK_ALIKES:
        assert identifiers.plain_address(spelling) is None
        assert identifiers.counter_key(spelling) == "ani@contoh.test"
    request = RequestFactory().post(LOGIN, {"username": "ＡＮＩ@contoh.test"})
    assert axes_username(request) == "ani@contoh.test"
    assert axes_username(None, {"username": "anı@contoh.test"}) == "ani@contoh.test"
    assert identifiers.counter_key("") is None


class CountingHasher(MD5PasswordHasher):
    algorithm = "counting_md5_login"
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("username", ["siapa@contoh.test", "anı@contoh.test", "bukan alamat"])
def test_a_refused_or_unknown_address_costs_a_password_hash_like_a_wrong_password(
    settings, username
):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    UserFactory(email="ani@contoh.test")
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=ATTACKER_IP)
    CountingHasher.calls = 0
    assert authenticate(request, username=username, password="tebakan") is None
    assert CountingHasher.calls == 1


# --- Per client address (password spraying) ----------------------------------------------------


def test_one_guess_each_for_many_accounts_from_one_address_is_blocked(client, settings, ani):
    limit = settings.AXES_IP_FAILURE_LIMIT
    assert limit == 20
    for n in range(limit - 1):
        email = f"warga{n}@contoh.test"
        UserFactory(email=email)
        assert attempt(client, "Rahasia123!", email=email).status_code == 200, n
    assert attempt(client, "Rahasia123!", email="warga99@contoh.test").status_code == 429
    # Now nothing logs in from that address, not even a right password ...
    assert attempt(client, PASSWORD).status_code == 429
    assert not signed_in(client)
    # ... while the owner, elsewhere, still logs in (no lockout of the account itself).
    attempt(client, PASSWORD, ip=OWNER_IP)
    assert client.session["_auth_user_id"] == str(ani.pk)


def test_logging_in_to_ones_own_account_does_not_clear_the_address_count(client, ani):
    for n in range(15):
        attempt(client, "tebakan", email=f"warga{n}@contoh.test")
    attempt(client, PASSWORD)  # the sprayer's own account
    assert signed_in(client)
    client.post("/akun/keluar/")
    for n in range(4):
        response = attempt(client, "tebakan", email=f"lagi{n}@contoh.test")
    assert response.status_code == 200
    assert attempt(client, "tebakan", email="lagi9@contoh.test").status_code == 429


def test_the_address_limit_is_a_setting(client, settings, ani):
    settings.AXES_IP_FAILURE_LIMIT = 3
    attempt(client, "x", email="a@contoh.test")
    attempt(client, "x", email="b@contoh.test")
    assert attempt(client, "x", email="c@contoh.test").status_code == 429


def test_the_address_count_uses_the_client_address_behind_the_proxy(client, settings, ani):
    """``config/client_ip.py``: with PROXY_COUNT=1 the address is the one nginx puts in
    X-Forwarded-For: the visitor who sprays is blocked, another behind the same proxy is not."""
    from config.client_ip import axes_ipware_settings

    for name, value in axes_ipware_settings(1).items():
        setattr(settings, name, value)
    settings.AXES_IP_FAILURE_LIMIT = 3

    def through_proxy(visitor, email, password):
        return client.post(
            LOGIN,
            {"username": email, "password": password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=visitor,
        )

    statuses = [
        through_proxy("203.0.113.50", f"a{n}@contoh.test", "x").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert through_proxy("203.0.113.50", "ani@contoh.test", PASSWORD).status_code == 429
    assert through_proxy("203.0.113.51", "ani@contoh.test", PASSWORD).status_code == 302
    assert signed_in(client)
