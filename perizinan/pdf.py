"""Receipts (tanda terima) and permits (Izin / SK) as PDF: pure functions over fpdf2 + qrcode.

No database access: the caller fills a :class:`ReceiptData` or :class:`PermitData` and gets
bytes back. Output is deterministic for the same data (the PDF creation date is taken from the
data, not from the clock), so a permit can be rendered again and compared.

The documents are official letters of an Indonesian office: their text is fixed Indonesian
whatever the reader's interface language, so it is not passed through gettext, and dates are
written with the month table below instead of the active Django locale.

Text is set in DejaVu Sans (``static/fonts/``, licence alongside), which covers Latin,
Greek, Cyrillic and more, so any applicant's name prints. Should the font files be missing,
the documents fall back to core Helvetica with the text reduced to Latin-1.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import qrcode
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from qrcode.constants import ERROR_CORRECT_M

__all__ = [
    "PermitData",
    "ReceiptData",
    "RejectionData",
    "format_date_id",
    "format_datetime_wib",
    "qr_png",
    "render_permit_pdf",
    "render_receipt_pdf",
    "render_rejection_pdf",
]

WIB = ZoneInfo("Asia/Jakarta")
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

FONT_DIRS = (
    Path(__file__).resolve().parent.parent / "static" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_FAMILY = "DejaVuSans"

# Colours (RGB): dark text, muted text, rules and the light fill behind number and PIN.
INK = (33, 37, 41)
MUTED = (90, 98, 106)
RULE = (52, 58, 64)
FILL = (238, 242, 246)

RECEIPT_TITLE = "TANDA TERIMA PERMOHONAN"
COMPLETION_PENDING = "dihitung setelah berkas dinyatakan lengkap"
TRACKING_CAPTION = "Pindai untuk melacak permohonan"
PIN_NOTE = (
    "Rahasiakan PIN ini. Nomor permohonan dan PIN diperlukan untuk melacak permohonan; "
    "jangan berikan PIN kepada siapa pun, termasuk petugas."
)
VERIFY_CAPTION = "Pindai untuk memeriksa keaslian"
NOT_CERTIFIED = (
    "Dokumen ini ditandatangani secara elektronik oleh sistem Satu Pintu; bukan tanda tangan "
    "elektronik tersertifikasi BSrE."
)
VALID_UNTIL = "Berlaku sampai dengan {date}"
VALID_WHILE_COMPLIANT = "Berlaku selama memenuhi persyaratan"
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


def format_date_id(d: date) -> str:
    """``27 November 2026``, independent of the active locale."""
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


def format_datetime_wib(moment: datetime) -> str:
    """``27 November 2026 14.05 WIB`` for an aware datetime, shown in Asia/Jakarta."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("An aware datetime is required to print a time in WIB.")
    local = moment.astimezone(WIB)
    return f"{format_date_id(local.date())} {local:%H.%M} WIB"


