"""The issued permit (Izin / SK): the legal basis as a list, the decision, the holder and the
service's printed fields, the conditions, the validity, the signature block (place of issue,
title, name, rank, NIP), the fingerprint of its data and a QR code to the public verification
page. A copy (salinan) is the same document marked as a copy."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fpdf.enums import XPos, YPos

from perizinan.pdf.layout import MUTED, Document, format_date_id, format_datetime_wib

VERIFY_CAPTION = "Pindai untuk memeriksa keaslian"
NOT_CERTIFIED = (
    "Dokumen ini ditandatangani secara elektronik oleh sistem Satu Pintu; bukan tanda tangan "
    "elektronik tersertifikasi BSrE."
)
VALID_UNTIL = "Berlaku sampai dengan {date}"
VALID_WHILE_COMPLIANT = "Berlaku selama memenuhi persyaratan"


@dataclass(frozen=True)
class PermitData:
    """The issued permit (Izin / SK)."""

    permit_number: str
    application_number: str
    service_name: str
    product_name: str
    holder_name: str
    holder_nik_masked: str
    holder_address: str
    decision_text: str
    conditions: list[str]
    issued_on: date
    valid_until: date | None
    signer_name: str
    signer_title: str
    signed_at: datetime
    verification_url: str  # absolute URL of /verifikasi/<token>/ encoded in the QR
    integrity_hash: str  # SHA-256 (hex) of the permit's canonical data, printed on it
    office_name: str
    regency_name: str
    #: The regulations the permit rests on, printed as a numbered list above the decision.
    legal_basis: list[str] = field(default_factory=list)
    #: The service's fields marked "dicetak pada izin": ``{"label": ..., "value": ...}``.
    printed_fields: list[dict[str, str]] = field(default_factory=list)
    signer_nip: str = ""
    signer_rank: str = ""
    #: Where it is issued ("Tamiang Layang"); empty: ``settings.SATUPINTU_PLACE_OF_ISSUE``.
    place_of_issue: str = ""
    #: For a renewal or an amendment: the permit it replaces.
    replaces_note: str = ""
    #: For a copy (salinan): "SALINAN ke-1, diterbitkan pada …"; empty for the original.
    copy_mark: str = ""


_DATE_FIELDS = ("issued_on", "valid_until")
_DATETIME_FIELDS = ("signed_at",)


def permit_data_to_json(data: PermitData) -> dict[str, Any]:
    """The permit's printed data as JSON (frozen on the ``Izin`` row, for its copies)."""
    values = dataclasses.asdict(data)
    for name in _DATE_FIELDS + _DATETIME_FIELDS:
        values[name] = values[name].isoformat() if values[name] is not None else None
    return values


def permit_data_from_json(values: dict[str, Any], **changes: Any) -> PermitData:
    known = {f.name for f in dataclasses.fields(PermitData)}
    values = {k: v for k, v in values.items() if k in known}
    for name in _DATE_FIELDS:
        values[name] = date.fromisoformat(values[name]) if values.get(name) else None
    for name in _DATETIME_FIELDS:
        values[name] = datetime.fromisoformat(values[name])
    return PermitData(**{**values, **changes})


