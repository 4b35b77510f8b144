"""Issue 13, item 1: a counter file after its entry. The applicant's receipt shows the PIN once
(the office's copy never); the front office corrects a returned counter file on the applicant's
behalf (recorded with who and when); the applicant reads on /lacak/ what to fix and by when."""

from __future__ import annotations

import pytest
from django.urls import reverse

from perizinan import selectors, services
from perizinan.models import AktivitasBerkas, Permohonan
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import pdf_upload
from tests.perizinan.izin_support import pdf_text
from tests.perizinan.test_counter import _counter_post, enter, make_service

pytestmark = pytest.mark.django_db


def file_url(permohonan):
    return reverse("petugas:file", args=[permohonan.public_id])


def receipt_url(permohonan):
    return reverse("petugas:applicant_receipt", args=[permohonan.public_id])


def entered(client, officer=None):
    service = make_service()
    officer = officer or UserFactory(front_office=True)
    client.force_login(officer)
    response = client.post(
        reverse("petugas:counter_entry", args=[service.slug]), _counter_post(service)
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#tanda-terima")
    return Permohonan.objects.get(jenis_izin=service), officer


def test_the_officers_screen_never_shows_the_pin_and_links_the_receipts(client):
    permohonan, _officer = entered(client)
    body = client.get(file_url(permohonan)).content.decode()
    assert permohonan.pin not in body
    assert reverse("perizinan:tanda_terima", args=[permohonan.public_id]) in body
    assert receipt_url(permohonan) in body
    office_copy = client.get(reverse("perizinan:tanda_terima", args=[permohonan.public_id]))
    assert permohonan.pin not in office_copy.content.decode()
    assert "Salinan kantor" in office_copy.content.decode()
    office_pdf = client.get(reverse("perizinan:tanda_terima_pdf", args=[permohonan.public_id]))
    text = pdf_text(office_pdf.content)
    assert permohonan.pin not in text and "tidak dicetak" in text
    assert "SALINAN KANTOR" in text


def test_the_applicants_receipt_shows_the_pin_once_and_a_reprint_changes_it(client):
    permohonan, officer = entered(client)
    first = client.post(receipt_url(permohonan))
    assert first["Content-Type"] == "application/pdf"
    text = pdf_text(first.content)
    assert permohonan.pin in text
    assert "dicetak satu kali" in text
    permohonan.refresh_from_db()
    assert permohonan.pin_printed_at is not None
    assert AktivitasBerkas.objects.filter(
        permohonan=permohonan, kind="receipt_printed", actor=officer
    ).exists()

    again = client.post(receipt_url(permohonan))
    assert again.status_code == 302  # refused: the PIN is printed once
    assert permohonan.pin not in client.get(again["Location"]).content.decode()
    old_pin = permohonan.pin
    reprint = client.post(receipt_url(permohonan), {"new_pin": "1"})
    permohonan.refresh_from_db()
    assert permohonan.pin != old_pin
    assert permohonan.pin in pdf_text(reprint.content)
    assert selectors.track(permohonan.number, old_pin) is None
    assert AktivitasBerkas.objects.filter(permohonan=permohonan, kind="pin_reissued").exists()


def test_only_the_front_office_of_the_processing_office_prints_it(client):
    permohonan, _officer = entered(client)
    client.force_login(UserFactory(back_office=True))
    refused = client.post(receipt_url(permohonan), follow=True)
    assert "Tanda terima pemohon dicetak petugas loket" in refused.content.decode()
    client.force_login(UserFactory(front_office=True, opd=PerangkatDaerahFactory(pupr=True)))
    assert client.post(receipt_url(permohonan)).status_code == 404
    permohonan.refresh_from_db()
    assert permohonan.pin_printed_at is None


def test_an_online_file_has_no_counter_receipt(client):
    from tests.perizinan.factories import submitted

    permohonan = submitted()
    officer = UserFactory(front_office=True)
    client.force_login(officer)
    assert receipt_url(permohonan) not in client.get(file_url(permohonan)).content.decode()
    response = client.post(receipt_url(permohonan))
    assert response.status_code == 302
    permohonan.refresh_from_db()
    assert permohonan.pin_printed_at is None


def returned(officer, permohonan, document=True):
    if permohonan.status == Status.DIAJUKAN:
        permohonan = services.transition(permohonan, name="start_verification", actor=officer)
    if document:
        doc = permohonan.dokumen.filter(is_current=True).order_by("id").first()
        services.judge_document(doc, actor=officer, verdict="needs_correction", note="Foto buram")
    return services.transition(
        permohonan,
        name="return_for_correction",
        actor=officer,
        note="Ganti foto KTP",
        fields_to_fix=["applicant"],
    )


def fix_post(permohonan, **extra):
    data = _counter_post(permohonan.jenis_izin)
    data.pop("p-email")
    for key in [k for k in data if k.startswith("d-dok_")]:
        del data[key]
    doc = permohonan.dokumen.filter(is_current=True).order_by("id").first()
    data[f"d-dok_{doc.persyaratan_id}"] = pdf_upload("ktp-baru.pdf")
    data["p-address"] = "Jl. Baru 2, Desa Matabu"
    data.update(extra)
    return data


def test_another_front_office_officer_corrects_a_returned_counter_file_for_the_applicant(client):
    entering = UserFactory(front_office=True)
    result = enter(make_service(), officer=entering)
    permohonan = returned(entering, result.permohonan)
    colleague = UserFactory(front_office=True, email="fo.siang@contoh.test")
    client.force_login(colleague)
    page = client.get(file_url(permohonan)).content.decode()
    fix_url = reverse("petugas:counter_fix", args=[permohonan.public_id])
    assert fix_url in page
    form = client.get(fix_url)
    assert form.status_code == 200
    assert "Ganti foto KTP" in form.content.decode()
    response = client.post(fix_url, fix_post(permohonan))
    assert response.status_code == 302, response.content.decode()[:2000]
    permohonan.refresh_from_db()
    assert permohonan.status == Status.VERIFIKASI  # handed in and checked at the counter
    assert permohonan.applicant_data["address"] == "Jl. Baru 2, Desa Matabu"
    resubmit = permohonan.riwayat.get(transition="resubmit")
    assert (resubmit.actor, resubmit.actor_role) == (colleague, "front_office")
    fix = AktivitasBerkas.objects.get(permohonan=permohonan, kind="assisted_fix")
    assert fix.actor == colleague and fix.data["documents_replaced"] == 1
    history = client.get(file_url(permohonan)).content.decode()
    assert "Diperbaiki di loket atas nama pemohon" in history


def test_a_refused_correction_keeps_the_file_as_it_was(client):
    officer = UserFactory(front_office=True)
    permohonan = returned(officer, enter(make_service(), officer=officer).permohonan)
    client.force_login(officer)
    data = fix_post(permohonan)
    del data["d-declaration"]
    response = client.post(reverse("petugas:counter_fix", args=[permohonan.public_id]), data)
    assert response.status_code == 400
    assert "Jl. Baru 2" in response.content.decode()  # what was typed is still there
    permohonan.refresh_from_db()
    assert permohonan.status == Status.DIKEMBALIKAN
    assert permohonan.applicant_data["address"] != "Jl. Baru 2, Desa Matabu"


def test_a_still_wrong_document_must_be_replaced(client):
    officer = UserFactory(front_office=True)
    permohonan = returned(officer, enter(make_service(), officer=officer).permohonan)
    client.force_login(officer)
    data = fix_post(permohonan)
    for key in [k for k in data if k.startswith("d-dok_")]:
        del data[key]
    response = client.post(reverse("petugas:counter_fix", args=[permohonan.public_id]), data)
    assert response.status_code == 400
    permohonan.refresh_from_db()
    assert permohonan.status == Status.DIKEMBALIKAN


def test_the_correction_page_is_only_for_counter_files_waiting_for_the_applicant(client):
    from tests.perizinan.factories import submitted

    officer = UserFactory(front_office=True)
    online = submitted()
    services.transition(online, name="start_verification", actor=officer)
    services.transition(online, name="return_for_correction", actor=officer, note="x")
    client.force_login(officer)
    assert client.get(reverse("petugas:counter_fix", args=[online.public_id])).status_code == 404
    counter_file = enter(make_service(), officer=officer).permohonan
    url = reverse("petugas:counter_fix", args=[counter_file.public_id])
    assert client.get(url).status_code == 404  # submitted, not back with the applicant
    client.force_login(UserFactory(back_office=True))
    assert client.get(url).status_code in (403, 404)
