import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher, identify_hasher
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts import services, tasks
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
    # Said once, beside its button (issue 18): no second red copy pointing "below".
    assert html.count("belum diverifikasi") == 1
    assert "di bawah ini" not in html


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


# --- Issue 16, finding 2: signing up again takes over nothing -------------------------------------

ATTACKER = {
    "full_name": "Penyerobot",
    "applicant_kind": "badan_usaha",
    "password1": "sandi-penyerobot-99",
    "password2": "sandi-penyerobot-99",
}


def _account(user) -> tuple:
    user.refresh_from_db()
    return (
        user.password,
        user.full_name,
        user.applicant_kind,
        user.email_verified_at,
        user.is_active,
        user.role,
    )


def _email_tasks(callbacks) -> list:
    email_tasks = {
        tasks.send_verification_email.delay,
        tasks.send_account_exists_email.delay,
        tasks.send_password_reset_email.delay,
    }
    return [c.func for c in callbacks if getattr(c, "func", None) in email_tasks]


@pytest.mark.parametrize("kind", ["verified", "unverified", "counter", "counter_placeholder"])
def test_a_signup_for_an_existing_address_changes_nothing_of_the_account(
    client, kind, django_capture_on_commit_callbacks
):
    if kind == "counter":
        owner = services.create_walk_in_applicant(
            email="ani.warga@contoh.test", profile={"full_name": "Ani Loket"}
        )
    elif kind == "counter_placeholder":
        owner = services.create_walk_in_applicant(profile={"full_name": "Ani Loket"})
    else:
        owner = UserFactory(
            email="ani.warga@contoh.test", full_name="Ani Asli", unverified=kind == "unverified"
        )
    before = _account(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, email=owner.email, **ATTACKER)
    if kind == "counter_placeholder":  # refused: that address can never receive the link
        assert response.status_code == 200
        assert "tidak dapat menerima e-mail" in response.content.decode()
    else:
        assert response.url == reverse("accounts:signup_done")
    assert _account(owner) == before
    assert User.objects.count() == 1
    assert not owner.check_password(ATTACKER["password1"])


