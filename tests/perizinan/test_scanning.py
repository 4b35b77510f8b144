"""Malware scanning of every upload (issue 16, perizinan.scanning), against Debian's real clamd
with the tests' own EICAR signatures (tests/fakes/clamd.py).

- the client speaks clamd's INSTREAM protocol over a UNIX socket and TCP, with a deadline;
- an EICAR file is refused with a message naming the requirement, on every upload path (the
  applicant's documents, the counter, the BAP, a complaint's attachment); nothing is stored;
- a clean file is stored as ``clean``;
- with clamd stopped, an upload is stored but held: hidden from officers (their document URL
  is 404, the file page does not link it, the file cannot be registered) and scanned by the
  rescan task once clamd is back; an EICAR held that way is caught, deleted and asked again.
"""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from akuntabilitas.models import Pengaduan
from notifikasi.models import Notifikasi
from perizinan import scanning, services
from perizinan.exceptions import WorkflowError
from perizinan.models import BeritaAcara, Dokumen, Permohonan
from perizinan.scanning import ClamdClient, ClamdScanner, Outcome, ScanStatus, parse_reply
from perizinan.services.documents import INFECTED_NOTE
from perizinan.services.submission import missing_for_submission
from perizinan.tasks.scanning import rescan_held_uploads
from perizinan.workflow import SCAN_FIRST, Status, available_transitions
from tests.akuntabilitas.factories import complaint, officer
from tests.config.test_settings import PROD_ENV, run_manage
from tests.factories import UserFactory
from tests.fakes.clamd import SIGNATURE, Clamd, clean_pdf, eicar, eicar_pdf
from tests.perizinan.factories import (
    advance,
    complete_draft,
    current_document,
    desk_for,
    make_service,
    pdf_upload,
    register,
    submitted,
    upload,
)

pytestmark = pytest.mark.django_db

INFECTED = "berkas ini mengandung virus atau program berbahaya dan tidak disimpan"


@pytest.fixture
def clamd(tmp_path, settings):
    """A clamd of this test's own, which the test may stop and start again."""
    server = Clamd(tmp_path / "clamd").start()
    server.apply(settings)
    yield server
    server.stop()


@pytest.fixture
def rescan(django_capture_on_commit_callbacks):
    """The task's body, with what it leaves for after the commit (deleting an infected file,
    delivering the messages) run as the commit would."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return rescan_held_uploads()

    return run


def stored_files() -> set[str]:
    root = storages["private"].location
    from pathlib import Path

    return {str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file()}


def step3(draft) -> str:
    return reverse("perizinan:permohonan_step", kwargs={"public_id": draft.public_id, "step": 3})


def first_requirement(draft):
    return draft.jenis_izin.persyaratan.order_by("order").first()


def post_document(client, draft, content: bytes, name: str = "ktp.pdf"):
    return client.post(
        step3(draft),
        {"persyaratan": first_requirement(draft).pk, "file": upload(name, content)},
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(caplog, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "event", None) == name]


# --- The client: clamd's protocol ------------------------------------------------------------


def test_clamd_answers_ping_and_version_over_its_unix_socket(clamd_server):
    client = clamd_server.client()
    assert client.ping()
    assert client.version().startswith("ClamAV ")


@pytest.mark.parametrize("tcp", [False, True], ids=["unix", "tcp"])
def test_instream_finds_eicar_and_passes_a_clean_file(tmp_path, tcp):
    server = Clamd(tmp_path / "c", tcp=tcp).start()
    try:
        scanner = ClamdScanner(server.client())
        found = scanner.scan(eicar())
        assert found.outcome == Outcome.INFECTED
        assert found.signature.startswith(SIGNATURE)
        assert scanner.scan(clean_pdf()).outcome == Outcome.CLEAN
    finally:
        server.stop()


def test_eicar_inside_a_compressed_pdf_stream_is_found(clamd_server):
    result = ClamdScanner(clamd_server.client()).scan(eicar_pdf(compress=True))
    assert result.outcome == Outcome.INFECTED


def test_a_large_file_is_streamed_in_chunks_to_its_last_byte(clamd_server):
    """3 MB in 64 KB chunks; EICAR in the very last bytes is still found, so every chunk and
    the zero-length terminator reached clamd."""
    padding = b"\x00" * (3 * 1024 * 1024)
    client = clamd_server.client()
    assert client.chunk_size == 64 * 1024
    assert parse_reply(client.instream(padding)).outcome == Outcome.CLEAN
    assert parse_reply(client.instream(padding + eicar())).outcome == Outcome.INFECTED


def test_a_file_over_clamds_stream_limit_is_an_error_not_a_verdict(tmp_path):
    server = Clamd(tmp_path / "c", stream_max_length="1M").start()
    try:
        result = ClamdScanner(server.client()).scan(b"\x00" * (2 * 1024 * 1024))
    finally:
        server.stop()
    assert result.outcome == Outcome.UNAVAILABLE
    assert "size limit" in result.detail


def test_a_stopped_clamd_is_unavailable_not_an_exception(tmp_path):
    scanner = ClamdScanner(ClamdClient(socket_path=str(tmp_path / "none.sock"), timeout=2))
    result = scanner.scan(clean_pdf())
    assert result.outcome == Outcome.UNAVAILABLE
    assert "cannot connect" in result.detail
    assert not scanner.ping()


@pytest.fixture
def silent_clamd():
    """A local server on 127.0.0.1 that accepts, reads everything and never replies (a stuck
    clamd). Yields its port and the list of connections it accepted."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def swallow():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)
            threading.Thread(target=_drain, args=(conn,), daemon=True).start()

    threading.Thread(target=swallow, daemon=True).start()
    yield listener.getsockname()[1], accepted
    listener.close()
    for conn in accepted:
        conn.close()


