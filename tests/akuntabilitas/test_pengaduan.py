"""Complaints: filing (named or anonymous), ticket + PIN, the officers' workflow, the public
register without personal data, attachments, and the daily escalation to the head."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from freezegun import freeze_time

from akuntabilitas.models import Pengaduan, PengaturanPengaduan, RiwayatPengaduan
from akuntabilitas.services import pengaduan as complaints
from akuntabilitas.tasks import escalate_overdue_complaints
from notifikasi.models import Notifikasi
from perizinan.exceptions import WorkflowError
from tests.akuntabilitas.factories import (  # noqa: F401
    complaint,
    officer,
)
from tests.factories import UserFactory
from tests.perizinan.factories import jpeg_bytes, make_service, pdf_upload, submitted, upload

pytestmark = pytest.mark.django_db

FORM_URL = "/pengaduan/"
LACAK_URL = "/pengaduan/lacak/"


def _post_complaint(client, **overrides):
    data = {
        "topic": "perilaku",
        "title": "Petugas meminta uang tambahan",
        "description": "Di loket 2 pada Senin pagi saya dimintai uang agar cepat.",
        "anonymous": "on",
        "email": "",
    }
    data.update(overrides)
    return client.post(FORM_URL, data)


# --- Filing ---------------------------------------------------------------------------------------


def test_url_names():
    assert reverse("akuntabilitas:pengaduan_create") == FORM_URL
    assert reverse("akuntabilitas:pengaduan_lacak") == LACAK_URL
    assert reverse("akuntabilitas:pengaduan_register") == "/pengaduan/register/"


def test_anyone_can_file_an_anonymous_complaint_and_gets_a_ticket_and_pin(client, dpmptsp):
    response = _post_complaint(client)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    obj = Pengaduan.objects.get()
    assert obj.number in page
    assert obj.anonymous is True
    assert obj.reporter is None and obj.reporter_name == ""
    # The PIN is shown once, then leaves the session.
    again = client.get(reverse("akuntabilitas:pengaduan_terkirim"))
    assert again.status_code == 302


def test_anonymous_complaint_of_a_logged_in_user_stores_no_account_or_name(client, dpmptsp):
    user = UserFactory(full_name="Warga Bernama")
    client.force_login(user)
    _post_complaint(client)
    obj = Pengaduan.objects.get()
    assert obj.reporter_id is None
    assert obj.reporter_name == ""


def test_anonymous_complaint_of_a_logged_in_user_stores_no_contact_either(client, dpmptsp):
    """Issue 16, finding 3: the form prefilled the account's e-mail and "Kirim tanpa nama"
    kept it (and a phone typed in); officers saw "Anonim" with the e-mail under "Kontak untuk
    jawaban"."""
    user = UserFactory(full_name="Warga Bernama", email="warga.bernama@contoh.test")
    client.force_login(user)
    form_page = client.get(FORM_URL).content.decode()
    assert 'value="warga.bernama@contoh.test"' in form_page  # prefilled, as the issue found
    response = _post_complaint(
        client,
        name="Warga Bernama",
        email="warga.bernama@contoh.test",
        phone="081234567890",
    )
    assert response.status_code == 302
    obj = Pengaduan.objects.get()
    assert (obj.reporter_id, obj.reporter_name, obj.reporter_email, obj.reporter_phone) == (
        None,
        "",
        "",
        "",
    )
    assert obj.contact_email == ""
    assert not Notifikasi.objects.filter(email="warga.bernama@contoh.test").exists()
    client.force_login(officer("front_office"))
    detail = client.get(reverse("akuntabilitas:pengaduan_detail", args=[obj.public_id]))
    html = detail.content.decode()
    assert "Anonim" in html
    assert "warga.bernama@contoh.test" not in html
    assert "081234567890" not in html
    assert "Warga Bernama" not in html


def test_an_anonymous_complaint_with_a_malformed_contact_is_still_accepted_without_it(
    client, dpmptsp
):
    """The contact fields are dropped, their errors too: nothing of them is needed."""
    response = _post_complaint(client, email="bukan-alamat", phone="12")
    assert response.status_code == 302
    obj = Pengaduan.objects.get()
    assert (obj.reporter_email, obj.reporter_phone) == ("", "")