def test_the_first_verification_link_still_works_after_a_second_signup_and_the_attacker_is_out(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    """The attack of the issue: the owner signed up and has not verified yet; someone signs up
    again with the address. The owner's first link still works, and after it only the owner's
    password logs in."""
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    first_link = link_in(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, **ATTACKER)
    assert len(mailoutbox) == 2
    notice = mailoutbox[1]
    assert notice.to == ["ani.warga@contoh.test"]
    assert "sudah terdaftar" in notice.subject
    assert "/akun/verifikasi/" not in notice.body  # no new link vouching for any password
    assert client.post(first_link).status_code == 302
    owner = User.objects.get()
    assert owner.email_verified_at is not None
    assert owner.full_name == SIGNUP["full_name"]
    login = reverse("accounts:login")
    intruder = client.post(login, {"username": owner.email, "password": ATTACKER["password1"]})
    assert "_auth_user_id" not in client.session
    assert intruder.status_code == 200
    client.post(login, {"username": owner.email, "password": SIGNUP["password1"]})
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_notice_to_a_verified_owner_offers_log_in_and_reset(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    UserFactory(email="ani.warga@contoh.test")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, **ATTACKER)
    body = mailoutbox[0].body
    assert "/akun/masuk/" in body and "/akun/lupa-sandi/" in body
    assert "tidak disimpan" in body


def test_the_notice_to_a_never_verified_owner_carries_a_link_that_sets_the_password(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    """A verification link would vouch for the password of whoever signed up first; the link
    that sets a password proves the mailbox and replaces it."""
    squatter = UserFactory(unverified=True, email="ani.warga@contoh.test")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = re.search(r"https?://\S+/akun/lupa-sandi/\S+/\S+/", mailoutbox[0].body).group(0)
    new_password = "kata-sandi-pemilik-asli"
    _set_password_by_link(client, link, new_password)
    squatter.refresh_from_db()
    assert squatter.check_password(new_password)
    assert squatter.email_verified_at is not None
    assert not squatter.check_password(PASSWORD)


def _set_password_by_link(client, link: str, password: str) -> None:
    path = re.sub(r"^https?://[^/]+", "", link)
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert response.url == reverse("accounts:password_reset_complete")


def test_a_counter_account_is_claimed_by_the_link_to_its_address_only(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    """Made at the counter (no password): a sign-up with its address changes nothing and mails
    the address a link that sets the first password; with it the owner logs in."""
    owner = services.create_walk_in_applicant(
        email="ani.warga@contoh.test", profile={"full_name": "Ani Loket"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, **ATTACKER)
    owner.refresh_from_db()
    assert not owner.has_usable_password()
    notice = mailoutbox[0]
    assert "petugas loket" in notice.body
    link = re.search(r"https?://\S+/akun/lupa-sandi/\S+/\S+/", notice.body).group(0)
    _set_password_by_link(client, link, "sandi-baru-pemilik-loket")
    client.post(
        reverse("accounts:login"),
        {"username": "ani.warga@contoh.test", "password": "sandi-baru-pemilik-loket"},
    )
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_lupa_kata_sandi_reaches_an_account_made_at_the_counter(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    """The reset task once skipped accounts without a usable password: the counter's accounts
    had no way in but re-sign-up."""
    owner = services.create_walk_in_applicant(
        email="ina@contoh.test", profile={"full_name": "Ina Loket"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "INA@contoh.test"})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ina@contoh.test"]
    assert "Buat kata sandi" in mailoutbox[0].subject
    _set_password_by_link(client, link_in(mailoutbox[0]), "sandi-baru-pemilik-loket")
    owner.refresh_from_db()
    assert owner.check_password("sandi-baru-pemilik-loket")
    assert owner.email_verified_at is not None


def test_resending_the_verification_to_a_counter_account_sends_the_password_link(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    services.create_walk_in_applicant(email="ina@contoh.test", profile={"full_name": "Ina"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:resend_verification"), {"email": "ina@contoh.test"})
    assert len(mailoutbox) == 1
    assert "/akun/lupa-sandi/" in mailoutbox[0].body
    assert "/akun/verifikasi/" not in mailoutbox[0].body


def test_no_mail_is_ever_sent_to_a_placeholder_address(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    walk_in = services.create_walk_in_applicant(profile={"full_name": "Tanpa E-mail"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": walk_in.email})
        client.post(reverse("accounts:resend_verification"), {"email": walk_in.email})
    assert tasks.send_password_reset_email(walk_in.pk) == "skipped"
    assert tasks.send_account_exists_email(walk_in.pk) == "skipped"
    assert mailoutbox == []


@pytest.mark.parametrize(
    "address",
    ["ani@contoh.ıd", "anı@contoh.test", "ANİ@contoh.test", "ąni@contoh.test", "ani@@contoh.test"],
)
def test_signup_refuses_a_look_alike_address_with_a_clear_message(client, address):
    response = signup(client, email=address)
    assert response.status_code == 200
    assert "Masukkan alamat e-mail biasa" in response.content.decode()
    assert not User.objects.exists()


def test_signup_stores_a_fullwidth_address_in_its_plain_form(client):
    signup(client, email="ＡＮＩ.warga@contoh.test")
    assert User.objects.get().email == "ani.warga@contoh.test"


# --- Issue 16, finding 8: both sign-up paths do the same work ---------------------------------


class CountingHasher(MD5PasswordHasher):
    """Counts the passwords hashed (a deterministic stand-in for the time a hash takes)."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


def _work_of_a_signup(client, settings, django_capture_on_commit_callbacks, **changes):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = signup(client, **changes)
    assert response.url == reverse("accounts:signup_done")
    return CountingHasher.calls, len(_email_tasks(callbacks))


@pytest.mark.parametrize("kind", ["verified", "unverified", "counter"])
def test_a_signup_for_a_registered_address_does_the_work_of_a_new_one(
    client, settings, django_capture_on_commit_callbacks, kind
):
    new = _work_of_a_signup(
        client, settings, django_capture_on_commit_callbacks, email="baru@contoh.test"
    )
    if kind == "counter":
        services.create_walk_in_applicant(email="ada@contoh.test", profile={})
    else:
        UserFactory(email="ada@contoh.test", unverified=kind == "unverified")
    existing = _work_of_a_signup(
        client, settings, django_capture_on_commit_callbacks, email="ada@contoh.test"
    )
    assert new == existing == (1, 1)  # one password hashed, one e-mail task queued


def test_a_citizen_who_signs_up_from_a_service_continues_there_after_verification(client):
    """Issue 18: "Ajukan permohonan" -> log in -> "Daftar" keeps where the citizen was going;
    after sign-up and verification the log-in continues to that page."""
    going = "/permohonan/baru/sip-bidan/"
    login_page = client.get(reverse("accounts:login"), {"next": going}).content.decode()
    signup_url = f"{reverse('accounts:signup')}?next={going}"
    assert f'href="{signup_url}"' in login_page
    form = client.get(signup_url).content.decode()
    assert f'name="next" value="{going}"' in form
    signup(client, next=going)
    user = User.objects.get()
    token = make_verification_token(user)
    verified = client.post(reverse("accounts:verify_email", kwargs={"token": token}))
    assert verified.url == f"{reverse('accounts:login')}?next=%2Fpermohonan%2Fbaru%2Fsip-bidan%2F"
    logged_in = client.post(verified.url, {"username": user.email, "password": SIGNUP["password1"]})
    assert logged_in.url == going


def test_a_foreign_next_is_never_kept(client):
    signup(client, next="https://penipu.example/masuk")
    user = User.objects.get()
    token = make_verification_token(user)
    verified = client.post(reverse("accounts:verify_email", kwargs={"token": token}))
    assert verified.url == reverse("accounts:login")