def _drain(conn):
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


def test_a_clamd_that_never_answers_is_given_up_after_the_timeout(silent_clamd):
    """The scan ends within the one deadline of the exchange, as "unavailable"."""
    port, _accepted = silent_clamd
    scanner = ClamdScanner(ClamdClient(host="127.0.0.1", port=port, timeout=0.5))
    started = time.monotonic()
    result = scanner.scan(clean_pdf())
    assert time.monotonic() - started < 3
    assert result.outcome == Outcome.UNAVAILABLE and result.timed_out


def test_after_a_timeout_uploads_are_held_at_once_instead_of_waiting_again(
    silent_clamd, settings, monkeypatch
):
    """A stuck clamd must not hold every web worker for CLAMD_TIMEOUT per upload."""
    from perizinan.scanning import scanners

    monkeypatch.setattr(scanners, "_stuck_until", {})
    port, accepted = silent_clamd
    settings.CLAMD_SOCKET, settings.CLAMD_HOST, settings.CLAMD_PORT = "", "127.0.0.1", port
    settings.CLAMD_TIMEOUT = 0.5
    settings.UPLOAD_SCAN_BACKOFF_SECONDS = 0.5
    first = scanning.scan_upload(clean_pdf(), requirement="KTP", what="test")
    assert first.status == ScanStatus.PENDING and len(accepted) == 1
    started = time.monotonic()
    second = scanning.scan_upload(clean_pdf(), requirement="KTP", what="test")
    assert second.status == ScanStatus.PENDING
    assert time.monotonic() - started < 0.2 and len(accepted) == 1  # did not even connect
    time.sleep(0.6)
    scanning.scan_upload(clean_pdf(), requirement="KTP", what="test")
    assert len(accepted) == 2  # tried again once the backoff was over


@pytest.mark.parametrize(
    ("reply", "outcome", "signature"),
    [
        ("stream: OK", Outcome.CLEAN, ""),
        ("stream: Win.Test.EICAR_HDB-1 FOUND", Outcome.INFECTED, "Win.Test.EICAR_HDB-1"),
        ("INSTREAM size limit exceeded. ERROR", Outcome.UNAVAILABLE, ""),
        ("stream: Can't allocate memory ERROR", Outcome.UNAVAILABLE, ""),
        ("PONG", Outcome.UNAVAILABLE, ""),
        ("", Outcome.UNAVAILABLE, ""),
    ],
)
def test_clamds_replies_are_read_as_verdicts_only_when_they_are_one(reply, outcome, signature):
    result = parse_reply(reply)
    assert result.outcome == outcome
    assert result.signature == signature


