"""Status changes become messages: who hears what, on which channel, in which language; the
daily messages (due tomorrow, overdue digest, expiry reminders)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from notifikasi.models import Channel, Notifikasi
from perizinan import services
from perizinan.models import Permohonan
from perizinan.notifications import digests, events
from perizinan.workflow import Status
from tests.factories import UserFactory
from tests.perizinan.factories import make_service, register, submitted
from tests.perizinan.factories_notifikasi import officers, registered

pytestmark = pytest.mark.django_db


def rows(**filters):
    return list(Notifikasi.objects.filter(**filters).order_by("id"))


def test_submitting_queues_a_receipt_email_and_an_inapp_notice_to_the_applicant():
    applicant = UserFactory(email="siti@contoh.test")
    permohonan = submitted(applicant)
    mine = rows(recipient=applicant)
    assert [(r.event, r.channel) for r in mine] == [
        ("permohonan_diajukan", Channel.EMAIL),
        ("permohonan_diajukan", Channel.INAPP),
    ]
    email = mine[0]
    assert email.email == "siti@contoh.test"
    assert email.reference == permohonan.number
    assert permohonan.number in email.subject
    assert f"/permohonan/{permohonan.public_id}/" in email.body
    assert email.state == Notifikasi.State.PENDING


def test_the_outbox_rows_are_written_in_the_transition_transaction():
    applicant = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        submitted(applicant)
        raise RuntimeError
    assert not Notifikasi.objects.exists()
    assert not Permohonan.objects.exists()


def test_submitting_tells_the_front_office_of_the_processing_opd():
    staff = officers()
    permohonan = submitted()
    told = {r.recipient for r in rows(event="petugas_berkas_baru", channel=Channel.EMAIL)}
    assert told == {staff["fo"]}
    assert all(r.reference == permohonan.number for r in rows(event="petugas_berkas_baru"))


def test_starting_the_verification_tells_nobody_of_a_new_file():
    staff = officers()
    permohonan = submitted()
    before = len(rows(event="petugas_berkas_baru"))
    services.transition(permohonan, name="start_verification", actor=staff["fo"])
    assert len(rows(event="petugas_berkas_baru")) == before


def test_registration_tells_the_back_office_of_the_processing_opd():
    staff = officers()
    permohonan = submitted()
    permohonan = services.transition(permohonan, name="start_verification", actor=staff["fo"])
    before = {r.pk for r in rows(event="petugas_berkas_baru")}
    register(permohonan, staff["fo"])
    told = {
        r.recipient
        for r in rows(event="petugas_berkas_baru", channel=Channel.EMAIL)
        if r.pk not in before
    }
    assert told == {staff["bo"]}


def test_officers_are_told_of_a_new_file_by_the_roles_acting_in_the_state_it_enters():
    from perizinan.workflow import TRANSITIONS, new_in_queue_roles, officer_roles_for

    for move in TRANSITIONS:
        for source in move.sources:
            told = new_in_queue_roles(source, move.target)
            assert told == officer_roles_for(move.target) - officer_roles_for(source), move.name
            assert told <= officer_roles_for(move.target), move.name
    assert new_in_queue_roles(Status.DRAFT, Status.DIAJUKAN) == {Role.FRONT_OFFICE}
    assert new_in_queue_roles(Status.VERIFIKASI, Status.TERDAFTAR) == {Role.BACK_OFFICE}
    assert new_in_queue_roles(Status.TERDAFTAR, Status.KAJIAN_TEKNIS) == {Role.TIM_TEKNIS}
    assert new_in_queue_roles(Status.TERDAFTAR, Status.PENANDATANGANAN) == {Role.KEPALA}
    assert new_in_queue_roles(Status.DIAJUKAN, Status.VERIFIKASI) == frozenset()


def test_every_applicant_message_belongs_to_a_move_of_the_workflow_table():
    from perizinan.workflow import TRANSITIONS_BY_NAME

    assert set(events.APPLICANT_EVENT_BY_TRANSITION) <= set(TRANSITIONS_BY_NAME)
    assert set(events.APPLICANT_EVENT_BY_TRANSITION.values()) <= set(events.APPLICANT_EVENTS)


def test_the_tim_teknis_hears_when_a_file_enters_the_technical_review():
    staff = officers()
    permohonan = registered(fo=staff["fo"])
    services.transition(permohonan, name="send_to_technical", actor=staff["bo"])
    told = rows(event="petugas_berkas_baru", channel=Channel.EMAIL, recipient=staff["teknis"])
    assert len(told) == 1


def test_the_head_hears_when_a_file_waits_for_signing():
    staff = officers()
    service = make_service(technical_review=False)
    permohonan = registered(fo=staff["fo"], service=service)
    services.transition(permohonan, name="send_to_signing", actor=staff["bo"])
    told = rows(event="petugas_berkas_baru", channel=Channel.EMAIL, recipient=staff["kepala"])
    assert len(told) == 1


def test_returned_for_correction_tells_the_applicant_the_note_and_the_fields_to_fix():
    staff = officers()
    applicant = UserFactory()
    permohonan = submitted(applicant)
    permohonan = services.transition(permohonan, name="start_verification", actor=staff["fo"])
    services.transition(
        permohonan,
        name="return_for_correction",
        actor=staff["fo"],
        note="Foto KTP buram.",
        fields_to_fix=["tempat_praktik"],
    )
    (email,) = rows(recipient=applicant, event="permohonan_dikembalikan", channel=Channel.EMAIL)
    assert "Foto KTP buram." in email.body
    assert "Alamat tempat praktik" in email.body


def test_registered_tells_the_applicant_the_expected_date():
    staff = officers()
    applicant = UserFactory()
    permohonan = registered(applicant, fo=staff["fo"])
    (email,) = rows(recipient=applicant, event="permohonan_terdaftar", channel=Channel.EMAIL)
    assert permohonan.due_date is not None
    assert f"{permohonan.due_date.day} " in email.body
    assert str(permohonan.due_date.year) in email.body


def test_withdrawal_tells_the_applicant_with_the_reason():
    applicant = UserFactory()
    permohonan = submitted(applicant)
    services.withdraw_permohonan(permohonan, actor=applicant, reason="Salah pilih layanan")
    (email,) = rows(recipient=applicant, event="permohonan_dibatalkan", channel=Channel.EMAIL)
    assert "Salah pilih layanan" in email.body


def test_a_rejection_tells_the_applicant_the_reasons():
    staff = officers()
    applicant = UserFactory()
    permohonan = registered(applicant, fo=staff["fo"])
    permohonan = services.transition(permohonan, name="send_to_technical", actor=staff["bo"])
    permohonan = services.transition(
        permohonan,
        name="recommend_rejection",
        actor=staff["teknis"],
        internal_note="Lokasi di kawasan lindung (catatan tim teknis).",
    )
    # A recommendation is not a decision: the applicant hears nothing yet (issue 13 item 7).
    assert not rows(recipient=applicant, event="permohonan_ditolak")
    services.transition(
        permohonan, name="reject", actor=staff["kepala"], note="Lokasi di kawasan lindung."
    )
    (email,) = rows(recipient=applicant, event="permohonan_ditolak", channel=Channel.EMAIL)
    assert "Lokasi di kawasan lindung." in email.body
    assert "catatan tim teknis" not in email.body


def test_the_signer_is_told_of_a_rejection_recommendation_with_its_reasons():
    staff = officers()
    permohonan = registered(fo=staff["fo"])
    permohonan = services.transition(permohonan, name="send_to_technical", actor=staff["bo"])
    services.transition(
        permohonan,
        name="recommend_rejection",
        actor=staff["teknis"],
        internal_note="Lokasi di kawasan lindung.",
    )
    (email,) = rows(recipient=staff["kepala"], event="petugas_berkas_baru", channel=Channel.EMAIL)
    assert "Rekomendasi tolak" in email.body
    assert "Lokasi di kawasan lindung." in email.body


def test_a_front_office_refusal_tells_the_applicant_the_reason_and_nobody_else():
    staff = officers()
    applicant = UserFactory()
    permohonan = submitted(applicant)
    before = {r.pk for r in rows(event="petugas_berkas_baru")}
    services.transition(
        permohonan, name="refuse", actor=staff["fo"], note="Ajukan ke layanan SIP Bidan."
    )
    (email,) = rows(recipient=applicant, event="permohonan_ditolak", channel=Channel.EMAIL)
    assert "Ajukan ke layanan SIP Bidan." in email.body
    assert {r.pk for r in rows(event="petugas_berkas_baru")} == before


def test_sending_a_file_back_tells_the_front_office_not_the_applicant():
    staff = officers()
    applicant = UserFactory()
    permohonan = registered(applicant, fo=staff["fo"])
    applicant_rows = len(rows(recipient=applicant))
    before = {r.pk for r in rows(event="petugas_berkas_baru")}
    services.transition(
        permohonan, name="send_back", actor=staff["bo"], internal_note="NIB tidak cocok."
    )
    told = {
        r.recipient
        for r in rows(event="petugas_berkas_baru", channel=Channel.EMAIL)
        if r.pk not in before
    }
    assert told == {staff["fo"]}
    assert len(rows(recipient=applicant)) == applicant_rows


def test_the_issued_message_carries_the_download_link():
    permohonan = submitted()
    events.on_status_changed(
        sender=Permohonan,
        permohonan=permohonan,
        transition="issue",
        from_status=Status.PENANDATANGANAN,
        to_status=Status.TERBIT,
        note="",
    )
    (email,) = rows(event="permohonan_terbit", channel=Channel.EMAIL)
    assert email.subject.startswith("Izin Anda")
    assert "http" in email.body
    assert str(permohonan.public_id) in email.body or "/izin/" in email.body


def test_a_move_without_an_event_writes_nothing():
    permohonan = submitted()
    before = Notifikasi.objects.count()
    events.on_status_changed(
        sender=Permohonan,
        permohonan=permohonan,
        transition="a_move_added_later",
        from_status=Status.VERIFIKASI,
        to_status=Status.VERIFIKASI,
        note="",
    )
    assert Notifikasi.objects.count() == before


def test_the_same_status_change_signalled_twice_queues_each_message_once():
    permohonan = submitted()
    before = Notifikasi.objects.count()
    events.on_status_changed(
        sender=Permohonan,
        permohonan=permohonan,
        transition="submit",
        from_status=Status.DRAFT,
        to_status=Status.DIAJUKAN,
        note="",
    )
    assert Notifikasi.objects.count() == before


def test_an_applicant_who_chose_sms_also_gets_an_sms():
    applicant = UserFactory(phone="081234567890", notify_sms=True)
    submitted(applicant)
    channels = {r.channel for r in rows(recipient=applicant)}
    assert channels == {Channel.EMAIL, Channel.INAPP, Channel.SMS}


def test_an_applicant_who_turned_off_inapp_still_gets_the_legal_email():
    applicant = UserFactory(notify_inapp=False)
    submitted(applicant)
    assert {r.channel for r in rows(recipient=applicant)} == {Channel.EMAIL}


def test_an_english_speaking_applicant_gets_english_messages():
    applicant = UserFactory(language="en")
    permohonan = submitted(applicant)
    email = rows(recipient=applicant, channel=Channel.EMAIL)[0]
    assert email.subject == f"Receipt for application {permohonan.number}"
    assert email.language == "en"


def test_a_walk_in_applicant_without_email_never_blocks_the_submission():
    applicant = UserFactory(email="loket-6212014507900001@tanpa-email.invalid")
    permohonan = submitted(applicant)
    assert permohonan.status == Status.DIAJUKAN
    (email,) = rows(recipient=applicant, channel=Channel.EMAIL)
    assert email.state == Notifikasi.State.FAILED
    assert "cannot receive mail" in email.last_error


# --- Daily messages ------------------------------------------------------------------------


def _running(applicant, service, *, due, status=Status.VERIFIKASI):
    permohonan = submitted(applicant, service)
    Permohonan.objects.filter(pk=permohonan.pk).update(status=status, due_date=due)
    return permohonan


def test_due_tomorrow_sends_each_officer_one_message_listing_their_files():
    staff = officers()
    today = dt.date(2026, 11, 26)  # a Thursday; the next working day is Friday 27 November
    service = make_service()
    a = _running(UserFactory(), service, due=dt.date(2026, 11, 27))
    b = _running(UserFactory(), service, due=dt.date(2026, 11, 27))
    _running(UserFactory(), service, due=dt.date(2026, 12, 4))
    Notifikasi.objects.all().delete()
    digests.queue_due_tomorrow(today=today)
    (fo_email,) = rows(event="petugas_jatuh_tempo_besok", channel=Channel.EMAIL)
    assert fo_email.recipient == staff["fo"]
    assert a.number in fo_email.body and b.number in fo_email.body
    assert "27 November 2026" in fo_email.subject


def test_due_tomorrow_goes_to_the_officer_who_claimed_the_file():
    staff = officers()
    other_fo = UserFactory(front_office=True)
    service = make_service()
    a = _running(UserFactory(), service, due=dt.date(2026, 11, 27))
    Permohonan.objects.filter(pk=a.pk).update(assigned_to=other_fo)
    Notifikasi.objects.all().delete()
    digests.queue_due_tomorrow(today=dt.date(2026, 11, 26))
    told = {r.recipient for r in rows(event="petugas_jatuh_tempo_besok")}
    assert told == {other_fo}
    assert staff["fo"] not in told


def test_the_overdue_digest_is_one_email_per_person_listing_all_their_files():
    staff = officers()
    service = make_service()
    files = [_running(UserFactory(), service, due=dt.date(2026, 11, 20)) for _ in range(3)]
    _running(UserFactory(), service, due=dt.date(2026, 12, 20))  # not overdue
    Notifikasi.objects.all().delete()
    digests.queue_overdue_digests(today=dt.date(2026, 11, 26))
    emails = rows(event="petugas_terlambat", channel=Channel.EMAIL)
    assert sorted(e.recipient.email for e in emails) == ["bo@contoh.test", "kepala@contoh.test"]
    for email in emails:
        assert all(f.number in email.body for f in files)
        assert email.subject.startswith("Rekap harian: 3 berkas")
    assert staff["fo"] not in {e.recipient for e in emails}


def test_the_overdue_digest_run_twice_on_the_same_day_sends_nothing_new():
    officers()
    _running(UserFactory(), make_service(), due=dt.date(2026, 11, 20))
    digests.queue_overdue_digests(today=dt.date(2026, 11, 26))
    count = Notifikasi.objects.count()
    assert digests.queue_overdue_digests(today=dt.date(2026, 11, 26)) == 0
    assert Notifikasi.objects.count() == count


def test_files_waiting_for_the_applicant_are_not_overdue():
    officers()
    _running(UserFactory(), make_service(), due=dt.date(2026, 11, 20), status=Status.DIKEMBALIKAN)
    Notifikasi.objects.all().delete()
    assert digests.queue_overdue_digests(today=dt.date(2026, 11, 26)) == 0


def test_permit_holders_are_reminded_at_the_default_days_before_expiry():
    """Issue 13 item 12: 90, 60, 30 and 7 days by default (was 60 and 7); a permit 45 days
    from its end is inside the 60-day window and gets that reminder, once."""
    izin_model = pytest.importorskip("perizinan.models").__dict__.get("Izin")
    if izin_model is None:
        pytest.skip("the permit model does not exist yet")
    applicant = UserFactory()
    today = timezone.localdate()
    created = []
    for days in (60, 7, 30, 120):
        permohonan = submitted(applicant)
        created.append(_make_izin(izin_model, permohonan, today + dt.timedelta(days=days)))
    Notifikasi.objects.all().delete()
    digests.queue_expiry_reminders(today=today)
    emails = rows(event="izin_akan_berakhir", channel=Channel.EMAIL)
    assert sorted(e.subject for e in emails) == sorted(
        [
            f"Izin {created[0].number} berakhir dalam 60 hari",
            f"Izin {created[1].number} berakhir dalam 7 hari",
            f"Izin {created[2].number} berakhir dalam 30 hari",
        ]
    )
    assert digests.queue_expiry_reminders(today=today) == 0


def _make_izin(izin_model, permohonan, valid_until):
    """A permit row written directly (the signing service is tested by the permit issue)."""
    n = izin_model.objects.count() + 1
    values = {
        "permohonan": permohonan,
        "number": f"503/{n:04d}/UJI/2026",
        "counter_key": "uji",
        "year": 2026,
        "sequence": n,
        "service_name": permohonan.jenis_izin.name,
        "product_name": "Surat izin",
        "holder_name": "Siti",
        "issued_on": timezone.localdate(),
        "valid_until": valid_until,
    }
    fields = {f.name: f for f in izin_model._meta.concrete_fields}
    for name, field in fields.items():
        if name in values or field.has_default() or field.null or field.primary_key:
            continue
        kind = field.get_internal_type()
        if kind in ("CharField", "TextField", "FileField"):
            values[name] = f"uji-{n}-{name}"[: field.max_length or 50]
        elif "Integer" in kind:
            values[name] = 1
        elif kind == "DateTimeField":
            values[name] = timezone.now()
        elif kind == "DateField":
            values[name] = timezone.localdate()
        elif kind == "ForeignKey":
            values[name] = UserFactory(kepala=True, email="penanda@contoh.test")
    return izin_model.objects.create(**{k: v for k, v in values.items() if k in fields})


def test_a_broken_message_never_blocks_the_state_change(monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("a bug in a template tag")

    from notifikasi import services as notifikasi_services

    monkeypatch.setattr(notifikasi_services, "render_message", broken)
    applicant = UserFactory()
    with caplog.at_level("ERROR", logger="perizinan.notifications"):
        permohonan = submitted(applicant)
    assert permohonan.status == Status.DIAJUKAN
    assert not Notifikasi.objects.exists()
    assert "event=notification_receiver_error" in caplog.text


def test_the_signer_sending_a_file_back_tells_the_tim_teknis_not_the_applicant():
    staff = officers()
    applicant = UserFactory()
    permohonan = registered(applicant, fo=staff["fo"])
    permohonan = services.transition(permohonan, name="send_to_technical", actor=staff["bo"])
    permohonan = services.transition(
        permohonan, name="recommend_rejection", actor=staff["teknis"], internal_note="Tidak layak."
    )
    applicant_rows = len(rows(recipient=applicant))
    before = {r.pk for r in rows(event="petugas_berkas_baru")}
    services.transition(
        permohonan,
        name="return_to_technical",
        actor=staff["kepala"],
        internal_note="Kaji ulang dengan RTRW terbaru.",
    )
    told = {
        r.recipient
        for r in rows(event="petugas_berkas_baru", channel=Channel.EMAIL)
        if r.pk not in before
    }
    assert told == {staff["teknis"]}
    assert len(rows(recipient=applicant)) == applicant_rows


def test_a_resubmission_says_the_correction_was_received_not_a_second_receipt():
    """Issue 18: after a return, the applicant hears that the correction arrived."""
    staff = officers()
    applicant = UserFactory()
    permohonan = submitted(applicant)
    permohonan = services.transition(permohonan, name="start_verification", actor=staff["fo"])
    permohonan = services.transition(
        permohonan, name="return_for_correction", actor=staff["fo"], note="Lengkapi."
    )
    services.submit_permohonan(permohonan, actor=applicant, declaration_accepted=True)
    receipts = rows(recipient=applicant, event="permohonan_diajukan", channel=Channel.EMAIL)
    (received,) = rows(
        recipient=applicant, event="permohonan_perbaikan_diterima", channel=Channel.EMAIL
    )
    assert len(receipts) == 1
    assert received.subject == f"Perbaikan permohonan {permohonan.number} sudah kami terima"