def qr_png(url: str) -> bytes:
    """A PNG QR code (error correction M) that opens ``url``."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


def _font_dir() -> Path | None:
    for directory in FONT_DIRS:
        if all((directory / name).is_file() for name in FONT_FILES.values()):
            return directory
    return None


class _Document(FPDF):
    """A4 portrait page with the regency letterhead and a footer on every page."""

    def __init__(self, *, regency_name: str, office_name: str, footer_lines: tuple[str, ...]):
        super().__init__(orientation="P", unit="mm", format="A4")
        font_dir = _font_dir()
        self.unicode = font_dir is not None
        if font_dir is not None:
            for style, name in FONT_FILES.items():
                self.add_font(FONT_FAMILY, style, str(font_dir / name))
            self.family = FONT_FAMILY
        else:  # a machine without the fonts: core Helvetica, Latin-1 text
            self.family = "Helvetica"
        self.regency_name = regency_name
        self.office_name = office_name
        self.footer_lines = footer_lines
        self.set_margins(20, 15, 20)
        self.set_auto_page_break(auto=True, margin=15 + 5 * len(footer_lines))
        self.set_lang("id")
        self.set_creator("Satu Pintu")
        self.set_author(office_name)
        self.alias_nb_pages()

    # Text helpers ---------------------------------------------------------------------------

    def text_of(self, value: str) -> str:
        """Text as it can be printed: Latin-1 only when no Unicode font is available."""
        if self.unicode:
            return value
        decomposed = unicodedata.normalize("NFKD", value)
        return decomposed.encode("latin-1", "ignore").decode("latin-1")

    def style(self, size: float, *, bold: bool = False, colour: tuple[int, int, int] = INK):
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def paragraph(self, text: str, *, height: float = 5.5, align: str = "L", width: float = 0):
        self.multi_cell(
            width, height, self.text_of(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def field(self, label: str, value: str, *, label_width: float = 48, bold: bool = False):
        """One ``label : value`` row; long values wrap under themselves."""
        top = self.get_y()
        self.style(10, colour=MUTED)
        self.set_xy(self.l_margin, top)
        self.cell(label_width, 6, self.text_of(label))
        self.style(10, bold=bold)
        self.set_xy(self.l_margin + label_width, top)
        self.multi_cell(0, 6, self.text_of(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rule(self, *, weight: float = 0.3, gap: float = 0):
        self.set_draw_color(*RULE)
        self.set_line_width(weight)
        y = self.get_y() + gap
        self.line(self.l_margin, y, self.w - self.r_margin, y)

    def qr(self, url: str, *, x: float, y: float, size: float, caption: str, alt: str):
        self.image(io.BytesIO(qr_png(url)), x=x, y=y, w=size, h=size, link=url, alt_text=alt)
        self.set_xy(x - 10, y + size + 0.5)
        self.style(8, colour=MUTED)
        self.multi_cell(size + 20, 4, self.text_of(caption), align="C")

    def column(self, x: float, width: float, text: str, *, height: float = 5.5, gap: float = 0):
        """A paragraph in a column starting at ``x``; the cursor ends below it, at ``x``."""
        self.set_xy(x, self.get_y() + gap)
        self.multi_cell(width, height, self.text_of(text), align="L", new_x=XPos.LEFT)

    def ensure_space(self, height: float):
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    # Page furniture -------------------------------------------------------------------------

    def header(self):
        self.set_y(14)
        self.style(12, bold=True)
        self.cell(0, 6, self.text_of(f"PEMERINTAH {self.regency_name.upper()}"), align="C")
        self.ln(6)
        self.style(12, bold=True)
        self.paragraph(self.office_name.upper(), height=6, align="C")
        self.ln(1.5)
        self.rule(weight=0.8)
        self.ln(1)
        self.rule(weight=0.2)
        self.ln(7)

    def footer(self):
        self.set_y(-(10 + 4 * len(self.footer_lines)))
        self.style(7, colour=MUTED)
        for line in self.footer_lines:
            self.paragraph(line, height=3.5, align="C")
        self.cell(0, 4, f"Halaman {self.page_no()} dari {{nb}}", align="C")


def render_receipt_pdf(data: ReceiptData) -> bytes:
    """The tanda terima of a submitted application, one A4 page (more if many documents)."""
    pdf = _Document(
        regency_name=data.regency_name,
        office_name=data.office_name,
        footer_lines=(f"Lacak permohonan: {data.tracking_url}",),
    )
    pdf.set_title(f"Tanda terima permohonan {data.number}")
    pdf.set_subject(data.service_name)
    pdf.set_creation_date(data.submitted_at)
    pdf.add_page()

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
    pdf.column(text_x, text_w, PIN_NOTE)
    pdf.style(9, colour=MUTED)
    pdf.column(text_x, text_w, "Simpan tanda terima ini sampai izin Anda terbit.", gap=2)
    return bytes(pdf.output())


def render_permit_pdf(data: PermitData) -> bytes:
    """The issued permit: decision, holder, conditions, validity, signer and verification QR."""
    pdf = _Document(
        regency_name=data.regency_name,
        office_name=data.office_name,
        footer_lines=(
            NOT_CERTIFIED,
            f"Sidik dokumen (SHA-256): {data.integrity_hash}",
        ),
    )
    pdf.set_title(f"{data.product_name} {data.permit_number}")
    pdf.set_subject(data.service_name)
    pdf.set_creation_date(data.signed_at)
    pdf.add_page()

    pdf.style(14, bold=True)
    pdf.paragraph(data.product_name.upper(), height=7, align="C")
    pdf.style(10.5)
    pdf.paragraph(f"Nomor: {data.permit_number}", height=6, align="C")
    pdf.ln(6)

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
    pdf.ln(4)

    if data.conditions:
        pdf.style(10.5, bold=True)
        pdf.paragraph("Ketentuan:", height=7)
        pdf.style(10)
        for number, condition in enumerate(data.conditions, start=1):
            pdf.set_x(pdf.l_margin + 2)
            pdf.cell(8, 5.5, f"{number}.")
            pdf.multi_cell(
                0, 5.5, pdf.text_of(condition), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
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
    pdf.ensure_space(62)
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
    pdf.column(block_x, block_w, f"Ditetapkan di {data.regency_name}")
    pdf.column(block_x, block_w, f"pada tanggal {format_date_id(data.issued_on)}")
    pdf.style(10, bold=True)
    pdf.column(block_x, block_w, data.signer_title, gap=2)
    pdf.style(8, colour=MUTED)
    signed = f"Ditandatangani secara elektronik pada {format_datetime_wib(data.signed_at)}"
    pdf.column(block_x, block_w, signed, height=4, gap=3)
    pdf.style(10.5, bold=True)
    pdf.column(block_x, block_w, data.signer_name, gap=8)
    pdf.set_y(max(pdf.get_y(), top + 4 + qr_size + 10) + 4)
    pdf.style(7.5, colour=MUTED)
    pdf.paragraph(f"Periksa keaslian: {data.verification_url}", height=4)
    return bytes(pdf.output())


def render_rejection_pdf(data: RejectionData) -> bytes:
    """The rejection letter: number, the application, the reasons and the legal basis."""
    pdf = _Document(
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
        f"{data.regency_name}, {format_date_id(data.decided_at.astimezone(WIB).date())}",
    )
    pdf.style(10, bold=True)
    pdf.column(block_x, block_w, data.signer_title, gap=2)
    return bytes(pdf.output())
