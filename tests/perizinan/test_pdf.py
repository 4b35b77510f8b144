"""Receipts and permits as PDF: what must be printed on them, read back with pypdf."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from PIL import Image
from pypdf import PdfReader

from perizinan import pdf
from perizinan.pdf import (
    PermitData,
    ReceiptData,
    format_date_id,
    format_datetime_wib,
    layout,
    qr_png,
    render_permit_pdf,
    render_receipt_pdf,
)

OFFICE = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
REGENCY = "Kabupaten Barito Timur"
NOT_CERTIFIED = (
    "Dokumen ini ditandatangani secara elektronik oleh sistem Satu Pintu; bukan tanda tangan "
    "elektronik tersertifikasi BSrE."
)
HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def make_receipt(**changes) -> ReceiptData:
    data = ReceiptData(
        number="BTM-2026-000123",
        pin="482913",
        service_name="Surat Izin Praktik Apoteker",
        applicant_name="Siti Nurhaliza",
        submitted_at=datetime(2026, 11, 27, 7, 5, tzinfo=UTC),  # 14.05 WIB
        expected_completion=date(2026, 12, 11),
        tracking_url="https://satupintu.example.go.id/lacak/?nomor=BTM-2026-000123",
        documents=["KTP pemohon", "Ijazah apoteker", "Surat Tanda Registrasi Apoteker"],
        office_name=OFFICE,
        regency_name=REGENCY,
    )
    return dataclasses.replace(data, **changes)


def make_permit(**changes) -> PermitData:
    data = PermitData(
        permit_number="503/0123/SIPA/DPMPTSP/XI/2026",
        application_number="BTM-2026-000123",
        service_name="Surat Izin Praktik Apoteker",
        product_name="Surat Izin Praktik Apoteker",
        holder_name="Siti Nurhaliza",
        holder_nik_masked="6213**********01",
        holder_address="Jl. Ahmad Yani No. 12, Tamiang Layang",
        decision_text="Memberikan Surat Izin Praktik Apoteker kepada:",
        conditions=["Wajib mematuhi kode etik profesi.", "Izin tidak dapat dipindahtangankan."],
        issued_on=date(2026, 11, 27),
        valid_until=date(2031, 11, 27),
        signer_name="Drs. Budi Santoso, M.Si.",
        signer_title="Kepala Dinas",
        signed_at=datetime(2026, 11, 27, 7, 5, tzinfo=UTC),
        verification_url="https://satupintu.example.go.id/verifikasi/Zk3v9Qp2Lx8rT1aB/",
        integrity_hash=HASH,
        office_name=OFFICE,
        regency_name=REGENCY,
    )
    return dataclasses.replace(data, **changes)


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Text with line breaks folded into spaces, for phrases that may wrap."""
    return " ".join(text.split())


EMBLEM_SIZE = (240, 280)  # static/img/lambang-kabupaten-placeholder.png, in every letterhead


def is_emblem(image) -> bool:
    return image.image.size == EMBLEM_SIZE


def qr_count(page) -> int:
    """Images on a page other than the letterhead's coat of arms (the QR codes)."""
    return sum(1 for image in page.images if not is_emblem(image))


def images_per_page(content: bytes) -> list[int]:
    """QR codes per page (the coat of arms, on every page, is counted apart)."""
    return [qr_count(page) for page in PdfReader(io.BytesIO(content)).pages]


# Dates -------------------------------------------------------------------------------------


def test_date_is_written_in_indonesian():
    assert format_date_id(date(2026, 11, 27)) == "27 November 2026"
    assert format_date_id(date(2027, 1, 5)) == "5 Januari 2027"
    assert format_date_id(date(2026, 8, 17)) == "17 Agustus 2026"


def test_date_in_indonesian_does_not_follow_active_locale(settings):
    from django.utils import translation

    with translation.override("en"):
        assert format_date_id(date(2026, 5, 1)) == "1 Mei 2026"


