"""The officers' queue page is cached per session (``config.page_cache``): served again until
something it shows changes, never across sessions, with the session clock always current."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib import messages
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from freezegun import freeze_time

from config import (
    page_cache,
    security,  # noqa: F401 - connects the log-in receiver before any login
)
from perizinan.models import Permohonan
from perizinan.services import petugas as desk
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import fast_submitted, make_service

pytestmark = pytest.mark.django_db

QUEUE = reverse("petugas:queue")


def _sign_in(client, user) -> None:
    """Log in and open the queue once: that first view sets the CSRF cookie, part of the key."""
    client.force_login(user)
    client.get(QUEUE)


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def files():
    return fast_submitted(UserFactory(), make_service(), 3)


@pytest.fixture
def officer(files):
    return UserFactory(front_office=True, opd=files[0].processing_opd, full_name="Fina Loket")


def test_a_second_view_is_served_from_the_cache_with_three_queries(client, officer, files):
    _sign_in(client, officer)
    first = client.get(QUEUE)
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(QUEUE)
    assert second.status_code == 200 and _main(second) == _main(first)
    # The session, the user and the second factor (django-otp reads the session's device).
    assert len(ctx.captured_queries) == 3, [q["sql"] for q in ctx.captured_queries]
    assert second["Cache-Control"].startswith("max-age=0")  # never_cache still applies


def test_a_claim_by_a_colleague_shows_on_the_next_view(client, officer, files):
    colleague = UserFactory(front_office=True, opd=officer.opd, full_name="Budi Rekan")
    _sign_in(client, officer)
    assert "Budi Rekan" not in client.get(QUEUE).content.decode()
    desk.claim_next(actor=colleague)  # QuerySet.update(): no post_save, bump() by hand
    assert "Budi Rekan" in client.get(QUEUE).content.decode()


def test_a_saved_file_shows_on_the_next_view(client, officer, files):
    _sign_in(client, officer)
    assert "Pemohon Baru Sekali" not in client.get(QUEUE).content.decode()
    files[0].applicant_data = {**files[0].applicant_data, "full_name": "Pemohon Baru Sekali"}
    files[0].save()
    assert "Pemohon Baru Sekali" in client.get(QUEUE).content.decode()


def test_the_session_clock_is_current_on_a_cached_page(client, officer, files):
    def seconds_left(response) -> int:
        return int(re.search(r'data-session-seconds-left="(\d+)"', response.content.decode())[1])

    with freeze_time("2026-03-02 08:00:00") as clock:
        _sign_in(client, officer)
        first = client.get(QUEUE)
        clock.tick(timedelta(seconds=50))  # within the activity resolution: same clock base
        second = client.get(QUEUE)
    assert _main(second) == _main(first)
    assert seconds_left(first) - seconds_left(second) == 50


def test_sessions_never_share_a_page(client, officer, files):
    other_opd_officer = UserFactory(front_office=True, opd=PerangkatDaerahFactory())
    _sign_in(client, officer)
    mine = client.get(QUEUE).content.decode()
    assert files[0].number in mine
    _sign_in(client, other_opd_officer)
    theirs = client.get(QUEUE).content.decode()
    assert files[0].number not in theirs


def test_a_page_with_a_flash_message_is_neither_served_nor_stored(client, officer, files):
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import MessageEncoder

    _sign_in(client, officer)
    client.get(QUEUE)  # stored without a message
    session = client.session
    session["_messages"] = MessageEncoder().encode([Message(messages.SUCCESS, "Berkas diambil.")])
    session.save()
    assert "Berkas diambil." in client.get(QUEUE).content.decode()  # not the stored page
    assert "Berkas diambil." not in client.get(QUEUE).content.decode()  # shown once, not stored


def test_the_page_works_when_the_cache_is_down(client, officer, files):
    _sign_in(client, officer)
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    with override_settings(CACHES=down):
        assert client.get(QUEUE).status_code == 200
        assert client.get(QUEUE).status_code == 200


def test_bump_makes_every_stored_page_stale(client, officer, files):
    _sign_in(client, officer)
    client.get(QUEUE)
    Permohonan.objects.filter(pk=files[0].pk).update(applicant_data={"full_name": "Diam Diam"})
    assert "Diam Diam" not in client.get(QUEUE).content.decode()  # update() without bump()
    page_cache.bump()
    assert "Diam Diam" in client.get(QUEUE).content.decode()
