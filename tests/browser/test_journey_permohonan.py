"""The citizen's journey in the browser, from sign-up to the permit's QR page and the survey,
with each officer doing their part in between. Every page on the way is scanned with axe-core
(WCAG 2.0/2.1/2.2 A and AA); key screens are saved under ``test-results/permohonan/``.

Setup through factories and services (the service, the officers, three earlier survey
answers); every action of the citizen and the officers goes through the browser. The
verification e-mail and the notifications are sent by the real Celery worker.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from accounts.demo import seed_kecamatan
from perizinan.models import Izin, Permohonan
from perizinan.workflow import Status
from tests.browser.data import earlier_survey_answers, officers, sip_bidan
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
from tests.factories import PASSWORD
from tests.perizinan.factories import VALID_NIK, jpeg_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]

CITIZEN_EMAIL = "siti.rahmawati@contoh.test"
CITIZEN_PASSWORD = "bidan-desa-matabu-2026"


def published_ikm(page, base_url: str) -> str:
    page.goto(f"{base_url}/statistik/")
    text = page.locator("#h-ikm + p").inner_text()
    match = re.search(r"IKM ([\d.,]+)", text)
    assert match, text
    return match.group(1)


def officer_move(page, label: str, note: str = "") -> None:
    """Open the move's disclosure on the file page, fill the note and submit."""
    page.locator("summary", has_text=label).first.click()
    form = page.locator("details[open] form").filter(
        has=page.get_by_role("button", name=label, exact=True)
    )
    if note:
        form.get_by_label(re.compile("Catatan untuk pemohon")).fill(note)
    with page.expect_navigation():
        form.get_by_role("button", name=label, exact=True).click()


def judge_every_document_valid(page) -> None:
    """Mark each document card of the file page "Sesuai" through its verdict form."""
    cards = page.locator("article.card").filter(has=page.get_by_role("radio", name="Sesuai"))
    for i in range(cards.count()):
        card = (
            page.locator("article.card").filter(has=page.get_by_role("radio", name="Sesuai")).nth(i)
        )
        card.get_by_role("radio", name="Sesuai").check()
        with page.expect_navigation():
            card.get_by_role("button", name="Simpan hasil pemeriksaan").click()


