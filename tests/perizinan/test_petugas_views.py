"""The officers' pages: who may enter, dashboards, queues (scope, filters, days left, bounded
queries), the file page (full NIK, the moves of this officer only, documents in the page,
verdicts, notes, BAP, claim), the head's sign button and the counter's assisted entry."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config import page_cache
from perizinan import selectors
from perizinan.models import AksesDokumen, AktivitasBerkas, Dokumen, Permohonan
from perizinan.selectors.desk import _counts_key
from perizinan.services import izin as izin_services
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import (
    VALID_NIK,
    advance,
    current_document,
    desk_for,
    dpmptsp,
    fast_submitted,
    jpeg_bytes,
    judge_all_valid,
    make_service,
    pdf_upload,
    submitted,
    upload,
)

pytestmark = pytest.mark.django_db


def file_url(permohonan) -> str:
    return reverse("petugas:file", args=[permohonan.public_id])


def act_url(permohonan, name) -> str:
    return reverse("petugas:act", args=[permohonan.public_id, name])


# --- Who enters ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["petugas:dashboard", "petugas:queue", "petugas:counter"])
def test_anonymous_visitor_is_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", ["petugas:dashboard", "petugas:queue", "petugas:counter"])
def test_applicant_is_refused_the_officers_desk(client, name):
    client.force_login(UserFactory())
    assert client.get(reverse(name)).status_code == 403


def test_officer_of_another_opd_gets_404_for_a_file_and_its_documents(client):
    permohonan = submitted()
    client.force_login(UserFactory(front_office=True, opd=PerangkatDaerahFactory(pupr=True)))
    assert client.get(file_url(permohonan)).status_code == 404
    doc = current_document(permohonan)
    assert client.get(reverse("petugas:document", args=[doc.public_id])).status_code == 404


def test_tim_teknis_of_dinkes_cannot_see_a_pupr_file(client):
    pupr = PerangkatDaerahFactory(pupr=True)
    service = make_service()
    type(service.kewenangan).objects.filter(pk=service.kewenangan_id).update(technical_opd=pupr)
    pupr_file = advance(submitted(service=service), Status.KAJIAN_TEKNIS)
    dinkes_tt = UserFactory(tim_teknis=True, opd=PerangkatDaerahFactory(dinkes=True))
    client.force_login(dinkes_tt)
    assert client.get(file_url(pupr_file)).status_code == 404
    queue = client.get(reverse("petugas:queue")).content.decode()
    assert pupr_file.number not in queue


# --- Dashboard and queues ------------------------------------------------------------------------


def test_dashboard_counts_files_per_state_due_today_and_overdue(client):
    service = make_service()
    files = fast_submitted(UserFactory(), service, 3)
    today = timezone.localdate()
    Permohonan.objects.filter(pk=files[0].pk).update(
        status=Status.TERDAFTAR, due_date=today - dt.timedelta(days=3)
    )
    Permohonan.objects.filter(pk=files[1].pk).update(status=Status.TERDAFTAR, due_date=today)
    client.force_login(UserFactory(back_office=True, opd=files[0].processing_opd))
    response = client.get(reverse("petugas:dashboard"))
    counts = response.context["counts"]
    assert counts["overdue"] == 1
    assert counts["due_today"] == 1
    assert counts["by_status"][Status.TERDAFTAR] == 2
    assert counts["by_status"][Status.DIAJUKAN] == 1


def test_queue_shows_the_officers_own_stage_by_default_most_urgent_first(client):
    service = make_service()
    files = fast_submitted(UserFactory(), service, 3)
    today = timezone.localdate()
    Permohonan.objects.filter(pk=files[0].pk).update(
        status=Status.TERDAFTAR, due_date=today + dt.timedelta(days=9)
    )
    Permohonan.objects.filter(pk=files[1].pk).update(
        status=Status.TERDAFTAR, due_date=today - dt.timedelta(days=1)
    )
    client.force_login(UserFactory(back_office=True, opd=files[0].processing_opd))
    rows = client.get(reverse("petugas:queue")).context["rows"]
    assert [r.pk for r in rows] == [files[1].pk, files[0].pk]
    assert rows[0].deadline.overdue
    assert not rows[1].deadline.overdue


def test_queue_shows_days_left_and_overdue(client):
    permohonan = advance(submitted(), Status.TERDAFTAR)
    Permohonan.objects.filter(pk=permohonan.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=7)
    )
    client.force_login(desk_for(permohonan).bo)
    html = client.get(reverse("petugas:queue")).content.decode()
    assert "Terlambat" in html and "deadline-overdue" in html


def test_queue_filters_by_overdue_service_search_and_assignment(client):
    service, other_service = make_service(), make_service()
    files = fast_submitted(UserFactory(), service, 2) + fast_submitted(
        UserFactory(), other_service, 1
    )
    today = timezone.localdate()
    Permohonan.objects.filter(pk=files[0].pk).update(due_date=today - dt.timedelta(days=2))
    Permohonan.objects.filter(pk=files[1].pk).update(applicant_data={"full_name": "Yohana Lamba"})
    fo = UserFactory(front_office=True, opd=files[0].processing_opd)
    Permohonan.objects.filter(pk=files[2].pk).update(assigned_to=fo)
    client.force_login(fo)

    def numbers(**params):
        rows = client.get(reverse("petugas:queue"), params).context["rows"]
        return {r.number for r in rows}

    assert numbers(tenggat="lewat") == {files[0].number}
    assert numbers(layanan=other_service.slug) == {files[2].number}
    assert numbers(q="lamba") == {files[1].number}
    assert numbers(q=files[0].number) == {files[0].number}
    assert numbers(penugasan="saya") == {files[2].number}
    assert numbers(penugasan="belum") == {files[0].number, files[1].number}


def _walk(client, query: str, direction: str):
    """Follow the queue's own "Berikutnya" (``setelah``) or "Sebelumnya" (``sebelum``) links
    from ``?query``, as an officer clicks. Returns the numbers per page and the last query."""
    pages = []
    while True:
        page_cache.bump()  # read the rows from the context of a rendering, not a stored page
        response = client.get(reverse("petugas:queue") + "?" + query)
        pages.append([row.number for row in response.context["page"].rows])
        link = re.search(rf'href="\?([^"]*{direction}=[^"]*)"', response.content.decode())
        if link is None:
            return pages, query
        query = html.unescape(link.group(1))


def test_queue_keyset_pages_cover_every_file_once_in_order(client):
    """60 files with ties on the due date and on the submission time, and files with no due
    date yet (they come last): following "Berikutnya" gives every file exactly once, in the
    queue's order; following "Sebelumnya" back from the last page gives the same pages."""
    files = fast_submitted(UserFactory(), make_service(), 60)
    now = timezone.now()
    today = timezone.localdate()
    for i, p in enumerate(files):
        p.due_date = None if i % 7 == 0 else today + dt.timedelta(days=i % 4)
        p.submitted_at = now - dt.timedelta(minutes=i % 3)
    Permohonan.objects.bulk_update(files, ["due_date", "submitted_at"])
    key = lambda p: (p.due_date or dt.date.max, p.submitted_at, p.pk)  # noqa: E731
    expected = [p.number for p in sorted(files, key=key)]
    client.force_login(UserFactory(front_office=True, opd=files[0].processing_opd))

    forward, last = _walk(client, "", "setelah")
    assert [len(rows) for rows in forward] == [25, 25, 10]
    assert [n for rows in forward for n in rows] == expected

    backward, first = _walk(client, last, "sebelum")
    assert backward == forward[::-1]
    assert "sebelum=" in first  # the first page reached backwards is still a cursor page


