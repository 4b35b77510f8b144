"""The client's address behind PROXY_COUNT reverse proxies (config/client_ip.py): one definition
for the login lockout (django-axes through django-ipware) and the project's rate limits.

A request through one proxy (nginx on the same host) arrives with REMOTE_ADDR 127.0.0.1 and the
visitor's address appended to X-Forwarded-For. The settings are switched with override_settings
on the very dicts settings.py uses; axes and ipware read them at call time."""

from __future__ import annotations

import pytest
from axes.helpers import get_client_ip_address
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from config.client_ip import axes_ipware_settings, client_ip
from tests.config.test_settings import run_manage
from tests.factories import PASSWORD, UserFactory
from tests.perizinan.factories import submitted

LOGIN = "/akun/masuk/"
LACAK = "/lacak/"
PROXY = "127.0.0.1"  # nginx, as gunicorn sees it
CLIENT_A = "36.71.8.9"
CLIENT_B = "36.71.8.10"
SPOOFED = "203.0.113.50"


def behind_proxies(count: int):
    return override_settings(**axes_ipware_settings(count))


def request_with(remote_addr: str, forwarded_for: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def resolved(count: int, remote_addr: str, forwarded_for: str | None = None) -> str:
    request = request_with(remote_addr, forwarded_for)
    with behind_proxies(count):
        ours = client_ip(request)
        # The project's helper and axes give the same address (when axes finds one).
        assert get_client_ip_address(request) in (ours, None)
        return ours


# --- the address ---------------------------------------------------------------------------


def test_django_ipware_is_installed_so_axes_uses_it():
    from axes import helpers

    assert helpers.IPWARE_INSTALLED, "django-ipware is missing: axes would read REMOTE_ADDR only"


def test_without_proxies_a_forwarded_for_header_is_ignored():
    assert resolved(0, "36.71.8.9", forwarded_for=SPOOFED) == "36.71.8.9"
    assert resolved(0, "36.71.8.9") == "36.71.8.9"


def test_behind_one_proxy_the_address_the_proxy_appended_is_the_client():
    assert resolved(1, PROXY, forwarded_for=CLIENT_A) == CLIENT_A
    assert resolved(1, PROXY, forwarded_for=CLIENT_B) == CLIENT_B
    assert resolved(1, PROXY, forwarded_for="10.20.30.40") == "10.20.30.40"
    assert resolved(1, PROXY, forwarded_for="2001:4860:4860::8888") == "2001:4860:4860::8888"


@pytest.mark.parametrize(
    "sent_by_client",
    [
        SPOOFED,  # a plain prepended address
        f"{SPOOFED}, 198.51.100.1",
        f'{SPOOFED}, "',  # an unclosed quote that would swallow the proxy's entry
        f"{SPOOFED}, for=unknown",
        "not-an-address",
    ],
)
def test_behind_one_proxy_a_client_cannot_pick_its_address(sent_by_client):
    header = f"{sent_by_client}, {CLIENT_A}"  # nginx appends the address it saw
    address = resolved(1, PROXY, forwarded_for=header)
    assert SPOOFED not in address
    assert address == PROXY  # counted with every other request that bypassed the format


def test_behind_one_proxy_a_request_without_the_header_is_the_proxy_address():
    assert resolved(1, PROXY) == PROXY


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client():
    assert resolved(2, "10.0.0.2", forwarded_for=f"{CLIENT_A}, 10.0.0.1") == CLIENT_A
    assert resolved(2, "10.0.0.2", forwarded_for=f"{SPOOFED}, {CLIENT_A}, 10.0.0.1") == "10.0.0.2"


def test_a_negative_proxy_count_is_refused():
    with pytest.raises(ImproperlyConfigured, match="PROXY_COUNT"):
        axes_ipware_settings(-1)


def test_proxy_count_comes_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_COUNT, s.IPWARE_STRICT)"
    )
    result = run_manage("shell", "-c", code, env_overrides={"PROXY_COUNT": "1"})
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last == "('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR') 0 True"
    result = run_manage("shell", "-c", code, drop=("PROXY_COUNT",))
    assert result.stdout.strip().splitlines()[-1] == "('REMOTE_ADDR',) None True"


