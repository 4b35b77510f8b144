from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts import tasks
from tests.accounts.conftest import link_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "sungai-barito-mengalir-tenang"


def test_password_change_needs_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_password_change_with_the_old_password_sets_the_new_one(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in here


def test_password_change_refuses_a_wrong_old_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Kata sandi lama salah" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_ends_the_sessions_on_other_devices(client):
    user = UserFactory()
    other_device = Client()
    other_device.force_login(user)
    client.force_login(user)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    response = other_device.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def request_reset(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def test_password_reset_flow_by_email_link(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    user = UserFactory(email="lupa@contoh.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = request_reset(client, "LUPA@contoh.test")
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["lupa@contoh.test"]
    link = link_in(mailoutbox[0])
    assert link.startswith("/akun/lupa-sandi/")

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once only.
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = request_reset(client, "siapa@contoh.test")
    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_password_reset_email_is_sent_only_after_commit(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="lupa@contoh.test")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request_reset(client, "lupa@contoh.test")
    assert len(callbacks) == 1
    assert mailoutbox == []


def test_password_reset_mails_are_rate_limited_per_address(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    UserFactory(email="lupa@contoh.test")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            request_reset(client, "lupa@contoh.test")
    assert len(mailoutbox) == 3


def test_password_reset_link_expires_after_one_hour(client, mailoutbox):
    user = UserFactory()
    with freeze_time(timezone.now() - timedelta(hours=1, minutes=1)):
        tasks.send_password_reset_email(user.pk)
    response = client.get(link_in(mailoutbox[0]), follow=True)
    assert response.context["validlink"] is False


def test_password_reset_task_skips_inactive_users(mailoutbox):
    user = UserFactory(is_active=False)
    assert tasks.send_password_reset_email(user.pk) == "skipped"
    assert mailoutbox == []


def test_password_reset_by_link_verifies_the_address_of_an_unverified_applicant(client, mailoutbox):
    user = UserFactory(unverified=True, email="belum@contoh.test")
    tasks.send_password_reset_email(user.pk)
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    user.refresh_from_db()
    assert user.email_verified_at is not None
    response = client.post(
        reverse("accounts:login"), {"username": "belum@contoh.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_password_reset_by_link_lifts_the_lockout(client, mailoutbox):
    user = UserFactory(email="ani@contoh.test")
    for n in range(5):
        client.post(reverse("accounts:login"), {"username": "ani@contoh.test", "password": f"x{n}"})
    tasks.send_password_reset_email(user.pk)
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    response = client.post(
        reverse("accounts:login"), {"username": "ani@contoh.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