def test_the_service_stores_no_contact_for_an_anonymous_complaint(dpmptsp):
    user = UserFactory(full_name="Warga Bernama")
    obj = complaint(
        anonymous=True,
        reporter=user,
        name="Warga Bernama",
        email="pelapor@contoh.test",
        phone="081234567890",
    ).pengaduan
    obj.refresh_from_db()
    assert (obj.reporter_id, obj.reporter_name, obj.reporter_email, obj.reporter_phone) == (
        None,
        "",
        "",
        "",
    )
    assert not Notifikasi.objects.filter(event__startswith="pengaduan.").exists()
    complaints.answer_pengaduan(obj, actor=officer("back_office"), answer="Jawaban kami.")
    assert not Notifikasi.objects.filter(event__startswith="pengaduan.").exists()


@pytest.mark.parametrize(
    "identity",
    [
        {"reporter_email": "pelapor@contoh.test"},
        {"reporter_phone": "081234567890"},
        {"reporter_name": "Warga"},
    ],
)
def test_the_database_refuses_an_anonymous_complaint_with_an_identity(dpmptsp, identity):
    obj = complaint(anonymous=True).pengaduan
    with pytest.raises(IntegrityError), transaction.atomic():
        Pengaduan.objects.filter(pk=obj.pk).update(**identity)


def test_the_migration_erases_the_contact_kept_with_anonymous_complaints(dpmptsp):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("akuntabilitas.migrations.0003_pengaduan_anonymous_no_contact")
    named = complaint(anonymous=False, name="Budi", email="budi@contoh.test").pengaduan
    anonymous = complaint(anonymous=True).pengaduan
    # The rows the old constraint allowed (rolled back with the test's transaction).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER TABLE
        cursor.execute(
            f"ALTER TABLE {Pengaduan._meta.db_table} "
            "DROP CONSTRAINT pengaduan_anonymous_has_no_identity"
        )
    Pengaduan.objects.filter(pk=anonymous.pk).update(
        reporter_email="lama@contoh.test", reporter_phone="081234567890"
    )
    migration.erase_contact_of_anonymous_complaints(apps, None)
    named.refresh_from_db()
    assert named.reporter_email == "budi@contoh.test"
    anonymous.refresh_from_db()
    assert (anonymous.reporter_email, anonymous.reporter_phone) == ("", "")


def test_named_complaint_requires_a_name_when_not_logged_in(client, dpmptsp):
    response = _post_complaint(client, anonymous="", name="")
    assert response.status_code == 400
    assert Pengaduan.objects.count() == 0


def test_anonymous_complaint_without_email_queues_no_message(dpmptsp):
    complaint(anonymous=True, email="")
    assert not Notifikasi.objects.filter(event__startswith="pengaduan.").exists()


def test_complaint_with_email_gets_a_receipt_without_the_pin(dpmptsp):
    ticket = complaint(anonymous=False, name="Pelapor", email="pelapor@contoh.test")
    message = Notifikasi.objects.get(event="pengaduan.diterima")
    assert message.email == "pelapor@contoh.test"
    assert ticket.pengaduan.number in message.body
    assert ticket.pin not in message.body


def test_ticket_numbers_are_adu_year_and_six_digits_in_sequence(dpmptsp):
    with freeze_time("2026-03-17 10:00:00+07:00"):
        first = complaint().pengaduan
        second = complaint().pengaduan
    assert first.number == "ADU-2026-000001"
    assert second.number == "ADU-2026-000002"


def test_pin_is_not_stored_in_clear(dpmptsp):
    ticket = complaint()
    assert ticket.pin not in ticket.pengaduan.pin_digest
    assert len(ticket.pengaduan.pin_digest) == 64


def test_due_date_counts_admin_set_working_days_after_receipt(dpmptsp):
    settings_row = PengaturanPengaduan.load()
    settings_row.response_working_days = 5
    settings_row.save()
    with freeze_time("2026-03-17 10:00:00+07:00"):
        obj = complaint().pengaduan
    # TEST_VECTORS: 5 working days after Tue 2026-03-17 (with cuti bersama) is 2026-03-31.
    assert obj.due_date == dt.date(2026, 3, 31)
    assert obj.response_working_days == 5


def test_changing_the_response_time_applies_to_new_complaints_only(dpmptsp):
    with freeze_time("2026-03-17 10:00:00+07:00"):
        old = complaint().pengaduan
        row = PengaturanPengaduan.load()
        row.response_working_days = 3
        row.save()
        new = complaint().pengaduan
    old.refresh_from_db()
    assert old.response_working_days == 5
    assert new.response_working_days == 3


