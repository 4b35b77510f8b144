"""The holder's renewal journey in the browser (issue 13 item 12): the expiry reminder e-mail
leads to the file page, whose permit box starts a renewal prefilled from the permit (data,
fields, documents); the renewal is submitted, processed and signed, and the old permit's
verification page then says it was superseded, with a link to the new one. Every page on the
way is scanned with axe-core; key screens are saved under ``test-results/perpanjangan/``.

Setup through factories and services (the service, the officers, the issued permit, its end
date moved into the reminder window); the citizen's actions and the head's signature go
through the browser; the front office, back office and tim teknis moves (walked by the
permit journey) go through the services. The reminder is delivered by the real Celery worker.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.demo import seed_kecamatan
from perizinan.models import Izin, Permohonan
from perizinan.notifications import digests
from perizinan.services.izin import sign_permohonan
from perizinan.workflow import Status
from tests.browser.data import officers, sip_bidan, submitted_file
from tests.browser.support import (
    PHONE,
    Camera,
    Findings,
    label,
    links_in,
    log_in,
    needs_chromium,
    plain_text,
    scan,
)
from tests.factories import PASSWORD, UserFactory
from tests.perizinan.factories import VALID_NIK, Desk, advance

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]

HOLDER_EMAIL = "bidan.renewal@contoh.test"


def test_holder_renews_an_expiring_permit_from_the_reminder(site):
    seed_kecamatan()
    service = sip_bidan()
    staff = officers()
    desk = Desk(fo=staff["fo"], bo=staff["bo"], kepala=staff["kepala"], tt=staff["tt"])
    holder = UserFactory(email=HOLDER_EMAIL, full_name="Siti Rahmawati", nik=VALID_NIK)
    first = advance(submitted_file(holder, service), Status.PENANDATANGANAN, desk)
    old = sign_permohonan(first, actor=staff["kepala"])
    ends = timezone.localdate() + dt.timedelta(days=30)
    Izin.objects.filter(pk=old.pk).update(valid_until=ends)
    findings = Findings()
    shot = Camera("perpanjangan")
    base = site.url

    # --- The 30-day reminder reaches the holder, with a link to the file --------------------------
    assert digests.queue_expiry_reminders() > 0
    message = site.mailbox.wait_for(HOLDER_EMAIL, subject_contains="berakhir dalam 30 hari")
    link = next(u for u in links_in(plain_text(message)) if "/permohonan/" in u)
    assert link.startswith(base)

    citizen = site.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(citizen, base, HOLDER_EMAIL, PASSWORD)
    citizen.goto(link)
    scan(citizen, findings, "issued file with renewal")
    shot(citizen, "izin-akan-berakhir")

    # --- Renewal: a draft prefilled from the permit ---------------------------------------------
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Ajukan perpanjangan").click()
    renewal = Permohonan.objects.get(previous_izin=old)
    assert (renewal.kind, renewal.status) == (Permohonan.Kind.PERPANJANGAN, Status.DRAFT)
    assert f"/permohonan/{renewal.public_id}/langkah/1/" in citizen.url
    scan(citizen, findings, "renewal: step 1")
    assert citizen.get_by_label(label("NIK")).input_value() == VALID_NIK
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Simpan dan lanjut").click()
    scan(citizen, findings, "renewal: step 2")
    assert citizen.get_by_label(label("Alamat tempat praktik")).input_value() == "Desa Matabu"
    citizen.get_by_label(label("Alamat tempat praktik")).fill("Desa Matabu, Dusun Tengah")
    shot(citizen, "langkah-2-terisi")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Simpan dan lanjut").click()
    scan(citizen, findings, "renewal: step 3")
    for requirement in ("Surat Tanda Registrasi", "Pas foto"):  # carried over from the permit
        card = citizen.locator("li.card").filter(has_text=requirement)
        assert card.get_by_text("Tersimpan").is_visible(), requirement
    shot(citizen, "langkah-3-dokumen-lama")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Simpan dan lanjut").click()
    scan(citizen, findings, "renewal: step 4")
    citizen.get_by_label(re.compile("benar")).check()
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Ajukan permohonan").click()
    renewal.refresh_from_db()
    assert renewal.status == Status.DIAJUKAN and renewal.number

    citizen.goto(f"{base}/permohonan/{renewal.public_id}/")
    assert f"dari izin nomor {old.number}" in citizen.locator("main").inner_text()
    scan(citizen, findings, "renewal file")

    # --- Processed as any file; the head signs it ----------------------------------------------
    advance(renewal, Status.PENANDATANGANAN, desk)
    kepala = site.new_page()
    log_in(kepala, base, staff["kepala"].email, PASSWORD)
    kepala.goto(f"{base}/petugas/tanda-tangan/{renewal.public_id}/")
    scan(kepala, findings, "kepala: renewal preview")
    assert f"sebagai perpanjangan atas izin nomor {old.number}" in kepala.locator(
        "main"
    ).inner_text().replace("\n", " ")
    with kepala.expect_navigation():
        kepala.get_by_role("button", name="Tanda tangani dan terbitkan izin").click()
    renewal.refresh_from_db()
    assert renewal.status == Status.TERBIT
    new = Izin.objects.get(permohonan=renewal)
    old.refresh_from_db()
    assert old.status == Izin.Status.SUPERSEDED and old.superseded_by_id == new.pk
    assert new.valid_until > ends  # counted from the day after the old one ends

    # --- The holder downloads the new permit; the old QR page points to it ------------------------
    citizen.goto(f"{base}/permohonan/{renewal.public_id}/")
    with citizen.expect_download() as info:
        citizen.get_by_role("link", name="Unduh izin (PDF)").click()
    reader = PdfReader(io.BytesIO(open(info.value.path(), "rb").read()))  # noqa: SIM115
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert new.number in text and f"Perpanjangan izin nomor {old.number}" in text
    assert "Desa Matabu, Dusun Tengah" in text

    citizen.goto(f"{base}/verifikasi/{old.verification_token}/")
    body = citizen.locator("main").inner_text()
    assert "sudah diganti dan tidak berlaku lagi" in body and new.number in body
    scan(citizen, findings, "superseded verification page")
    shot(citizen, "verifikasi-diganti")
    with citizen.expect_navigation():
        citizen.get_by_role("link", name="Periksa izin pengganti").click()
    assert f"/verifikasi/{new.verification_token}/" in citizen.url
    assert "Izin ini asli dan berlaku." in citizen.locator("main").inner_text()
    scan(citizen, findings, "new verification page")
    shot(citizen, "verifikasi-baru")

    findings.assert_empty()
