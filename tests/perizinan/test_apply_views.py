"""The citizen's journey through the pages: start, four steps, draft resume, submit, receipt,
detail with timeline and correction, withdraw."""

from __future__ import annotations

import pytest
from django.urls import reverse

from perizinan import services
from perizinan.models import Permohonan
from perizinan.workflow import Status
from tests.factories import UserFactory
from tests.perizinan.factories import (
    VALID_NIK,
    complete_draft,
    current_document,
    make_service,
    pdf_upload,
    submitted,
    upload,
)

pytestmark = pytest.mark.django_db


def step_url(permohonan, step):
    return reverse("perizinan:permohonan_step", args=[permohonan.public_id, step])


@pytest.fixture
def service():
    return make_service()


@pytest.fixture
def applicant(client):
    user = UserFactory(full_name="Siti Rahmawati", nik=VALID_NIK, phone="081234567890")
    client.force_login(user)
    return user


STEP1 = {
    "applicant_kind": "perorangan",
    "full_name": "Siti Rahmawati",
    "nik": VALID_NIK,
    "phone": "0812 3456 7890",
    "address": "Jl. Tjilik Riwut No. 12",
}


def test_start_page_requires_login(client, service):
    response = client.get(reverse("perizinan:permohonan_create", args=[service.slug]))
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_start_page_lists_the_requirements(client, applicant, service):
    response = client.get(reverse("perizinan:permohonan_create", args=[service.slug]))
    assert response.status_code == 200
    assert "Dokumen wajib 1" in response.content.decode()


def test_get_on_the_start_page_creates_nothing(client, applicant, service):
    client.get(reverse("perizinan:permohonan_create", args=[service.slug]))
    assert not Permohonan.objects.exists()


def test_unpublished_service_has_no_start_page(client, applicant):
    service = make_service(published=False)
    response = client.get(reverse("perizinan:permohonan_create", args=[service.slug]))
    assert response.status_code == 404


def test_officer_cannot_open_an_application(client, service):
    client.force_login(UserFactory(front_office=True))
    response = client.post(reverse("perizinan:permohonan_create", args=[service.slug]))
    assert response.status_code == 403
    assert not Permohonan.objects.exists()


def test_post_on_the_start_page_opens_a_draft_at_step_1(client, applicant, service):
    response = client.post(reverse("perizinan:permohonan_create", args=[service.slug]))
    draft = Permohonan.objects.get()
    assert draft.status == Status.DRAFT
    assert response["Location"] == step_url(draft, 1)