def test_complaint_about_an_application_links_it_and_its_unit(dpmptsp):
    permohonan = submitted()
    obj = complaint(topic="permohonan", permohonan_number=permohonan.number.lower()).pengaduan
    assert obj.permohonan == permohonan
    assert obj.jenis_izin == permohonan.jenis_izin
    assert obj.opd == permohonan.processing_opd


def test_attachment_follows_the_application_upload_rules(dpmptsp):
    with pytest.raises(ValidationError):
        complaint(attachment=upload("virus.pdf", b"MZ\x90\x00not a pdf"))
    assert Pengaduan.objects.count() == 0
    obj = complaint(attachment=upload("foto.jpg", jpeg_bytes(), "image/jpeg")).pengaduan
    assert obj.attachment_content_type == "image/jpeg"
    assert obj.attachment_name.startswith("pengaduan/")


def test_attachment_is_downloaded_only_by_complaint_officers(client, dpmptsp):
    obj = complaint(attachment=pdf_upload("bukti.pdf")).pengaduan
    url = reverse("akuntabilitas:pengaduan_lampiran", args=[obj.public_id])
    assert client.get(url).status_code == 302  # login first
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(officer("front_office"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


# --- Follow-up by ticket --------------------------------------------------------------------------


def test_follow_up_with_ticket_and_pin_shows_status_and_answer(client, dpmptsp):
    ticket = complaint()
    complaints.answer_pengaduan(
        ticket.pengaduan, actor=officer("back_office"), answer="Petugas sudah ditegur."
    )
    body = client.post(
        LACAK_URL, {"number": ticket.pengaduan.number, "pin": ticket.pin}
    ).content.decode()
    assert "Dijawab" in body
    assert "Petugas sudah ditegur." in body


def test_wrong_pin_shows_nothing_and_does_not_say_which_part_was_wrong(client, dpmptsp):
    ticket = complaint()
    wrong = "000000" if ticket.pin != "000000" else "111111"
    body = client.post(LACAK_URL, {"number": ticket.pengaduan.number, "pin": wrong}).content
    assert b"Nomor tiket atau PIN tidak cocok." in body
    assert ticket.pengaduan.title.encode() not in body


def test_follow_up_is_rate_limited_per_ip(client, dpmptsp):
    ticket = complaint()
    for _ in range(10):
        client.post(LACAK_URL, {"number": ticket.pengaduan.number, "pin": "999999"})
    response = client.post(LACAK_URL, {"number": ticket.pengaduan.number, "pin": ticket.pin})
    assert response.status_code == 429
    assert ticket.pengaduan.title.encode() not in response.content


def test_filing_is_rate_limited_per_ip(client, dpmptsp):
    for _ in range(5):
        _post_complaint(client)
    assert _post_complaint(client).status_code == 429
    assert Pengaduan.objects.count() == 5


# --- The officers' workflow -----------------------------------------------------------------------


def test_workflow_received_follow_up_answered_closed_records_every_step(dpmptsp):
    obj = complaint(anonymous=False, name="Pelapor", email="p@contoh.test").pengaduan
    fo = officer("front_office")
    obj = complaints.follow_up_pengaduan(obj, actor=fo, note="Cek CCTV loket 2")
    obj = complaints.answer_pengaduan(obj, actor=fo, answer="Sudah kami tindak.")
    obj = complaints.close_pengaduan(obj, actor=fo)
    steps = list(RiwayatPengaduan.objects.filter(pengaduan=obj).values_list("action", "actor"))
    assert steps == [("receive", None), ("follow_up", fo.pk), ("answer", fo.pk), ("close", fo.pk)]
    assert obj.status == "selesai"
    assert obj.handled_by == fo


def test_answer_is_sent_to_the_complainant_through_the_outbox(dpmptsp):
    obj = complaint(anonymous=False, name="Pelapor", email="p@contoh.test").pengaduan
    complaints.answer_pengaduan(obj, actor=officer("back_office"), answer="Jawaban kami.")
    message = Notifikasi.objects.get(event="pengaduan.dijawab")
    assert message.email == "p@contoh.test"
    assert "Jawaban kami." in message.body


def test_answer_requires_text(dpmptsp):
    obj = complaint().pengaduan
    with pytest.raises(ValidationError):
        complaints.answer_pengaduan(obj, actor=officer("front_office"), answer="  ")


def test_a_complaint_cannot_be_closed_before_it_is_answered(dpmptsp):
    obj = complaint().pengaduan
    with pytest.raises(WorkflowError):
        complaints.close_pengaduan(obj, actor=officer("front_office"))


@pytest.mark.parametrize("role", ["front_office", "back_office", "admin"])
def test_front_office_back_office_and_admin_handle_complaints(role, dpmptsp):
    obj = complaint().pengaduan
    obj = complaints.follow_up_pengaduan(obj, actor=officer(role))
    assert obj.status == "ditindaklanjuti"


@pytest.mark.parametrize("role", ["kepala", "tim_teknis", "pemohon"])
def test_head_technical_team_and_applicants_do_not_handle_complaints(role, dpmptsp):
    obj = complaint().pengaduan
    actor = UserFactory() if role == "pemohon" else officer(role)
    with pytest.raises(WorkflowError):
        complaints.follow_up_pengaduan(obj, actor=actor)


def test_answered_on_time_and_response_days_use_working_days(dpmptsp):
    with freeze_time("2026-03-17 10:00:00+07:00"):
        obj = complaint().pengaduan
    with freeze_time("2026-03-31 15:00:00+07:00"):
        on_time = complaints.answer_pengaduan(obj, actor=officer("front_office"), answer="Ok")
    assert on_time.answered_on_time is True
    assert on_time.response_days == 5
    with freeze_time("2026-03-17 10:00:00+07:00"):
        late = complaint().pengaduan
    with freeze_time("2026-04-01 09:00:00+07:00"):
        late = complaints.answer_pengaduan(late, actor=officer("front_office"), answer="Maaf")
    assert late.answered_on_time is False


def test_queue_lists_complaints_for_officers_only(client, dpmptsp):
    complaint(title="Loket tutup lebih awal")
    url = reverse("akuntabilitas:pengaduan_queue")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(officer("tim_teknis"))
    assert client.get(url).status_code == 403
    client.force_login(officer("kepala"))
    assert b"Loket tutup lebih awal" in client.get(url).content


def test_queue_query_count_does_not_grow_with_complaints(
    client, dpmptsp, django_assert_max_num_queries
):
    client.force_login(officer("front_office"))
    url = reverse("akuntabilitas:pengaduan_queue") + "?status=semua"
    for _ in range(3):
        complaint()
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(20):
        complaint()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_officer_answers_from_the_detail_page(client, dpmptsp):
    obj = complaint().pengaduan
    fo = officer("front_office")
    client.force_login(fo)
    detail = reverse("akuntabilitas:pengaduan_detail", args=[obj.public_id])
    assert b"Kirim jawaban" in client.get(detail).content
    response = client.post(
        reverse("akuntabilitas:pengaduan_move", args=[obj.public_id, "answer"]),
        {"answer": "Terima kasih, sudah kami perbaiki.", "note": "", "state_version": 0},
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == "dijawab"
    assert obj.answered_by == fo


def test_a_stale_form_does_not_move_the_complaint(client, dpmptsp):
    obj = complaint().pengaduan
    complaints.follow_up_pengaduan(obj, actor=officer("back_office"))
    client.force_login(officer("front_office"))
    client.post(
        reverse("akuntabilitas:pengaduan_move", args=[obj.public_id, "answer"]),
        {"answer": "Jawaban", "state_version": 0},
    )
    obj.refresh_from_db()
    assert obj.status == "ditindaklanjuti"


# --- Public register ------------------------------------------------------------------------------


def test_public_register_shows_counts_and_times_but_no_personal_data(client, dpmptsp):
    named = complaint(
        anonymous=False,
        name="Ahmad Rahasia",
        email="ahmad.rahasia@contoh.test",
        phone="081255554444",
        title="Judul yang menyebut Ahmad",
        description="Uraian pribadi",
    ).pengaduan
    complaints.answer_pengaduan(named, actor=officer("front_office"), answer="Jawaban pribadi")
    body = client.get("/pengaduan/register/").content.decode()
    assert named.number in body
    for secret in ("Ahmad", "ahmad.rahasia", "081255554444", "Uraian pribadi", "Jawaban pribadi"):
        assert secret not in body
    assert "https://www.lapor.go.id" in body


def test_public_register_query_count_is_bounded(client, dpmptsp, django_assert_max_num_queries):
    for _ in range(30):
        complaint()
    with django_assert_max_num_queries(6):
        client.get("/pengaduan/register/")


def test_complaint_form_links_to_sp4n_lapor(client):
    assert b"https://www.lapor.go.id" in client.get(FORM_URL).content


# --- Escalation -----------------------------------------------------------------------------------


def _overdue_complaint():
    with freeze_time("2026-03-02 10:00:00+07:00"):
        return complaint(title="Izin tidak kunjung terbit").pengaduan


def test_overdue_complaints_escalate_to_each_head_in_one_message(dpmptsp):
    head = officer("kepala")
    first, second = _overdue_complaint(), _overdue_complaint()
    with freeze_time("2026-03-20 07:15:00+07:00"):
        assert escalate_overdue_complaints() == 2
    messages = Notifikasi.objects.filter(event="pengaduan.eskalasi")
    assert messages.count() == 1
    message = messages.get()
    assert message.recipient == head
    assert first.number in message.body and second.number in message.body


def test_escalation_runs_once_per_day_and_records_the_first_escalation_once(dpmptsp):
    officer("kepala")
    obj = _overdue_complaint()
    with freeze_time("2026-03-20 07:15:00+07:00"):
        escalate_overdue_complaints()
        escalate_overdue_complaints()
    with freeze_time("2026-03-23 07:15:00+07:00"):
        escalate_overdue_complaints()
    assert Notifikasi.objects.filter(event="pengaduan.eskalasi").count() == 2  # two days
    assert RiwayatPengaduan.objects.filter(pengaduan=obj, action="escalate").count() == 1
    obj.refresh_from_db()
    assert obj.escalated_at is not None


def test_complaints_within_their_time_or_answered_do_not_escalate(dpmptsp):
    officer("kepala")
    answered = _overdue_complaint()
    complaints.answer_pengaduan(answered, actor=officer("front_office"), answer="Selesai")
    with freeze_time("2026-03-20 07:15:00+07:00"):
        fresh = complaint().pengaduan
        assert escalate_overdue_complaints() == 0
    assert not Notifikasi.objects.filter(event="pengaduan.eskalasi").exists()
    fresh.refresh_from_db()
    assert fresh.escalated_at is None


def test_escalation_goes_to_every_active_head(dpmptsp):
    heads = [officer("kepala"), officer("kepala")]
    officer("kepala", is_active=False)
    _overdue_complaint()
    with freeze_time("2026-03-20 07:15:00+07:00"):
        escalate_overdue_complaints()
    recipients = set(
        Notifikasi.objects.filter(event="pengaduan.eskalasi").values_list("recipient", flat=True)
    )
    assert recipients == {h.pk for h in heads}


def test_make_service_complaint_about_a_service_needs_the_service(client, dpmptsp):
    make_service()
    response = _post_complaint(client, topic="layanan")
    assert response.status_code == 400


# --- One table, one office rule -------------------------------------------------------------------


def test_complaint_handlers_and_open_states_come_from_the_complaint_table():
    from akuntabilitas.models import COMPLAINT_HANDLER_ROLES, OPEN_COMPLAINT_STATES
    from akuntabilitas.workflow import MACHINE, MOVES

    assert {r for m in MOVES for r in m.roles} == COMPLAINT_HANDLER_ROLES
    assert MACHINE.sources_of("answer") == OPEN_COMPLAINT_STATES
    assert {"diterima", "ditindaklanjuti"} == OPEN_COMPLAINT_STATES
    assert MACHINE.final_states == {"selesai"}
    assert [m.name for m in MACHINE.moves_from("diterima")] == ["follow_up", "answer"]


def test_officers_without_an_opd_work_for_the_dpmptsp_in_complaints(dpmptsp):
    obj = complaint().pengaduan
    desk = UserFactory(front_office=True, opd=None)
    assert complaints.can_read(desk) and complaints.can_handle(desk)
    assert complaints.follow_up_pengaduan(obj, actor=desk).status == "ditindaklanjuti"


def test_officers_of_another_opd_neither_read_nor_handle_complaints(dpmptsp):
    from tests.factories import PerangkatDaerahFactory

    pupr = PerangkatDaerahFactory(pupr=True)
    obj = complaint().pengaduan
    other = UserFactory(front_office=True, opd=pupr)
    assert not complaints.can_read(other) and not complaints.can_handle(other)
    assert not Pengaduan.objects.visible_to(other).exists()
    with pytest.raises(WorkflowError):
        complaints.follow_up_pengaduan(obj, actor=other)


def test_escalations_go_to_the_heads_who_work_for_the_dpmptsp(dpmptsp):
    from tests.factories import PerangkatDaerahFactory

    own = officer("kepala")
    without_opd = UserFactory(kepala=True, opd=None)
    UserFactory(kepala=True, opd=PerangkatDaerahFactory(pupr=True))
    assert set(complaints.heads()) == {own, without_opd}
