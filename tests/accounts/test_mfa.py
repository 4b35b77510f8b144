"""MFA for every staff role and admin (issue 16, "the two missing defences"; ASVS v5.0.0-6.3.3,
6.5): no officer page and no Django admin without a second factor, enrolment at the first
log-in, single-use backup codes, wrong codes locked out, and the admin's audited reset."""

from __future__ import annotations

import base64
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from accounts import demo
from accounts.mfa import services as mfa
from accounts.mfa.middleware import OPEN_BEFORE_SECOND_FACTOR, SecondFactorMiddleware
from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.mfa import current_code, give_device, password_only_login, verified_login
from tests.security.matrix import MATRIX
from tests.security.test_permission_matrix import post_data
from tests.security.world import Snapshot, build_world, changes

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
VERIFY = "/akun/mfa/"
ENROL = "/akun/mfa/daftar/"
BACKUP = "/akun/mfa/kode-cadangan/"
DESK = "/petugas/"
STAFF_ROLES = ("front_office", "back_office", "tim_teknis", "tim_teknis_other", "kepala", "admin")
OTHER_IP = "198.51.100.9"
#: A backup code as the page lists it.
CODE_ITEM = re.compile(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>")


@pytest.fixture
def officer(db):
    return UserFactory(email="fo.mfa@contoh.test", front_office=True)


@pytest.fixture
def enrolled(officer):
    give_device(officer)
    return officer


def backup_codes_for(user, codes=("kodeuji01", "kodeuji02")) -> list[str]:
    device = StaticDevice.objects.create(user=user, name=mfa.STATIC_DEVICE_NAME)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return list(codes)


def send_code(client, code, *, next_url="", ip="127.0.0.1"):
    return client.post(VERIFY, {"code": code, "next": next_url}, REMOTE_ADDR=ip)


def is_sent_to(response, path) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0] == path


# --- Who needs it -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PEMOHON])
def test_every_staff_role_and_admin_needs_a_second_factor(role, dinkes):
    user = UserFactory(role=role, opd=dinkes)
    assert mfa.required_for(user)


def test_a_citizen_needs_no_second_factor(client, pemohon):
    assert not mfa.required_for(pemohon)
    client.force_login(pemohon)
    assert client.get("/akun/profil/").status_code == 200
    assert client.get(VERIFY)["Location"] == "/"  # the MFA pages are not for citizens


# --- The gate ---------------------------------------------------------------------------------


def test_an_officer_with_only_a_password_cannot_open_the_desk(client, enrolled):
    password_only_login(client, enrolled)
    response = client.get(DESK)
    assert is_sent_to(response, VERIFY)
    assert response["Location"] == f"{VERIFY}?next=%2Fpetugas%2F"


def test_an_admin_with_only_a_password_cannot_open_django_admin(client, admin_user):
    give_device(admin_user)
    password_only_login(client, admin_user)
    assert is_sent_to(client.get("/admin/"), VERIFY)
    assert is_sent_to(client.get(reverse("admin:accounts_user_changelist")), VERIFY)


def test_a_staff_member_without_a_device_is_sent_to_enrolment(client, officer):
    password_only_login(client, officer)
    assert is_sent_to(client.get(DESK), ENROL)
    assert is_sent_to(client.get("/admin/"), ENROL)
    assert is_sent_to(client.get(VERIFY), ENROL)