# --- Every upload path refuses EICAR and keeps a clean file -----------------------------------


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "compressed"])
def test_an_eicar_document_is_refused_with_a_message_naming_the_requirement(caplog, compress):
    draft = complete_draft(UserFactory(email="warga.a@contoh.test"), make_service())
    client = signed_in(draft.applicant)
    before = current_document(draft)
    files = stored_files()
    with caplog.at_level(logging.INFO, logger="perizinan.scanning"):
        response = post_document(client, draft, eicar_pdf(compress=compress), "KTP Siti.pdf")
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Dokumen wajib 1: {INFECTED}" in page
    assert current_document(draft) == before  # the previous file stays, nothing new stored
    assert stored_files() == files
    (record,) = events(caplog, "upload_infected")
    assert record.fields["what"] == "dokumen"
    assert record.fields["signature"].startswith(SIGNATURE)
    assert record.fields["requirement_id"] == first_requirement(draft).pk
    assert "Siti" not in record.getMessage()  # no file name, no personal data


def test_a_clean_document_is_accepted_and_marked_clean():
    draft = complete_draft(UserFactory(email="warga.a@contoh.test"), make_service())
    response = post_document(signed_in(draft.applicant), draft, clean_pdf())
    assert response.status_code == 302
    dokumen = current_document(draft)
    assert dokumen.scan_status == ScanStatus.CLEAN
    assert dokumen.scanned_at is not None
    assert dokumen.is_servable


def _counter_data(service, files: dict):
    data = {
        "p-email": "",
        "p-applicant_kind": "perorangan",
        "p-full_name": "Ina Walk-in",
        "p-nik": "6212014507900002",
        "p-phone": "081234567891",
        "p-address": "Desa Matabu",
        "f-tempat_praktik": "Desa Matabu",
        "f-jenis_praktik": "Mandiri",
        "d-declaration": "on",
    }
    for requirement in service.persyaratan.all():
        data[f"d-dok_{requirement.pk}"] = files.get(requirement.pk) or pdf_upload()
    return data


