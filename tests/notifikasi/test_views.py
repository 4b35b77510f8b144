"""The in-app notifications: the bell with the unread count, the list, mark as read; the
channel choice in the profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Kecamatan
from notifikasi.models import Channel, Notifikasi
from notifikasi.services import queue_message
from tests.factories import UserFactory
from tests.perizinan.factories import VALID_NIK

pytestmark = pytest.mark.django_db

LIST = "/notifikasi/"


def inapp(user, n=1, **kwargs):
    rows = []
    for i in range(n):
        rows.append(
            queue_message(
                key=f"{user.pk}-{kwargs.get('prefix', 'x')}-{i}",
                event="uji",
                subject=f"Kabar {i}",
                body=f"Isi kabar {i}",
                channel=Channel.INAPP,
                user=user,
                link=kwargs.get("link", ""),
            )
        )
    return rows


def test_the_list_needs_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_bell_shows_the_unread_count_in_the_header(client):
    user = UserFactory()
    inapp(user, 3)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert 'href="/notifikasi/"' in html
    assert "data-notifikasi-unread>3<" in html


def test_the_bell_costs_one_query(client, django_assert_max_num_queries):
    from django.test import RequestFactory

    from notifikasi.context_processors import notifications

    user = UserFactory()
    inapp(user, 2)
    request = RequestFactory().get("/")
    request.user = user
    context = notifications(request)
    with django_assert_max_num_queries(1):
        assert int(str(context["notifikasi_unread"])) == 2


def test_the_bell_count_is_cached_and_forgotten_when_it_changes(
    client, django_assert_max_num_queries
):
    from notifikasi.bell import unread_count

    user = UserFactory()
    first, _second = inapp(user, 2)
    assert unread_count(user) == 2
    with django_assert_max_num_queries(0):
        assert unread_count(user) == 2  # from the cache
    inapp(user, 1, prefix="baru")
    assert unread_count(user) == 3  # a new in-app message forgets the count
    client.force_login(user)
    client.post(reverse("notifikasi:read", args=[first.public_id]))
    assert unread_count(user) == 2  # so does reading one
    client.post(reverse("notifikasi:read_all"))
    assert unread_count(user) == 0  # and reading all


def test_the_bell_counts_from_the_database_when_the_cache_is_down():
    from django.test import override_settings

    from notifikasi.bell import unread_count

    user = UserFactory()
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    with override_settings(CACHES=down):
        inapp(user, 2)
        assert unread_count(user) == 2


def test_the_bell_shows_no_badge_without_unread_notifications(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert 'href="/notifikasi/"' in html
    assert "data-notifikasi-unread" not in html


def test_the_list_shows_only_my_notifications(client, django_assert_max_num_queries):
    me, other = UserFactory(), UserFactory()
    inapp(me, 25)
    inapp(other, 1, prefix="lain")
    Notifikasi.objects.filter(recipient=other).update(subject="Rahasia orang lain")
    client.force_login(me)
    with django_assert_max_num_queries(5):  # session, user, count, page, bell
        response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kabar 24" in html
    assert "Rahasia orang lain" not in html
    assert len(response.context["notifikasi_list"]) == 20  # paginated


def test_an_email_row_never_shows_in_the_inapp_list(client):
    user = UserFactory()
    queue_message(key="e", event="uji", subject="Lewat e-mail", body="x", user=user)
    client.force_login(user)
    assert "Lewat e-mail" not in client.get(LIST).content.decode()


def test_marking_one_as_read_clears_it_from_the_count(client):
    user = UserFactory()
    first, second = inapp(user, 2)
    client.force_login(user)
    response = client.post(reverse("notifikasi:read", args=[first.public_id]))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    user = UserFactory()
    (row,) = inapp(user, link="http://127.0.0.1:8000/permohonan/")
    client.force_login(user)
    response = client.post(reverse("notifikasi:read", args=[row.public_id]), {"open": "1"})
    assert response.url == "/permohonan/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_opening_never_redirects_off_the_site(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    user = UserFactory()
    (row,) = inapp(user, link="https://jahat.example/")
    client.force_login(user)
    response = client.post(reverse("notifikasi:read", args=[row.public_id]), {"open": "1"})
    assert response.url == LIST


def test_someone_elses_notification_cannot_be_marked(client):
    owner, other = UserFactory(), UserFactory()
    (row,) = inapp(owner)
    client.force_login(other)
    assert client.post(reverse("notifikasi:read", args=[row.public_id])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_marking_is_post_only(client):
    user = UserFactory()
    (row,) = inapp(user)
    client.force_login(user)
    assert client.get(reverse("notifikasi:read", args=[row.public_id])).status_code == 405


def test_mark_all_read_marks_only_mine(client):
    me, other = UserFactory(), UserFactory()
    inapp(me, 3)
    inapp(other, 2, prefix="lain")
    client.force_login(me)
    client.post(reverse("notifikasi:read_all"))
    assert not Notifikasi.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert Notifikasi.objects.filter(recipient=other, read_at__isnull=True).count() == 2


# --- Channels in the profile ---------------------------------------------------------------


def test_an_applicant_chooses_language_and_channels_in_the_profile(client):
    kecamatan = Kecamatan.objects.create(name="Dusun Timur")
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Ani Warga",
            "nik": VALID_NIK,
            "phone": "0812 3456 7890",
            "address": "Jl. Tjilik Riwut No. 1",
            "kecamatan": kecamatan.pk,
            "desa": "",
            "applicant_kind": "perorangan",
            "language": "en",
            "notify_sms": "on",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.language, user.notify_inapp, user.notify_sms) == ("en", False, True)
