"""Decisions by those who hold them (issue 13, items 6 to 9): registering needs a valid verdict
on every document; the tim teknis recommends and the signer decides (and signs the rejection
letter); front office refuses a file that is not for this office; back office sends a file
back to front office; the signer sees what the decision rests on; batch signing confirms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from perizinan import services
from perizinan.exceptions import WorkflowError
from perizinan.models import Dokumen, Izin, Penomoran, Permohonan, RiwayatStatus, SuratPenolakan
from perizinan.services.documents import judge_document
from perizinan.workflow import (
    DOCUMENTS_VALID,
    NOT_RECOMMENDED_FOR_REJECTION,
    RECOMMENDED_REJECTION,
    TRANSITIONS,
    VALID_FIRST,
    Status,
    available_transitions,
    get_transition,
)
from tests.perizinan.factories import (
    advance,
    bap,
    current_document,
    desk_for,
    judge_all_valid,
    make_service,
    pdf_upload,
    register,
    submitted,
)

pytestmark = pytest.mark.django_db

REASONS = "Lokasi usaha berada di kawasan lindung menurut RTRW."


def verifying(service=None):
    permohonan = submitted(service=service or make_service(technical_review=True))
    desk = desk_for(permohonan)
    return services.transition(permohonan, name="start_verification", actor=desk.fo), desk


def recommended_for_rejection(*, field_check=False):
    permohonan = submitted(
        service=make_service(technical_review=True, needs_field_check=field_check)
    )
    desk = desk_for(permohonan)
    permohonan = advance(permohonan, Status.KAJIAN_TEKNIS, desk)
    if field_check:
        bap(permohonan, desk.tt)
    permohonan = services.transition(
        permohonan, name="recommend_rejection", actor=desk.tt, internal_note=REASONS
    )
    return permohonan, desk


# --- Item 6: register needs a valid verdict on every current document -------------------------


def test_register_carries_the_documents_valid_check_in_the_workflow_table():
    assert DOCUMENTS_VALID in get_transition("register").checks


def test_register_waits_until_every_document_is_judged():
    permohonan, desk = verifying()
    assert "register" not in [t.name for t in available_transitions(permohonan, desk.fo)]
    with pytest.raises(WorkflowError) as refused:
        services.transition(permohonan, name="register", actor=desk.fo)
    assert str(VALID_FIRST) in refused.value.message
    assert Permohonan.objects.get(pk=permohonan.pk).status == Status.VERIFIKASI


def test_register_is_refused_while_a_document_needs_correction():
    permohonan, desk = verifying()
    judge_all_valid(permohonan, desk.fo)
    judge_document(
        current_document(permohonan),
        actor=desk.fo,
        verdict=Dokumen.Verdict.NEEDS_CORRECTION,
        note="Foto KTP buram.",
    )
    with pytest.raises(WorkflowError, match="dinyatakan “Sesuai”"):
        services.transition(permohonan, name="register", actor=desk.fo)


def test_a_replaced_document_must_be_judged_again_before_register():
    permohonan, desk = verifying()
    judge_all_valid(permohonan, desk.fo)
    returned = services.transition(
        permohonan, name="return_for_correction", actor=desk.fo, note="Unggah KTP yang jelas."
    )
    old = current_document(returned)
    services.upload_document(
        returned, actor=returned.applicant, persyaratan=old.persyaratan, uploaded_file=pdf_upload()
    )
    resubmitted = services.submit_permohonan(
        returned, actor=returned.applicant, declaration_accepted=True
    )
    again = services.transition(resubmitted, name="start_verification", actor=desk.fo)
    with pytest.raises(WorkflowError, match="dinyatakan “Sesuai”"):
        services.transition(again, name="register", actor=desk.fo)
    judge_all_valid(again, desk.fo)
    assert register(again, desk.fo).status == Status.TERDAFTAR


def test_register_succeeds_once_every_document_is_valid():
    permohonan, desk = verifying()
    judge_all_valid(permohonan, desk.fo)
    assert "register" in [t.name for t in available_transitions(permohonan, desk.fo)]
    assert services.transition(permohonan, name="register", actor=desk.fo).status == (
        Status.TERDAFTAR
    )


def test_the_file_page_offers_register_only_when_every_document_is_valid(client):
    permohonan, desk = verifying()
    client.force_login(desk.fo)
    url = reverse("petugas:file", args=[permohonan.public_id])
    assert "Nyatakan lengkap dan daftarkan" not in client.get(url).text
    judge_all_valid(permohonan, desk.fo)
    assert "Nyatakan lengkap dan daftarkan" in client.get(url).text


def test_posting_register_with_an_unjudged_document_says_why(client):
    permohonan, desk = verifying()
    client.force_login(desk.fo)
    response = client.post(
        reverse("petugas:act", args=[permohonan.public_id, "register"]),
        {"t-register-state_version": permohonan.state_version},
        follow=True,
    )
    assert response.status_code == 200
    assert "harus dinyatakan “Sesuai” lebih dulu" in response.text
    assert Permohonan.objects.get(pk=permohonan.pk).status == Status.VERIFIKASI


# --- Item 7: the tim teknis recommends, the signer decides -------------------------------------


def test_no_move_of_the_tim_teknis_decides_a_file():
    decisions = [t for t in TRANSITIONS if t.target == Status.DITOLAK]
    assert {t.name for t in decisions} == {"reject", "refuse"}
    assert get_transition("recommend_rejection").target == Status.PENANDATANGANAN
    assert get_transition("reject").roles == frozenset({Role.KEPALA})
    assert [t.name for t in TRANSITIONS if t.signs_rejection_letter] == ["reject"]
    assert NOT_RECOMMENDED_FOR_REJECTION in get_transition("issue").checks


def test_a_rejection_recommendation_is_stored_on_the_file_for_the_signer():
    permohonan, desk = recommended_for_rejection()
    assert permohonan.status == Status.PENANDATANGANAN
    assert permohonan.recommendation == Permohonan.Rekomendasi.REJECTION
    assert permohonan.recommendation_reasons == REASONS
    assert permohonan.recommended_by == desk.tt
    assert permohonan.recommended_at is not None
    assert not SuratPenolakan.objects.exists()
    row = RiwayatStatus.objects.filter(permohonan=permohonan).last()
    assert row.transition == "recommend_rejection"
    assert row.note == ""  # nothing for the applicant: the reasons are for officers
    assert row.internal_note == REASONS


def test_a_rejection_recommendation_needs_its_reasons():
    permohonan = advance(submitted(service=make_service(technical_review=True)), "kajian_teknis")
    with pytest.raises(WorkflowError, match="Catatan internal"):
        services.transition(
            permohonan, name="recommend_rejection", actor=desk_for(permohonan).tt, note="x"
        )


def test_an_approval_recommendation_is_stored_too():
    permohonan = submitted(service=make_service(technical_review=True))
    desk = desk_for(permohonan)
    permohonan = advance(permohonan, Status.PENANDATANGANAN, desk)
    assert permohonan.recommendation == Permohonan.Rekomendasi.APPROVAL
    assert permohonan.recommended_by == desk.tt


def test_only_the_kepala_rejects_and_the_letter_is_in_the_kepala_s_name():
    permohonan, desk = recommended_for_rejection()
    assert [t.name for t in available_transitions(permohonan, desk.tt)] == []
    names = [t.name for t in available_transitions(permohonan, desk.kepala)]
    assert names == ["reject", "return_to_technical"]
    rejected = services.transition(permohonan, name="reject", actor=desk.kepala, note=REASONS)
    assert rejected.status == Status.DITOLAK
    letter = SuratPenolakan.objects.get(permohonan=permohonan)
    assert letter.decided_by == desk.kepala
    assert letter.transition == "reject"
    assert letter.reasons == REASONS


def test_the_signer_cannot_issue_a_permit_against_a_rejection_recommendation():
    permohonan, desk = recommended_for_rejection()
    from perizinan.services import izin as izin_services

    with pytest.raises(WorkflowError) as refused:
        izin_services.sign_permohonan(permohonan, actor=desk.kepala)
    assert str(RECOMMENDED_REJECTION) in refused.value.message
    assert not Izin.objects.exists()
    assert Permohonan.objects.get(pk=permohonan.pk).status == Status.PENANDATANGANAN
    # The permit counter is rolled back with the attempt: no gap.
    assert not Penomoran.objects.filter(key__startswith="izin", last_value__gt=0).exists()


def test_the_signer_who_disagrees_sends_the_file_back_to_the_tim_teknis_with_a_note():
    permohonan, desk = recommended_for_rejection()
    with pytest.raises(WorkflowError, match="Catatan internal"):
        services.transition(permohonan, name="return_to_technical", actor=desk.kepala)
    back = services.transition(
        permohonan,
        name="return_to_technical",
        actor=desk.kepala,
        internal_note="Kawasan lindung sudah dikeluarkan dari RTRW 2026; kaji ulang.",
    )
    assert back.status == Status.KAJIAN_TEKNIS
    assert back.recommendation == Permohonan.Rekomendasi.NONE
    assert back.recommendation_reasons == ""
    # The history keeps the withdrawn recommendation and the signer's note.
    notes = list(
        RiwayatStatus.objects.filter(permohonan=permohonan).values_list(
            "transition", "internal_note"
        )
    )
    assert ("recommend_rejection", REASONS) in notes
    assert notes[-1][0] == "return_to_technical"
    again = services.transition(back, name="recommend_approval", actor=desk.tt)
    from perizinan.services import izin as izin_services

    izin_services.sign_permohonan(again, actor=desk.kepala)
    assert Permohonan.objects.get(pk=permohonan.pk).status == Status.TERBIT


def test_the_kepala_may_also_reject_a_file_recommended_for_approval():
    permohonan = submitted(service=make_service(technical_review=True))
    desk = desk_for(permohonan)
    permohonan = advance(permohonan, Status.PENANDATANGANAN, desk)
    rejected = services.transition(permohonan, name="reject", actor=desk.kepala, note=REASONS)
    assert rejected.surat_penolakan.decided_by == desk.kepala


def test_the_officers_file_page_shows_the_recommendation_and_no_sign_button(client):
    permohonan, desk = recommended_for_rejection()
    client.force_login(desk.kepala)
    page = client.get(reverse("petugas:file", args=[permohonan.public_id])).text
    assert "Rekomendasi tolak" in page
    assert REASONS in page
    assert reverse("petugas:sign", args=[permohonan.public_id]) not in page
    assert reverse("petugas:act", args=[permohonan.public_id, "reject"]) in page
    assert reverse("petugas:act", args=[permohonan.public_id, "return_to_technical"]) in page


def test_the_reject_form_starts_from_the_recommendation_s_reasons(client):
    permohonan, desk = recommended_for_rejection()
    client.force_login(desk.kepala)
    page = client.get(reverse("petugas:file", args=[permohonan.public_id])).text
    assert "Alasan penolakan untuk pemohon (wajib)" in page
    assert f"{REASONS}</textarea>" in page


def test_the_officers_file_page_links_the_rejection_letter(client, django_assert_max_num_queries):
    permohonan, desk = recommended_for_rejection()
    client.force_login(desk.kepala)
    client.post(
        reverse("petugas:act", args=[permohonan.public_id, "reject"]),
        {"t-reject-state_version": permohonan.state_version, "t-reject-note": REASONS},
    )
    letter = SuratPenolakan.objects.get(permohonan=permohonan)
    client.force_login(desk.bo)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("petugas:file", args=[permohonan.public_id])).text
    assert letter.number in page
    download = reverse("perizinan:surat_penolakan_download", args=[permohonan.public_id])
    assert download in page
    assert client.get(download)["Content-Type"] == "application/pdf"


def test_posting_sign_on_a_rejection_recommendation_signs_nothing(client):
    permohonan, desk = recommended_for_rejection()
    client.force_login(desk.kepala)
    response = client.post(reverse("petugas:sign", args=[permohonan.public_id]), follow=True)
    assert "merekomendasikan penolakan" in response.text
    assert not Izin.objects.exists()


# --- Item 8: front office refuses; back office sends back --------------------------------------


@pytest.mark.parametrize("start", [Status.DIAJUKAN, Status.VERIFIKASI])
def test_front_office_refuses_a_file_not_for_this_office_with_a_reason(start):
    permohonan = submitted(service=make_service(technical_review=True))
    desk = desk_for(permohonan)
    permohonan = advance(permohonan, start, desk)
    with pytest.raises(WorkflowError, match="Catatan untuk pemohon"):
        services.transition(permohonan, name="refuse", actor=desk.fo)
    refused = services.transition(
        permohonan, name="refuse", actor=desk.fo, note="Ajukan pada layanan SIP Bidan."
    )
    assert refused.status == Status.DITOLAK
    assert refused.decided_at is not None
    # The SLA clock never started, and no signer decided: no letter.
    assert refused.registered_at is None and refused.due_date is None
    assert not SuratPenolakan.objects.exists()
    row = RiwayatStatus.objects.filter(permohonan=permohonan).last()
    assert (row.transition, row.note) == ("refuse", "Ajukan pada layanan SIP Bidan.")


def test_front_office_cannot_refuse_a_registered_file():
    permohonan = submitted(service=make_service(technical_review=True))
    desk = desk_for(permohonan)
    permohonan = advance(permohonan, Status.TERDAFTAR, desk)
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="refuse", actor=desk.fo, note="Salah layanan.")


def test_back_office_cannot_refuse_at_the_counter():
    permohonan, desk = verifying()
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="refuse", actor=desk.bo, note="Salah layanan.")


def test_back_office_sends_a_file_back_and_the_sla_clock_keeps_running():
    permohonan = submitted(service=make_service(technical_review=True))
    desk = desk_for(permohonan)
    registered = advance(permohonan, Status.TERDAFTAR, desk)
    with pytest.raises(WorkflowError, match="Catatan internal"):
        services.transition(registered, name="send_back", actor=desk.bo, note="x")
    back = services.transition(
        registered, name="send_back", actor=desk.bo, internal_note="NIB tidak cocok dengan KTP."
    )
    assert back.status == Status.VERIFIKASI
    assert back.registered_at == registered.registered_at
    assert back.due_date == registered.due_date
    row = RiwayatStatus.objects.filter(permohonan=permohonan).last()
    assert (row.note, row.internal_note) == ("", "NIB tidak cocok dengan KTP.")
    again = services.transition(back, name="register", actor=desk.fo)
    assert again.registered_at == registered.registered_at  # not restarted
    assert again.due_date == registered.due_date


def test_the_send_back_form_asks_no_note_for_the_applicant(client):
    permohonan = submitted(service=make_service(technical_review=True))
    desk = desk_for(permohonan)
    permohonan = advance(permohonan, Status.TERDAFTAR, desk)
    client.force_login(desk.bo)
    page = client.get(reverse("petugas:file", args=[permohonan.public_id])).text
    assert 'name="t-send_back-internal_note"' in page
    assert 'name="t-send_back-note"' not in page
    url = reverse("petugas:act", args=[permohonan.public_id, "send_back"])
    missing = client.post(url, {"t-send_back-state_version": permohonan.state_version})
    assert missing.status_code == 400
    done = client.post(
        url,
        {
            "t-send_back-state_version": permohonan.state_version,
            "t-send_back-internal_note": "Periksa lagi NIB.",
        },
    )
    assert done.status_code == 302
    assert Permohonan.objects.get(pk=permohonan.pk).status == Status.VERIFIKASI


# --- Item 9: the signer's preview and batch signing -------------------------------------------


def test_the_preview_shows_documents_with_verdicts_the_bap_and_the_recommendation(
    client, django_assert_max_num_queries
):
    permohonan, desk = recommended_for_rejection(field_check=True)
    client.force_login(desk.kepala)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("petugas:sign", args=[permohonan.public_id]))
    page = response.text
    for dokumen in permohonan.dokumen.filter(is_current=True):
        assert dokumen.persyaratan.name in page
    assert "Sesuai" in page
    assert "Lokasi sesuai denah." in page  # the BAP's summary
    assert "Rekomendasi tolak" in page and REASONS in page
    assert "Tanda tangani dan terbitkan izin" not in page
    assert "Putuskan: tolak atau kembalikan ke tim teknis" in page


def test_the_preview_s_queries_do_not_grow_with_the_documents(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = submitted(service=make_service(technical_review=False, requirements=1))
    desk = desk_for(few)
    many = submitted(service=make_service(technical_review=False, requirements=4))
    client.force_login(desk.kepala)
    counts = []
    for permohonan in (few, many):
        permohonan = advance(permohonan, Status.PENANDATANGANAN, desk)
        url = reverse("petugas:sign", args=[permohonan.public_id])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_batch_signing_asks_for_confirmation_with_the_count_and_the_list(client):
    from tests.perizinan.izin_support import files_waiting, kepala_dpmptsp

    files = files_waiting(3)
    kepala = kepala_dpmptsp()
    client.force_login(kepala)
    checked = [str(p.public_id) for p in files[:2]]
    response = client.post(reverse("petugas:sign_batch"), {"permohonan": checked})
    assert response.status_code == 200
    assert "Anda akan menandatangani dan menerbitkan 2 izin berikut" in response.text
    assert files[0].number in response.text and files[1].number in response.text
    assert files[2].number not in response.text
    assert 'name="confirm" value="1"' in response.text
    assert not Izin.objects.exists()  # nothing signed before confirmation
    done = client.post(
        reverse("petugas:sign_batch"), {"permohonan": checked, "confirm": "1"}, follow=True
    )
    assert "2 izin ditandatangani" in done.text
    assert Izin.objects.count() == 2


def test_batch_signing_leaves_out_a_rejection_recommendation(client):
    from tests.perizinan.izin_support import files_waiting

    permohonan, desk = recommended_for_rejection()
    client.force_login(desk.kepala)
    queue = client.get(reverse("petugas:sign_queue")).text
    assert f'value="{permohonan.public_id}"' not in queue  # no checkbox: decided one by one
    assert "Rekomendasi tolak" in queue
    files = files_waiting(1)
    wanted = [str(permohonan.public_id), str(files[0].public_id)]
    confirm = client.post(reverse("petugas:sign_batch"), {"permohonan": wanted})
    assert "1 izin berikut" in confirm.text
    assert "Tidak ikut ditandatangani" in confirm.text
    client.post(reverse("petugas:sign_batch"), {"permohonan": wanted, "confirm": "1"})
    assert list(Izin.objects.values_list("permohonan_id", flat=True)) == [files[0].pk]
    assert Permohonan.objects.get(pk=permohonan.pk).status == Status.PENANDATANGANAN


def test_the_batch_confirmation_page_s_queries_are_bounded(client, django_assert_max_num_queries):
    from tests.perizinan.izin_support import files_waiting, kepala_dpmptsp

    files = files_waiting(6)
    client.force_login(kepala_dpmptsp())
    with django_assert_max_num_queries(8):
        response = client.post(
            reverse("petugas:sign_batch"), {"permohonan": [str(p.public_id) for p in files]}
        )
    assert "6 izin berikut" in response.text


def test_a_batch_of_nothing_signable_says_so_and_signs_nothing(client):
    permohonan, desk = recommended_for_rejection()
    client.force_login(desk.kepala)
    response = client.post(
        reverse("petugas:sign_batch"), {"permohonan": [str(permohonan.public_id)]}
    )
    assert "Tidak ada permohonan pilihan Anda yang dapat ditandatangani sekaligus" in response.text
    assert 'name="confirm"' not in response.text
    assert not Izin.objects.exists()
