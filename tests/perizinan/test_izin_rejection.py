"""Rejection letters: written with the move to DITOLAK, numbered without gaps, downloadable by
the applicant and the officers in scope."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from perizinan import services
from perizinan.models import SuratPenolakan
from perizinan.services import izin as izin_services
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import make_service, register, submitted
from tests.perizinan.izin_support import (
    counter_value,
    files_waiting,
    kepala_dpmptsp,
    pdf_text,
    to_signing,
)

pytestmark = pytest.mark.django_db

REASONS = "Ijazah yang dilampirkan tidak dapat diverifikasi pada registri STR."


def reject(permohonan, *, actor=None, note=REASONS):
    return services.transition(
        permohonan, name="reject", actor=actor or kepala_dpmptsp(), note=note
    )


def test_rejection_by_the_head_writes_a_numbered_letter_with_reasons_and_legal_basis():
    permohonan = reject(to_signing())
    letter = SuratPenolakan.objects.get(permohonan=permohonan)
    year = timezone.localdate().year
    assert letter.number == f"503/0001/PENOLAKAN/DPMPTSP/{year}"
    assert letter.reasons == REASONS
    assert letter.legal_basis == "Peraturan Bupati Barito Timur Nomor 12 Tahun 2026"
    assert letter.transition == "reject"


def test_rejection_letters_are_numbered_without_gaps_from_their_own_counter():
    kepala = kepala_dpmptsp()
    first, second, signed = files_waiting(3)
    izin_services.sign_permohonan(signed, actor=kepala)  # the permit counter is separate
    numbers = [reject(p, actor=kepala).surat_penolakan.sequence for p in (first, second)]
    assert numbers == [1, 2]
    assert counter_value("penolakan:DPMPTSP", timezone.localdate().year) == 2


def test_a_rejection_recommendation_writes_no_letter_the_signer_s_rejection_does():
    """Issue 13 item 7: the tim teknis recommends, the kepala of the route rejects and the
    letter is written then, in the kepala's name, with the reasons the kepala gives."""
    permohonan = submitted(service=make_service(technical_review=True))
    fo = UserFactory(front_office=True)
    services.transition(permohonan, name="start_verification", actor=fo)
    register(permohonan, fo)
    services.transition(permohonan, name="send_to_technical", actor=UserFactory(back_office=True))
    recommended = services.transition(
        permohonan,
        name="recommend_rejection",
        actor=UserFactory(tim_teknis=True),
        internal_note=REASONS,
    )
    assert recommended.status == Status.PENANDATANGANAN
    assert not SuratPenolakan.objects.exists()
    kepala = kepala_dpmptsp()
    reject(recommended, actor=kepala)
    letter = SuratPenolakan.objects.get(permohonan=permohonan)
    assert letter.transition == "reject"
    assert letter.decided_by == kepala
    assert letter.reasons == REASONS


def test_no_letter_for_a_withdrawal():
    permohonan = submitted(service=make_service(technical_review=False))
    services.withdraw_permohonan(permohonan, actor=permohonan.applicant, reason="Salah layanan")
    assert not SuratPenolakan.objects.exists()


def test_creating_the_letter_twice_returns_the_same_letter():
    permohonan = reject(to_signing())
    again = izin_services.create_rejection_letter(permohonan, reasons="lain")
    assert again == permohonan.surat_penolakan
    assert SuratPenolakan.objects.count() == 1


def test_rejection_letter_pdf_shows_number_reasons_and_legal_basis():
    letter = reject(to_signing()).surat_penolakan
    text = " ".join(pdf_text(izin_services.rejection_pdf(letter)).split())
    assert letter.number in text
    assert REASONS in text
    assert "Peraturan Bupati Barito Timur Nomor 12 Tahun 2026" in text
    assert "Siti Rahmawati" in text


def test_rejection_letter_pdf_is_the_same_on_every_download():
    letter = reject(to_signing()).surat_penolakan
    assert izin_services.rejection_pdf(letter) == izin_services.rejection_pdf(letter)


def test_applicant_downloads_the_rejection_letter(client):
    permohonan = reject(to_signing())
    client.force_login(permohonan.applicant)
    response = client.get(
        reverse("perizinan:surat_penolakan_download", args=[permohonan.public_id])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert REASONS in " ".join(pdf_text(response.content).split())


def test_another_citizen_gets_404_for_the_rejection_letter(client):
    permohonan = reject(to_signing())
    client.force_login(UserFactory())
    response = client.get(
        reverse("perizinan:surat_penolakan_download", args=[permohonan.public_id])
    )
    assert response.status_code == 404


def test_officer_of_another_opd_gets_404_for_the_rejection_letter(client):
    permohonan = reject(to_signing())
    client.force_login(UserFactory(kepala=True, opd=PerangkatDaerahFactory(pupr=True)))
    response = client.get(
        reverse("perizinan:surat_penolakan_download", args=[permohonan.public_id])
    )
    assert response.status_code == 404


def test_rejection_letter_of_a_file_not_rejected_is_404(client):
    permohonan = to_signing()
    client.force_login(permohonan.applicant)
    response = client.get(
        reverse("perizinan:surat_penolakan_download", args=[permohonan.public_id])
    )
    assert response.status_code == 404
