from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
ATTACKER_IP = "203.0.113.7"
OWNER_IP = "198.51.100.20"


@pytest.fixture
def ani(db):
    return UserFactory(email="ani@contoh.test")


def attempt(client, password, *, email="ani@contoh.test", ip=ATTACKER_IP):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def lock_out(client, *, email="ani@contoh.test", ip=ATTACKER_IP):
    for n in range(5):  # AXES_FAILURE_LIMIT
        response = attempt(client, f"tebakan-{n}", email=email, ip=ip)
    return response


def test_account_urls_are_under_akun():
    assert reverse("accounts:login") == "/akun/masuk/"
    assert reverse("accounts:logout") == "/akun/keluar/"
    assert reverse("accounts:signup") == "/akun/daftar/"
    assert reverse("accounts:profile") == "/akun/profil/"
    assert reverse("accounts:password_change") == "/akun/kata-sandi/"
    assert reverse("accounts:password_reset") == "/akun/lupa-sandi/"


def test_login_page_fields_carry_autocomplete_and_allow_paste(client):
    html = client.get(LOGIN).content.decode()
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert 'type="email"' in html
    assert "onpaste" not in html


def test_login_by_email_in_any_case_through_the_page(client, ani):
    response = attempt(client, PASSWORD, email="  ANI@Contoh.TEST ")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ani.pk)


def test_login_gives_a_new_session_id(client, ani):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    attempt(client, PASSWORD)
    assert client.session.session_key != before


def test_wrong_password_is_refused_with_a_clear_message(client, ani):
    response = attempt(client, "bukan-ini")
    assert response.status_code == 200
    assert "E-mail atau kata sandi salah" in response.content.decode()


def test_logout_is_post_only(client, ani):
    client.force_login(ani)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_lockout_after_the_failure_limit_names_the_minutes_to_wait(client, ani):
    response = lock_out(client)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in html
    assert "Coba lagi dalam 15 menit" in html


def test_lockout_shows_the_configured_cooloff(client, ani, settings):
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    html = lock_out(client).content.decode()
    assert "Coba lagi dalam 30 menit" in html


def test_locked_account_refuses_even_the_right_password_from_the_same_ip(client, ani):
    lock_out(client)
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_correct_password_from_another_ip_still_works_during_a_lockout(client, ani):
    lock_out(client, ip=ATTACKER_IP)
    response = attempt(client, PASSWORD, ip=OWNER_IP)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ani.pk)


def test_lockout_cannot_be_dodged_by_changing_the_case_of_the_email(client, ani):
    for n, email in enumerate(
        ["ani@contoh.test", "Ani@contoh.test", "ANI@contoh.test", "aNi@contoh.test"]
    ):
        attempt(client, f"tebakan-{n}", email=email)
    response = attempt(client, "tebakan-5", email="AnI@Contoh.test")
    assert response.status_code == 429


def test_lockout_lifts_after_the_cooloff(client, ani):
    lock_out(client)
    with freeze_time(timezone.now() + timedelta(minutes=16)):
        response = attempt(client, PASSWORD)
    assert response.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, ani):
    for n in range(4):
        attempt(client, f"tebakan-{n}")
    attempt(client, PASSWORD)
    client.post(reverse("accounts:logout"))
    for n in range(4):
        response = attempt(client, f"tebakan-lagi-{n}")
    assert response.status_code == 200


def test_signed_in_user_is_redirected_away_from_the_login_page(client, ani):
    client.force_login(ani)
    assert client.get(LOGIN).status_code == 302
