"""A complaint filed anonymously on a phone, answered by an officer, followed by its ticket and
PIN. Pages scanned with axe-core; screens under ``test-results/pengaduan/``."""

from __future__ import annotations

import re

import pytest

from akuntabilitas.models import Pengaduan
from kewenangan.models import PerangkatDaerah
from tests.browser.support import PHONE, Camera, Findings, label, log_in, needs_chromium, scan
from tests.factories import PASSWORD, PerangkatDaerahFactory, UserFactory

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]

ANSWER = "Loket kini buka pukul 07.30 WIB; petugas sudah kami ingatkan."


def test_anonymous_complaint_is_answered_and_followed_by_its_ticket(site):
    PerangkatDaerahFactory(dpmptsp=True)
    officer = UserFactory(
        email="bo@contoh.test", back_office=True, opd=PerangkatDaerah.objects.get(is_dpmptsp=True)
    )
    findings = Findings()
    shot = Camera("pengaduan")
    base = site.url

    # --- Filed without a name, on a phone ------------------------------------------------------
    visitor = site.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    visitor.goto(f"{base}/pengaduan/")
    scan(visitor, findings, "complaint form")
    visitor.get_by_label("Perilaku petugas").check()
    visitor.get_by_label(label("Ringkasan pengaduan")).fill("Loket belum buka pukul 08.00")
    visitor.get_by_label(label("Uraian pengaduan")).fill(
        "Senin pagi loket DPMPTSP masih tutup pukul 08.00; saya menunggu satu jam."
    )
    visitor.get_by_label("Kirim tanpa nama (anonim)").check()
    shot(visitor, "formulir")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name=re.compile("Kirim")).click()
    assert "/pengaduan/terkirim/" in visitor.url
    scan(visitor, findings, "complaint sent")
    shot(visitor, "tiket")
    number = visitor.locator(".ticket-number").inner_text().strip()
    pin = visitor.locator(".ticket-pin").inner_text().strip()
    complaint = Pengaduan.objects.get(number=number)
    assert complaint.anonymous and not complaint.reporter_name and complaint.reporter_id is None

    # --- An officer answers ---------------------------------------------------------------------
    desk = site.new_page()
    log_in(desk, base, officer.email, PASSWORD)
    desk.goto(f"{base}/pengaduan/masuk/")
    scan(desk, findings, "complaint queue")
    with desk.expect_navigation():
        desk.get_by_role("link", name=re.compile(re.escape(number))).first.click()
    scan(desk, findings, "complaint detail")
    form = desk.locator("form.complaint-move").filter(
        has=desk.get_by_role("button", name="Kirim jawaban")
    )
    form.get_by_label(label("Jawaban untuk pelapor")).fill(ANSWER)
    with desk.expect_navigation():
        form.get_by_role("button", name="Kirim jawaban").click()
    shot(desk, "dijawab")
    complaint.refresh_from_db()
    assert complaint.status == Pengaduan.Status.DIJAWAB

    # --- The complainant follows the ticket -----------------------------------------------------
    visitor.goto(f"{base}/pengaduan/lacak/?tiket={number}")
    visitor.get_by_label(label("Nomor tiket")).fill(number)
    visitor.get_by_label(label("PIN")).fill(pin)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Lihat").click()
    result = visitor.locator("#h-result").locator("..").inner_text()
    assert ANSWER in result
    scan(visitor, findings, "complaint followed")
    shot(visitor, "jawaban")

    findings.assert_empty()
