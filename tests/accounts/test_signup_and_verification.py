from datetime import timedelta

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts import tasks
from accounts.models import User
from accounts.roles import Role
from accounts.tokens import make_verification_token
from tests.accounts.conftest import REAL_PASSWORD_HASHERS, link_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Ani.Warga@Contoh.test",
    "full_name": "Ani Warga",
    "applicant_kind": "perorangan",
    "password1": "kopi-tubruk-di-tamiang",
    "password2": "kopi-tubruk-di-tamiang",
}


def signup(client, **changes):
    return client.post(reverse("accounts:signup"), {**SIGNUP, **changes})


def test_signup_creates_an_unverified_pemohon_with_a_lowercase_email(client):
    response = signup(client)
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    user = User.objects.get()
    assert user.email == "ani.warga@contoh.test"
    assert user.role == Role.PEMOHON
    assert user.full_name == "Ani Warga"
    assert user.email_verified_at is None
    assert user.check_password(SIGNUP["password1"])


def test_signup_stores_the_password_with_a_strong_hasher(client, settings):
    settings.PASSWORD_HASHERS = REAL_PASSWORD_HASHERS
    signup(client)
    algorithm = identify_hasher(User.objects.get().password).algorithm
    assert algorithm in {"argon2", "pbkdf2_sha256"}