def test_time_is_shown_in_wib():
    moment = datetime(2026, 11, 27, 7, 5, tzinfo=UTC)
    assert format_datetime_wib(moment) == "27 November 2026 14.05 WIB"


def test_time_in_another_zone_is_converted_to_wib():
    wita = timezone(timedelta(hours=8))
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=wita)  # 22.30 WIB the same day
    assert format_datetime_wib(moment) == "31 Desember 2026 22.30 WIB"


def test_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        format_datetime_wib(datetime(2026, 11, 27, 14, 5))


# QR code -----------------------------------------------------------------------------------


def test_qr_png_is_a_valid_png_of_reasonable_size():
    content = qr_png("https://satupintu.example.go.id/lacak/?nomor=BTM-2026-000123")
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(content) < 20_000
    image = Image.open(io.BytesIO(content))
    image.verify()
    width, height = Image.open(io.BytesIO(content)).size
    assert width == height
    assert 150 <= width <= 800


def test_qr_png_differs_per_url():
    assert qr_png("https://a.example/lacak/") != qr_png("https://a.example/verifikasi/x/")


# Receipt -----------------------------------------------------------------------------------


def test_receipt_is_a_single_a4_portrait_page():
    reader = PdfReader(io.BytesIO(render_receipt_pdf(make_receipt())))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210
    assert round(float(box.height) / 72 * 25.4) == 297


def test_receipt_shows_header_title_number_pin_and_applicant():
    text = text_of(render_receipt_pdf(make_receipt()))
    assert "PEMERINTAH KABUPATEN BARITO TIMUR" in text
    assert OFFICE.upper() in flat(text)
    assert "TANDA TERIMA PERMOHONAN" in text
    assert "BTM-2026-000123" in text
    assert "482913" in text
    assert "Surat Izin Praktik Apoteker" in text
    assert "Siti Nurhaliza" in text


def test_receipt_shows_submission_time_in_wib():
    assert "27 November 2026 14.05 WIB" in text_of(render_receipt_pdf(make_receipt()))


def test_receipt_shows_expected_completion_date():
    assert "11 Desember 2026" in text_of(render_receipt_pdf(make_receipt()))


def test_receipt_without_expected_completion_says_it_is_computed_later():
    text = text_of(render_receipt_pdf(make_receipt(expected_completion=None)))
    assert "dihitung setelah berkas dinyatakan lengkap" in flat(text)


def test_receipt_lists_documents_numbered():
    text = text_of(render_receipt_pdf(make_receipt()))
    assert "1. KTP pemohon" in text
    assert "3. Surat Tanda Registrasi Apoteker" in text


def test_receipt_embeds_tracking_qr_code_with_caption():
    content = render_receipt_pdf(make_receipt())
    assert images_per_page(content) == [1]
    assert "Pindai untuk melacak permohonan" in text_of(content)


def test_receipt_qr_code_links_to_tracking_url():
    content = render_receipt_pdf(make_receipt())
    page = PdfReader(io.BytesIO(content)).pages[0]
    uris = [annot.get_object()["/A"]["/URI"] for annot in page.get("/Annots", [])]
    assert "https://satupintu.example.go.id/lacak/?nomor=BTM-2026-000123" in uris


def test_receipt_warns_that_pin_is_secret():
    assert "Rahasiakan PIN ini" in text_of(render_receipt_pdf(make_receipt()))


def test_receipt_with_many_documents_flows_onto_more_pages():
    many = [f"Dokumen persyaratan nomor {i}" for i in range(1, 61)]
    content = render_receipt_pdf(make_receipt(documents=many))
    assert len(PdfReader(io.BytesIO(content)).pages) >= 2
    assert "60. Dokumen persyaratan nomor 60" in text_of(content)
    assert sum(images_per_page(content)) == 1


def test_receipt_without_documents_says_none_were_handed_in():
    text = text_of(render_receipt_pdf(make_receipt(documents=[])))
    assert "Tidak ada dokumen yang diserahkan." in text


