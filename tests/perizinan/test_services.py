"""Submission, numbering, routing, transitions, correction, withdrawal (services layer)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from kewenangan.models import PerangkatDaerah
from perizinan import services
from perizinan.exceptions import WorkflowError
from perizinan.models import Penomoran, Permohonan, RiwayatStatus
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import (
    complete_draft,
    current_document,
    make_service,
    register,
    submitted,
)

pytestmark = pytest.mark.django_db


# --- Numbers -----------------------------------------------------------------------------------


def test_next_number_counts_per_key_and_year_without_gaps():
    assert [services.next_number("uji", 2026) for _ in range(3)] == [1, 2, 3]
    assert services.next_number("uji", 2027) == 1
    assert services.next_number("lain", 2026) == 1
    assert Penomoran.objects.get(key="uji", year=2026).last_value == 3


def test_rolled_back_submission_gives_its_number_back():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.next_number("uji", 2026)
        raise RuntimeError
    assert services.next_number("uji", 2026) == 1


@override_settings(APPLICATION_NUMBER_PREFIX="BTM")
def test_submission_gets_readable_number_and_six_digit_pin():
    permohonan = submitted()
    year = timezone.localdate().year
    assert permohonan.number == f"BTM-{year}-000001"
    assert re.fullmatch(r"\d{6}", permohonan.pin)
    assert permohonan.status == Status.DIAJUKAN
    assert permohonan.submitted_at is not None


def test_database_refuses_submitted_status_without_number():
    from django.db import IntegrityError

    draft = complete_draft()
    with pytest.raises(IntegrityError):
        Permohonan.objects.filter(pk=draft.pk).update(status=Status.DIAJUKAN)


# --- Routing snapshot --------------------------------------------------------------------------


def test_delegated_service_is_processed_by_dpmptsp_and_reviewed_by_its_technical_opd():
    permohonan = submitted(service=make_service(delegated=True, technical_review=True))
    assert permohonan.processing_opd.is_dpmptsp
    assert permohonan.technical_opd.short_name == "Dinkes"
    assert permohonan.route_delegated is True


def test_service_without_technical_review_has_no_technical_opd():
    permohonan = submitted(service=make_service(technical_review=False))
    assert permohonan.technical_opd is None


def test_route_of_a_kewenangan_not_delegated_is_its_origin_opd():
    service = make_service(delegated=False, published=False)
    route = services.route_for(service)
    assert route.processing_opd == service.kewenangan.origin_opd
    assert route.delegated is False


def test_files_in_progress_keep_their_route_when_the_kewenangan_is_reassigned():
    permohonan = submitted()
    kewenangan = permohonan.jenis_izin.kewenangan
    pupr = PerangkatDaerahFactory(pupr=True)
    type(kewenangan).objects.filter(pk=kewenangan.pk).update(technical_opd=pupr)
    permohonan.refresh_from_db()
    assert permohonan.technical_opd.short_name == "Dinkes"


def test_submission_stores_the_standard_version_it_was_filed_under():
    permohonan = submitted()
    assert permohonan.versi == permohonan.jenis_izin.versi.order_by("-number").first()
    assert permohonan.versi is not None


# --- Submission rules ----------------------------------------------------------------------------


def test_submit_requires_the_declaration():
    draft = complete_draft()
    with pytest.raises(ValidationError):
        services.submit_permohonan(draft, actor=draft.applicant, declaration_accepted=False)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submit_refuses_missing_mandatory_documents():
    draft = complete_draft()
    current_document(draft).delete()
    with pytest.raises(ValidationError) as info:
        services.submit_permohonan(draft, actor=draft.applicant, declaration_accepted=True)
    assert any("belum diunggah" in m for m in info.value.messages)


def test_submit_refuses_required_service_field_left_empty():
    draft = complete_draft()
    services.save_form_data(draft, actor=draft.applicant, data={"jenis_praktik": "Mandiri"})
    with pytest.raises(ValidationError) as info:
        services.submit_permohonan(draft, actor=draft.applicant, declaration_accepted=True)
    assert any("Alamat tempat praktik" in m for m in info.value.messages)


def test_submit_twice_is_a_no_op_the_second_time():
    draft = complete_draft()
    first = services.submit_permohonan(draft, actor=draft.applicant, declaration_accepted=True)
    again = services.submit_permohonan(draft, actor=draft.applicant, declaration_accepted=True)
    assert again.number == first.number
    assert Penomoran.objects.get().last_value == 1
    assert RiwayatStatus.objects.filter(transition="submit").count() == 1


def test_only_the_owner_can_submit():
    draft = complete_draft()
    with pytest.raises(WorkflowError):
        services.submit_permohonan(draft, actor=UserFactory(), declaration_accepted=True)


def test_officer_cannot_start_an_application():
    service = make_service()
    with pytest.raises(WorkflowError):
        services.start_draft(applicant=UserFactory(front_office=True), jenis_izin=service)


def test_unpublished_service_cannot_be_applied_for():
    service = make_service(published=False)
    with pytest.raises(WorkflowError):
        services.start_draft(applicant=UserFactory(), jenis_izin=service)


def test_starting_again_resumes_the_open_draft():
    applicant = UserFactory()
    service = make_service()
    first = services.start_draft(applicant=applicant, jenis_izin=service)
    second = services.start_draft(applicant=applicant, jenis_izin=service)
    assert first.pk == second.pk


def test_draft_is_prefilled_from_the_profile():
    applicant = UserFactory(nik="6212014507900001", phone="081234567890", address="Jl. A")
    draft = services.start_draft(applicant=applicant, jenis_izin=make_service())
    assert draft.applicant_data["nik"] == "6212014507900001"
    assert draft.applicant_data["address"] == "Jl. A"


# --- Transitions -------------------------------------------------------------------------------


def fo():
    return UserFactory(front_office=True)


def test_transition_writes_history_with_actor_and_notes():
    permohonan = submitted()
    officer = fo()
    services.transition(permohonan, name="start_verification", actor=officer)
    services.transition(
        permohonan,
        name="return_for_correction",
        actor=officer,
        note="KTP buram",
        internal_note="cek ulang",
    )
    entry = RiwayatStatus.objects.filter(permohonan=permohonan).last()
    assert (entry.from_status, entry.to_status) == (Status.VERIFIKASI, Status.DIKEMBALIKAN)
    assert entry.actor == officer
    assert entry.note == "KTP buram"
    assert entry.internal_note == "cek ulang"


def test_transition_not_allowed_from_current_state_is_refused():
    permohonan = submitted()
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="register", actor=fo())


def test_front_office_cannot_do_the_technical_review():
    permohonan = submitted()
    officer = fo()
    services.transition(permohonan, name="start_verification", actor=officer)
    register(permohonan, officer)
    services.transition(permohonan, name="send_to_technical", actor=UserFactory(back_office=True))
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="recommend_approval", actor=officer)


def test_tim_teknis_of_another_opd_is_out_of_scope():
    permohonan = submitted()
    officer = fo()
    services.transition(permohonan, name="start_verification", actor=officer)
    register(permohonan, officer)
    services.transition(permohonan, name="send_to_technical", actor=UserFactory(back_office=True))
    outsider = UserFactory(tim_teknis=True, opd=PerangkatDaerahFactory(pupr=True))
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="recommend_approval", actor=outsider)
    insider = UserFactory(tim_teknis=True, opd=PerangkatDaerah.objects.get(short_name="Dinkes"))
    assert (
        services.transition(permohonan, name="recommend_approval", actor=insider).status
        == Status.PENANDATANGANAN
    )


def test_front_office_of_another_opd_is_out_of_scope():
    permohonan = submitted()
    other = UserFactory(front_office=True, opd=PerangkatDaerahFactory(pupr=True))
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="start_verification", actor=other)


def test_issued_can_only_be_set_by_the_system():
    permohonan = submitted(service=make_service(technical_review=False))
    officer = fo()
    services.transition(permohonan, name="start_verification", actor=officer)
    register(permohonan, officer)
    services.transition(permohonan, name="send_to_signing", actor=UserFactory(back_office=True))
    kepala = UserFactory(kepala=True)
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="issue", actor=kepala)
    done = services.transition(permohonan, name="issue", actor=services.Actor.system(kepala))
    assert done.status == Status.TERBIT
    assert done.decided_at is not None


def test_send_to_signing_is_refused_when_the_service_needs_technical_review():
    permohonan = submitted(service=make_service(technical_review=True))
    officer = fo()
    services.transition(permohonan, name="start_verification", actor=officer)
    register(permohonan, officer)
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="send_to_signing", actor=UserFactory(back_office=True))


def test_registration_sets_the_due_date_from_working_days():
    permohonan = submitted()
    officer = fo()
    services.transition(permohonan, name="start_verification", actor=officer)
    registered = register(permohonan, officer)
    assert registered.registered_at is not None
    assert registered.due_date is not None
    assert registered.due_date > timezone.localdate()


def test_return_for_correction_requires_a_note():
    permohonan = submitted()
    officer = fo()
    services.transition(permohonan, name="start_verification", actor=officer)
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="return_for_correction", actor=officer, note=" ")


def test_stale_version_is_refused():
    permohonan = submitted()
    with pytest.raises(WorkflowError):
        services.transition(
            permohonan,
            name="start_verification",
            actor=fo(),
            expected_version=permohonan.state_version - 1,
        )


def test_history_rows_are_append_only():
    permohonan = submitted()
    entry = permohonan.riwayat.get()
    entry.note = "diubah"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_notification_is_sent_after_commit(django_capture_on_commit_callbacks, caplog):
    draft = complete_draft()
    with (
        caplog.at_level("INFO", logger="perizinan.notifications"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        services.submit_permohonan(draft, actor=draft.applicant, declaration_accepted=True)
    from notifikasi.outbox import enqueue_delivery

    deliveries = [c for c in callbacks if getattr(c, "func", None) is enqueue_delivery]
    assert len(deliveries) == 1
    assert "event=permohonan.submit" in caplog.text


# --- Correction and resubmission ---------------------------------------------------------------


def returned(permohonan, note="KTP tidak terbaca", fields=("tempat_praktik",)):
    officer = fo()
    services.transition(permohonan, name="start_verification", actor=officer)
    services.set_document_verdict(
        current_document(permohonan),
        actor=officer,
        verdict="needs_correction",
        note="Foto KTP buram",
    )
    return services.transition(
        permohonan,
        name="return_for_correction",
        actor=officer,
        note=note,
        fields_to_fix=fields,
    )


def test_resubmission_after_correction_requires_replacing_the_flagged_document():
    permohonan = returned(submitted())
    with pytest.raises(ValidationError) as info:
        services.submit_permohonan(
            permohonan, actor=permohonan.applicant, declaration_accepted=True
        )
    assert any("belum diganti" in m for m in info.value.messages)


def test_resubmission_after_correction_goes_back_to_the_front_office():
    from tests.perizinan.factories import pdf_upload

    permohonan = returned(submitted())
    flagged = current_document(permohonan)
    services.upload_document(
        permohonan,
        actor=permohonan.applicant,
        persyaratan=flagged.persyaratan,
        uploaded_file=pdf_upload("ktp-baru.pdf"),
    )
    result = services.submit_permohonan(
        permohonan, actor=permohonan.applicant, declaration_accepted=True
    )
    assert result.status == Status.DIAJUKAN
    assert result.number == permohonan.number
    assert list(result.riwayat.values_list("transition", flat=True)) == [
        "submit",
        "start_verification",
        "return_for_correction",
        "resubmit",
    ]
    flagged.refresh_from_db()
    assert flagged.is_current is False


def test_documents_cannot_be_replaced_after_submission():
    from tests.perizinan.factories import pdf_upload

    permohonan = submitted()
    with pytest.raises(WorkflowError):
        services.upload_document(
            permohonan,
            actor=permohonan.applicant,
            persyaratan=current_document(permohonan).persyaratan,
            uploaded_file=pdf_upload(),
        )


def test_replacing_a_document_keeps_the_old_one_in_history():
    """Once handed in (here: sent back for correction). In a draft, nobody has seen it and it
    is replaced (issue 16; tests/perizinan/test_uploads.py)."""
    from tests.perizinan.factories import desk_for, pdf_upload

    permohonan = submitted()
    desk = desk_for(permohonan)
    permohonan = services.transition(permohonan, name="start_verification", actor=desk.fo)
    permohonan = services.transition(
        permohonan, name="return_for_correction", actor=desk.fo, note="Ganti dokumen"
    )
    old = current_document(permohonan)
    new = services.upload_document(
        permohonan,
        actor=permohonan.applicant,
        persyaratan=old.persyaratan,
        uploaded_file=pdf_upload(),
    )
    old.refresh_from_db()
    assert old.is_current is False
    assert new.is_current is True
    assert permohonan.dokumen.filter(persyaratan=old.persyaratan).count() == 2


# --- Withdrawal --------------------------------------------------------------------------------


def test_applicant_can_withdraw_before_a_decision_with_a_reason():
    permohonan = submitted()
    result = services.withdraw_permohonan(
        permohonan, actor=permohonan.applicant, reason="Pindah tugas ke kabupaten lain"
    )
    assert result.status == Status.DIBATALKAN
    assert result.riwayat.last().note == "Pindah tugas ke kabupaten lain"


def test_withdrawal_requires_a_reason():
    permohonan = submitted()
    with pytest.raises(ValidationError):
        services.withdraw_permohonan(permohonan, actor=permohonan.applicant, reason="  ")


def test_withdrawal_is_refused_once_the_file_is_at_signing():
    permohonan = submitted(service=make_service(technical_review=False))
    officer = fo()
    services.transition(permohonan, name="start_verification", actor=officer)
    register(permohonan, officer)
    services.transition(permohonan, name="send_to_signing", actor=UserFactory(back_office=True))
    with pytest.raises(WorkflowError):
        services.withdraw_permohonan(permohonan, actor=permohonan.applicant, reason="batal")


def test_another_applicant_cannot_withdraw():
    permohonan = submitted()
    with pytest.raises(WorkflowError):
        services.withdraw_permohonan(permohonan, actor=UserFactory(), reason="iseng")