def test_a_request_for_json_gets_401_naming_the_code_page(client, enrolled):
    password_only_login(client, enrolled)
    response = client.get("/petugas/berkas/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["status"] == "mfa_required"
    assert response.json()["url"].startswith(VERIFY)


def test_log_out_and_the_language_switch_stay_open_before_the_code(client, enrolled):
    password_only_login(client, enrolled)
    assert client.post("/i18n/setlang/", {"language": "en", "next": VERIFY}).status_code == 302
    assert client.get(VERIFY).status_code == 200
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_no_url_of_the_matrix_opens_to_staff_with_only_a_password():
    """Every URL of the permission matrix, GET and POST, as each staff role after the password
    alone: a redirect to the code page, and for POSTs no change, except the few pages a
    half-signed-in user needs (``OPEN_BEFORE_SECOND_FACTOR``)."""
    world = build_world()
    open_names = set(OPEN_BEFORE_SECOND_FACTOR)
    snapshot = Snapshot()
    wrong = []
    for role in STAFF_ROLES:
        client = Client()
        password_only_login(client, world.users[role])
        for name, entry in MATRIX.items():
            if name in open_names:
                continue
            url = world.url(name, entry)
            response = client.get(url)
            if not is_sent_to(response, VERIFY):
                wrong.append(f"GET {name} as {role}: {response.status_code}")
            if "post" in entry:
                before = snapshot.take()
                response = client.post(url, post_data(world, entry))
                changed = changes(before, snapshot.take())
                if not is_sent_to(response, VERIFY) or changed:
                    wrong.append(f"POST {name} as {role}: {response.status_code} {changed}")
    assert not wrong, "\n".join(wrong)


def test_the_gate_refuses_to_start_without_django_otp_middleware(settings):
    settings.MIDDLEWARE = [
        m for m in django_settings.MIDDLEWARE if m != "django_otp.middleware.OTPMiddleware"
    ]
    with pytest.raises(ImproperlyConfigured):
        SecondFactorMiddleware(lambda request: None)


# --- The code after the password --------------------------------------------------------------


def test_password_then_code_opens_the_desk_where_the_officer_was_going(client, enrolled):
    response = client.post(
        f"{LOGIN}?next={DESK}", {"username": enrolled.email, "password": PASSWORD}
    )
    assert response["Location"] == DESK
    response = client.get(DESK)
    assert is_sent_to(response, VERIFY)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'autocomplete="one-time-code"' in html and 'name="next" value="/petugas/"' in html
    session_key = client.session.session_key
    device = TOTPDevice.objects.get(user=enrolled)
    response = send_code(client, current_code(device), next_url=DESK)
    assert response["Location"] == DESK
    assert client.get(DESK).status_code == 200
    assert client.session.session_key != session_key  # a new session key for the new privilege
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_wrong_code_is_refused_with_a_clear_message(client, enrolled, caplog):
    password_only_login(client, enrolled)
    wrong = f"{(int(current_code(give_device(enrolled))) + 1) % 1_000_000:06d}"
    with caplog.at_level(logging.INFO, logger="satupintu.security"):
        response = send_code(client, wrong)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kode salah atau sudah kedaluwarsa" in html
    assert "Sisa 4 percobaan" in html
    assert is_sent_to(client.get(DESK), VERIFY)
    assert [r.event for r in caplog.records if hasattr(r, "event")] == ["mfa_failed"]
    assert all(wrong not in r.getMessage() for r in caplog.records)  # no code in the log


def test_a_code_cannot_be_used_twice(client, enrolled):
    device = give_device(enrolled)
    code = current_code(device)
    password_only_login(client, enrolled)
    assert send_code(client, code).status_code == 302
    other = Client()
    password_only_login(other, enrolled)
    assert send_code(other, code).status_code == 400


def test_right_after_a_wrong_code_the_device_asks_to_wait_and_the_attempt_counts(client, enrolled):
    device = give_device(enrolled)
    password_only_login(client, enrolled)
    with freeze_time() as clock:
        send_code(client, "000000" if current_code(device) != "000000" else "111111")
        response = send_code(client, current_code(device))
        assert response.status_code == 400
        assert "Tunggu beberapa detik" in response.content.decode()
        assert "Sisa 3 percobaan" in response.content.decode()
        clock.tick(timedelta(seconds=2))
        assert send_code(client, current_code(device)).status_code == 302


def wrong_codes(client, device, n, *, ip="127.0.0.1"):
    responses = []
    for _ in range(n):
        good = current_code(device)
        responses.append(send_code(client, "000000" if good != "000000" else "111111", ip=ip))
    return responses


def test_five_wrong_codes_lock_the_account_even_for_the_right_code_and_from_elsewhere(
    client, enrolled, caplog
):
    device = give_device(enrolled)
    password_only_login(client, enrolled)
    with caplog.at_level(logging.WARNING, logger="satupintu.security"):
        responses = wrong_codes(client, device, 5)
    assert [r.status_code for r in responses] == [400, 400, 400, 400, 429]
    assert "Coba lagi dalam 15 menit" in responses[-1].content.decode()
    assert "mfa_locked" in [getattr(r, "event", None) for r in caplog.records]
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # not the back-off
    assert send_code(client, current_code(device)).status_code == 429
    elsewhere = Client()
    password_only_login(elsewhere, enrolled)
    locked = send_code(elsewhere, current_code(device), ip=OTHER_IP)
    assert locked.status_code == 429
    assert "dikunci sementara" in elsewhere.get(VERIFY, REMOTE_ADDR=OTHER_IP).content.decode()
    assert is_sent_to(client.get(DESK), VERIFY)


def test_wrong_codes_from_one_address_lock_that_address_for_every_account(settings, dpmptsp):
    settings.MFA_IP_FAILURE_LIMIT = 3
    guesser_ip = "203.0.113.50"
    for n in range(3):
        user = UserFactory(front_office=True, email=f"fo{n}.mfa@contoh.test")
        device = give_device(user)
        client = Client()
        password_only_login(client, user)
        wrong_codes(client, device, 1, ip=guesser_ip)
    victim = UserFactory(back_office=True, email="bo.mfa@contoh.test")
    device = give_device(victim)
    client = Client()
    password_only_login(client, victim)
    assert send_code(client, current_code(device), ip=guesser_ip).status_code == 429
    assert send_code(client, current_code(device), ip=OTHER_IP).status_code == 302


def test_a_right_code_clears_the_account_s_count(client, enrolled):
    device = give_device(enrolled)
    password_only_login(client, enrolled)
    with freeze_time() as clock:
        wrong_codes(client, device, 1)
        clock.tick(timedelta(seconds=2))
        assert send_code(client, current_code(device)).status_code == 302
    assert not mfa.is_locked(enrolled, "127.0.0.1")
    assert mfa._record_failure(enrolled, "127.0.0.1") == 4  # counting starts again


def test_an_unsafe_next_is_ignored(client, enrolled):
    password_only_login(client, enrolled)
    device = give_device(enrolled)
    response = send_code(client, current_code(device), next_url="https://contoh.evil/")
    assert response["Location"] == "/"


# --- Backup codes -----------------------------------------------------------------------------


def test_a_backup_code_works_once(client, enrolled):
    first, _second = backup_codes_for(enrolled)
    password_only_login(client, enrolled)
    response = send_code(client, f" {first[:4].upper()}-{first[4:]} ", next_url=DESK)
    assert response["Location"] == DESK
    assert client.get(DESK).status_code == 200
    page = client.get("/akun/profil/").content.decode()
    assert "Sisa 1 kode cadangan" in page
    again = Client()
    password_only_login(again, enrolled)
    assert send_code(again, first).status_code == 400
    assert is_sent_to(again.get(DESK), VERIFY)


def test_new_backup_codes_are_shown_once_and_replace_the_old_ones(client, enrolled):
    old, _ = backup_codes_for(enrolled)
    client.force_login(enrolled)  # verified
    response = client.post(BACKUP)
    assert is_sent_to(response, BACKUP)
    html = client.get(BACKUP).content.decode()
    shown = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", html)
    assert len(shown) == mfa.BACKUP_CODE_COUNT
    assert not re.findall(
        r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", client.get(BACKUP).content.decode()
    )
    tokens = set(StaticToken.objects.filter(device__user=enrolled).values_list("token", flat=True))
    assert tokens == {code.replace("-", "") for code in shown}
    assert old not in tokens


# --- Enrolment --------------------------------------------------------------------------------


def enrol_page(client):
    html = client.get(ENROL).content.decode()
    secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    return html, secret


def code_for_secret(secret: str) -> str:
    return f"{totp(base64.b32decode(secret)):06d}"


def test_first_log_in_enrols_with_qr_code_and_secret_then_shows_ten_backup_codes(
    client, officer, caplog
):
    password_only_login(client, officer)
    html, secret = enrol_page(client)
    assert 'src="data:image/png;base64,' in html and "Kode QR" in html
    assert enrol_page(client)[1] == secret  # a reload keeps the secret
    assert not TOTPDevice.objects.filter(user=officer).exists()  # the page writes nothing
    with caplog.at_level(logging.INFO, logger="satupintu.security"):
        response = client.post(ENROL, {"code": code_for_secret(secret), "next": DESK})
    assert response["Location"] == f"{BACKUP}?next=%2Fpetugas%2F"
    assert "mfa_enrolled" in [getattr(r, "event", None) for r in caplog.records]
    page = client.get(response["Location"]).content.decode()
    codes = CODE_ITEM.findall(page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/petugas/"' in page
    assert client.get(DESK).status_code == 200
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed and device.key == base64.b32decode(secret).hex()
    # The next log-in asks for a code; a backup code of the page works.
    other = Client()
    password_only_login(other, officer)
    assert is_sent_to(other.get(DESK), VERIFY)
    assert send_code(other, codes[0]).status_code == 302


def test_enrolment_with_a_wrong_code_stores_nothing_and_counts(client, officer):
    password_only_login(client, officer)
    _html, secret = enrol_page(client)
    good = code_for_secret(secret)
    response = client.post(ENROL, {"code": "000000" if good != "000000" else "111111"})
    assert response.status_code == 400
    assert "Kode salah" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert is_sent_to(client.get(DESK), ENROL)
    assert mfa._record_failure(officer, "127.0.0.1") == 3


def test_enrolment_refuses_what_is_not_six_digits(client, officer):
    password_only_login(client, officer)
    enrol_page(client)
    response = client.post(ENROL, {"code": "abc"})
    assert response.status_code == 400
    assert "enam angka" in response.content.decode()


def test_an_enrolled_user_cannot_enrol_a_second_device_before_the_code(client, enrolled):
    password_only_login(client, enrolled)
    assert is_sent_to(client.get(ENROL), VERIFY)
    assert is_sent_to(client.post(ENROL, {"code": "123456"}), VERIFY)
    assert TOTPDevice.objects.filter(user=enrolled).count() == 1


def test_only_a_fresh_password_log_in_may_enrol(client, officer):
    """A session older than the enrolment window (one stolen, or left open before an admin's
    reset) is logged out at the enrolment page instead of enrolling someone's phone."""
    with freeze_time("2026-03-02 08:00:00") as clock:
        password_only_login(client, officer)
        clock.tick(timedelta(minutes=20))
        _html, secret = enrol_page(client)
        clock.tick(timedelta(minutes=20))  # active, but 40 minutes after the password
        response = client.post(ENROL, {"code": code_for_secret(secret)})
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        assert "_auth_user_id" not in client.session
        assert not TOTPDevice.objects.filter(user=officer).exists()
        page = client.get(response["Location"]).content.decode()
        assert "masuk lagi dengan kata sandi" in page


# --- The admin's reset ------------------------------------------------------------------------


def test_admin_reset_forces_enrolment_again_and_is_recorded(client, enrolled, admin_user, caplog):
    backup_codes_for(enrolled)
    officer_session = Client()
    verified_login(officer_session, enrolled)
    assert officer_session.get(DESK).status_code == 200
    client.force_login(admin_user)
    with caplog.at_level(logging.INFO, logger="satupintu.security"):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_mfa", "_selected_action": [enrolled.pk]},
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    assert not StaticDevice.objects.filter(user=enrolled).exists()
    entry = LogEntry.objects.get(object_id=str(enrolled.pk))
    assert entry.user == admin_user and entry.action_flag == CHANGE
    assert "MFA diatur ulang" in entry.change_message and entry.action_time is not None
    event = next(r for r in caplog.records if getattr(r, "event", None) == "mfa_reset")
    assert event.fields == {"user_id": enrolled.pk, "actor_id": admin_user.pk, "devices": 2}
    # The officer's open session lost its second factor; the next log-in enrols again.
    assert is_sent_to(officer_session.get(DESK), ENROL)
    fresh = Client()
    password_only_login(fresh, enrolled)
    assert is_sent_to(fresh.get(DESK), ENROL)
    assert "diatur ulang" in client.get(reverse("admin:accounts_user_changelist")).content.decode()


def test_the_user_list_shows_who_has_mfa(client, admin_user, enrolled, pemohon):
    client.force_login(admin_user)
    html = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "MFA aktif" in html


def test_device_admin_pages_are_not_offered(client, admin_user):
    """Keys and backup codes are never readable or editable in admin; only the reset."""
    client.force_login(admin_user)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


# --- Sessions ---------------------------------------------------------------------------------


def test_the_officer_idle_timeout_still_ends_a_verified_session(client, enrolled):
    with freeze_time("2026-03-02 08:00:00") as clock:
        verified_login(client, enrolled)
        assert client.get(DESK).status_code == 200
        clock.tick(timedelta(minutes=31))
        response = client.get(DESK)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- Demo -------------------------------------------------------------------------------------


def test_demo_staff_get_the_documented_secret_and_backup_codes(dpmptsp, dinkes, pupr):
    demo.seed()
    demo.seed()  # idempotent
    officer = demo_user("fo@contoh.id")
    device = TOTPDevice.objects.get(user=officer)
    assert device.key == base64.b32decode(demo.DEMO_TOTP_SECRET).hex()
    tokens = StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)
    assert sorted(tokens) == sorted(demo.DEMO_BACKUP_CODES)
    assert not TOTPDevice.objects.filter(user=demo_user("pemohon@contoh.id")).exists()
    for email, _name, role, _opd in demo.DEMO_USERS:
        if role != Role.PEMOHON:
            assert TOTPDevice.objects.filter(user__email=email).count() == 1, email


def test_make_run_prints_the_demo_second_factor():
    text = (Path(django_settings.BASE_DIR) / "config" / "devstack.py").read_text()
    assert demo.DEMO_TOTP_SECRET in text
    assert demo.DEMO_BACKUP_CODES[0] in text and demo.DEMO_BACKUP_CODES[-1] in text


def demo_user(email):
    from accounts.models import User

    return User.objects.get(email=email)
