"""An admin moves authorities in Django admin with the bulk action; the history records it.
Pages scanned with axe-core; screens under ``test-results/admin/``."""

from __future__ import annotations

import pytest

from kewenangan.models import Kewenangan, Pelimpahan
from tests.browser.data import ids_past_a_thousand
from tests.browser.support import Camera, Findings, log_in, needs_chromium, scan
from tests.factories import PASSWORD, KewenanganFactory, PerangkatDaerahFactory, UserFactory

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]


def test_admin_delegates_selected_authorities_with_the_bulk_action(site):
    ids_past_a_thousand(Kewenangan)
    PerangkatDaerahFactory(dpmptsp=True)
    first = KewenanganFactory(code="KES-101", name="Izin apotek")
    second = KewenanganFactory(code="KES-102", name="Izin toko obat")
    untouched = KewenanganFactory(code="KES-103", name="Izin klinik")
    admin = UserFactory(email="admin@contoh.test", admin=True)
    findings = Findings()
    shot = Camera("admin")
    base = site.url

    page = site.new_page()
    log_in(page, base, admin.email, PASSWORD)
    page.goto(f"{base}/admin/")
    scan(page, findings, "admin index")
    shot(page, "beranda-admin")
    page.goto(f"{base}/admin/kewenangan/kewenangan/")
    scan(page, findings, "admin: authorities")
    for kewenangan in (first, second):
        page.locator(f"input[name=_selected_action][value='{kewenangan.pk}']").check()
    page.locator("select[name=action]").select_option("reassign_selected")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    scan(page, findings, "admin: bulk action form")
    page.get_by_label("Limpahkan ke DPMPTSP").check()
    page.get_by_label("Nomor Perbup / dasar hukum").fill("Perbup Barito Timur Nomor 5 Tahun 2026")
    page.get_by_label("Tanggal Perbup / berlaku sejak").fill("2026-02-02")
    page.get_by_label("Alasan").fill("Pelimpahan tahap kedua")
    shot(page, "aksi-massal")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan dan catat riwayat").click()
    assert "2 kewenangan diubah" in page.locator("body").inner_text()
    scan(page, findings, "admin: after the action")
    shot(page, "hasil")

    assert set(Kewenangan.objects.filter(delegated=True).values_list("code", flat=True)) == {
        "KES-101",
        "KES-102",
    }
    untouched.refresh_from_db()
    assert not untouched.delegated
    history = Pelimpahan.objects.filter(kewenangan__in=[first, second], to_delegated=True)
    assert history.count() == 2
    assert {h.changed_by_id for h in history} == {admin.pk}

    findings.assert_empty()
