"""Issue 18, defect 4: on a 1366 × 768 laptop (and 1280) the main navigation is expanded, with
"Masuk" and "Daftar" (or the role's own links) visible, and no page is wider than the window
for any role; on a 390 px phone the menu collapses. Screens under ``test-results/lebar/``."""

from __future__ import annotations

import pytest

from tests.browser.support import PHONE, Camera, log_in, needs_chromium
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
SMALL_LAPTOP = {"width": 1280, "height": 768}


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_navigation_fits_a_laptop_for_every_role_and_collapses_on_a_phone(site):
    shot = Camera("lebar")
    base = site.url
    anonymous = site.new_page(viewport=LAPTOP)
    anonymous.goto(f"{base}/")
    nav = anonymous.locator(".site-header")
    assert nav.get_by_role("link", name="Masuk").is_visible()
    assert nav.get_by_role("link", name="Daftar").is_visible()
    assert overflow(anonymous) <= 0
    shot(anonymous, "anonim-1366")

    phone = site.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"{base}/")
    assert phone.get_by_role("button", name="Buka menu").is_visible()
    assert overflow(phone) <= 0

    people = {
        "pemohon": UserFactory(email="warga.lebar@contoh.test"),
        "kepala": UserFactory(email="kepala.lebar@contoh.test", kepala=True),
        "admin": UserFactory(email="admin.lebar@contoh.test", admin=True),
    }
    for role, person in people.items():
        for viewport in (LAPTOP, SMALL_LAPTOP):
            page = site.new_page(viewport=viewport)
            log_in(page, base, person.email, PASSWORD)
            page.goto(f"{base}/layanan/")
            assert page.get_by_role("button", name="Keluar").is_visible(), role
            assert overflow(page) <= 0, f"{role} at {viewport['width']} px: wider than the window"
            shot(page, f"{role}-{viewport['width']}")
    citizen = site.new_page(viewport=LAPTOP)
    log_in(citizen, base, people["pemohon"].email, PASSWORD)
    assert citizen.locator(".site-header").get_by_role("link", name="Permohonan saya").is_visible()