def test_citizen_applies_is_returned_fixes_and_receives_a_verifiable_permit(site):
    seed_kecamatan()
    service = sip_bidan()
    staff = officers()
    earlier_survey_answers(service, value=2)
    findings = Findings()
    shot = Camera("permohonan")
    base = site.url

    # --- Sign-up on a phone, the verification e-mail from the mailbox ---------------------------
    citizen = site.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    citizen.goto(f"{base}/akun/daftar/")
    scan(citizen, findings, "sign-up")
    citizen.get_by_label(label("E-mail")).fill(CITIZEN_EMAIL)
    citizen.get_by_label(label("Nama lengkap")).fill("Siti Rahmawati")
    citizen.get_by_label("Perorangan").check()
    citizen.get_by_label(label("Kata sandi")).fill(CITIZEN_PASSWORD)
    citizen.get_by_label(label("Ulangi kata sandi")).fill(CITIZEN_PASSWORD)
    shot(citizen, "daftar")
    with citizen.expect_navigation():
        citizen.get_by_role("main").get_by_role("button", name="Daftar").click()
    assert "/akun/daftar/terkirim/" in citizen.url
    scan(citizen, findings, "sign-up done")

    message = site.mailbox.wait_for(CITIZEN_EMAIL)
    link = next(u for u in links_in(plain_text(message)) if "/akun/verifikasi/" in u)
    assert link.startswith(base)
    citizen.goto(link)
    scan(citizen, findings, "verify e-mail")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Verifikasi e-mail saya").click()
    shot(citizen, "terverifikasi")

    # --- Log in, fill the profile --------------------------------------------------------------
    log_in(citizen, base, CITIZEN_EMAIL, CITIZEN_PASSWORD)
    citizen.goto(f"{base}/akun/profil/")
    scan(citizen, findings, "profile")
    citizen.get_by_label(label("NIK")).fill(VALID_NIK)
    citizen.get_by_label(label("Nomor telepon")).fill("081234567890")
    citizen.get_by_label(label("Alamat")).fill("Jl. Tjilik Riwut No. 12")
    citizen.get_by_label(label("Kecamatan")).select_option(label="Dusun Tengah")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Simpan profil").click()
    shot(citizen, "profil")

    # --- Apply for sip-bidan with uploads ------------------------------------------------------
    citizen.goto(f"{base}/layanan/sip-bidan/")
    scan(citizen, findings, "service standard")
    citizen.get_by_role("link", name="Ajukan permohonan").click()
    scan(citizen, findings, "apply: start")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Mulai mengisi permohonan").click()
    scan(citizen, findings, "apply: step 1")
    assert (
        citizen.get_by_label(label("NIK")).input_value() == VALID_NIK
    )  # prefilled from the profile
    shot(citizen, "langkah-1")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Simpan dan lanjut").click()
    scan(citizen, findings, "apply: step 2")
    citizen.get_by_label(label("Alamat tempat praktik")).fill("Desa Matabu, Dusun Tengah")
    citizen.get_by_label(label("Jenis praktik")).select_option("Mandiri")
    shot(citizen, "langkah-2")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Simpan dan lanjut").click()
    scan(citizen, findings, "apply: step 3")
    str_file = {"name": "str-bidan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    photo = {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    for requirement, payload in (("Surat Tanda Registrasi", str_file), ("Pas foto", photo)):
        card = citizen.locator("li.card").filter(has_text=requirement)
        card.locator("input[type=file]").set_input_files(payload)
        with citizen.expect_navigation():
            card.get_by_role("button", name="Unggah").click()
        assert (
            citizen.locator("li.card")
            .filter(has_text=requirement)
            .get_by_text("Tersimpan")
            .is_visible()
        )
    scan(citizen, findings, "apply: step 3 with uploads")
    shot(citizen, "langkah-3-unggahan")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Simpan dan lanjut").click()
    scan(citizen, findings, "apply: step 4")
    citizen.get_by_label(re.compile("benar")).check()
    shot(citizen, "langkah-4")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Ajukan permohonan").click()

    permohonan = Permohonan.objects.get(applicant__email=CITIZEN_EMAIL)
    assert permohonan.status == Status.DIAJUKAN
    assert re.fullmatch(r"BTM-\d{4}-\d{6}", permohonan.number)
    receipt = citizen.locator("main").inner_text()
    assert permohonan.number in receipt and permohonan.pin in receipt
    scan(citizen, findings, "receipt")
    shot(citizen, "tanda-terima")

    # --- Anyone tracks it with number and PIN --------------------------------------------------
    visitor = site.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    visitor.goto(f"{base}/lacak/")
    visitor.get_by_label(label("Nomor permohonan")).fill(permohonan.number)
    visitor.get_by_label(label("PIN")).fill(permohonan.pin)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Lacak").click()
    assert "Diajukan" in visitor.locator("#h-result").locator("..").inner_text()
    scan(visitor, findings, "tracking result")
    shot(visitor, "lacak")

    # --- The front office returns the photo for correction -------------------------------------
    fo = site.new_page()
    log_in(fo, base, staff["fo"].email, PASSWORD)
    fo.goto(f"{base}/petugas/")
    scan(fo, findings, "front office: dashboard")
    fo.goto(f"{base}/petugas/berkas/?status=diajukan")
    scan(fo, findings, "front office: queue")
    with fo.expect_navigation():
        fo.get_by_role("link", name=permohonan.number).first.click()
    scan(fo, findings, "front office: file")
    officer_move(fo, "Mulai verifikasi")
    photo_card = fo.locator("article.card").filter(has_text="Pas foto")
    photo_card.get_by_role("radio", name="Perlu diperbaiki").check()
    photo_card.get_by_label(re.compile("Catatan")).fill("Foto buram; unggah pas foto yang jelas.")
    with fo.expect_navigation():
        photo_card.get_by_role("button", name="Simpan hasil pemeriksaan").click()
    scan(fo, findings, "front office: file in verification")
    officer_move(fo, "Kembalikan untuk dilengkapi", note="Mohon ganti pas foto.")
    shot(fo, "fo-dikembalikan")
    permohonan.refresh_from_db()
    assert permohonan.status == Status.DIKEMBALIKAN

    # --- The citizen is notified (in the app and by e-mail), fixes and resubmits ---------------
    returned = f"Permohonan {permohonan.number} perlu Anda lengkapi"
    notice = site.mailbox.wait_for(CITIZEN_EMAIL, subject_contains=returned)
    assert "Mohon ganti pas foto." in plain_text(notice)
    citizen.goto(f"{base}/notifikasi/")
    scan(citizen, findings, "notifications")
    assert citizen.get_by_role("heading", name=re.compile(returned)).is_visible()
    shot(citizen, "notifikasi")
    citizen.goto(f"{base}/permohonan/{permohonan.public_id}/")
    scan(citizen, findings, "returned file")
    assert "Foto buram" in citizen.locator("#h-correction").locator("..").inner_text()
    with citizen.expect_navigation():
        citizen.get_by_role("link", name="Perbaiki dan ajukan ulang").click()
    citizen.goto(f"{base}/permohonan/{permohonan.public_id}/langkah/3/")
    card = citizen.locator("li.card").filter(has_text="Pas foto")
    card.locator("input[type=file]").set_input_files({**photo, "name": "foto-baru.jpg"})
    with citizen.expect_navigation():
        card.get_by_role("button", name="Unggah").click()
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Simpan dan lanjut").click()
    citizen.get_by_label(re.compile("benar")).check()
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Ajukan ulang").click()
    permohonan.refresh_from_db()
    assert permohonan.status == Status.DIAJUKAN
    shot(citizen, "diajukan-ulang")

    # --- Front office registers, back office forwards, tim teknis Dinkes recommends -------------
    fo.goto(f"{base}/petugas/berkas/{permohonan.public_id}/")
    officer_move(fo, "Mulai verifikasi")
    # Registering needs the verdict "Sesuai" on every current document, the new photo too.
    judge_every_document_valid(fo)
    officer_move(fo, "Nyatakan lengkap dan daftarkan")
    permohonan.refresh_from_db()
    assert permohonan.status == Status.TERDAFTAR

    bo = site.new_page()
    log_in(bo, base, staff["bo"].email, PASSWORD)
    bo.goto(f"{base}/petugas/berkas/{permohonan.public_id}/")
    scan(bo, findings, "back office: file")
    officer_move(bo, "Teruskan ke tim teknis")
    permohonan.refresh_from_db()
    assert permohonan.status == Status.KAJIAN_TEKNIS

    tt = site.new_page()
    log_in(tt, base, staff["tt"].email, PASSWORD)
    tt.goto(f"{base}/petugas/berkas/")
    scan(tt, findings, "tim teknis: queue")
    with tt.expect_navigation():
        tt.get_by_role("link", name=permohonan.number).first.click()
    scan(tt, findings, "tim teknis: file")
    officer_move(tt, "Rekomendasi setuju")
    shot(tt, "tim-teknis-rekomendasi")
    permohonan.refresh_from_db()
    assert permohonan.status == Status.PENANDATANGANAN

    # --- The head signs -------------------------------------------------------------------------
    kepala = site.new_page()
    log_in(kepala, base, staff["kepala"].email, PASSWORD)
    kepala.goto(f"{base}/petugas/tanda-tangan/")
    scan(kepala, findings, "kepala: signing queue")
    kepala.goto(f"{base}/petugas/tanda-tangan/{permohonan.public_id}/")
    scan(kepala, findings, "kepala: permit preview")
    shot(kepala, "kepala-pratinjau")
    with kepala.expect_navigation():
        kepala.get_by_role("button", name="Tanda tangani dan terbitkan izin").click()
    permohonan.refresh_from_db()
    assert permohonan.status == Status.TERBIT
    izin = Izin.objects.get(permohonan=permohonan)

    # --- The citizen downloads the permit and checks its QR page ------------------------------
    citizen.goto(f"{base}/permohonan/{permohonan.public_id}/")
    scan(citizen, findings, "issued file")
    shot(citizen, "izin-terbit")
    with citizen.expect_download() as info:
        citizen.get_by_role("link", name="Unduh izin (PDF)").click()
    reader = PdfReader(io.BytesIO(open(info.value.path(), "rb").read()))  # noqa: SIM115
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert izin.number in text
    qr_links = [
        annotation.get_object()["/A"]["/URI"]
        for pdf_page in reader.pages
        for annotation in pdf_page.get("/Annots", [])
        if "/A" in annotation.get_object() and "/URI" in annotation.get_object()["/A"]
    ]
    verification = f"{base}/verifikasi/{izin.verification_token}/"
    assert verification in qr_links, qr_links
    citizen.goto(verification)
    assert "Izin ini asli dan berlaku." in citizen.locator("main").inner_text()
    scan(citizen, findings, "permit verification page")
    shot(citizen, "verifikasi-qr")

    # --- The survey after issuance moves the published IKM -------------------------------------
    before = published_ikm(visitor, base)
    invitation = site.mailbox.wait_for(CITIZEN_EMAIL, subject_contains="Survei kepuasan")
    survey_url = next(u for u in links_in(plain_text(invitation)) if "/survei/" in u)
    citizen.goto(survey_url)
    scan(citizen, findings, "survey")
    for group in citizen.locator("fieldset").all():
        radios = group.locator("input[type=radio]")
        if radios.count():
            radios.last.check()
    for select in citizen.locator("main select").all():
        select.select_option(index=1)
    shot(citizen, "survei")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name=re.compile("Kirim")).click()
    assert "/survei/terima-kasih/" in citizen.url
    # /statistik/ is public and cacheable for five minutes: a new visitor (empty browser cache)
    # sees the recomputed index at once, because a survey answer invalidates the server cache.
    newcomer = site.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    after = published_ikm(newcomer, base)
    scan(newcomer, findings, "statistics")
    shot(newcomer, "statistik")
    assert after != before, f"IKM stayed {before}"
    assert float(after.replace(",", ".")) > float(before.replace(",", "."))

    findings.assert_empty()