def test_queue_first_page_has_no_previous_and_a_bad_cursor_is_the_first_page(client):
    files = fast_submitted(UserFactory(), make_service(), 30)
    client.force_login(UserFactory(front_office=True, opd=files[0].processing_opd))
    first = client.get(reverse("petugas:queue")).context["page"]
    assert len(first.rows) == 25 and first.has_next and not first.has_previous
    for bad in ("x", "2026-13-01.1.1", "2026-01-01.a.1", "1.2", ""):
        page = client.get(reverse("petugas:queue"), {"setelah": bad}).context["page"]
        assert [r.pk for r in page.rows] == [r.pk for r in first.rows], bad
    # The old page-number parameter is ignored (bookmarks still open the queue).
    assert client.get(reverse("petugas:queue"), {"hal": 3}).status_code == 200


def test_queue_deep_page_is_read_from_the_queue_index(client):
    """The page after a cursor is an index range scan on the partial queue index in the
    queue's order, not a sort of every file of the OPD (forced off the sequential scan that
    a tiny test table would get anyway)."""
    from django.db import connection as conn

    files = fast_submitted(UserFactory(), make_service(), 30)
    officer = UserFactory(back_office=True, opd=files[0].processing_opd)
    qs = selectors.officer_queue(officer, view=selectors.QUEUE_ACTIVE)
    first = selectors.queue_page(qs, per_page=10)
    page_qs = selectors.queue_page_queryset(qs, after=first.next_cursor, per_page=10)
    sql, params = page_qs.query.sql_with_params()
    with conn.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "permohonan_queue_proc_act_idx" in plan, plan
    assert "Sort" not in plan.split("->")[0] and " Sort " not in plan, plan