def render_permit_pdf(data: PermitData) -> bytes:
    """The issued permit: decision, holder, conditions, validity, signer and verification QR."""
    footer = [NOT_CERTIFIED, f"Sidik dokumen (SHA-256): {data.integrity_hash}"]
    if data.copy_mark:
        footer.insert(0, data.copy_mark)
    pdf = Document(
        regency_name=data.regency_name,
        office_name=data.office_name,
        footer_lines=tuple(footer),
        place=data.place_of_issue,
    )
    title = f"{data.product_name} {data.permit_number}"
    pdf.set_title(f"Salinan {title}" if data.copy_mark else title)
    pdf.set_subject(data.service_name)
    pdf.set_creation_date(data.signed_at)
    pdf.add_page()

    if data.copy_mark:
        pdf.style(12, bold=True, colour=MUTED)
        pdf.cell(0, 7, "SALINAN", border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.style(8.5, colour=MUTED)
        pdf.paragraph(data.copy_mark, height=4.5, align="C")
        pdf.ln(3)
    pdf.style(14, bold=True)
    pdf.paragraph(data.product_name.upper(), height=7, align="C")
    pdf.style(10.5)
    pdf.paragraph(f"Nomor: {data.permit_number}", height=6, align="C")
    pdf.ln(6)

    if data.legal_basis:
        pdf.style(10.5, bold=True)
        pdf.paragraph("Dasar hukum:", height=7)
        pdf.style(10)
        _numbered(pdf, data.legal_basis)
        pdf.ln(3)

    pdf.style(10.5)
    pdf.paragraph(data.decision_text, height=5.8)
    pdf.ln(4)

    pdf.style(10.5, bold=True)
    pdf.paragraph("Diberikan kepada:", height=7)
    pdf.field("Nama", data.holder_name, bold=True)
    pdf.field("NIK", data.holder_nik_masked)
    pdf.field("Alamat", data.holder_address)
    pdf.field("Jenis layanan", data.service_name)
    pdf.field("Nomor permohonan", data.application_number)
    for item in data.printed_fields:
        pdf.field(item["label"], item["value"])
    if data.replaces_note:
        pdf.field("Keterangan", data.replaces_note)
    pdf.ln(4)

    if data.conditions:
        pdf.style(10.5, bold=True)
        pdf.paragraph("Ketentuan:", height=7)
        pdf.style(10)
        _numbered(pdf, data.conditions)
        pdf.ln(4)

    validity = (
        VALID_UNTIL.format(date=format_date_id(data.valid_until))
        if data.valid_until
        else VALID_WHILE_COMPLIANT
    )
    pdf.field("Masa berlaku", validity, bold=True)
    pdf.ln(8)

    # Signature block on the right, verification QR on the left; kept together on one page.
    qr_size = 32
    pdf.ensure_space(72)
    top = pdf.get_y()
    pdf.qr(
        data.verification_url,
        x=pdf.l_margin + 10,
        y=top + 4,
        size=qr_size,
        caption=VERIFY_CAPTION,
        alt="Kode QR menuju halaman verifikasi keaslian izin",
    )
    block_x = pdf.l_margin + pdf.epw / 2 + 5
    block_w = pdf.w - pdf.r_margin - block_x
    pdf.set_y(top)
    pdf.style(10)
    pdf.column(block_x, block_w, f"Ditetapkan di {pdf.place_of_issue}")
    pdf.column(block_x, block_w, f"pada tanggal {format_date_id(data.issued_on)}")
    pdf.style(10, bold=True)
    pdf.column(block_x, block_w, data.signer_title, gap=2)
    pdf.style(8, colour=MUTED)
    signed = f"Ditandatangani secara elektronik pada {format_datetime_wib(data.signed_at)}"
    pdf.column(block_x, block_w, signed, height=4, gap=3)
    pdf.style(10.5, bold=True)
    pdf.column(block_x, block_w, data.signer_name, gap=8)
    pdf.style(10)
    if data.signer_rank:
        pdf.column(block_x, block_w, data.signer_rank)
    if data.signer_nip:
        pdf.column(block_x, block_w, f"NIP. {data.signer_nip}")
    pdf.set_y(max(pdf.get_y(), top + 4 + qr_size + 10) + 4)
    pdf.style(7.5, colour=MUTED)
    pdf.paragraph(f"Periksa keaslian: {data.verification_url}", height=4)
    return bytes(pdf.output())


def _numbered(pdf: Document, items: list[str]) -> None:
    for number, item in enumerate(items, start=1):
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(8, 5.5, f"{number}.")
        pdf.multi_cell(0, 5.5, pdf.text_of(item), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
