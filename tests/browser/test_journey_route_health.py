"""Issue 13, item 2 in the browser: an admin returns an authority to Dinas Kesehatan, which has
only its technical team. Django admin refuses it and names the roles the new route lacks; the
admin saves it with the explicit override; the next application lands where nobody can act, and
the admin hears of it and finds it on the route health page. Pages scanned with axe-core;
screens under ``test-results/rute/``."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kewenangan.models import Kewenangan, Pelimpahan
from notifikasi.models import Notifikasi
from perizinan.route_health import ROUTE_GAP_EVENT
from tests.browser.data import ids_past_a_thousand
from tests.browser.support import Camera, Findings, log_in, needs_chromium, scan
from tests.factories import PASSWORD, PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import make_service, submitted

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]


def test_an_admin_is_stopped_from_pointing_a_route_at_nobody_and_sees_the_stuck_file(site):
    ids_past_a_thousand(Kewenangan)
    PerangkatDaerahFactory(dpmptsp=True)
    dinkes = PerangkatDaerahFactory(dinkes=True)
    for role in ("front_office", "back_office", "kepala"):
        UserFactory(email=f"{role}@contoh.test", **{role: True})
    UserFactory(email="teknis.dinkes@contoh.test", tim_teknis=True, opd=dinkes)
    service = make_service(name="Surat Izin Praktik Bidan (SIPB)")
    kewenangan = service.kewenangan
    assert kewenangan.delegated
    admin = UserFactory(email="admin@contoh.test", admin=True)
    findings = Findings()
    shot = Camera("rute")
    base = site.url

    page = site.new_page()
    log_in(page, base, admin.email, PASSWORD)
    page.goto(f"{base}/admin/kewenangan/kewenangan/{kewenangan.pk}/change/")
    scan(page, findings, "admin: authority")
    page.locator("[name=delegated]").uncheck()
    page.locator("[name=change_legal_basis]").fill("Perbup Barito Timur Nomor 1 Tahun 2027")
    page.locator("[name=change_effective_date]").fill(timezone.localdate().isoformat())
    page.locator("[name=change_reason]").fill("Dikembalikan ke Dinkes")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    refusal = page.locator("main, #content").first.inner_text()
    for role in ("Front office di Dinkes", "Back office di Dinkes", "Kepala"):
        assert role in refusal, refusal[:2000]
    kewenangan.refresh_from_db()
    assert kewenangan.delegated and not Pelimpahan.objects.filter(kewenangan=kewenangan).exists()
    scan(page, findings, "admin: refused route")
    shot(page, "ditolak-tanpa-petugas")

    page.locator("[name=override_route_gaps]").check()
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    kewenangan.refresh_from_db()
    assert not kewenangan.delegated
    assert Pelimpahan.objects.filter(kewenangan=kewenangan).exists()

    # The next application lands at Dinkes, where nobody works the counter.
    permohonan = submitted(service=service)
    assert permohonan.processing_opd == dinkes
    assert Notifikasi.objects.filter(event=ROUTE_GAP_EVENT, recipient=admin).exists()
    page.goto(f"{base}/notifikasi/")
    assert permohonan.number in page.locator("main").inner_text()
    page.goto(f"{base}/petugas/kesehatan-rute/")
    scan(page, findings, "route health")
    health = page.locator("main").inner_text()
    assert permohonan.number in health and "Front office di Dinkes" in health
    shot(page, "kesehatan-rute")
    findings.assert_empty()
    # Django admin's own jQuery (inlines.js on a change form) applies inline styles that the
    # site's strict CSP blocks; nothing of the form depends on them. Known and left as is (see
    # the issue note); our pages are held to the CSP without exception.
    site.page_errors.items = [
        item
        for item in site.page_errors.items
        if not ("/admin/" in item and "Applying inline style" in item)
    ]
