"""Issue 13, items 5, 10 and 13: the applicant always knows what is expected and by when (the
deadline of a returned file on their page, in the message and on /lacak/, a reminder before it
lapses, the amount and the way to pay), and history, reports and error pages speak in words."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from notifikasi.models import Channel, Notifikasi
from perizinan import services
from perizinan.notifications import digests
from perizinan.tasks.workflow import lapse_overdue_fixes
from perizinan.workflow import TRANSITIONS, Status, transition_label
from tests.factories import UserFactory
from tests.perizinan.factories import advance, desk_for, make_service, submitted

pytestmark = pytest.mark.django_db


def at(day: str) -> str:
    return f"{day} 03:00:00"  # 10:00 WIB


def returned(days=None, day="2026-11-02"):
    with freeze_time(at(day)):
        permohonan = advance(submitted(), Status.VERIFIKASI)
        return services.transition(
            permohonan,
            name="return_for_correction",
            actor=desk_for(permohonan).fo,
            note="Lengkapi surat rekomendasi organisasi profesi.",
            fields_to_fix=["tempat_praktik"],
            data={"fix_working_days": days} if days else None,
        )


# --- 10. The applicant's deadline ------------------------------------------------------------


def test_a_return_gives_the_applicant_a_deadline_from_the_setting(settings):
    settings.RETURN_FIX_WORKING_DAYS = 3
    assert returned().fix_due_date == date(2026, 11, 5)
    assert returned(days=10).fix_due_date == date(2026, 11, 16)


def test_the_deadline_is_on_the_applicants_page_in_the_message_and_on_lacak():
    permohonan = returned(days=5)  # until Monday 9 November
    client = Client()
    client.force_login(permohonan.applicant)
    with freeze_time(at("2026-11-04")):
        page = client.get(reverse("perizinan:permohonan_detail", args=[permohonan.public_id]))
        body = page.content.decode()
        assert "Kirim perbaikan paling lambat 9 November 2026" in body
        assert "3 hari kerja lagi" in body
        assert "permohonan gugur" in body
        tracked = Client().post(
            reverse("perizinan:lacak"), {"number": permohonan.number, "pin": permohonan.pin}
        )
    assert "Kirim perbaikan paling lambat 9 November 2026" in tracked.content.decode()
    (email,) = Notifikasi.objects.filter(
        recipient=permohonan.applicant, event="permohonan_dikembalikan", channel=Channel.EMAIL
    )
    assert "Batas waktu perbaikan: 9 November 2026" in email.body


def test_a_returned_file_lapses_when_its_deadline_passed_with_words_in_the_history():
    permohonan = returned(days=2)  # until 4 November
    assert lapse_overdue_fixes(today=date(2026, 11, 4)) == []
    assert lapse_overdue_fixes(today=date(2026, 11, 5)) == [permohonan.pk]
    permohonan.refresh_from_db()
    assert permohonan.status == Status.GUGUR
    lapse = permohonan.riwayat.get(transition="lapse")
    assert (
        lapse.internal_note == "Gugur otomatis: batas perbaikan pemohon 4 November 2026 terlewati."
    )


def test_a_resubmitted_file_does_not_lapse():
    permohonan = returned(days=2)
    with freeze_time(at("2026-11-03")):
        services.submit_permohonan(
            permohonan, actor=permohonan.applicant, declaration_accepted=True
        )
    assert lapse_overdue_fixes(today=date(2026, 11, 20)) == []


def reminders(permohonan):
    return Notifikasi.objects.filter(
        recipient=permohonan.applicant, event="permohonan_batas_perbaikan", channel=Channel.EMAIL
    )


def test_the_applicant_is_reminded_two_working_days_before_once(settings):
    settings.FIX_REMINDER_WORKING_DAYS = 2
    permohonan = returned(days=5)  # until Monday 9 November
    digests.queue_fix_deadline_reminders(today=date(2026, 11, 4))  # Wed: 3 working days left
    assert not reminders(permohonan).exists()
    digests.queue_fix_deadline_reminders(today=date(2026, 11, 5))  # Thu: 2 left
    digests.queue_fix_deadline_reminders(today=date(2026, 11, 6))  # Fri: the same deadline
    (email,) = reminders(permohonan)
    assert "9 November 2026" in email.body
    assert "2 hari kerja lagi" in email.body
    assert f"/permohonan/{permohonan.public_id}/" in email.body
    digests.queue_fix_deadline_reminders(today=date(2026, 11, 10))  # past: lapses, no reminder
    assert reminders(permohonan).count() == 1


def test_a_technical_fix_is_reminded_too_and_a_resubmitted_file_is_not():
    with freeze_time(at("2026-11-02")):
        permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
        waiting = services.transition(
            permohonan,
            name="request_technical_fix",
            actor=desk_for(permohonan).tt,
            note="Perbaiki denah",
            data={"fix_working_days": 3},
        )
    other = returned(days=3)
    with freeze_time(at("2026-11-03")):
        services.submit_permohonan(other, actor=other.applicant, declaration_accepted=True)
    digests.queue_fix_deadline_reminders(today=date(2026, 11, 3))
    assert reminders(waiting).count() == 1
    assert not reminders(other).exists()


# --- 5. Payment -----------------------------------------------------------------------------


def test_the_page_the_bill_message_points_to_shows_the_amount_and_how_to_pay(settings):
    settings.PAYMENT_ACCOUNT_NUMBER = "0123456789"
    permohonan = advance(submitted(service=make_service(fee=True)), Status.MENUNGGU_PEMBAYARAN)
    client = Client()
    client.force_login(permohonan.applicant)
    body = client.get(
        reverse("perizinan:permohonan_detail", args=[permohonan.public_id])
    ).content.decode()
    amount = "Rp " + f"{permohonan.fee_amount:,}".replace(",", ".")
    assert amount in body
    assert "0123456789" in body
    assert permohonan.number in body
    (email,) = Notifikasi.objects.filter(
        recipient=permohonan.applicant, event="permohonan_retribusi", channel=Channel.EMAIL
    )
    assert f"Jumlah yang dibayar: {amount}" in email.body
    assert "0123456789" in email.body
    assert f"/permohonan/{permohonan.public_id}/" in email.body


def test_no_bill_is_shown_before_it_is_due():
    permohonan = advance(submitted(service=make_service(fee=True)), Status.KAJIAN_TEKNIS)
    client = Client()
    client.force_login(permohonan.applicant)
    body = client.get(
        reverse("perizinan:permohonan_detail", args=[permohonan.public_id])
    ).content.decode()
    assert "Retribusi yang perlu dibayar" not in body


# --- 13. Words, never codes -------------------------------------------------------------------


def test_every_move_has_words_and_an_unknown_one_is_still_named():
    for move in TRANSITIONS:
        assert transition_label(move.name) == move.label
    assert "old_move" in str(transition_label("old_move"))


def test_the_officers_history_shows_moves_and_fields_in_words():
    permohonan = returned(days=5)
    client = Client()
    client.force_login(UserFactory(front_office=True))
    body = client.get(reverse("petugas:file", args=[permohonan.public_id])).content.decode()
    assert "(submit)" not in body and "(start_verification)" not in body
    assert "Ajukan permohonan" in body and "Kembalikan untuk dilengkapi" in body
    assert "Isian yang perlu diperbaiki: Alamat tempat praktik" in body
    assert "tempat_praktik" not in body.split('id="riwayat"')[1]


@pytest.mark.parametrize(
    ("language", "words"), [("id", "Halaman tidak ditemukan"), ("en", "Page not found")]
)
def test_the_404_page_uses_the_sites_layout_in_the_visitors_language(settings, language, words):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/tidak-ada-halaman-ini/")
    body = response.content.decode()
    assert response.status_code == 404
    assert words in body
    assert f'<html lang="{language}">' in body
    assert 'href="/"' in body or f'href="{reverse("home")}"' in body


def test_the_403_page_uses_the_sites_layout_with_a_way_back():
    client = Client()
    client.force_login(UserFactory())  # a citizen on the officers' desk
    response = client.get(reverse("petugas:queue"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in body and "403 Forbidden" not in body
    assert reverse("kewenangan:layanan_list") in body


def test_a_refused_form_gets_the_sites_page_not_djangos():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("perizinan:lacak"), {"number": "X", "pin": "1"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in body and "CSRF verification failed" not in body


def test_the_500_page_renders_without_a_request():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "Terjadi gangguan" in html and 'href="/"' in html


def test_fixing_starts_at_the_step_that_needs_it():
    """Issue 18: "Perbaiki dan ajukan ulang" opens the documents step when only documents
    are to be replaced, the fields step for a field, step 1 for the applicant's data."""
    with freeze_time(at("2026-11-02")):
        permohonan = advance(submitted(), Status.VERIFIKASI)
        desk = desk_for(permohonan)
        doc = permohonan.dokumen.filter(is_current=True).order_by("id").first()
        services.judge_document(doc, actor=desk.fo, verdict="needs_correction", note="Buram")
        permohonan = services.transition(
            permohonan, name="return_for_correction", actor=desk.fo, note="Ganti foto"
        )
    client = Client()
    client.force_login(permohonan.applicant)
    url = reverse("perizinan:permohonan_detail", args=[permohonan.public_id])
    step3 = reverse("perizinan:permohonan_step", args=[permohonan.public_id, 3])
    assert f'href="{step3}"' in client.get(url).content.decode()

    fields = returned(days=5)  # asks to fix "tempat_praktik"
    client.force_login(fields.applicant)
    step2 = reverse("perizinan:permohonan_step", args=[fields.public_id, 2])
    body = client.get(reverse("perizinan:permohonan_detail", args=[fields.public_id]))
    assert f'href="{step2}"' in body.content.decode()