def test_receipt_qr_code_and_caption_stay_on_one_page():
    for count in range(19, 25):  # the list reaches the foot of page 1 at about 22
        content = render_receipt_pdf(make_receipt(documents=[f"Dokumen {i}" for i in range(count)]))
        for page in PdfReader(io.BytesIO(content)).pages:
            has_caption = "Pindai untuk melacak permohonan" in page.extract_text()
            assert has_caption == (qr_count(page) == 1), count
    assert images_per_page(content) == [0, 1]  # the range did cross the page break


def test_receipt_prints_names_beyond_latin_1():
    name = "Dmitrий Ψυχή Nguyễn Đức"
    assert name in text_of(render_receipt_pdf(make_receipt(applicant_name=name)))


def test_receipt_rendering_is_deterministic():
    assert render_receipt_pdf(make_receipt()) == render_receipt_pdf(make_receipt())


# Permit ------------------------------------------------------------------------------------


def test_permit_title_is_product_name_in_upper_case_with_number():
    text = text_of(render_permit_pdf(make_permit()))
    assert "SURAT IZIN PRAKTIK APOTEKER" in text
    assert "Nomor: 503/0123/SIPA/DPMPTSP/XI/2026" in text


def test_permit_shows_decision_and_holder_block():
    text = text_of(render_permit_pdf(make_permit()))
    assert "Memberikan Surat Izin Praktik Apoteker kepada:" in text
    assert "Siti Nurhaliza" in text
    assert "6213**********01" in text
    assert "Jl. Ahmad Yani No. 12, Tamiang Layang" in text
    assert "BTM-2026-000123" in text


def test_permit_numbers_conditions():
    text = text_of(render_permit_pdf(make_permit()))
    assert "1. Wajib mematuhi kode etik profesi." in text
    assert "2. Izin tidak dapat dipindahtangankan." in text


def test_permit_without_conditions_has_no_conditions_heading():
    assert "Ketentuan" not in text_of(render_permit_pdf(make_permit(conditions=[])))


def test_permit_with_end_date_is_valid_until_that_date():
    text = text_of(render_permit_pdf(make_permit()))
    assert "Berlaku sampai dengan 27 November 2031" in text


def test_permit_without_end_date_is_valid_while_compliant():
    text = text_of(render_permit_pdf(make_permit(valid_until=None)))
    assert "Berlaku selama memenuhi persyaratan" in text
    assert "Berlaku sampai dengan" not in text


def test_permit_shows_place_date_and_signer():
    text = flat(text_of(render_permit_pdf(make_permit())))
    # The place of issue is the regency's seat (SATUPINTU_PLACE_OF_ISSUE), not its name.
    assert "Ditetapkan di Tamiang Layang" in text
    assert "Ditetapkan di Kabupaten" not in text
    assert "pada tanggal 27 November 2026" in text
    assert "Kepala Dinas" in text
    assert "Drs. Budi Santoso, M.Si." in text
    assert "27 November 2026 14.05 WIB" in text


def test_permit_says_its_signature_is_not_certified_by_bsre():
    assert NOT_CERTIFIED in flat(text_of(render_permit_pdf(make_permit())))


def test_permit_prints_integrity_hash():
    assert HASH in text_of(render_permit_pdf(make_permit()))


def test_permit_embeds_verification_qr_code_with_caption():
    content = render_permit_pdf(make_permit())
    assert images_per_page(content) == [1]
    text = text_of(content)
    assert "Pindai untuk memeriksa keaslian" in text
    assert "https://satupintu.example.go.id/verifikasi/Zk3v9Qp2Lx8rT1aB/" in text


def test_long_permit_keeps_non_certified_line_on_every_page():
    conditions = [
        f"Ketentuan teknis nomor {i} yang harus dipatuhi pemegang izin." for i in range(80)
    ]
    content = render_permit_pdf(make_permit(conditions=conditions))
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert NOT_CERTIFIED in flat(page.extract_text())
    assert sum(images_per_page(content)) == 1