def test_an_eicar_scan_at_the_counter_is_refused_and_the_form_is_kept():
    service = make_service()
    first = service.persyaratan.order_by("order").first()
    client = signed_in(UserFactory(front_office=True))
    data = _counter_data(service, {first.pk: upload("ktp.pdf", eicar_pdf())})
    response = client.post(reverse("petugas:counter_entry", args=[service.slug]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{first.name}: {INFECTED}" in page
    assert 'value="Ina Walk-in"' in page
    assert not Permohonan.objects.exists()
    assert stored_files() == set()


def test_an_eicar_field_report_is_refused_and_the_form_is_kept():
    permohonan = advance(submitted(service=make_service(needs_field_check=True)), "kajian_teknis")
    client = signed_in(desk_for(permohonan).tt)
    response = client.post(
        reverse("petugas:bap_upload", args=[permohonan.public_id]),
        {
            "inspected_on": timezone.localdate().isoformat(),
            "summary": "Ruang praktik sesuai denah",
            "file": upload("bap.pdf", eicar_pdf()),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Berita acara pemeriksaan: {INFECTED}" in page
    assert "Ruang praktik sesuai denah" in page
    assert not BeritaAcara.objects.exists()
    permohonan.refresh_from_db()
    assert permohonan.field_check_done_at is None


def test_an_eicar_complaint_attachment_is_refused_and_the_complaint_is_kept(client, dpmptsp):
    data = {
        "topic": "perilaku",
        "title": "Petugas meminta uang tambahan",
        "description": "Di loket 2 pada Senin pagi saya dimintai uang agar cepat.",
        "anonymous": "on",
        "email": "",
        "attachment": upload("bukti.pdf", eicar_pdf()),
    }
    response = client.post(reverse("akuntabilitas:pengaduan_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Lampiran pengaduan: {INFECTED}" in page
    assert "Di loket 2 pada Senin pagi" in page
    assert not Pengaduan.objects.exists()
    assert stored_files() == set()


def test_a_clean_complaint_attachment_is_stored_clean(dpmptsp):
    obj = complaint(attachment=upload("bukti.pdf", clean_pdf())).pengaduan
    assert obj.attachment_scan_status == ScanStatus.CLEAN
    assert obj.attachment_scanned_at is not None
    assert obj.has_attachment


# --- Scanner down: held, hidden, never lost, scanned when clamd is back -----------------------


def test_an_upload_made_while_clamd_is_stopped_is_held_hidden_and_scanned_when_it_is_back(
    clamd, rescan
):
    draft = complete_draft(UserFactory(email="warga.a@contoh.test"), make_service())
    applicant = signed_in(draft.applicant)
    clamd.stop()

    response = post_document(applicant, draft, clean_pdf())
    assert response.status_code == 302
    held = current_document(draft)
    assert held.scan_status == ScanStatus.PENDING and held.scanned_at is None
    assert held.stored_name in stored_files()  # not lost
    page = applicant.get(response["Location"]).content.decode()
    assert "menunggu pemindaian virus" in page
    assert reverse("perizinan:dokumen_download", args=[held.public_id]) not in page

    permohonan = services.submit_permohonan(draft, actor=draft.applicant, declaration_accepted=True)
    desk = desk_for(permohonan)
    permohonan = services.transition(permohonan, name="start_verification", actor=desk.fo)
    fo = signed_in(desk.fo)
    document_url = reverse("petugas:document", args=[held.public_id])
    assert fo.get(document_url).status_code == 404
    assert fo.get(document_url + "?inline=1").status_code == 404
    assert fo.get(reverse("perizinan:dokumen_download", args=[held.public_id])).status_code == 404
    file_page = fo.get(reverse("petugas:file", args=[permohonan.public_id])).content.decode()
    assert "menunggu pemindaian virus" in file_page
    assert document_url not in file_page
    assert "Nyatakan lengkap dan daftarkan" not in file_page
    with pytest.raises(WorkflowError) as refused:
        services.transition(permohonan, name="register", actor=desk.fo)
    assert str(SCAN_FIRST) in refused.value.message

    report = scanning.rescan_held_uploads()  # clamd still down: nothing changes
    assert report.stopped and report.changed == 0
    held.refresh_from_db()
    assert held.scan_status == ScanStatus.PENDING

    clamd.start()
    assert rescan() == 1  # the task's body
    held.refresh_from_db()
    assert held.scan_status == ScanStatus.CLEAN and held.scanned_at is not None
    assert fo.get(document_url).status_code == 200
    file_page = fo.get(reverse("petugas:file", args=[permohonan.public_id])).content.decode()
    assert document_url in file_page
    permohonan = register(permohonan, desk.fo)
    assert permohonan.status == Status.TERDAFTAR
    assert rescan() == 0  # idempotent: nothing left to do


def test_an_eicar_uploaded_while_clamd_was_down_is_caught_by_the_rescan(clamd, rescan):
    draft = complete_draft(UserFactory(email="warga.a@contoh.test"), make_service())
    applicant = signed_in(draft.applicant)
    clamd.stop()
    assert post_document(applicant, draft, eicar_pdf()).status_code == 302
    held = current_document(draft)
    name = held.stored_name
    assert held.scan_status == ScanStatus.PENDING and name in stored_files()

    clamd.start()
    assert rescan() == 1
    held.refresh_from_db()
    assert held.scan_status == ScanStatus.INFECTED
    assert held.scan_signature.startswith(SIGNATURE)
    assert held.stored_name == "" and name not in stored_files()  # deleted from storage
    # Treated as missing: to be replaced, the applicant told, the file not submittable.
    assert held.is_current and held.verdict == Dokumen.Verdict.NEEDS_CORRECTION
    assert held.verdict_note == str(INFECTED_NOTE)
    told = Notifikasi.objects.filter(event="dokumen_terdeteksi_virus", recipient=draft.applicant)
    assert told.filter(channel="email").exists()
    assert "Dokumen wajib 1" in told.get(channel="email").subject
    assert any("Dokumen wajib 1" in m for m in missing_for_submission(held.permohonan))
    with pytest.raises(ValidationError):
        services.submit_permohonan(draft, actor=draft.applicant, declaration_accepted=True)
    page = applicant.get(step3(draft)).content.decode()
    assert "Terdeteksi virus" in page
    assert reverse("perizinan:dokumen_download", args=[held.public_id]) not in page

    assert post_document(applicant, draft, clean_pdf()).status_code == 302
    replacement = current_document(draft)
    assert replacement.scan_status == ScanStatus.CLEAN
    held.refresh_from_db()
    assert not held.is_current
    assert missing_for_submission(replacement.permohonan) == []
    assert rescan() == 0


def test_a_held_document_waits_for_the_scanner_before_an_officer_may_judge_it(clamd):
    permohonan = submitted()
    desk = desk_for(permohonan)
    permohonan = services.transition(permohonan, name="start_verification", actor=desk.fo)
    permohonan = services.transition(
        permohonan, name="return_for_correction", actor=desk.fo, note="Ganti KTP"
    )
    clamd.stop()
    services.upload_document(
        permohonan,
        actor=permohonan.applicant,
        persyaratan=first_requirement(permohonan),
        uploaded_file=upload("ktp.pdf", clean_pdf()),
    )
    permohonan = services.submit_permohonan(
        permohonan, actor=permohonan.applicant, declaration_accepted=True
    )
    permohonan = services.transition(permohonan, name="start_verification", actor=desk.fo)
    with pytest.raises(WorkflowError, match="menunggu pemindaian"):
        services.judge_document(current_document(permohonan), actor=desk.fo, verdict="valid")


def test_a_counter_entry_made_while_clamd_is_down_is_submitted_with_its_documents_held(
    clamd, rescan
):
    service = make_service()
    clamd.stop()
    client = signed_in(UserFactory(front_office=True))
    data = _counter_data(service, {})
    response = client.post(reverse("petugas:counter_entry", args=[service.slug]), data)
    assert response.status_code == 302
    permohonan = Permohonan.objects.get(jenis_izin=service)
    assert permohonan.status == Status.VERIFIKASI  # register waits for the scan (SCANNED)
    assert set(permohonan.dokumen.values_list("scan_status", flat=True)) == {ScanStatus.PENDING}
    clamd.start()
    assert rescan() == 2
    assert set(permohonan.dokumen.values_list("scan_status", flat=True)) == {ScanStatus.CLEAN}


def _field_report_while_down(clamd, rescan, content: bytes):
    permohonan = advance(submitted(service=make_service(needs_field_check=True)), "kajian_teknis")
    tt = desk_for(permohonan).tt
    client = signed_in(tt)
    clamd.stop()
    response = client.post(
        reverse("petugas:bap_upload", args=[permohonan.public_id]),
        {
            "inspected_on": timezone.localdate().isoformat(),
            "summary": "Ruang praktik sesuai",
            "file": upload("bap.pdf", content),
        },
    )
    assert response.status_code == 302
    report = BeritaAcara.objects.get(permohonan=permohonan)
    assert report.scan_status == ScanStatus.PENDING
    bap_url = reverse("petugas:bap", args=[report.public_id])
    assert client.get(bap_url).status_code == 404
    page = client.get(reverse("petugas:file", args=[permohonan.public_id])).content.decode()
    assert "menunggu pemindaian virus" in page and bap_url not in page
    clamd.start()
    assert rescan() == 1
    report.refresh_from_db()
    permohonan.refresh_from_db()
    return permohonan, tt, client, report, bap_url


def test_a_field_report_held_while_clamd_was_down_opens_once_scanned_clean(clamd, rescan):
    permohonan, _tt, client, report, bap_url = _field_report_while_down(clamd, rescan, clean_pdf())
    assert report.scan_status == ScanStatus.CLEAN
    assert client.get(bap_url).status_code == 200
    assert permohonan.field_check_done_at is not None


def test_an_infected_field_report_held_while_clamd_was_down_must_be_filed_again(clamd, rescan):
    permohonan, tt, client, report, bap_url = _field_report_while_down(clamd, rescan, eicar_pdf())
    assert report.scan_status == ScanStatus.INFECTED and report.stored_name == ""
    assert client.get(bap_url).status_code == 404
    assert permohonan.field_check_done_at is None
    assert Notifikasi.objects.filter(event="bap_terdeteksi_virus", recipient=tt).exists()
    with pytest.raises(WorkflowError, match="BAP"):
        services.transition(permohonan, name="recommend_approval", actor=tt)


@pytest.mark.parametrize(
    ("content", "status"),
    [(clean_pdf(), ScanStatus.CLEAN), (eicar_pdf(), ScanStatus.INFECTED)],
    ids=["clean", "eicar"],
)
def test_a_complaint_attachment_held_while_clamd_was_down_is_scanned_later(
    clamd, rescan, dpmptsp, content, status
):
    clamd.stop()
    obj = complaint(attachment=upload("bukti.pdf", content)).pengaduan
    name = obj.attachment_name
    assert obj.attachment_scan_status == ScanStatus.PENDING and name in stored_files()
    client = signed_in(officer("front_office"))
    url = reverse("akuntabilitas:pengaduan_lampiran", args=[obj.public_id])
    assert client.get(url).status_code == 404
    detail = reverse("akuntabilitas:pengaduan_detail", args=[obj.public_id])
    assert "Menunggu pemindaian" in client.get(detail).content.decode()
    clamd.start()
    assert rescan() == 1
    obj.refresh_from_db()
    assert obj.attachment_scan_status == status
    if status == ScanStatus.CLEAN:
        assert client.get(url).status_code == 200
    else:
        assert obj.attachment_name == "" and name not in stored_files()
        assert client.get(url).status_code == 404
        assert "Terdeteksi virus" in client.get(detail).content.decode()


def test_a_draft_with_an_infected_document_can_still_be_discarded(clamd, rescan):
    draft = complete_draft(UserFactory(email="warga.a@contoh.test"), make_service())
    clamd.stop()
    post_document(signed_in(draft.applicant), draft, eicar_pdf())
    clamd.start()
    rescan()
    services.discard_draft(draft, actor=draft.applicant)
    assert not Permohonan.objects.filter(pk=draft.pk).exists()


# --- Development without clamd, the setting, the task -------------------------------------------


def test_without_clamd_in_development_files_are_stored_unscanned_and_scanned_later(
    settings, rescan
):
    settings.DEBUG = True
    settings.UPLOAD_SCANNER = "perizinan.scanning.NoScanner"
    draft = complete_draft(UserFactory(email="warga.a@contoh.test"), make_service())
    dokumen = current_document(draft)
    assert dokumen.scan_status == ScanStatus.UNSCANNED and dokumen.is_servable
    page = signed_in(draft.applicant).get(step3(draft)).content.decode()
    assert "Tidak dipindai" in page
    assert scanning.rescan_held_uploads().changed == 0  # no scanner: nothing to do

    settings.UPLOAD_SCANNER = "perizinan.scanning.ClamdScanner"  # the session's clamd
    assert rescan() == 2
    dokumen.refresh_from_db()
    assert dokumen.scan_status == ScanStatus.CLEAN


def test_no_scanner_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.UPLOAD_SCANNER = "perizinan.scanning.NoScanner"
    with pytest.raises(ImproperlyConfigured, match="development only"):
        scanning.get_scanner()


def test_settings_refuse_no_scanner_in_production_and_default_to_clamd():
    refused = run_manage(
        "check", env_overrides={**PROD_ENV, "UPLOAD_SCANNER": "perizinan.scanning.NoScanner"}
    )
    assert refused.returncode != 0
    assert "NoScanner" in refused.stderr and "clamav-daemon" in refused.stderr
    code = "from django.conf import settings; print(settings.UPLOAD_SCANNER)"
    production = run_manage("shell", "-c", code, env_overrides=PROD_ENV)
    assert production.stdout.strip().splitlines()[-1] == "perizinan.scanning.ClamdScanner"
    development = run_manage(
        "shell", "-c", code, env_overrides={"DEBUG": "true"}, drop=("CLAMD_SOCKET", "CLAMD_HOST")
    )
    assert development.stdout.strip().splitlines()[-1] == "perizinan.scanning.NoScanner"


def test_the_rescan_runs_every_minute_and_survives_a_killed_worker(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["uploads-rescan-held"]
    assert entry["task"] == rescan_held_uploads.name
    assert entry["schedule"] == 60.0
    assert rescan_held_uploads.acks_late is True
    assert rescan_held_uploads.reject_on_worker_lost is True


def test_the_technical_team_cannot_recommend_while_a_document_waits_for_the_scanner(clamd):
    """A document replaced during a technical fix is scanned again: the recommendation waits
    for it, with the scanner's words, and is offered again once it is clean."""
    permohonan = submitted(service=make_service(technical_review=True))
    desk = desk_for(permohonan)
    permohonan = advance(permohonan, Status.KAJIAN_TEKNIS, desk)
    document = permohonan.dokumen.filter(is_current=True).first()
    Dokumen.objects.filter(pk=document.pk).update(scan_status=ScanStatus.PENDING)
    permohonan.refresh_from_db()
    names = {t.name for t in available_transitions(permohonan, desk.tt)}
    assert "recommend_approval" not in names
    assert "recommend_rejection" in names  # refusing needs no document verdict
    with pytest.raises(WorkflowError) as refused:
        services.transition(permohonan, name="recommend_approval", actor=desk.tt)
    assert str(SCAN_FIRST) in refused.value.message

    Dokumen.objects.filter(pk=document.pk).update(scan_status=ScanStatus.CLEAN)
    permohonan.refresh_from_db()
    assert "recommend_approval" in {t.name for t in available_transitions(permohonan, desk.tt)}
    permohonan = services.transition(permohonan, name="recommend_approval", actor=desk.tt)
    assert permohonan.status == Status.PENANDATANGANAN
