"""A rejection recommendation in the browser (issue 13, item 7): the tim teknis recommends
rejecting with its reasons; the file goes to the kepala, who sees the recommendation and its
reasons in the signing queue and on the preview, cannot sign a permit against it, rejects,
and the signed rejection letter is linked on the officers' file page and reaches the citizen.
Every page on the way is scanned with axe-core; screens are saved under
``test-results/rekomendasi-tolak/``.

Setup through factories and services (the service, the officers, a file in technical
review); every action of the officers goes through the browser.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from perizinan.models import Izin, Permohonan, SuratPenolakan
from perizinan.workflow import Status
from tests.browser.data import officers, sip_bidan, submitted_file
from tests.browser.support import Camera, Findings, log_in, needs_chromium, plain_text, scan
from tests.browser.support import label as field_label
from tests.factories import PASSWORD, UserFactory
from tests.perizinan.factories import Desk, advance

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]

CITIZEN_EMAIL = "petrus.nanang@contoh.test"
REASONS = "Lokasi praktik berada di kawasan lindung menurut RTRW Kabupaten Barito Timur."


def open_move(page, label: str):
    """Open the move's disclosure on the file page; returns its form."""
    page.locator("summary", has_text=label).first.click()
    return page.locator("details[open] form").filter(
        has=page.get_by_role("button", name=label, exact=True)
    )


def test_tim_teknis_recommends_rejection_and_the_kepala_rejects_with_a_signed_letter(site):
    service = sip_bidan()
    staff = officers()
    citizen = UserFactory(email=CITIZEN_EMAIL, full_name="Petrus Nanang")
    desk = Desk(fo=staff["fo"], bo=staff["bo"], kepala=staff["kepala"], tt=staff["tt"])
    permohonan = advance(submitted_file(citizen, service), Status.KAJIAN_TEKNIS, desk)
    findings = Findings()
    shot = Camera("rekomendasi-tolak")
    base = site.url
    file_path = f"/petugas/berkas/{permohonan.public_id}/"

    # --- The tim teknis recommends rejection, with reasons for the signer ------------------------
    tt = site.new_page()
    log_in(tt, base, staff["tt"].email, PASSWORD)
    tt.goto(f"{base}{file_path}")
    scan(tt, findings, "tim teknis: file")
    form = open_move(tt, "Rekomendasi tolak")
    assert form.get_by_label(re.compile("Catatan untuk pemohon")).count() == 0
    form.get_by_label(field_label("Alasan untuk petugas (wajib)")).fill(REASONS)
    shot(tt, "tim-teknis-rekomendasi")
    with tt.expect_navigation():
        form.get_by_role("button", name="Rekomendasi tolak", exact=True).click()
    permohonan.refresh_from_db()
    assert permohonan.status == Status.PENANDATANGANAN
    assert permohonan.recommendation == Permohonan.Rekomendasi.REJECTION
    assert not SuratPenolakan.objects.exists()  # a recommendation is not a decision

    # --- The kepala sees it in the signing queue and on the preview, with its reasons -----------
    kepala = site.new_page()
    log_in(kepala, base, staff["kepala"].email, PASSWORD)
    kepala.goto(f"{base}/petugas/tanda-tangan/")
    scan(kepala, findings, "kepala: signing queue")
    row = kepala.locator("tr").filter(has_text=permohonan.number)
    assert row.get_by_text("Rekomendasi tolak").is_visible()
    assert row.locator("input[type=checkbox]").count() == 0  # never signed in a batch
    shot(kepala, "antrean-tanda-tangan")
    with kepala.expect_navigation():
        row.get_by_role("link", name="Pratinjau dan putuskan").click()
    scan(kepala, findings, "kepala: preview")
    preview = kepala.get_by_role("main")
    assert REASONS in preview.locator("#rekomendasi").inner_text()
    assert preview.get_by_text("Surat Tanda Registrasi (STR) Bidan").is_visible()
    assert preview.get_by_role("button", name="Tanda tangani dan terbitkan izin").count() == 0
    shot(kepala, "pratinjau")

    # --- The kepala rejects on the file page: the reasons start from the recommendation ---------
    with kepala.expect_navigation():
        preview.get_by_role("link", name=re.compile("Putuskan")).click()
    scan(kepala, findings, "kepala: file")
    form = open_move(kepala, "Tolak permohonan")
    reasons_field = form.get_by_label(field_label("Alasan penolakan untuk pemohon (wajib)"))
    assert reasons_field.input_value().strip() == REASONS
    shot(kepala, "tolak")
    with kepala.expect_navigation():
        form.get_by_role("button", name="Tolak permohonan", exact=True).click()
    permohonan.refresh_from_db()
    assert permohonan.status == Status.DITOLAK
    letter = SuratPenolakan.objects.get(permohonan=permohonan)
    assert letter.decided_by == staff["kepala"]
    assert not Izin.objects.exists()

    # --- The letter exists and the officers' file page links it ---------------------------------
    kepala.goto(f"{base}{file_path}")
    scan(kepala, findings, "kepala: rejected file")
    assert kepala.get_by_text(f"Surat penolakan: {letter.number}").is_visible()
    shot(kepala, "surat-penolakan")
    with kepala.expect_download() as info:
        kepala.get_by_role("link", name="Unduh surat penolakan (PDF)").click()
    with open(info.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    assert letter.number in text
    assert REASONS in text

    # --- The citizen is told only now, with the kepala's reasons ------------------------------
    notice = site.mailbox.wait_for(CITIZEN_EMAIL, subject_contains="ditolak")
    assert REASONS in plain_text(notice)

    findings.assert_empty()