def test_step_1_is_prefilled_from_the_profile(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    body = client.get(step_url(draft, 1)).content.decode()
    assert 'value="Siti Rahmawati"' in body
    assert f'value="{VALID_NIK}"' in body
    assert 'aria-current="step"' in body
    assert "---------" not in body and "Pilih kecamatan" in body  # issue 18: a real placeholder


def test_step_1_refuses_an_invalid_nik_and_keeps_what_was_typed(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    response = client.post(step_url(draft, 1), {**STEP1, "nik": "1234", "address": "Jl. Baru 9"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "NIK harus 16 digit angka." in body
    assert "Jl. Baru 9" in body


def test_step_1_requires_company_name_and_nib_for_a_company(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    response = client.post(step_url(draft, 1), {**STEP1, "applicant_kind": "badan_usaha"})
    assert response.status_code == 200
    assert response.content.decode().count("Wajib diisi untuk badan usaha.") >= 2


def test_step_1_saves_the_draft_and_goes_to_step_2(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    response = client.post(step_url(draft, 1), {**STEP1, "address": "Jl. Ahmad Yani 3"})
    assert response["Location"] == step_url(draft, 2)
    draft.refresh_from_db()
    assert draft.applicant_data["address"] == "Jl. Ahmad Yani 3"
    assert draft.applicant_data["phone"] == "0812 3456 7890"
    assert draft.last_step == 1


def test_save_draft_button_returns_to_the_list(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    response = client.post(step_url(draft, 1), {**STEP1, "save_draft": "1"})
    assert response["Location"] == reverse("perizinan:permohonan_list")


def test_step_2_renders_the_service_fields_and_validates_them(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    body = client.get(step_url(draft, 2)).content.decode()
    assert "Alamat tempat praktik" in body
    assert "Fasilitas kesehatan" in body
    response = client.post(step_url(draft, 2), {"tempat_praktik": "", "jenis_praktik": "Lain"})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.form_data == {}


def test_step_2_saves_the_service_fields(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    response = client.post(
        step_url(draft, 2), {"tempat_praktik": "Klinik Sehat", "jenis_praktik": "Mandiri"}
    )
    assert response["Location"] == step_url(draft, 3)
    draft.refresh_from_db()
    assert draft.form_data == {"tempat_praktik": "Klinik Sehat", "jenis_praktik": "Mandiri"}


def test_step_3_shows_accepted_types_and_size_beside_each_requirement(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    body = client.get(step_url(draft, 3)).content.decode()
    assert "PDF, JPEG, PNG" in body
    assert "2 MB" in body


def test_step_3_upload_stores_the_document(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    requirement = service.persyaratan.first()
    response = client.post(
        step_url(draft, 3), {"persyaratan": requirement.pk, "file": pdf_upload("KTP saya.pdf")}
    )
    assert response.status_code == 302
    doc = draft.dokumen.get()
    assert doc.original_name == "KTP saya.pdf"
    assert doc.stored_name != "KTP saya.pdf"


def test_failed_upload_keeps_everything_else(client, applicant, service):
    draft = complete_draft(applicant=applicant, service=service)
    requirement = service.persyaratan.last()
    response = client.post(
        step_url(draft, 3),
        {"persyaratan": requirement.pk, "file": upload("ktp.pdf", b"<html>bukan pdf</html>")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f"{requirement.name}: isi berkas bukan PDF" in body
    assert 'aria-invalid="true"' in body
    draft.refresh_from_db()
    assert draft.applicant_data["full_name"] == "Siti Rahmawati"
    assert draft.form_data["jenis_praktik"] == "Mandiri"
    assert draft.dokumen.filter(is_current=True).count() == 2


def test_step_3_continue_moves_to_the_review(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    response = client.post(step_url(draft, 3), {})
    assert response["Location"] == step_url(draft, 4)


def test_review_lists_what_is_still_missing(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    body = client.get(step_url(draft, 4)).content.decode()
    assert "Dokumen “Dokumen wajib 1” belum diunggah." in body


def test_review_shows_the_nik_masked(client, applicant, service):
    draft = complete_draft(applicant=applicant, service=service)
    body = client.get(step_url(draft, 4)).content.decode()
    assert VALID_NIK not in body
    assert "6212********0001" in body


def test_draft_can_be_resumed_from_the_list(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    client.post(step_url(draft, 1), STEP1)
    body = client.get(reverse("perizinan:permohonan_list")).content.decode()
    assert step_url(draft, 2) in body
    assert "Lanjutkan draf" in body


def test_submit_from_the_review_redirects_to_the_receipt(client, applicant, service):
    draft = complete_draft(applicant=applicant, service=service)
    response = client.post(
        step_url(draft, 4), {"declaration": "on", "state_version": draft.state_version}
    )
    draft.refresh_from_db()
    assert draft.status == Status.DIAJUKAN
    assert response["Location"] == reverse("perizinan:tanda_terima", args=[draft.public_id])
    receipt = client.get(response["Location"]).content.decode()
    assert draft.number in receipt
    assert draft.pin in receipt


def test_submit_without_the_declaration_is_refused(client, applicant, service):
    draft = complete_draft(applicant=applicant, service=service)
    response = client.post(step_url(draft, 4), {"state_version": draft.state_version})
    assert response.status_code == 200
    assert "Centang pernyataan ini" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_resent_submit_post_redirects_to_the_existing_application(client, applicant, service):
    draft = complete_draft(applicant=applicant, service=service)
    data = {"declaration": "on", "state_version": draft.state_version}
    client.post(step_url(draft, 4), data)
    again = client.post(step_url(draft, 4), data)
    assert again["Location"] == reverse("perizinan:permohonan_detail", args=[draft.public_id])
    assert Permohonan.objects.exclude(status=Status.DRAFT).count() == 1
    draft.refresh_from_db()
    assert draft.riwayat.count() == 1


def test_submitted_application_can_no_longer_be_edited(client, applicant, service):
    permohonan = submitted(applicant=applicant, service=service)
    response = client.post(step_url(permohonan, 1), STEP1)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "perizinan:permohonan_detail", args=[permohonan.public_id]
    )


def test_mass_assignment_of_status_is_ignored(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    client.post(step_url(draft, 1), {**STEP1, "status": "terbit", "applicant": 999})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.applicant == applicant


def test_detail_shows_the_timeline_with_dates(client, applicant, service):
    permohonan = submitted(applicant=applicant, service=service)
    body = client.get(
        reverse("perizinan:permohonan_detail", args=[permohonan.public_id])
    ).content.decode()
    assert "Riwayat" in body
    assert "Diajukan" in body
    assert "Perkiraan selesai" in body


def test_detail_shows_what_to_fix_after_a_return(client, applicant, service):
    permohonan = submitted(applicant=applicant, service=service)
    officer = UserFactory(front_office=True, full_name="Budi Petugas")
    services.transition(permohonan, name="start_verification", actor=officer)
    services.set_document_verdict(
        current_document(permohonan), actor=officer, verdict="needs_correction", note="Buram"
    )
    services.transition(
        permohonan,
        name="return_for_correction",
        actor=officer,
        note="Mohon unggah ulang dokumen yang buram.",
        internal_note="catatan rahasia",
        fields_to_fix=["tempat_praktik"],
    )
    body = client.get(
        reverse("perizinan:permohonan_detail", args=[permohonan.public_id])
    ).content.decode()
    assert "Mohon unggah ulang dokumen yang buram." in body
    assert "Alamat tempat praktik" in body
    assert "Dokumen wajib 1: Buram" in body
    assert "catatan rahasia" not in body
    assert "Budi Petugas" not in body
    assert "Perbaiki dan ajukan ulang" in body


def test_resubmission_after_correction_through_the_pages(client, applicant, service):
    permohonan = submitted(applicant=applicant, service=service)
    officer = UserFactory(front_office=True)
    services.transition(permohonan, name="start_verification", actor=officer)
    flagged = current_document(permohonan)
    services.set_document_verdict(flagged, actor=officer, verdict="needs_correction", note="X")
    permohonan = services.transition(
        permohonan, name="return_for_correction", actor=officer, note="Ganti dokumen 1"
    )
    client.post(
        step_url(permohonan, 3),
        {"persyaratan": flagged.persyaratan_id, "file": pdf_upload("baru.pdf")},
    )
    response = client.post(
        step_url(permohonan, 4), {"declaration": "on", "state_version": permohonan.state_version}
    )
    assert response["Location"] == reverse(
        "perizinan:permohonan_detail", args=[permohonan.public_id]
    )
    permohonan.refresh_from_db()
    assert permohonan.status == Status.DIAJUKAN


def test_withdraw_through_the_page_records_the_reason(client, applicant, service):
    permohonan = submitted(applicant=applicant, service=service)
    url = reverse("perizinan:permohonan_withdraw", args=[permohonan.public_id])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "Sudah mendapat izin di daerah lain"})
    permohonan.refresh_from_db()
    assert permohonan.status == Status.DIBATALKAN
    detail = client.get(
        reverse("perizinan:permohonan_detail", args=[permohonan.public_id])
    ).content.decode()
    assert "Sudah mendapat izin di daerah lain" in detail


def test_withdraw_without_a_reason_changes_nothing(client, applicant, service):
    permohonan = submitted(applicant=applicant, service=service)
    url = reverse("perizinan:permohonan_withdraw", args=[permohonan.public_id])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    permohonan.refresh_from_db()
    assert permohonan.status == Status.DIAJUKAN


def test_draft_can_be_discarded(client, applicant, service):
    draft = complete_draft(applicant=applicant, service=service)
    client.post(reverse("perizinan:permohonan_discard", args=[draft.public_id]))
    assert not Permohonan.objects.filter(pk=draft.pk).exists()


def test_deleting_a_draft_asks_first(client, applicant, service):
    """Issue 18, defect 9: "Hapus draf" opens a confirmation; only its POST deletes."""
    draft = complete_draft(applicant=applicant, service=service)
    detail = client.get(reverse("perizinan:permohonan_detail", args=[draft.public_id]))
    url = reverse("perizinan:permohonan_discard", args=[draft.public_id])
    assert f'href="{url}"' in detail.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "tidak dapat dikembalikan" in page.content.decode()
    assert Permohonan.objects.filter(pk=draft.pk).exists()


def test_receipt_pdf_is_a_pdf_attachment(client, applicant, service):
    permohonan = submitted(applicant=applicant, service=service)
    response = client.get(reverse("perizinan:tanda_terima_pdf", args=[permohonan.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


def test_draft_has_no_receipt(client, applicant, service):
    draft = complete_draft(applicant=applicant, service=service)
    response = client.get(reverse("perizinan:tanda_terima", args=[draft.public_id]))
    assert response.status_code == 404


def test_pages_with_personal_data_are_not_cached(client, applicant, service):
    permohonan = submitted(applicant=applicant, service=service)
    response = client.get(reverse("perizinan:permohonan_detail", args=[permohonan.public_id]))
    assert "no-store" in response["Cache-Control"]


def test_a_draft_saved_on_step_3_with_documents_missing_resumes_on_step_3(
    client, applicant, service
):
    """Issue 18, defect 5: saving step 3 with a mandatory document missing does not mark it
    done; resuming opens step 3 and the step list does not call it "(selesai)"."""
    from tests.perizinan.factories import APPLICANT_DATA, pdf_upload

    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    draft = services.save_applicant_data(draft, actor=applicant, data=dict(APPLICANT_DATA))
    fields = {
        f.key: f.choice_list[0] if f.choice_list else "Jl. Contoh 1" for f in service.isian.all()
    }
    draft = services.save_form_data(draft, actor=applicant, data=fields)
    first = service.persyaratan.filter(mandatory=True).order_by("order").first()
    services.upload_document(draft, actor=applicant, persyaratan=first, uploaded_file=pdf_upload())
    client.post(step_url(draft, 3), {"save": "draft"})
    draft.refresh_from_db()
    assert draft.last_step == 2
    resume = client.post(reverse("perizinan:permohonan_create", args=[service.slug]))
    assert resume["Location"] == step_url(draft, 3)
    page = client.get(step_url(draft, 3)).content.decode()
    assert "(selesai)" in page  # steps 1 and 2
    assert page.count("(selesai)") == 2


def test_step_1_saves_the_data_to_the_profile_when_asked_and_the_next_application_starts_filled(
    client, service
):
    """Issue 18, defect 6: what step 1 asks reaches the profile, if the applicant wants it."""
    blank = UserFactory(email="kosong@contoh.test", nik="", phone="", address="")
    client.force_login(blank)
    draft = services.start_draft(applicant=blank, jenis_izin=service)
    page = client.get(step_url(draft, 1)).content.decode()
    assert "Simpan data ini ke profil saya" in page
    data = {**STEP1, "full_name": "Rina Kosong", "address": "Jl. Baru 9", "save_to_profile": "on"}
    client.post(step_url(draft, 1), data)
    blank.refresh_from_db()
    assert (blank.nik, blank.phone, blank.address) == (STEP1["nik"], STEP1["phone"], "Jl. Baru 9")
    other = make_service()
    next_draft = services.start_draft(applicant=blank, jenis_izin=other)
    assert next_draft.applicant_data["address"] == "Jl. Baru 9"


def test_step_1_leaves_the_profile_alone_when_not_asked(client, applicant, service):
    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    before = applicant.address
    client.post(step_url(draft, 1), {**STEP1, "address": "Jl. Sementara 1"})
    applicant.refresh_from_db()
    assert applicant.address == before
