"""Public tracking: number + PIN, no login, no officer names, rate limited per IP; while the
file waits for its applicant, what to fix and by when."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from perizinan import services
from tests.factories import UserFactory
from tests.perizinan.factories import judge_all_valid, submitted

pytestmark = pytest.mark.django_db

URL = "/lacak/"
WRONG = "Nomor permohonan atau PIN tidak cocok."


def test_lacak_url_name():
    assert reverse("perizinan:lacak") == URL


def test_right_number_and_pin_show_status_and_dates_without_login(client):
    permohonan = submitted()
    response = client.post(URL, {"number": permohonan.number, "pin": permohonan.pin})
    body = response.content.decode()
    assert response.status_code == 200
    assert permohonan.jenis_izin.name in body
    assert "Diajukan" in body
    assert "Perkiraan selesai" in body
    assert f'value="{permohonan.pin}"' not in body


def test_number_is_matched_case_insensitively(client):
    permohonan = submitted()
    response = client.post(URL, {"number": permohonan.number.lower(), "pin": permohonan.pin})
    assert permohonan.jenis_izin.name in response.content.decode()


def test_wrong_pin_says_number_or_pin_without_telling_which(client):
    permohonan = submitted()
    wrong_pin = "000000" if permohonan.pin != "000000" else "111111"
    by_pin = client.post(URL, {"number": permohonan.number, "pin": wrong_pin}).content.decode()
    by_number = client.post(URL, {"number": "BTM-1999-000001", "pin": permohonan.pin})
    assert WRONG in by_pin
    assert WRONG in by_number.content.decode()
    assert permohonan.jenis_izin.name not in by_pin


def test_tracking_shows_what_to_fix_and_by_when_but_no_officer_name(client):
    """A walk-in without an account reads the officer's words to them (the PIN is theirs),
    the deadline, and how to fix; never who the officer is."""
    permohonan = submitted()
    officer = UserFactory(front_office=True, full_name="Budi Santoso Petugas", phone="081299998888")
    services.transition(permohonan, name="start_verification", actor=officer)
    services.transition(
        permohonan,
        name="return_for_correction",
        actor=officer,
        note="Foto KTP buram, unggah ulang",
        data={"fix_working_days": 5},
    )
    permohonan.refresh_from_db()
    body = client.post(URL, {"number": permohonan.number, "pin": permohonan.pin}).content.decode()
    assert "Dikembalikan untuk dilengkapi" in body
    assert "Foto KTP buram, unggah ulang" in body
    assert f"Kirim perbaikan paling lambat {date_format(permohonan.fix_due_date, 'j F Y')}" in body
    assert reverse("perizinan:permohonan_claim") in body
    assert "Budi" not in body
    assert "081299998888" not in body


def test_tracking_shows_no_notes_while_the_office_holds_the_file(client):
    permohonan = submitted()
    officer = UserFactory(front_office=True)
    permohonan = services.transition(permohonan, name="start_verification", actor=officer)
    judge_all_valid(permohonan, officer)
    services.transition(permohonan, name="register", actor=officer, note="Lengkap, terima kasih")
    body = client.post(URL, {"number": permohonan.number, "pin": permohonan.pin}).content.decode()
    assert "Terdaftar" in body
    assert "Lengkap, terima kasih" not in body


def test_drafts_cannot_be_tracked(client):
    from tests.perizinan.factories import complete_draft

    draft = complete_draft()
    body = client.post(URL, {"number": "", "pin": draft.pin}).content.decode()
    assert draft.jenis_izin.name not in body


def test_tracking_is_rate_limited_per_ip(client):
    permohonan = submitted()
    for _ in range(10):
        client.post(URL, {"number": permohonan.number, "pin": "999999"}, REMOTE_ADDR="10.0.0.1")
    blocked = client.post(
        URL, {"number": permohonan.number, "pin": permohonan.pin}, REMOTE_ADDR="10.0.0.1"
    )
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.content.decode()
    assert permohonan.jenis_izin.name not in blocked.content.decode()
    other_ip = client.post(
        URL, {"number": permohonan.number, "pin": permohonan.pin}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_ip.status_code == 200
    assert permohonan.jenis_izin.name in other_ip.content.decode()


def test_qr_link_prefills_the_number_but_never_the_pin(client):
    response = client.get(URL + "?nomor=BTM-2026-000123")
    assert 'value="BTM-2026-000123"' in response.content.decode()