def _queue_queries(client, user, params=None) -> int:
    client.force_login(user)
    client.get(reverse("petugas:queue"), params or {})  # warm the session
    page_cache.bump()  # measure a rendering, not the stored page (config.page_cache)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("petugas:queue"), params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["front_office", "back_office", "tim_teknis", "kepala", "admin"])
def test_queue_query_count_is_the_same_for_5_and_50_rows(client, role):
    service = make_service()
    applicant = UserFactory()
    status = {
        "front_office": Status.DIAJUKAN,
        "back_office": Status.TERDAFTAR,
        "tim_teknis": Status.KAJIAN_TEKNIS,
        "kepala": Status.PENANDATANGANAN,
        "admin": Status.DIAJUKAN,
    }[role]

    def add(n):
        files = fast_submitted(applicant, service, n)
        Permohonan.objects.filter(pk__in=[f.pk for f in files]).update(
            status=status,
            technical_opd=service.kewenangan.technical_opd,
            due_date=timezone.localdate(),
        )
        return files

    files = add(5)
    opd = service.kewenangan.technical_opd if role == "tim_teknis" else files[0].processing_opd
    user = UserFactory(role=role, opd=None if role == "admin" else opd)
    Permohonan.objects.filter(pk=files[0].pk).update(assigned_to=UserFactory(front_office=True))
    few = _queue_queries(client, user, {"status": "aktif"})
    add(45)
    many = _queue_queries(client, user, {"status": "aktif"})
    assert few == many


def test_dashboard_query_count_does_not_grow_with_the_files(client):
    service = make_service()
    applicant = UserFactory()
    fast_submitted(applicant, service, 5)
    fo = UserFactory(front_office=True, opd=Permohonan.objects.first().processing_opd)
    client.force_login(fo)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("petugas:dashboard"))
    fast_submitted(applicant, service, 45)
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("petugas:dashboard"))
    assert len(few.captured_queries) == len(many.captured_queries)


# --- The file page -------------------------------------------------------------------------------


def test_file_page_shows_the_full_nik_to_the_officer(client):
    permohonan = submitted()
    client.force_login(desk_for(permohonan).fo)
    html = client.get(file_url(permohonan)).content.decode()
    assert VALID_NIK in html


def test_file_page_offers_only_the_moves_this_officer_may_take_now(client):
    permohonan = advance(submitted(), Status.VERIFIKASI)
    desk = desk_for(permohonan)
    client.force_login(desk.fo)
    moves = [m["move"].name for m in client.get(file_url(permohonan)).context["moves"]]
    # Registering waits for a verdict "Sesuai" on every document (issue 13 item 6).
    assert moves == ["return_for_correction", "refuse"]
    judge_all_valid(permohonan, desk.fo)
    moves = [m["move"].name for m in client.get(file_url(permohonan)).context["moves"]]
    assert moves == ["return_for_correction", "register", "refuse"]
    client.force_login(desk.bo)
    assert client.get(file_url(permohonan)).context["moves"] == []
    client.force_login(desk.kepala)
    assert client.get(file_url(permohonan)).context["moves"] == []


