"""What every official document shares: the A4 page with the regency letterhead and a footer
on every page (``Document``), its text helpers, the font (DejaVu Sans from ``static/fonts/``,
or core Helvetica with Latin-1 text on a machine without it), the colours, Indonesian dates
independent of the active locale, times in WIB, and QR codes."""

from __future__ import annotations

import io
import os
import unicodedata
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import qrcode
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from qrcode.constants import ERROR_CORRECT_M

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
    Path(__file__).resolve().parents[2] / "static" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_FAMILY = "DejaVuSans"

# Colours (RGB): dark text, muted text, rules and the light fill behind number and PIN.
INK = (33, 37, 41)
MUTED = (90, 98, 106)
RULE = (52, 58, 64)
FILL = (238, 242, 246)


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


#: The emblem's height in the letterhead (mm); its width follows the image.
EMBLEM_HEIGHT = 15.0


def letterhead_emblem() -> str | None:
    """The coat of arms of every letterhead: ``settings.SATUPINTU_COAT_OF_ARMS``, a path under
    the static files (found by the static-files finders) or an absolute path. None when unset
    or not found (the letterhead is then text only)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    configured = (getattr(settings, "SATUPINTU_COAT_OF_ARMS", "") or "").strip()
    if not configured:
        return None
    if os.path.isabs(configured):
        return configured if os.path.isfile(configured) else None
    found = finders.find(configured)
    if isinstance(found, list):
        found = found[0] if found else None
    return str(found) if found else None


def place_of_issue() -> str:
    """Where permits and letters are issued (``Ditetapkan di …``): the regency's seat from
    ``settings.SATUPINTU_PLACE_OF_ISSUE`` (Tamiang Layang)."""
    from django.conf import settings

    return getattr(settings, "SATUPINTU_PLACE_OF_ISSUE", "") or "Tamiang Layang"


def _font_dir() -> Path | None:
    for directory in FONT_DIRS:
        if all((directory / name).is_file() for name in FONT_FILES.values()):
            return directory
    return None


class Document(FPDF):
    """A4 portrait page with the regency letterhead and a footer on every page."""

    def __init__(
        self,
        *,
        regency_name: str,
        office_name: str,
        footer_lines: tuple[str, ...],
        emblem: str | None = "",
        place: str = "",
    ):
        super().__init__(orientation="P", unit="mm", format="A4")
        # "" = the configured emblem and place; None = no emblem.
        self.emblem = letterhead_emblem() if emblem == "" else emblem
        self.place_of_issue = place or place_of_issue()
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
        # The coat of arms at the left of the letterhead; the text centred between it and an
        # equal space on the right.
        indent = 0.0
        if self.emblem:
            self.image(
                self.emblem,
                x=self.l_margin,
                y=12,
                h=EMBLEM_HEIGHT,
                alt_text=f"Lambang {self.regency_name}",
            )
            indent = EMBLEM_HEIGHT - 1
        width = self.epw - 2 * indent
        self.set_xy(self.l_margin + indent, 14)
        self.style(12, bold=True)
        self.cell(width, 6, self.text_of(f"PEMERINTAH {self.regency_name.upper()}"), align="C")
        self.ln(6)
        # The office's name on one line where it can be: smaller type rather than a wrap.
        office = self.text_of(self.office_name.upper())
        size = 12.0
        self.style(size, bold=True)
        while size > 9 and self.get_string_width(office) > width - 1:
            size -= 0.5
            self.style(size, bold=True)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            width,
            6,
            office,
            align="C",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_y(max(self.get_y(), 12 + EMBLEM_HEIGHT - 1.5) if indent else self.get_y())
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
