"""Session lifetime (ASVS 4.0.3 V3.3.2 L2, QUALITY.md 7.3.x / 7.4.2, WCAG 2.2.1): officers and
admins are logged out after 30 idle minutes, everyone 12 hours after log-in; the page warns
before and lets the user extend; a deactivated officer is out on the next request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from freezegun import freeze_time

from config import security  # noqa: F401 - connects the log-in receiver before any login
from tests.factories import PASSWORD, UserFactory
from tests.mfa import pass_second_factor

pytestmark = pytest.mark.django_db

PROFILE = "/akun/profil/"
LOGIN = "/akun/masuk/"
EXTEND = "/akun/sesi/perpanjang/"
START = "2026-03-02 08:00:00"
IDLE_MESSAGE = "Sesi Anda berakhir karena tidak aktif selama 30 menit"
ABSOLUTE_MESSAGE = "Sesi Anda berakhir setelah 12 jam"


@pytest.fixture
def officer():
    return UserFactory(front_office=True)


@pytest.fixture
def citizen():
    return UserFactory()


def is_logged_out(response) -> bool:
    return response.status_code == 302 and response.url.startswith(LOGIN)


def test_officer_idle_for_31_minutes_is_logged_out_with_a_message(client, officer):
    with freeze_time(START) as clock:
        client.force_login(officer)
        assert client.get(PROFILE).status_code == 200
        clock.tick(timedelta(minutes=31))
        response = client.get(PROFILE)
        assert is_logged_out(response)
        assert response.url == f"{LOGIN}?next={PROFILE}"
        page = client.get(response.url)
        assert IDLE_MESSAGE in page.content.decode()
        assert not page.wsgi_request.user.is_authenticated


def test_officer_idle_for_29_minutes_stays_logged_in(client, officer):
    with freeze_time(START) as clock:
        client.force_login(officer)
        assert client.get(PROFILE).status_code == 200
        clock.tick(timedelta(minutes=29))
        assert client.get(PROFILE).status_code == 200


def test_officer_who_keeps_working_stays_logged_in(client, officer):
    with freeze_time(START) as clock:
        client.force_login(officer)
        for _ in range(8):  # four hours, a request every 29 minutes
            clock.tick(timedelta(minutes=29))
            assert client.get(PROFILE).status_code == 200


def test_admin_idle_for_31_minutes_is_logged_out(client):
    with freeze_time(START) as clock:
        client.force_login(UserFactory(admin=True))
        assert client.get("/admin/").status_code == 200
        clock.tick(timedelta(minutes=31))
        assert is_logged_out(client.get("/admin/"))


def test_citizen_idle_for_11_hours_stays_logged_in(client, citizen):
    with freeze_time(START) as clock:
        client.force_login(citizen)
        clock.tick(timedelta(hours=11))
        assert client.get(PROFILE).status_code == 200


def test_citizen_idle_for_12_hours_and_1_minute_is_logged_out(client, citizen):
    with freeze_time(START) as clock:
        client.force_login(citizen)
        clock.tick(timedelta(hours=12, minutes=1))
        assert is_logged_out(client.get(PROFILE))


def test_citizen_session_ends_12_hours_after_login_even_when_active(client, citizen):
    """Absolute: a page that saves the session late (which moves Django's own expiry) or the
    extend button does not move the 12 hours."""
    with freeze_time(START) as clock:
        client.force_login(citizen)
        clock.tick(timedelta(hours=11, minutes=59))
        assert client.post(EXTEND).status_code == 200
        session = client.session
        session["draft"] = "saved by a page at 11:59"
        session.save()
        clock.tick(timedelta(minutes=2))  # 12 h 1 min after log-in
        response = client.get(PROFILE)
        assert is_logged_out(response)
        assert ABSOLUTE_MESSAGE in client.get(response.url).content.decode()


def test_officer_session_also_ends_12_hours_after_login(client, officer):
    with freeze_time(START) as clock:
        client.force_login(officer)
        for _ in range(24):  # 12 hours of a request every 30 minutes minus one
            clock.tick(timedelta(minutes=29, seconds=59))
            assert client.get(PROFILE).status_code == 200
        clock.tick(timedelta(minutes=1))
        assert is_logged_out(client.get(PROFILE))


def test_extend_resets_the_officer_idle_clock(client, officer):
    with freeze_time(START) as clock:
        client.force_login(officer)
        client.get(PROFILE)
        clock.tick(timedelta(minutes=28))
        response = client.post(EXTEND, headers={"accept": "application/json"})
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "seconds_left": 30 * 60, "extendable": True}
        clock.tick(timedelta(minutes=29))  # 57 minutes after the last page
        assert client.get(PROFILE).status_code == 200


def test_extend_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(front_office=True))
    assert client.post(EXTEND).status_code == 403


def test_extend_accepts_the_csrf_token_in_the_header_as_session_js_sends_it():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(front_office=True))
    html = client.get("/").content.decode()
    token = html.split('data-csrf-token="', 1)[1].split('"', 1)[0]
    response = client.post(EXTEND, headers={"x-csrftoken": token, "accept": "application/json"})
    assert response.status_code == 200


def test_extend_is_post_only(client, officer):
    client.force_login(officer)
    assert client.get(EXTEND).status_code == 405


def test_extend_after_expiry_answers_401_with_the_login_url(client, officer):
    with freeze_time(START) as clock:
        client.force_login(officer)
        clock.tick(timedelta(minutes=31))
        response = client.post(EXTEND, headers={"accept": "application/json"})
        assert response.status_code == 401
        assert response.json() == {"status": "expired", "login_url": LOGIN}


def test_extend_for_an_anonymous_visitor_answers_401(client):
    response = client.post(EXTEND, headers={"accept": "application/json"})
    assert response.status_code == 401


def test_expired_session_opening_the_login_page_shows_the_form_and_the_message(client, officer):
    with freeze_time(START) as clock:
        client.force_login(officer)
        clock.tick(timedelta(minutes=31))
        response = client.get(LOGIN)
        assert response.status_code == 200
        assert IDLE_MESSAGE in response.content.decode()


def test_deactivated_officer_is_logged_out_on_the_next_request(client, officer):
    response = client.post(LOGIN, {"username": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    pass_second_factor(client, officer)
    assert client.get(PROFILE).status_code == 200
    officer.is_active = False
    officer.save()
    assert is_logged_out(client.get(PROFILE))
    assert not Session.objects.filter(session_key=client.session.session_key).exists()


def test_officer_page_carries_the_extendable_warning_dialog(client, officer):
    with freeze_time(START):
        client.force_login(officer)
        html = client.get("/").content.decode()
    assert 'role="alertdialog"' in html
    assert 'data-session-seconds-left="1800"' in html
    assert 'data-session-warning-seconds="120"' in html
    assert 'data-session-extendable="true"' in html
    assert f'data-session-extend-url="{EXTEND}"' in html
    assert "Perpanjang sesi" in html
    assert "js/session.js" in html


def test_citizen_page_counts_down_the_12_hours(client, citizen):
    with freeze_time(START) as clock:
        client.force_login(citizen)
        clock.tick(timedelta(hours=1))
        html = client.get("/").content.decode()
    assert f'data-session-seconds-left="{11 * 3600}"' in html
    assert 'data-session-extendable="false"' in html


def test_anonymous_page_has_no_session_dialog(client):
    html = client.get("/").content.decode()
    assert "session-timeout" not in html
    assert "session.js" not in html


def test_officer_page_views_do_not_write_the_session_on_every_request(client, officer):
    """The activity time is saved at most once a minute: a page costs no extra write."""
    with freeze_time(START) as clock:
        client.force_login(officer)
        client.get(PROFILE)
        key = client.session.session_key
        before = Session.objects.get(session_key=key).expire_date
        clock.tick(timedelta(seconds=30))
        client.get("/")
        assert Session.objects.get(session_key=key).expire_date == before
        clock.tick(timedelta(seconds=31))
        client.get("/")
        assert Session.objects.get(session_key=key).expire_date > before
