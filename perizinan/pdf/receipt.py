"""The receipt (tanda terima) of a submitted application: number and PIN, the service, the
applicant, the submission time, the expected completion, the documents handed in, and a QR
code to the tracking page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fpdf.enums import XPos, YPos

from perizinan.pdf.layout import (
    FILL,
    MUTED,
    Document,
    format_date_id,
    format_datetime_wib,
)

RECEIPT_TITLE = "TANDA TERIMA PERMOHONAN"
COMPLETION_PENDING = "dihitung setelah berkas dinyatakan lengkap"
TRACKING_CAPTION = "Pindai untuk melacak permohonan"
PIN_NOTE = (
    "Rahasiakan PIN ini. Nomor permohonan dan PIN diperlukan untuk melacak permohonan; "
    "jangan berikan PIN kepada siapa pun, termasuk petugas."
)
#: The applicant's sheet printed at the counter: the only place the PIN is ever printed.
COUNTER_PIN_NOTE = (
    "PIN ini dicetak satu kali, hanya pada lembar Anda. Dengan nomor permohonan dan PIN, Anda "
    "melacak permohonan di halaman Lacak dan dapat memindahkannya ke akun Anda sendiri "
    "(menu Permohonan saya, Klaim permohonan loket). Rahasiakan PIN ini: petugas tidak "
    "memerlukannya untuk membantu Anda di loket."
)
#: The office's copy: the PIN is left out.
OFFICE_COPY_PIN = "tidak dicetak"
OFFICE_COPY_NOTE = (
    "Salinan kantor. PIN pelacakan hanya tercetak pada tanda terima pemohon dan tidak "
    "disimpan pada salinan ini."
)


@dataclass(frozen=True)
class ReceiptData:
    """The tanda terima of a submitted application."""

    number: str  # e.g. "BTM-2026-000123"
    pin: str  # tracking PIN
    service_name: str
    applicant_name: str
    submitted_at: datetime  # aware
    expected_completion: date | None
    tracking_url: str  # absolute URL the QR code opens (the /lacak/ page)
    documents: list[str]  # names of the requirements handed in
    office_name: str
    regency_name: str
    #: What the receipt says about the PIN (the applicant's own, the counter's sheet, or the
    #: office's copy without it), and a line above the title ("Salinan kantor").
    pin_note: str = PIN_NOTE
    copy_label: str = ""


def render_receipt_pdf(data: ReceiptData) -> bytes:
    """The tanda terima of a submitted application, one A4 page (more if many documents)."""
    pdf = Document(
        regency_name=data.regency_name,
        office_name=data.office_name,
        footer_lines=(f"Lacak permohonan: {data.tracking_url}",),
    )
    pdf.set_title(f"Tanda terima permohonan {data.number}")
    pdf.set_subject(data.service_name)
    pdf.set_creation_date(data.submitted_at)
    pdf.add_page()

    if data.copy_label:
        pdf.style(9, bold=True, colour=MUTED)
        pdf.paragraph(data.copy_label.upper(), height=5, align="R")
    pdf.style(15, bold=True)
    pdf.paragraph(RECEIPT_TITLE, height=8, align="C")
    pdf.ln(4)

    # Number and PIN, side by side in a shaded box.
    top = pdf.get_y()
    half = (pdf.epw - 4) / 2
    for index, (label, value) in enumerate(
        (("Nomor permohonan", data.number), ("PIN pelacakan", data.pin))
    ):
        x = pdf.l_margin + index * (half + 4)
        pdf.set_fill_color(*FILL)
        pdf.rect(x, top, half, 20, style="F")
        pdf.set_xy(x, top + 2.5)
        pdf.style(9, colour=MUTED)
        pdf.cell(half, 5, label, align="C")
        pdf.set_xy(x, top + 8.5)
        pdf.style(16, bold=True)
        pdf.cell(half, 9, pdf.text_of(value), align="C")
    pdf.set_xy(pdf.l_margin, top + 24)

    pdf.field("Jenis layanan", data.service_name, bold=True)
    pdf.field("Nama pemohon", data.applicant_name)
    pdf.field("Waktu pengajuan", format_datetime_wib(data.submitted_at))
    pdf.field(
        "Perkiraan selesai",
        format_date_id(data.expected_completion)
        if data.expected_completion
        else COMPLETION_PENDING,
    )
    pdf.ln(4)

    pdf.style(11, bold=True)
    pdf.paragraph("Dokumen yang diserahkan", height=7)
    pdf.style(10)
    if data.documents:
        for number, document in enumerate(data.documents, start=1):
            pdf.set_x(pdf.l_margin + 2)
            pdf.cell(8, 5.5, f"{number}.")
            pdf.multi_cell(
                0, 5.5, pdf.text_of(document), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
    else:
        pdf.paragraph("Tidak ada dokumen yang diserahkan.")
    pdf.ln(6)

    # QR code on the left, the PIN note on the right.
    qr_size = 34
    pdf.ensure_space(qr_size + 12)
    top = pdf.get_y()
    pdf.qr(
        data.tracking_url,
        x=pdf.l_margin + 10,
        y=top,
        size=qr_size,
        caption=TRACKING_CAPTION,
        alt="Kode QR menuju halaman pelacakan permohonan",
    )
    text_x = pdf.l_margin + qr_size + 28
    text_w = pdf.w - pdf.r_margin - text_x
    pdf.set_y(top + 2)
    pdf.style(10, bold=True)
    pdf.column(text_x, text_w, "Penting")
    pdf.style(10)
    pdf.column(text_x, text_w, data.pin_note)
    pdf.style(9, colour=MUTED)
    pdf.column(text_x, text_w, "Simpan tanda terima ini sampai izin Anda terbit.", gap=2)
    return bytes(pdf.output())