def test_officer_moves_a_file_from_the_page(client):
    permohonan = submitted()
    fo = desk_for(permohonan).fo
    client.force_login(fo)
    response = client.post(
        act_url(permohonan, "start_verification"),
        {"t-start_verification-state_version": permohonan.state_version},
    )
    assert response.status_code == 302
    permohonan.refresh_from_db()
    assert permohonan.status == Status.VERIFIKASI


def test_return_without_a_note_is_refused_with_the_error_at_the_field(client):
    permohonan = advance(submitted(), Status.VERIFIKASI)
    client.force_login(desk_for(permohonan).fo)
    response = client.post(
        act_url(permohonan, "return_for_correction"),
        {"t-return_for_correction-state_version": permohonan.state_version},
    )
    assert response.status_code == 400
    assert "Catatan untuk pemohon (wajib)" in response.content.decode()
    permohonan.refresh_from_db()
    assert permohonan.status == Status.VERIFIKASI


def test_return_from_the_page_lists_the_fields_to_fix(client):
    permohonan = advance(submitted(), Status.VERIFIKASI)
    client.force_login(desk_for(permohonan).fo)
    client.post(
        act_url(permohonan, "return_for_correction"),
        {
            "t-return_for_correction-state_version": permohonan.state_version,
            "t-return_for_correction-note": "Alamat tidak lengkap",
            "t-return_for_correction-fields_to_fix": ["tempat_praktik"],
        },
    )
    entry = permohonan.riwayat.last()
    assert entry.to_status == Status.DIKEMBALIKAN
    assert entry.fields_to_fix == ["tempat_praktik"]


def test_a_stale_form_is_refused_with_a_clear_message(client):
    permohonan = submitted()
    fo = desk_for(permohonan).fo
    client.force_login(fo)
    stale = permohonan.state_version
    client.post(
        act_url(permohonan, "start_verification"),
        {"t-start_verification-state_version": stale},
    )
    response = client.post(
        act_url(permohonan, "start_verification"),
        {"t-start_verification-state_version": stale},
        follow=True,
    )
    assert "tidak dapat dilakukan" in response.content.decode()
    assert permohonan.riwayat.filter(transition="start_verification").count() == 1


def test_front_office_cannot_post_a_signing_move(client):
    permohonan = advance(submitted(), Status.PENANDATANGANAN)
    client.force_login(desk_for(permohonan).fo)
    response = client.post(
        act_url(permohonan, "reject"),
        {"t-reject-state_version": permohonan.state_version, "t-reject-note": "x"},
    )
    assert response.status_code == 302
    permohonan.refresh_from_db()
    assert permohonan.status == Status.PENANDATANGANAN


def test_system_moves_cannot_be_posted(client):
    permohonan = advance(submitted(), Status.PENANDATANGANAN)
    client.force_login(desk_for(permohonan).kepala)
    assert client.post(act_url(permohonan, "issue"), {}).status_code == 404


def test_head_sees_a_sign_button_on_a_file_at_signing(client):
    permohonan = advance(submitted(), Status.PENANDATANGANAN)
    desk = desk_for(permohonan)
    client.force_login(desk.kepala)
    html = client.get(file_url(permohonan)).content.decode()
    sign_url = reverse("petugas:sign", args=[permohonan.public_id])
    assert f'action="{sign_url}"' in html and "Tanda tangani" in html
    client.force_login(desk.bo)
    assert sign_url not in client.get(file_url(permohonan)).content.decode()


def test_issued_permit_is_downloadable_from_the_file_page(client):
    permohonan = advance(submitted(), Status.PENANDATANGANAN)
    desk = desk_for(permohonan)
    izin = izin_services.sign_permohonan(permohonan, actor=desk.kepala)
    client.force_login(desk.kepala)
    html = client.get(file_url(permohonan)).content.decode()
    assert izin.number in html
    assert reverse("perizinan:izin_download", args=[permohonan.public_id]) in html


# --- Documents in the page -----------------------------------------------------------------------