# --- the login lockout ---------------------------------------------------------------------


@pytest.fixture
def ani(db):
    return UserFactory(email="ani@contoh.test")


def log_in(client, password, **meta):
    return client.post(LOGIN, {"username": "ani@contoh.test", "password": password}, **meta)


def fail_five_times(client, meta_for_attempt):
    for n in range(5):  # AXES_FAILURE_LIMIT
        response = log_in(client, f"tebakan-{n}", **meta_for_attempt(n))
    return response


@pytest.mark.django_db
def test_without_proxies_a_changing_forwarded_for_does_not_escape_the_lockout(client, ani):
    with behind_proxies(0):
        locked = fail_five_times(
            client,
            lambda n: {"REMOTE_ADDR": CLIENT_A, "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"},
        )
        assert locked.status_code == 429
        again = log_in(client, PASSWORD, REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=SPOOFED)
        assert again.status_code == 429
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_behind_one_proxy_two_clients_get_separate_lockouts(client, ani):
    with behind_proxies(1):
        locked = fail_five_times(
            client, lambda n: {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": CLIENT_A}
        )
        assert locked.status_code == 429
        still = log_in(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
        assert still.status_code == 429
        other = log_in(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B)
        assert other.status_code == 302
        assert client.session["_auth_user_id"] == str(ani.pk)


@pytest.mark.django_db
def test_behind_one_proxy_a_prepended_forwarded_for_does_not_escape_the_lockout(client, ani):
    def spoofed(n):
        return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}, {CLIENT_A}"}

    with behind_proxies(1):
        assert fail_five_times(client, spoofed).status_code == 429
        assert log_in(client, PASSWORD, **spoofed(9)).status_code == 429
        # The honest visitor behind the same proxy is not locked out by it.
        other = log_in(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B)
        assert other.status_code == 302


# --- the /lacak/ rate limit (10 lookups per 10 minutes) ----------------------------------


def track(client, permohonan, **meta):
    return client.post(LACAK, {"number": permohonan.number, "pin": "999999"}, **meta)


@pytest.mark.django_db
def test_without_proxies_a_changing_forwarded_for_does_not_escape_the_tracking_limit(client):
    permohonan = submitted()
    with behind_proxies(0):
        for n in range(10):
            meta = {"REMOTE_ADDR": CLIENT_A, "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
            assert track(client, permohonan, **meta).status_code == 200
        meta = {"REMOTE_ADDR": CLIENT_A, "HTTP_X_FORWARDED_FOR": SPOOFED}
        assert track(client, permohonan, **meta).status_code == 429


@pytest.mark.django_db
def test_behind_one_proxy_two_clients_get_separate_tracking_limits(client):
    permohonan = submitted()
    with behind_proxies(1):
        for _ in range(10):
            track(client, permohonan, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
        blocked = track(client, permohonan, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
        assert blocked.status_code == 429
        response = client.post(
            LACAK,
            {"number": permohonan.number, "pin": permohonan.pin},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=CLIENT_B,
        )
        assert response.status_code == 200
        assert permohonan.jenis_izin.name in response.content.decode()


@pytest.mark.django_db
def test_behind_one_proxy_a_prepended_forwarded_for_does_not_escape_the_tracking_limit(client):
    permohonan = submitted()
    with behind_proxies(1):
        for n in range(10):
            header = f"198.51.100.{n}, {CLIENT_A}"
            response = track(client, permohonan, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
            assert response.status_code == 200
        header = f"{SPOOFED}, {CLIENT_A}"
        blocked = track(client, permohonan, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
        assert blocked.status_code == 429
        honest = track(client, permohonan, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B)
        assert honest.status_code == 200
