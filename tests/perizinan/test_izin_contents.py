"""Issue 13 item 11: the permit says what it permits. The service's fields marked "dicetak pada
izin" are printed and shown on the verification page; the legal basis prints as a list; the
signer's name and NIP; the place of issue from the setting; the coat of arms on every letter."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from kewenangan.demo.catalogue import planned_kewenangan
from kewenangan.demo.samples import SERVICES
from kewenangan.demo.standard import form_fields_for
from kewenangan.models import PejabatPenandatangan
from perizinan.pdf import ReceiptData, render_receipt_pdf
from perizinan.services import izin as izin_services
from tests.factories import IsianFormulirFactory, UserFactory
from tests.perizinan.factories import publish
from tests.perizinan.izin_support import kepala_dpmptsp, pdf_text, signing_service, to_signing

pytestmark = pytest.mark.django_db

EMBLEM_SIZE = (240, 280)  # the shipped placeholder


def flat(text: str) -> str:
    return " ".join(text.split())


def printing_service(**kwargs):
    """A SIP Bidan-like service: STR number, practice address, practice type and "SIP ke-"
    printed on the permit; a telephone number that is not."""
    kwargs.setdefault(
        "legal_basis",
        "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan; Peraturan Pemerintah Nomor 28 "
        "Tahun 2024\nPeraturan Bupati Barito Timur Nomor 12 Tahun 2026",
    )
    service = signing_service(fields=False, published=False, **kwargs)
    for order, (key, label, printed) in enumerate(
        [
            ("nomor_str", "Nomor STR", True),
            ("alamat_praktik", "Alamat tempat praktik", True),
            ("jenis_praktik", "Jenis tempat praktik", True),
            ("sip_ke", "SIP ke-", True),
            ("telepon", "Telepon penanggung jawab", False),
        ],
        start=1,
    ):
        IsianFormulirFactory(
            jenis_izin=service, key=key, label=label, order=order, print_on_permit=printed
        )
    publish(service)
    return service


def sign_with_fields(service, *, kepala=None, values=None):
    permohonan = to_signing(service=service)
    values = values or {
        "nomor_str": "STR-BD-2026-00123",
        "alamat_praktik": "Jl. Panglima Batur No. 7, Tamiang Layang",
        "jenis_praktik": "Praktik mandiri",
        "sip_ke": "1",
        "telepon": "081299998888",
    }
    type(permohonan).objects.filter(pk=permohonan.pk).update(form_data=values)
    permohonan.refresh_from_db()
    return izin_services.sign_permohonan(permohonan, actor=kepala or kepala_dpmptsp())


def permit_pdf(izin) -> bytes:
    with izin.open() as handle:
        return handle.read()


def emblems_per_page(content: bytes, size=EMBLEM_SIZE) -> list[int]:
    return [
        sum(1 for image in page.images if image.image.size == size)
        for page in PdfReader(io.BytesIO(content)).pages
    ]


# --- Printed fields ------------------------------------------------------------------------


def test_permit_prints_the_fields_its_service_marks_for_the_permit():
    text = flat(pdf_text(permit_pdf(sign_with_fields(printing_service()))))
    assert "Nomor STR STR-BD-2026-00123" in text
    assert "Alamat tempat praktik Jl. Panglima Batur No. 7, Tamiang Layang" in text
    assert "Jenis tempat praktik Praktik mandiri" in text
    assert "SIP ke- 1" in text


def test_permit_leaves_out_fields_not_marked_for_the_permit():
    izin = sign_with_fields(printing_service())
    assert "081299998888" not in pdf_text(permit_pdf(izin))
    assert "Telepon" not in [item["label"] for item in izin.printed_fields]


def test_printed_fields_are_frozen_on_the_permit_in_form_order():
    izin = sign_with_fields(printing_service())
    assert [item["label"] for item in izin.printed_fields] == [
        "Nomor STR",
        "Alamat tempat praktik",
        "Jenis tempat praktik",
        "SIP ke-",
    ]


def test_printed_fields_follow_the_published_version_not_later_edits():
    service = printing_service()
    service.isian.filter(key="telepon").update(print_on_permit=True)  # not published
    izin = sign_with_fields(service)
    assert "081299998888" not in pdf_text(permit_pdf(izin))


def test_head_sees_the_printed_fields_and_legal_basis_before_signing():
    permohonan = to_signing(service=printing_service())
    type(permohonan).objects.filter(pk=permohonan.pk).update(
        form_data={"nomor_str": "STR-XYZ-9", "alamat_praktik": "Jl. A", "sip_ke": "2"}
    )
    permohonan.refresh_from_db()
    preview = izin_services.permit_preview(permohonan)
    assert {"label": "Nomor STR", "value": "STR-XYZ-9"} in preview.printed_fields
    # The service's three regulations, then the holder's delegation Perbup (the factory's).
    assert len(preview.legal_basis) == 4
    assert preview.legal_basis[-1] == "Perbup Bartim 12/2026"


# --- Legal basis, signer, place ------------------------------------------------------------


def test_legal_basis_prints_as_a_numbered_list():
    text = flat(pdf_text(permit_pdf(sign_with_fields(printing_service()))))
    assert "Dasar hukum:" in text
    assert "1. Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan" in text
    assert "2. Peraturan Pemerintah Nomor 28 Tahun 2024" in text
    assert "3. Peraturan Bupati Barito Timur Nomor 12 Tahun 2026" in text
    assert "Berdasarkan dasar hukum tersebut di atas" in text


def test_permit_prints_the_signers_name_rank_and_nip():
    kepala = kepala_dpmptsp()
    PejabatPenandatangan.objects.create(
        user=kepala, printed_name="Drs. Kepala Uji, M.Si.", nip="197501012000031001", rank="Pembina"
    )
    izin = sign_with_fields(printing_service(), kepala=kepala)
    text = flat(pdf_text(permit_pdf(izin)))
    assert "Drs. Kepala Uji, M.Si." in text
    assert "NIP. 197501012000031001" in text
    assert "Pembina" in text
    assert (izin.signer_name, izin.signer_nip) == ("Drs. Kepala Uji, M.Si.", "197501012000031001")


def test_a_signer_without_official_data_prints_the_account_name_and_no_nip():
    izin = sign_with_fields(printing_service())
    text = flat(pdf_text(permit_pdf(izin)))
    assert "Drs. Kepala Dinas Uji" in text
    assert "NIP." not in text
    assert izin.signer_nip == ""


def test_nip_must_be_eighteen_digits():
    from django.core.exceptions import ValidationError

    official = PejabatPenandatangan(user=UserFactory(kepala=True), nip="1975 0101")
    with pytest.raises(ValidationError) as error:
        official.full_clean()
    assert "NIP terdiri atas 18 angka" in str(error.value)


def test_place_of_issue_is_tamiang_layang_by_default():
    izin = sign_with_fields(printing_service())
    text = flat(pdf_text(permit_pdf(izin)))
    assert "Ditetapkan di Tamiang Layang" in text
    assert "Ditetapkan di Kabupaten" not in text
    assert izin.place_of_issue == "Tamiang Layang"


def test_place_of_issue_comes_from_the_setting(settings):
    settings.SATUPINTU_PLACE_OF_ISSUE = "Ampah"
    text = flat(pdf_text(permit_pdf(sign_with_fields(printing_service()))))
    assert "Ditetapkan di Ampah" in text


# --- Coat of arms --------------------------------------------------------------------------


def receipt() -> bytes:
    import datetime as dt

    return render_receipt_pdf(
        ReceiptData(
            number="BTM-2026-000001",
            pin="123456",
            service_name="Layanan uji",
            applicant_name="Siti",
            submitted_at=dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC),
            expected_completion=None,
            tracking_url="https://contoh.test/lacak/",
            documents=["KTP"],
            office_name="DPMPTSP",
            regency_name="Kabupaten Barito Timur",
        )
    )


def test_coat_of_arms_is_on_every_page_of_the_permit_and_the_receipt():
    izin = sign_with_fields(printing_service())
    assert set(emblems_per_page(permit_pdf(izin))) == {1}
    assert emblems_per_page(receipt()) == [1]


def test_coat_of_arms_is_on_the_rejection_letter_with_the_place_of_issue():
    import datetime as dt

    from perizinan.pdf import RejectionData, render_rejection_pdf

    content = render_rejection_pdf(
        RejectionData(
            letter_number="503/0001/PENOLAKAN/DPMPTSP/2026",
            application_number="BTM-2026-000002",
            service_name="Layanan uji",
            applicant_name="Siti",
            applicant_address="Jl. A",
            reasons="Tidak memenuhi syarat.",
            legal_basis="Perbup 12/2026",
            decided_at=dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC),
            signer_title="Kepala DPMPTSP",
            office_name="DPMPTSP",
            regency_name="Kabupaten Barito Timur",
        )
    )
    assert emblems_per_page(content) == [1]
    assert "Tamiang Layang, 1 Desember 2026" in pdf_text(content)


def test_coat_of_arms_is_the_configured_image(settings, tmp_path):
    own = tmp_path / "lambang.png"
    Image.new("RGB", (100, 120), (0, 128, 0)).save(own)
    settings.SATUPINTU_COAT_OF_ARMS = str(own)
    content = receipt()
    assert emblems_per_page(content, size=(100, 120)) == [1]
    assert emblems_per_page(content) == [0]


def test_no_coat_of_arms_when_the_setting_is_empty(settings):
    settings.SATUPINTU_COAT_OF_ARMS = ""
    assert emblems_per_page(receipt()) == [0]


# --- Verification page ---------------------------------------------------------------------


def test_verification_page_shows_the_printed_fields(client, django_assert_max_num_queries):
    izin = sign_with_fields(printing_service())
    url = reverse("perizinan:verifikasi", kwargs={"token": izin.verification_token})
    with django_assert_max_num_queries(6):
        response = client.get(url)
    body = flat(response.content.decode())
    assert response.status_code == 200
    assert "STR-BD-2026-00123" in body
    assert "Jl. Panglima Batur No. 7, Tamiang Layang" in body
    assert "Praktik mandiri" in body
    assert "081299998888" not in body
    assert "Tamiang Layang" in body


# --- The sample catalogue ------------------------------------------------------------------


def test_sample_catalogue_says_for_every_service_which_fields_are_printed():
    for row, letter in planned_kewenangan():
        code = row["code"]
        fields = form_fields_for(code, letter, SERVICES[code][3])
        assert all("print_on_permit" in f for f in fields), (code, letter)
        assert any(f["print_on_permit"] for f in fields), (code, letter)


def test_sample_sip_bidan_prints_str_practice_address_type_and_sip_number():
    fields = {f["key"]: f["print_on_permit"] for f in form_fields_for("KES-03", "B", "")}
    for key in ("nomor_str", "alamat_praktik", "jenis_praktik", "sip_ke"):
        assert fields[key] is True, key


def test_the_permit_also_cites_the_regulation_that_gives_its_holder_the_authority():
    """The delegation Perbup is the holder's legal basis (frozen in the published version's
    ``penyelenggara``), printed after the service's own regulations."""
    from kewenangan.models import VersiStandar

    service = printing_service(legal_basis="Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan")
    version = VersiStandar.objects.filter(jenis_izin=service).order_by("-number").first()
    version.snapshot["penyelenggara"]["legal_basis"] = (
        "Peraturan Bupati Barito Timur Nomor 5 Tahun 2027 tentang Pendelegasian Kewenangan"
    )
    VersiStandar.objects.filter(pk=version.pk).update(snapshot=version.snapshot)
    text = flat(pdf_text(permit_pdf(sign_with_fields(service))))
    assert "1. Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan" in text
    assert "2. Peraturan Bupati Barito Timur Nomor 5 Tahun 2027 tentang Pendelegasian" in text