def test_pdf_opens_inline_for_an_officer_framable_only_by_our_own_pages(client):
    permohonan = submitted()
    officer = desk_for(permohonan).fo
    doc = current_document(permohonan)
    client.force_login(officer)
    response = client.get(reverse("petugas:document", args=[doc.public_id]), {"inline": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    csp = response["Content-Security-Policy"]
    assert "sandbox" not in csp and "frame-ancestors 'self'" in csp
    assert "default-src 'none'" in csp
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    access = AksesDokumen.objects.get(dokumen=doc)
    assert access.user == officer and access.inline is True


def test_officer_download_is_an_attachment_in_a_sandbox_and_is_logged(client):
    permohonan = submitted()
    doc = current_document(permohonan)
    client.force_login(desk_for(permohonan).bo)
    response = client.get(reverse("petugas:document", args=[doc.public_id]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert AksesDokumen.objects.filter(dokumen=doc, inline=False).count() == 1


def test_file_page_embeds_pdfs_in_an_iframe_and_images_as_images(client):
    service = make_service()
    photo = service.persyaratan.order_by("order").last()
    draft_applicant = UserFactory()
    from tests.perizinan.factories import complete_draft

    draft = complete_draft(draft_applicant, service)
    from perizinan import services

    services.upload_document(
        draft,
        actor=draft_applicant,
        persyaratan=photo,
        uploaded_file=upload("foto.jpg", jpeg_bytes(), "image/jpeg"),
    )
    permohonan = services.submit_permohonan(draft, actor=draft_applicant, declaration_accepted=True)
    client.force_login(desk_for(permohonan).fo)
    html = client.get(file_url(permohonan)).content.decode()
    assert '<iframe class="doc-frame"' in html
    assert '<img class="doc-image"' in html


def test_front_office_judges_a_document_during_verification(client):
    permohonan = advance(submitted(), Status.VERIFIKASI)
    doc = current_document(permohonan)
    client.force_login(desk_for(permohonan).fo)
    response = client.post(
        reverse("petugas:judge", args=[doc.public_id]),
        {f"v{doc.pk}-verdict": "needs_correction", f"v{doc.pk}-note": "Buram"},
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.verdict == Dokumen.Verdict.NEEDS_CORRECTION and doc.verdict_note == "Buram"
    assert AktivitasBerkas.objects.filter(permohonan=permohonan, kind="verdict").exists()


def test_needs_correction_without_a_note_is_refused(client):
    permohonan = advance(submitted(), Status.VERIFIKASI)
    doc = current_document(permohonan)
    client.force_login(desk_for(permohonan).fo)
    response = client.post(
        reverse("petugas:judge", args=[doc.public_id]),
        {f"v{doc.pk}-verdict": "needs_correction"},
    )
    assert response.status_code == 400
    doc.refresh_from_db()
    assert doc.verdict == Dokumen.Verdict.PENDING


def test_documents_are_not_judged_outside_verification_or_technical_review(client):
    permohonan = submitted()  # DIAJUKAN: verification not started
    doc = current_document(permohonan)
    client.force_login(desk_for(permohonan).fo)
    client.post(reverse("petugas:judge", args=[doc.public_id]), {f"v{doc.pk}-verdict": "valid"})
    doc.refresh_from_db()
    assert doc.verdict == Dokumen.Verdict.PENDING


# --- Notes, BAP, claims --------------------------------------------------------------------------


def test_internal_note_is_shown_to_officers_and_never_to_the_applicant(client):
    permohonan = submitted()
    client.force_login(desk_for(permohonan).fo)
    client.post(reverse("petugas:note", args=[permohonan.public_id]), {"text": "Cek STR ke KKI"})
    assert "Cek STR ke KKI" in client.get(file_url(permohonan)).content.decode()
    client.force_login(permohonan.applicant)
    own = reverse("perizinan:permohonan_detail", args=[permohonan.public_id])
    assert "Cek STR ke KKI" not in client.get(own).content.decode()


def test_tim_teknis_uploads_the_field_report_from_the_page(client):
    permohonan = advance(submitted(service=make_service(needs_field_check=True)), "kajian_teknis")
    tt = desk_for(permohonan).tt
    client.force_login(tt)
    response = client.post(
        reverse("petugas:bap_upload", args=[permohonan.public_id]),
        {
            "inspected_on": timezone.localdate().isoformat(),
            "summary": "Ruang praktik sesuai",
            "file": pdf_upload("bap.pdf"),
        },
    )
    assert response.status_code == 302
    permohonan.refresh_from_db()
    assert permohonan.field_check_done_at is not None
    report = permohonan.berita_acara.get()
    assert client.get(reverse("petugas:bap", args=[report.public_id])).status_code == 200


def test_claim_and_release_from_the_page(client):
    permohonan = submitted()
    fo = desk_for(permohonan).fo
    client.force_login(fo)
    client.post(reverse("petugas:claim", args=[permohonan.public_id]))
    permohonan.refresh_from_db()
    assert permohonan.assigned_to == fo
    client.post(reverse("petugas:release", args=[permohonan.public_id]))
    permohonan.refresh_from_db()
    assert permohonan.assigned_to is None


def test_claim_next_from_the_queue_opens_the_file(client):
    permohonan = submitted()
    client.force_login(desk_for(permohonan).fo)
    response = client.post(reverse("petugas:claim_next"))
    assert response["Location"] == file_url(permohonan)


def test_supervisor_reassigns_from_the_page(client):
    permohonan = submitted()
    desk = desk_for(permohonan)
    colleague = UserFactory(front_office=True, opd=permohonan.processing_opd)
    client.force_login(desk.kepala)
    response = client.post(
        reverse("petugas:reassign", args=[permohonan.public_id]),
        {"to_user": colleague.pk, "reason": "Beban kerja"},
    )
    assert response.status_code == 302
    permohonan.refresh_from_db()
    assert permohonan.assigned_to == colleague


# --- Assisted entry at the counter ---------------------------------------------------------------


def _counter_post(service, **extra):
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
        data[f"d-dok_{requirement.pk}"] = pdf_upload()
    data.update(extra)
    return data


def test_front_office_enters_an_application_for_a_walk_in_applicant(client):
    service = make_service()
    fo = UserFactory(front_office=True)
    client.force_login(fo)
    url = reverse("petugas:counter_entry", args=[service.slug])
    response = client.post(url, _counter_post(service))
    assert response.status_code == 302
    permohonan = Permohonan.objects.get(jenis_izin=service)
    assert permohonan.status == Status.VERIFIKASI  # checked at the counter: no separate step
    assert permohonan.riwayat.get(transition="start_verification").actor == fo
    assert permohonan.assisted_by == fo
    submit = permohonan.riwayat.get(transition="submit")
    assert submit.actor == fo and submit.actor_role == "front_office"
    applicant = permohonan.applicant
    assert applicant.role == "pemohon" and not applicant.has_usable_password()
    assert applicant.email.endswith("@tanpa-email.invalid")
    entry = AktivitasBerkas.objects.get(permohonan=permohonan, kind="assisted")
    assert entry.data["account_created"] is True
    assert permohonan.dokumen.filter(uploaded_by=fo).count() == 2


def test_counter_entry_never_attaches_to_an_account_by_nik(client):
    service = make_service()
    existing = UserFactory(nik="6212014507900002")
    client.force_login(UserFactory(front_office=True))
    client.post(reverse("petugas:counter_entry", args=[service.slug]), _counter_post(service))
    applicant = Permohonan.objects.get(jenis_izin=service).applicant
    assert applicant != existing
    assert not applicant.has_usable_password()
    assert User.objects.filter(nik="6212014507900002").count() == 2


def test_counter_entry_attaches_to_the_applicant_account_with_that_email(client):
    service = make_service()
    existing = UserFactory(email="ina@contoh.test", nik="6212014507900009")
    client.force_login(UserFactory(front_office=True))
    data = _counter_post(service, **{"p-email": "Ina@Contoh.test"})
    client.post(reverse("petugas:counter_entry", args=[service.slug]), data)
    assert Permohonan.objects.get(jenis_izin=service).applicant == existing


def test_counter_entry_with_a_bad_document_leaves_nothing_behind(client):
    service = make_service()
    client.force_login(UserFactory(front_office=True))
    first = service.persyaratan.order_by("order").first()
    data = _counter_post(service)
    data[f"d-dok_{first.pk}"] = upload("ktp.pdf", b"not a pdf at all", "application/pdf")
    response = client.post(reverse("petugas:counter_entry", args=[service.slug]), data)
    assert response.status_code == 400
    assert not Permohonan.objects.exists()
    assert not User.objects.filter(nik="6212014507900002").exists()


def test_only_the_front_office_enters_at_the_counter(client):
    service = make_service()
    client.force_login(UserFactory(back_office=True))
    response = client.post(
        reverse("petugas:counter_entry", args=[service.slug]), _counter_post(service)
    )
    assert response.status_code == 403


# --- One office rule: an officer without an OPD works for the DPMPTSP (accounts.scope) -----------


def test_counter_offers_the_dpmptsp_services_to_an_officer_without_an_opd():
    delegated = make_service()
    held_by_dinkes = make_service(delegated=False)
    of_dpmptsp = selectors.open_services_for_counter(UserFactory(front_office=True, opd=dpmptsp()))
    without_opd = selectors.open_services_for_counter(UserFactory(front_office=True))
    of_dinkes = selectors.open_services_for_counter(
        UserFactory(front_office=True, opd=PerangkatDaerahFactory(dinkes=True))
    )
    assert of_dpmptsp == without_opd == [delegated]
    assert of_dinkes == [held_by_dinkes]


def test_dashboard_counts_of_an_officer_without_an_opd_are_the_dpmptsp_counts():
    fast_submitted(UserFactory(), make_service(), 2)
    of_dpmptsp = UserFactory(back_office=True, opd=dpmptsp())
    without_opd = UserFactory(back_office=True)
    of_pupr = UserFactory(back_office=True, opd=PerangkatDaerahFactory(pupr=True))
    counts = selectors.dashboard_counts(of_dpmptsp, use_cache=False)
    assert counts["total"] == 2
    assert selectors.dashboard_counts(without_opd, use_cache=False) == counts
    assert selectors.dashboard_counts(of_pupr, use_cache=False)["total"] == 0
    today = timezone.localdate()
    assert _counts_key(without_opd, today) == _counts_key(of_dpmptsp, today)
    assert _counts_key(of_pupr, today) != _counts_key(of_dpmptsp, today)


def test_head_without_an_opd_gets_the_sign_button_of_the_dpmptsp_head(client):
    permohonan = advance(submitted(), Status.PENANDATANGANAN)
    sign_url = reverse("petugas:sign", args=[permohonan.public_id])
    for head in (UserFactory(kepala=True, opd=dpmptsp()), UserFactory(kepala=True)):
        client.force_login(head)
        assert f'action="{sign_url}"' in client.get(file_url(permohonan)).content.decode()
    client.force_login(UserFactory(kepala=True, opd=PerangkatDaerahFactory(pupr=True)))
    assert client.get(file_url(permohonan)).status_code == 404


def test_dashboard_links_the_head_to_the_signing_queue(client):
    client.force_login(UserFactory(kepala=True, opd=dpmptsp()))
    response = client.get(reverse("petugas:dashboard"))
    assert f'href="{reverse("petugas:sign_queue")}"' in response.content.decode()


def test_the_counter_finds_a_service_by_typing_part_of_its_name(client):
    """Issue 17: 159 buttons need a search; it filters as one types (JavaScript) and, without
    JavaScript, on the server when the form is sent."""
    bidan = make_service(name="Surat Izin Praktik Bidan")
    apotek = make_service(name="Izin Apotek")
    client.force_login(UserFactory(front_office=True))
    page = client.get(reverse("petugas:counter")).content.decode()
    assert 'data-filter-for="counter-services"' in page
    assert bidan.name in page and apotek.name in page
    assert "Simpan pencarian" not in page
    found = client.get(reverse("petugas:counter"), {"layanan": "praktik  BIDAN"}).content.decode()
    assert bidan.name in found and apotek.name not in found
    none = client.get(reverse("petugas:counter"), {"layanan": "reklame"}).content.decode()
    assert "Tidak ada layanan yang cocok" in none
