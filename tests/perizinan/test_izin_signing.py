"""Signing a permit: number, PDF, storage, the issue transition, who may sign, failures."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from perizinan.exceptions import WorkflowError
from perizinan.models import Izin, RiwayatStatus, private_storage
from perizinan.services import izin as izin_services
from perizinan.signing import SignedDocument
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.izin_support import (
    counter_value,
    dinkes,
    files_waiting,
    kepala_dpmptsp,
    pdf_image_count,
    pdf_text,
    route_to_origin_opd,
    signing_service,
    to_signing,
)

pytestmark = pytest.mark.django_db


def this_year() -> int:
    return timezone.localdate().year


class FailingSigner:
    provider = "failing"
    certified = False

    def sign(self, pdf: bytes, *, signer_name: str, reason: str) -> SignedDocument:
        raise RuntimeError("signature service down")


# --- Happy path ------------------------------------------------------------------------------


def test_signing_issues_a_permit_numbered_in_the_default_format():
    izin = izin_services.sign_permohonan(to_signing(), actor=kepala_dpmptsp())
    assert izin.number == f"503/0001/SIP-DR/DPMPTSP/{this_year()}"
    assert (izin.sequence, izin.year, izin.counter_key) == (1, this_year(), "izin:DPMPTSP")


def test_signing_moves_the_file_to_terbit_with_the_head_in_the_history():
    kepala = kepala_dpmptsp()
    permohonan = to_signing()
    izin_services.sign_permohonan(permohonan, actor=kepala)
    permohonan.refresh_from_db()
    assert permohonan.status == Status.TERBIT
    assert permohonan.decided_at is not None
    last = RiwayatStatus.objects.filter(permohonan=permohonan).order_by("-id").first()
    assert (last.transition, last.to_status, last.actor_id) == ("issue", Status.TERBIT, kepala.pk)


def test_signed_pdf_shows_number_holder_masked_nik_and_a_qr_code():
    izin = izin_services.sign_permohonan(to_signing(), actor=kepala_dpmptsp())
    with izin.open() as handle:
        content = handle.read()
    text = pdf_text(content)
    assert "503/0001/SIP-DR/DPMPTSP" in text
    assert "Siti Rahmawati" in text
    assert "6212********0001" in text
    assert "6212014507900001" not in text
    assert "bukan tanda tangan" in text.lower()
    assert izin.data_sha256 in text.replace("\n", "")
    assert pdf_image_count(content) >= 1  # the verification QR code


def test_signed_pdf_is_stored_privately_with_its_sha256_and_size():
    izin = izin_services.sign_permohonan(to_signing(), actor=kepala_dpmptsp())
    with private_storage().open(izin.file_name, "rb") as handle:
        content = handle.read()
    assert izin.file_name.startswith(f"izin/{this_year()}/")
    assert izin.sha256 == hashlib.sha256(content).hexdigest()
    assert izin.file_size == len(content)


def test_permit_records_the_signer_and_that_the_builtin_signature_is_not_certified():
    kepala = kepala_dpmptsp()
    izin = izin_services.sign_permohonan(to_signing(), actor=kepala)
    assert izin.signed_by == kepala
    assert izin.provider == "internal"
    assert izin.certified is False
    assert izin.signer_title.startswith("Kepala Dinas Penanaman Modal")


def test_permit_freezes_holder_and_masked_nik_for_verification():
    izin = izin_services.sign_permohonan(to_signing(), actor=kepala_dpmptsp())
    assert izin.holder_name == "Siti Rahmawati"
    assert izin.holder_nik_masked == "6212********0001"


def test_verification_token_is_unguessable_and_unique():
    a, b = (izin_services.sign_permohonan(p, actor=kepala_dpmptsp()) for p in files_waiting(2))
    assert len(a.verification_token) >= 32
    assert a.verification_token != b.verification_token


def test_valid_until_is_validity_months_from_the_version_snapshot_minus_one_day():
    izin = izin_services.sign_permohonan(to_signing(), actor=kepala_dpmptsp())
    assert izin.valid_until == izin_services.add_months(izin.issued_on, 12) - dt.timedelta(days=1)


def test_validity_comes_from_the_version_filed_under_not_the_current_service():
    permohonan = to_signing()
    permohonan.jenis_izin.validity_months = 60
    permohonan.jenis_izin.save()
    izin = izin_services.sign_permohonan(permohonan, actor=kepala_dpmptsp())
    assert izin.valid_until == izin_services.add_months(izin.issued_on, 12) - dt.timedelta(days=1)


def test_permit_without_validity_months_is_valid_while_compliant():
    permohonan = to_signing(service=signing_service(validity_months=None))
    izin = izin_services.sign_permohonan(permohonan, actor=kepala_dpmptsp())
    assert izin.valid_until is None
    assert izin.effective_status(dt.date(2099, 1, 1)) == Izin.Status.VALID


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    assert izin_services.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert izin_services.add_months(dt.date(2026, 11, 27), 14) == dt.date(2028, 1, 27)


def test_permit_numbers_follow_each_other_without_gaps():
    kepala = kepala_dpmptsp()
    numbers = [izin_services.sign_permohonan(p, actor=kepala).sequence for p in files_waiting(3)]
    assert numbers == [1, 2, 3]
    assert counter_value("izin:DPMPTSP", this_year()) == 3


def test_number_format_can_be_overridden_per_service(settings):
    permohonan = to_signing()
    settings.PERMIT_NUMBER_FORMATS = {permohonan.jenis_izin.slug: "{code}-{year}-{seq:05d}"}
    izin = izin_services.sign_permohonan(permohonan, actor=kepala_dpmptsp())
    assert izin.number == f"SIP-DR-{this_year()}-00001"


def test_number_format_setting_changes_every_number(settings):
    settings.PERMIT_NUMBER_FORMAT = "{office}/{year}/{seq}"
    izin = izin_services.sign_permohonan(to_signing(), actor=kepala_dpmptsp())
    assert izin.number == f"DPMPTSP/{this_year()}/1"


def test_file_of_an_undelegated_authority_is_numbered_and_signed_by_its_origin_opd():
    opd = dinkes()
    permohonan = route_to_origin_opd(to_signing(), opd)
    izin = izin_services.sign_permohonan(permohonan, actor=UserFactory(kepala=True, opd=opd))
    assert izin.number == f"503/0001/SIP-DR/Dinkes/{this_year()}"
    assert izin.signer_title == "Kepala Dinas Kesehatan"


def test_head_of_the_dpmptsp_cannot_sign_for_an_undelegated_authority():
    permohonan = route_to_origin_opd(to_signing(), dinkes())
    with pytest.raises(WorkflowError):
        izin_services.sign_permohonan(permohonan, actor=kepala_dpmptsp())


# --- Who may sign ------------------------------------------------------------------------------


def assert_refused(actor, permohonan=None):
    permohonan = permohonan or to_signing()
    with pytest.raises(WorkflowError):
        izin_services.sign_permohonan(permohonan, actor=actor)
    permohonan.refresh_from_db()
    assert permohonan.status == Status.PENANDATANGANAN
    assert not Izin.objects.exists()
    assert counter_value("izin:DPMPTSP", this_year()) == 0


def test_front_office_cannot_sign():
    assert_refused(UserFactory(front_office=True))


def test_back_office_cannot_sign():
    assert_refused(UserFactory(back_office=True))


def test_tim_teknis_cannot_sign():
    assert_refused(UserFactory(tim_teknis=True))


def test_admin_cannot_sign():
    assert_refused(UserFactory(admin=True))


def test_applicant_cannot_sign_their_own_permit():
    permohonan = to_signing()
    assert_refused(permohonan.applicant, permohonan)


def test_head_of_another_opd_cannot_sign():
    assert_refused(UserFactory(kepala=True, opd=PerangkatDaerahFactory(pupr=True)))


def test_nobody_can_sign_without_an_actor():
    assert_refused(None)


def test_a_file_not_waiting_for_signature_cannot_be_signed():
    from tests.perizinan.factories import submitted

    permohonan = submitted(service=signing_service())
    with pytest.raises(WorkflowError):
        izin_services.sign_permohonan(permohonan, actor=kepala_dpmptsp())
    assert not Izin.objects.exists()


def test_signing_twice_is_refused_with_a_clear_message():
    kepala = kepala_dpmptsp()
    permohonan = to_signing()
    izin_services.sign_permohonan(permohonan, actor=kepala)
    with pytest.raises(WorkflowError, match="sudah ditandatangani"):
        izin_services.sign_permohonan(permohonan, actor=kepala)
    assert Izin.objects.count() == 1
    assert counter_value("izin:DPMPTSP", this_year()) == 1


def test_may_sign_is_true_only_for_the_head_in_scope():
    permohonan = to_signing()
    assert izin_services.may_sign(permohonan, kepala_dpmptsp())
    assert not izin_services.may_sign(permohonan, UserFactory(back_office=True))


# --- Failure leaves nothing half done ------------------------------------------------------------


def test_failed_signing_leaves_nothing_half_done(settings):
    settings.PERMIT_SIGNER = "tests.perizinan.test_izin_signing.FailingSigner"
    permohonan = to_signing()
    with pytest.raises(RuntimeError):
        izin_services.sign_permohonan(permohonan, actor=kepala_dpmptsp())
    permohonan.refresh_from_db()
    assert permohonan.status == Status.PENANDATANGANAN
    assert not Izin.objects.exists()
    assert counter_value("izin:DPMPTSP", this_year()) == 0
    assert not RiwayatStatus.objects.filter(permohonan=permohonan, to_status=Status.TERBIT)


def test_failed_database_step_removes_the_stored_pdf(monkeypatch):
    permohonan = to_signing()
    original = izin_services.transition

    def broken_transition(*args, **kwargs):
        raise WorkflowError("boom")

    monkeypatch.setattr(izin_services, "transition", broken_transition)
    with pytest.raises(WorkflowError):
        izin_services.sign_permohonan(permohonan, actor=kepala_dpmptsp())
    monkeypatch.setattr(izin_services, "transition", original)
    storage = private_storage()
    assert not storage.exists("izin") or not storage.listdir(f"izin/{this_year()}")[1]
    assert not Izin.objects.exists()


def test_after_a_failed_signing_the_next_permit_takes_the_number_back(settings):
    settings.PERMIT_SIGNER = "tests.perizinan.test_izin_signing.FailingSigner"
    first, second = files_waiting(2)
    kepala = kepala_dpmptsp()
    with pytest.raises(RuntimeError):
        izin_services.sign_permohonan(first, actor=kepala)
    settings.PERMIT_SIGNER = "perizinan.signing.InternalSigner"
    assert izin_services.sign_permohonan(second, actor=kepala).sequence == 1


# --- Batch ---------------------------------------------------------------------------------------


def test_batch_signs_each_file_and_reports_the_ones_that_failed():
    kepala = kepala_dpmptsp()
    ready = files_waiting(2)
    not_ready = to_signing()
    izin_services.sign_permohonan(not_ready, actor=kepala)  # already signed
    result = izin_services.sign_batch([p.pk for p in [*ready, not_ready]], actor=kepala)
    assert sorted(i.sequence for i in result.signed) == [2, 3]
    assert [(pk, number) for pk, number, _ in result.failed] == [(not_ready.pk, not_ready.number)]


def test_batch_refuses_every_file_for_a_signer_out_of_scope():
    ready = files_waiting(2)
    result = izin_services.sign_batch(
        [p.pk for p in ready], actor=UserFactory(kepala=True, opd=PerangkatDaerahFactory(pupr=True))
    )
    assert result.signed == []
    assert len(result.failed) == 2
    assert not Izin.objects.exists()


def test_batch_reports_unknown_ids():
    result = izin_services.sign_batch([999_999], actor=kepala_dpmptsp())
    assert result.failed and result.failed[0][0] == 999_999