def test_permit_signature_block_and_qr_code_stay_on_one_page():
    for count in range(12, 18):  # the signature block is pushed to page 2 at about 15
        conditions = [f"Ketentuan nomor {i} bagi pemegang izin." for i in range(count)]
        content = render_permit_pdf(make_permit(conditions=conditions))
        for page in PdfReader(io.BytesIO(content)).pages:
            text = page.extract_text()
            has_qr = qr_count(page) == 1
            assert ("Pindai untuk memeriksa keaslian" in text) == has_qr, count
            assert ("Drs. Budi Santoso, M.Si." in text) == has_qr, count
            assert ("pada tanggal 27 November 2026" in text) == has_qr, count
    assert images_per_page(content) == [0, 1]  # the range did cross the page break


def test_permit_rendering_is_deterministic():
    assert render_permit_pdf(make_permit()) == render_permit_pdf(make_permit())


def test_permit_changes_when_its_data_changes():
    assert render_permit_pdf(make_permit()) != render_permit_pdf(make_permit(holder_name="Budi"))


# Fonts -------------------------------------------------------------------------------------


def test_shipped_unicode_font_is_used():
    assert layout._font_dir() == layout.FONT_DIRS[0]
    fonts = PdfReader(io.BytesIO(render_permit_pdf(make_permit()))).pages[0]["/Resources"]
    names = [font.get_object()["/BaseFont"] for font in fonts["/Font"].values()]
    assert any("DejaVuSans" in name for name in names)


def test_without_unicode_font_text_falls_back_to_latin_1(monkeypatch, tmp_path):
    monkeypatch.setattr(layout, "FONT_DIRS", (tmp_path,))
    content = render_receipt_pdf(make_receipt(applicant_name="Nguyễn Văn Đức Ψ"))
    text = text_of(content)
    assert "BTM-2026-000123" in text
    assert "Nguyen Van" in text
    assert "Ψ" not in text


# Rejection letters --------------------------------------------------------------------------


def make_rejection(**changes) -> pdf.RejectionData:
    data = pdf.RejectionData(
        letter_number="503/0007/PENOLAKAN/DPMPTSP/2026",
        application_number="BTM-2026-000123",
        service_name="Surat Izin Praktik Apoteker",
        applicant_name="Siti Nurhaliza",
        applicant_address="Jl. Ahmad Yani No. 12, Tamiang Layang",
        reasons="Surat Tanda Registrasi Apoteker sudah tidak berlaku.",
        legal_basis="Permenkes 9/2017 tentang Apotek",
        decided_at=datetime(2026, 11, 27, 7, 5, tzinfo=UTC),
        signer_title="Kepala Dinas",
        office_name=OFFICE,
        regency_name=REGENCY,
    )
    return dataclasses.replace(data, **changes)


def test_rejection_letter_shows_number_reasons_legal_basis_and_decision_date():
    text = flat(text_of(pdf.render_rejection_pdf(make_rejection())))
    for expected in (
        "SURAT PENOLAKAN PERMOHONAN",
        "503/0007/PENOLAKAN/DPMPTSP/2026",
        "BTM-2026-000123",
        "Surat Tanda Registrasi Apoteker sudah tidak berlaku.",
        "Permenkes 9/2017 tentang Apotek",
        "27 November 2026",
        "Siti Nurhaliza",
    ):
        assert expected in text


def test_rejection_letter_says_it_is_not_a_certified_signature():
    text = flat(text_of(pdf.render_rejection_pdf(make_rejection())))
    assert "bukan tanda tangan elektronik tersertifikasi BSrE" in text


def test_rejection_letter_without_legal_basis_refers_to_the_service_standard():
    text = flat(text_of(pdf.render_rejection_pdf(make_rejection(legal_basis=""))))
    assert "Standar pelayanan yang berlaku." in text


def test_rejection_letter_rendering_is_deterministic():
    assert pdf.render_rejection_pdf(make_rejection()) == pdf.render_rejection_pdf(make_rejection())
