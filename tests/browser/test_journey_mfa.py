"""A new officer's first log-in enrols an authenticator (QR code or the secret typed by hand),
keeps the ten backup codes, and later signs in with a backup code after a wrong code. Every
MFA page is scanned with axe-core, its error state too; screens under ``test-results/mfa/``."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp

from tests.browser.support import Camera, Findings, label, needs_chromium, scan
from tests.factories import PASSWORD, PerangkatDaerahFactory, UserFactory

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]


def type_password(page, base, email):
    page.goto(f"{base}/akun/masuk/?next=/petugas/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Masuk").click()


def test_officer_enrols_at_first_log_in_and_later_uses_a_backup_code(site):
    dpmptsp = PerangkatDaerahFactory(dpmptsp=True)
    officer = UserFactory(email="fo.baru@contoh.test", front_office=True, opd=dpmptsp)
    findings = Findings()
    shot = Camera("mfa")
    base = site.url
    page = site.new_page()

    type_password(page, base, officer.email)
    assert "/akun/mfa/daftar/" in page.url
    assert page.get_by_role("img", name="Kode QR").is_visible()
    scan(page, findings, "enrolment")
    shot(page, "daftar-autentikator")
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    code = f"{totp(base64.b32decode(secret)):06d}"  # what the app shows after typing the secret
    page.get_by_label(label("Kode dari aplikasi")).fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Aktifkan").click()

    assert "/akun/mfa/kode-cadangan/" in page.url
    codes = page.locator("ol.backup-codes li").all_inner_texts()
    assert len(codes) == 10
    scan(page, findings, "backup codes")
    shot(page, "kode-cadangan")
    with page.expect_navigation():
        page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan").click()
    assert page.url == f"{base}/petugas/"

    page = site.new_page()  # another day, a new browser session
    type_password(page, base, officer.email)
    assert "/akun/mfa/" in page.url and "daftar" not in page.url
    scan(page, findings, "code page")
    page.get_by_label(label("Kode verifikasi")).fill("000000" if code != "000000" else "111111")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Verifikasi").click()
    assert "Kode salah" in page.locator("main").inner_text()
    scan(page, findings, "code page, wrong code")
    shot(page, "kode-salah")
    page.get_by_label(label("Kode verifikasi")).fill(codes[0])
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Verifikasi").click()
    assert page.url == f"{base}/petugas/"
    assert "Sisa 9 kode cadangan" in page.locator("main").inner_text()

    page.goto(f"{base}/akun/profil/")
    assert "Verifikasi dua langkah" in page.locator("main").inner_text()
    page.goto(f"{base}/akun/mfa/kode-cadangan/")
    scan(page, findings, "backup codes, none shown")
    findings.assert_empty()
