"""Permit pages: the signing queue and preview, signing by POST, downloads, issued permits,
revocation page, and the public verification page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from perizinan.models import Izin, Permohonan
from perizinan.services import izin as izin_services
from perizinan.views import izin as izin_views
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import APPLICANT_DATA, fast_submitted, make_service
from tests.perizinan.izin_support import (
    files_waiting,
    kepala_dpmptsp,
    signing_service,
    to_signing,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def kepala():
    return kepala_dpmptsp()


@pytest.fixture
def issued(kepala):
    return izin_services.sign_permohonan(to_signing(), actor=kepala)


# --- Signing queue -------------------------------------------------------------------------------


def test_sign_queue_lists_the_files_waiting_for_this_head(client, kepala):
    waiting = to_signing()
    response = login(client, kepala).get(reverse("petugas:sign_queue"))
    assert response.status_code == 200
    assert waiting.number in response.text
    assert f'value="{waiting.public_id}"' in response.text


def test_sign_queue_hides_files_of_another_opd(client):
    waiting = to_signing()
    other = UserFactory(kepala=True, opd=PerangkatDaerahFactory(pupr=True))
    response = login(client, other).get(reverse("petugas:sign_queue"))
    assert waiting.number not in response.text


def test_sign_queue_says_the_builtin_signature_is_not_certified(client, kepala):
    response = login(client, kepala).get(reverse("petugas:sign_queue"))
    assert "Bukan tanda tangan elektronik tersertifikasi" in response.text


@pytest.mark.parametrize("trait", ["front_office", "back_office", "tim_teknis", "admin"])
def test_sign_queue_is_for_the_head_only(client, trait):
    response = login(client, UserFactory(**{trait: True})).get(reverse("petugas:sign_queue"))
    assert response.status_code == 403


def test_sign_queue_refuses_applicants(client, pemohon):
    assert login(client, pemohon).get(reverse("petugas:sign_queue")).status_code == 403


def test_sign_queue_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("petugas:sign_queue"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_sign_queue_query_count_is_bounded(client, kepala, django_assert_max_num_queries):
    service = signing_service()
    applicant = UserFactory()
    rows = fast_submitted(applicant, service, 30)
    Permohonan.objects.filter(pk__in=[p.pk for p in rows]).update(status=Status.PENANDATANGANAN)
    login(client, kepala)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("petugas:sign_queue"))
    assert response.text.count('name="permohonan"') == 30


# --- Preview and signing by POST -----------------------------------------------------------------


def test_preview_shows_the_permit_data_before_signing(client, kepala):
    waiting = to_signing()
    response = login(client, kepala).get(reverse("petugas:sign", args=[waiting.public_id]))
    assert response.status_code == 200
    assert "Siti Rahmawati" in response.text
    assert "6212********0001" in response.text
    assert "6212014507900001" not in response.text
    assert "Bukan tanda tangan elektronik tersertifikasi" in response.text
    assert not Izin.objects.exists()


def test_post_to_sign_issues_the_permit_and_returns_to_the_queue(client, kepala):
    waiting = to_signing()
    response = login(client, kepala).post(reverse("petugas:sign", args=[waiting.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("petugas:sign_queue")
    izin = Izin.objects.get(permohonan=waiting)
    follow = client.get(response["Location"])
    assert izin.number in follow.text


def test_second_post_to_sign_shows_a_clear_message(client, kepala):
    waiting = to_signing()
    login(client, kepala)
    client.post(reverse("petugas:sign", args=[waiting.public_id]))
    response = client.post(reverse("petugas:sign", args=[waiting.public_id]), follow=True)
    assert "sudah ditandatangani" in response.text
    assert Izin.objects.count() == 1


def test_front_office_post_to_sign_is_not_found(client):
    waiting = to_signing()
    response = login(client, UserFactory(front_office=True)).post(
        reverse("petugas:sign", args=[waiting.public_id])
    )
    assert response.status_code == 404
    assert not Izin.objects.exists()


def test_head_of_another_opd_post_to_sign_is_not_found(client):
    waiting = to_signing()
    other = UserFactory(kepala=True, opd=PerangkatDaerahFactory(pupr=True))
    response = login(client, other).post(reverse("petugas:sign", args=[waiting.public_id]))
    assert response.status_code == 404


def test_sign_redirects_to_a_safe_next_page_only(client, kepala):
    first, second = files_waiting(2)
    login(client, kepala)
    response = client.post(
        reverse("petugas:sign", args=[first.public_id]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("petugas:sign_queue")
    response = client.post(reverse("petugas:sign", args=[second.public_id]), {"next": "/petugas/"})
    assert response["Location"] == "/petugas/"


def test_batch_post_signs_the_checked_files(client, kepala):
    files = files_waiting(3)
    checked = [str(p.public_id) for p in files[:2]]
    response = login(client, kepala).post(
        reverse("petugas:sign_batch"), {"permohonan": checked, "confirm": "1"}, follow=True
    )
    assert response.status_code == 200
    assert set(Izin.objects.values_list("permohonan_id", flat=True)) == {
        files[0].pk,
        files[1].pk,
    }
    assert "2 izin ditandatangani" in response.text


def test_batch_post_ignores_files_outside_the_heads_queue(client):
    files = files_waiting(2)
    other = UserFactory(kepala=True, opd=PerangkatDaerahFactory(pupr=True))
    response = login(client, other).post(
        reverse("petugas:sign_batch"),
        {"permohonan": [str(p.public_id) for p in files], "confirm": "1"},
    )
    assert response.status_code == 302
    assert not Izin.objects.exists()


def test_batch_post_by_back_office_is_forbidden(client):
    files = files_waiting(1)
    response = login(client, UserFactory(back_office=True)).post(
        reverse("petugas:sign_batch"), {"permohonan": [str(files[0].public_id)]}
    )
    assert response.status_code == 403
    assert not Izin.objects.exists()


# --- Downloads -----------------------------------------------------------------------------------


def test_owner_downloads_the_permit_as_an_attachment(client, issued):
    permohonan = issued.permohonan
    response = login(client, permohonan.applicant).get(
        reverse("perizinan:izin_download", args=[permohonan.public_id])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    with issued.open() as handle:
        assert b"".join(response.streaming_content) == handle.read()


def test_another_citizen_gets_404_for_the_permit(client, issued):
    response = login(client, UserFactory()).get(
        reverse("perizinan:izin_download", args=[issued.permohonan.public_id])
    )
    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login_for_the_permit(client, issued):
    response = client.get(reverse("perizinan:izin_download", args=[issued.permohonan.public_id]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_officer_in_scope_downloads_the_permit(client, issued):
    response = login(client, UserFactory(back_office=True)).get(
        reverse("perizinan:izin_download", args=[issued.permohonan.public_id])
    )
    assert response.status_code == 200


def test_officer_out_of_scope_gets_404_for_the_permit(client, issued):
    outsider = UserFactory(tim_teknis=True, opd=PerangkatDaerahFactory(pupr=True))
    response = login(client, outsider).get(
        reverse("perizinan:izin_download", args=[issued.permohonan.public_id])
    )
    assert response.status_code == 404


def test_permit_download_of_a_file_without_permit_is_404(client):
    waiting = to_signing()
    response = login(client, waiting.applicant).get(
        reverse("perizinan:izin_download", args=[waiting.public_id])
    )
    assert response.status_code == 404


# --- Issued permits and revocation ---------------------------------------------------------------


def test_issued_permits_list_query_count_is_bounded(client, kepala, django_assert_max_num_queries):
    for p in files_waiting(4):
        izin_services.sign_permohonan(p, actor=kepala)
    login(client, kepala)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("petugas:izin_list"))
    assert response.text.count("/cabut/") == 4


def test_back_office_cannot_open_the_issued_permits_list(client):
    response = login(client, UserFactory(back_office=True)).get(reverse("petugas:izin_list"))
    assert response.status_code == 403


def test_head_revokes_a_permit_through_the_page(client, kepala, issued):
    url = reverse("petugas:izin_revoke", args=[issued.public_id])
    login(client, kepala)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Tempat praktik tidak sesuai dengan izin."})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.status == Izin.Status.REVOKED


def test_revocation_page_requires_a_reason(client, kepala, issued):
    url = reverse("petugas:izin_revoke", args=[issued.public_id])
    response = login(client, kepala).post(url, {"reason": ""})
    assert response.status_code == 200
    issued.refresh_from_db()
    assert issued.status == Izin.Status.VALID


def test_revocation_page_shows_the_error_on_an_empty_post(client, kepala, issued):
    url = reverse("petugas:izin_revoke", args=[issued.public_id])
    response = login(client, kepala).post(url, {})
    assert response.status_code == 200
    assert 'id="form-errors"' in response.text
    issued.refresh_from_db()
    assert issued.status == Izin.Status.VALID


def test_back_office_cannot_reach_the_revocation_page(client, issued):
    url = reverse("petugas:izin_revoke", args=[issued.public_id])
    response = login(client, UserFactory(back_office=True)).post(url, {"reason": "x" * 20})
    assert response.status_code == 404
    issued.refresh_from_db()
    assert issued.status == Izin.Status.VALID


# --- Public verification ---------------------------------------------------------------------


def verify(client, izin_or_token):
    token = getattr(izin_or_token, "verification_token", izin_or_token)
    return client.get(reverse("perizinan:verifikasi", args=[token]))


def test_verification_of_a_valid_permit_needs_no_login_and_shows_its_data(client, issued):
    response = verify(client, issued)
    assert response.status_code == 200
    text = response.text
    for expected in (
        issued.number,
        issued.service_name,
        "Siti Rahmawati",
        "6212********0001",
        issued.sha256,
        "tidak tersertifikasi BSrE",
        "Berlaku",
        issued.signer_title,
    ):
        assert expected in text
    assert APPLICANT_DATA["nik"] not in text


def test_verification_names_no_officer(client, kepala, issued):
    assert kepala.full_name not in verify(client, issued).text


def test_verification_says_kedaluwarsa_after_the_last_valid_day(client, issued):
    with freeze_time(issued.valid_until + dt.timedelta(days=1)):
        response = verify(client, issued)
    assert "Kedaluwarsa" in response.text
    assert "sudah kedaluwarsa" in response.text


def test_verification_is_still_valid_on_the_last_valid_day(client, issued):
    with freeze_time(issued.valid_until):
        response = verify(client, issued)
    assert "asli dan berlaku" in response.text


def test_verification_of_a_revoked_permit_shows_date_and_reason(client, issued):
    izin_services.revoke_izin(
        issued, actor=UserFactory(admin=True), reason="Pemegang izin pindah domisili."
    )
    text = verify(client, issued).text
    assert "Dicabut" in text
    assert "Pemegang izin pindah domisili." in text
    assert "sudah dicabut" in text


def test_unknown_token_is_a_clear_404(client):
    response = verify(client, "tidak-ada-token-seperti-ini-sama-sekali")
    assert response.status_code == 404
    assert "Izin tidak ditemukan" in response.text


def test_verification_is_rate_limited_per_ip(client):
    for _ in range(izin_views.VERIFY_LIMIT):
        assert verify(client, "token-salah").status_code == 404
    response = verify(client, "token-salah")
    assert response.status_code == 429


def test_verification_page_is_not_cached_nor_indexed(client, issued):
    response = verify(client, issued)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


# --- The applicant's page partial ----------------------------------------------------------------


def test_permit_box_links_the_download_and_the_verification_page(issued):
    from django.template.loader import render_to_string

    html = render_to_string("perizinan/izin/_permit_box.html", {"permohonan": issued.permohonan})
    assert reverse("perizinan:izin_download", args=[issued.permohonan.public_id]) in html
    assert reverse("perizinan:verifikasi", args=[issued.verification_token]) in html


def test_permit_box_is_empty_without_a_permit():
    from django.template.loader import render_to_string

    waiting = to_signing(service=make_service(technical_review=False))
    assert (
        render_to_string("perizinan/izin/_permit_box.html", {"permohonan": waiting}).strip() == ""
    )
