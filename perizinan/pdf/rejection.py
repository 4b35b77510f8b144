"""The rejection letter (surat penolakan) of a rejected application: its number, the
application, the reasons, the legal basis and what the applicant can do next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from perizinan.pdf.layout import WIB, Document, format_date_id

REJECTION_TITLE = "SURAT PENOLAKAN PERMOHONAN"
REJECTION_NOTE = (
    "Surat ini diterbitkan secara elektronik oleh sistem Satu Pintu atas keputusan penolakan "
    "yang tercatat pada riwayat permohonan; bukan tanda tangan elektronik tersertifikasi BSrE."
)
REJECTION_REMEDY = (
    "Pemohon dapat mengajukan permohonan baru setelah memenuhi ketentuan di atas, atau "
    "menyampaikan pengaduan melalui kanal pengaduan yang tercantum pada standar pelayanan."
)


@dataclass(frozen=True)
class RejectionData:
    """The rejection letter (surat penolakan) of a rejected application."""

    letter_number: str
    application_number: str
    service_name: str
    applicant_name: str
    applicant_address: str
    reasons: str
    legal_basis: str
    decided_at: datetime  # aware; also the PDF creation date
    signer_title: str
    office_name: str
    regency_name: str


def render_rejection_pdf(data: RejectionData) -> bytes:
    """The rejection letter: number, the application, the reasons and the legal basis."""
    pdf = Document(
        regency_name=data.regency_name,
        office_name=data.office_name,
        footer_lines=(REJECTION_NOTE,),
    )
    pdf.set_title(f"Surat penolakan {data.letter_number}")
    pdf.set_subject(data.service_name)
    pdf.set_creation_date(data.decided_at)
    pdf.add_page()

    pdf.style(14, bold=True)
    pdf.paragraph(REJECTION_TITLE, height=7, align="C")
    pdf.style(10.5)
    pdf.paragraph(f"Nomor: {data.letter_number}", height=6, align="C")
    pdf.ln(6)

    pdf.style(10.5)
    pdf.paragraph("Kepada Yth.", height=5.8)
    pdf.style(10.5, bold=True)
    pdf.paragraph(data.applicant_name, height=5.8)
    if data.applicant_address:
        pdf.style(10.5)
        pdf.paragraph(data.applicant_address, height=5.8)
    pdf.ln(4)

    pdf.style(10.5)
    pdf.paragraph(
        f"Dengan hormat, setelah dilakukan pemeriksaan atas permohonan {data.service_name} "
        f"nomor {data.application_number}, dengan ini kami sampaikan bahwa permohonan "
        "tersebut DITOLAK dengan alasan sebagai berikut:",
        height=5.8,
    )
    pdf.ln(2)
    pdf.field("Jenis layanan", data.service_name, bold=True)
    pdf.field("Nomor permohonan", data.application_number)
    pdf.field("Tanggal keputusan", format_date_id(data.decided_at.astimezone(WIB).date()))
    pdf.ln(3)

    pdf.style(10.5, bold=True)
    pdf.paragraph("Alasan penolakan:", height=7)
    pdf.style(10)
    pdf.paragraph(data.reasons, height=5.5)
    pdf.ln(3)

    pdf.style(10.5, bold=True)
    pdf.paragraph("Dasar hukum:", height=7)
    pdf.style(10)
    pdf.paragraph(data.legal_basis or "Standar pelayanan yang berlaku.", height=5.5)
    pdf.ln(3)

    pdf.style(10)
    pdf.paragraph(REJECTION_REMEDY, height=5.5)
    pdf.ln(8)

    pdf.ensure_space(30)
    block_x = pdf.l_margin + pdf.epw / 2 + 5
    block_w = pdf.w - pdf.r_margin - block_x
    pdf.style(10)
    pdf.column(
        block_x,
        block_w,
        f"{pdf.place_of_issue}, {format_date_id(data.decided_at.astimezone(WIB).date())}",
    )
    pdf.style(10, bold=True)
    pdf.column(block_x, block_w, data.signer_title, gap=2)
    return bytes(pdf.output())
