"""Issue 13, item 1 in the browser: a walk-in without e-mail at the counter. The front office
enters the file and prints the applicant's receipt (the only sheet with the PIN); returns it for
a correction; the walk-in reads on /lacak/ what to fix and by when; the front office corrects
it on the walk-in's behalf; later the person takes the file into their own verified account
with number and PIN. Pages scanned with axe-core; screens under ``test-results/loket/``."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from accounts.demo import seed_kecamatan
from perizinan.models import Permohonan
from perizinan.workflow import Status
from tests.browser.data import officers, sip_bidan
from tests.browser.support import PHONE, Camera, Findings, label, log_in, needs_chromium, scan
from tests.browser.test_journey_permohonan import officer_move
from tests.factories import PASSWORD, UserFactory
from tests.perizinan.factories import VALID_NIK, jpeg_bytes, make_service, pdf_bytes

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_walk_in_without_email_is_served_at_the_counter_end_to_end(site):
    seed_kecamatan()
    service = sip_bidan()
    staff = officers()
    findings = Findings()
    shot = Camera("loket")
    base = site.url
    str_file = {"name": "str.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    photo = {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}

    # --- The front office enters the file for the walk-in (no e-mail) -------------------------
    other = make_service(name="Izin Apotek")
    fo = site.new_page()
    log_in(fo, base, staff["fo"].email, PASSWORD)
    fo.goto(f"{base}/petugas/loket/")
    scan(fo, findings, "counter: services")
    fo.get_by_label("Cari layanan").fill("praktik bid")  # filters as one types
    services = fo.locator("#counter-services")
    assert services.get_by_role("link", name=service.name).is_visible()
    assert not services.get_by_role("link", name=other.name).is_visible()
    with fo.expect_navigation():
        services.get_by_role("link", name=service.name).click()
    assert fo.url.endswith(f"/petugas/loket/{service.slug}/")
    scan(fo, findings, "counter entry")
    fo.get_by_label("Perorangan").check()
    fo.locator("[name=p-full_name]").fill("Maria Walk-in")
    fo.locator("[name=p-nik]").fill(VALID_NIK)
    fo.locator("[name=p-phone]").fill("081234500011")
    fo.locator("[name=p-address]").fill("Desa Matabu")
    fo.get_by_label(label("Alamat tempat praktik")).fill("Desa Matabu, Dusun Tengah")
    fo.get_by_label(label("Jenis praktik")).select_option("Mandiri")
    first, second = service.persyaratan.order_by("order")
    fo.locator(f"[name=d-dok_{first.pk}]").set_input_files(str_file)
    fo.locator(f"[name=d-dok_{second.pk}]").set_input_files(photo)
    fo.locator("[name=d-declaration]").check()
    with fo.expect_navigation():
        fo.get_by_role("button", name="Ajukan atas nama pemohon").click()
    permohonan = Permohonan.objects.get(jenis_izin=service)
    assert permohonan.status == Status.VERIFIKASI  # checked at the counter
    assert "/petugas/berkas/" in fo.url
    assert permohonan.pin not in fo.locator("main").inner_text()
    scan(fo, findings, "file page after the entry")
    shot(fo, "berkas-loket")

    # --- The applicant's receipt: the PIN, printed once -----------------------------------------
    with fo.expect_download() as download:
        fo.get_by_role("button", name="Cetak tanda terima pemohon (dengan PIN)").click()
    sheet = pdf_text(Path(download.value.path()).read_bytes())
    assert permohonan.number in sheet and permohonan.pin in sheet
    fo.reload()
    assert fo.get_by_role("button", name="Cetak ulang dengan PIN baru").is_visible()
    assert permohonan.pin not in fo.locator("main").inner_text()

    # --- Returned for a correction ----------------------------------------------------------------
    photo_card = fo.locator("article.card").filter(has_text="Pas foto")
    photo_card.get_by_role("radio", name="Perlu diperbaiki").check()
    photo_card.get_by_label(re.compile("Catatan")).fill("Foto buram")
    with fo.expect_navigation():
        photo_card.get_by_role("button", name="Simpan hasil pemeriksaan").click()
    officer_move(fo, "Kembalikan untuk dilengkapi", note="Bawa pas foto yang jelas ke loket.")
    permohonan.refresh_from_db()
    assert permohonan.status == Status.DIKEMBALIKAN and permohonan.fix_due_date

    # --- The walk-in reads on /lacak/ what to fix and by when (number and PIN of the sheet) ------
    visitor = site.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    visitor.goto(f"{base}/lacak/")
    visitor.get_by_label(label("Nomor permohonan")).fill(permohonan.number)
    visitor.get_by_label(label("PIN")).fill(permohonan.pin)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Lacak").click()
    result = visitor.locator("#h-result").locator("..").inner_text()
    assert "Bawa pas foto yang jelas ke loket." in result
    assert "Kirim perbaikan paling lambat" in result
    scan(visitor, findings, "tracking a returned counter file")
    shot(visitor, "lacak-dikembalikan")

    # --- Back at the counter: the front office corrects it on the walk-in's behalf -------------
    with fo.expect_navigation():
        fo.get_by_role("link", name="Perbaiki di loket atas nama pemohon").click()
    scan(fo, findings, "counter correction")
    fo.locator(f"[name=d-dok_{second.pk}]").set_input_files({**photo, "name": "foto-baru.jpg"})
    fo.locator("[name=d-declaration]").check()
    shot(fo, "perbaiki-di-loket")
    with fo.expect_navigation():
        fo.get_by_role("button", name="Kirim perbaikan atas nama pemohon").click()
    permohonan.refresh_from_db()
    assert permohonan.status == Status.VERIFIKASI
    assert "Diperbaiki di loket atas nama pemohon" in fo.locator("#riwayat").inner_text()

    # --- Later the person takes the file into their own account ---------------------------------
    own = UserFactory(email="maria@contoh.test", full_name="Maria")
    citizen = site.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(citizen, base, own.email, PASSWORD)
    citizen.goto(f"{base}/permohonan/klaim/")
    scan(citizen, findings, "claim")
    citizen.get_by_label(label("Nomor permohonan")).fill(permohonan.number)
    citizen.get_by_label(label("PIN")).fill(permohonan.pin)
    with citizen.expect_navigation():
        citizen.locator("main form button[type=submit]").click()
    permohonan.refresh_from_db()
    assert permohonan.applicant == own
    shot(citizen, "diklaim")
    findings.assert_empty()