def test_signup_enqueues_the_verification_email_only_after_commit(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signup(client)
    sends = [
        c for c in callbacks if getattr(c, "func", None) == tasks.send_verification_email.delay
    ]  # the others renew cached pages (config.page_cache)
    assert len(sends) == 1
    assert mailoutbox == []


def test_signup_sends_the_verification_email_through_the_task(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ani.warga@contoh.test"]
    assert "Verifikasi" in message.subject
    assert link_in(message).startswith("/akun/verifikasi/")


def test_verification_link_shows_a_button_and_get_changes_nothing(client, mailoutbox):
    user = UserFactory(unverified=True)
    tasks.send_verification_email(user.pk)
    response = client.get(link_in(mailoutbox[0]))
    assert response.status_code == 200
    assert "Verifikasi e-mail saya" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_verification_link_posted_verifies_the_address_and_allows_login(client, mailoutbox):
    user = UserFactory(unverified=True, email="budi@contoh.test")
    tasks.send_verification_email(user.pk)
    response = client.post(link_in(mailoutbox[0]))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    user.refresh_from_db()
    assert user.email_verified_at is not None
    response = client.post(
        reverse("accounts:login"), {"username": "budi@contoh.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_verification_task_does_nothing_when_already_verified(mailoutbox):
    user = UserFactory()
    assert tasks.send_verification_email(user.pk) == "skipped"
    assert mailoutbox == []


def test_verification_task_does_nothing_for_a_deleted_user(mailoutbox):
    assert tasks.send_verification_email(987654) == "skipped"
    assert mailoutbox == []


def test_verification_email_does_not_carry_the_address_in_the_link(mailoutbox):
    user = UserFactory(unverified=True, email="rahasia@contoh.test")
    tasks.send_verification_email(user.pk)
    assert "rahasia" not in link_in(mailoutbox[0])


def test_used_verification_link_says_already_verified(client):
    user = UserFactory(unverified=True)
    url = reverse("accounts:verify_email", kwargs={"token": make_verification_token(user)})
    client.post(url)
    response = client.post(url, follow=True)
    assert "sudah terverifikasi" in response.content.decode()


def test_tampered_verification_link_is_refused(client):
    user = UserFactory(unverified=True)
    token = make_verification_token(user)
    response = client.post(reverse("accounts:verify_email", kwargs={"token": token[:-2] + "xx"}))
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_verification_link_expires_after_three_days(client):
    user = UserFactory(unverified=True)
    with freeze_time(timezone.now() - timedelta(days=3, minutes=1)):
        token = make_verification_token(user)
    response = client.post(reverse("accounts:verify_email", kwargs={"token": token}))
    assert response.status_code == 400
    assert "tidak berlaku" in response.content.decode()


def test_verification_link_is_void_once_the_password_changes(client):
    user = UserFactory(unverified=True)
    token = make_verification_token(user)
    user.set_password("kata-sandi-lain-sekali")
    user.save()
    response = client.post(reverse("accounts:verify_email", kwargs={"token": token}))
    assert response.status_code == 400


def test_signup_with_a_registered_address_reveals_nothing_and_notifies_the_owner(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="ani.warga@contoh.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)  # same address, other case
    assert response.url == reverse("accounts:signup_done")
    assert User.objects.count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert len(mailoutbox) == 1
    assert "sudah terdaftar" in mailoutbox[0].subject


def test_signup_again_before_verifying_replaces_the_password_and_sends_a_new_link(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    squatter = UserFactory(unverified=True, email="ani.warga@contoh.test")
    old_token = make_verification_token(squatter)
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    squatter.refresh_from_db()
    assert squatter.check_password(SIGNUP["password1"])
    assert len(mailoutbox) == 1
    old = client.post(reverse("accounts:verify_email", kwargs={"token": old_token}))
    assert old.status_code == 400


def test_signup_rejects_different_passwords(client):
    response = signup(client, password2="something-else-entirely")
    assert response.status_code == 200
    assert "Kedua kata sandi tidak sama" in response.content.decode()
    assert not User.objects.exists()


def test_signup_rejects_a_common_password(client):
    response = signup(client, password1="password123", password2="password123")
    assert response.status_code == 200
    assert not User.objects.exists()


def test_signup_accepts_a_64_character_password(client):
    long_password = "tamiang-layang-" * 4 + "abcd"
    assert len(long_password) == 64
    signup(client, password1=long_password, password2=long_password)
    assert User.objects.get().check_password(long_password)


def test_signup_cannot_choose_a_staff_role(client):
    signup(client, role="admin", is_staff="on")
    user = User.objects.get()
    assert user.role == Role.PEMOHON
    assert not user.is_staff


def test_signup_password_fields_can_be_pasted_and_carry_autocomplete(client):
    html = client.get(reverse("accounts:signup")).content.decode()
    assert 'autocomplete="new-password"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="name"' in html
    assert "onpaste" not in html
    assert "<script>" not in html.replace(" ", "")


def test_signup_is_rate_limited_per_ip(client):
    for n in range(10):
        signup(client, email=f"warga{n}@contoh.test")
    response = signup(client, email="warga99@contoh.test")
    assert response.status_code == 200
    assert "Terlalu banyak pendaftaran" in response.content.decode()
    assert User.objects.count() == 10


def test_signed_in_user_is_sent_home_from_signup(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:signup")).url == reverse("home")


def test_unverified_pemohon_cannot_log_in_and_is_told_why(client):
    UserFactory(unverified=True, email="belum@contoh.test")
    response = client.post(
        reverse("accounts:login"), {"username": "belum@contoh.test", "password": PASSWORD}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "belum diverifikasi" in html
    assert "Kirim ulang e-mail verifikasi" in html
    assert f'action="{reverse("accounts:resend_verification")}"' in html


def test_wrong_password_does_not_reveal_that_an_account_is_unverified(client):
    UserFactory(unverified=True, email="belum@contoh.test")
    response = client.post(
        reverse("accounts:login"), {"username": "belum@contoh.test", "password": "salah-sekali"}
    )
    html = response.content.decode()
    assert "E-mail atau kata sandi salah" in html
    assert "belum diverifikasi" not in html


def test_officer_created_by_an_admin_logs_in_without_verification(client):
    UserFactory(unverified=True, front_office=True, email="fo@contoh.test")
    response = client.post(
        reverse("accounts:login"), {"username": "fo@contoh.test", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_resend_verification_sends_a_new_link(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    UserFactory(unverified=True, email="belum@contoh.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:resend_verification"), {"email": "BELUM@contoh.test"}
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["belum@contoh.test"]


def test_resend_verification_for_an_unknown_address_answers_the_same(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:resend_verification"), {"email": "siapa@contoh.test"}, follow=True
        )
    assert "Jika alamat itu terdaftar" in response.content.decode()
    assert mailoutbox == []


def test_resend_verification_is_rate_limited_per_address(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    UserFactory(unverified=True, email="belum@contoh.test")
    url = reverse("accounts:resend_verification")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(url, {"email": "belum@contoh.test"})
        response = client.post(url, {"email": "belum@contoh.test"})
    assert response.status_code == 429
    assert "terlalu sering" in response.content.decode().lower()
    assert len(mailoutbox) == 3


def test_resend_verification_is_rate_limited_per_ip(client):
    url = reverse("accounts:resend_verification")
    for n in range(10):
        assert client.post(url, {"email": f"a{n}@contoh.test"}).status_code == 302
    assert client.post(url, {"email": "lain@contoh.test"}).status_code == 429
