"""Receipts (tanda terima), permits (Izin / SK) and rejection letters as PDF: pure functions
over fpdf2 + qrcode, one module per document (``receipt``, ``permit``, ``rejection``) on a
shared page layout (``layout``). Everything callers use is re-exported here.

No database access: the caller fills a :class:`ReceiptData`, :class:`PermitData` or
:class:`RejectionData` and gets bytes back. Output is deterministic for the same data (the
PDF creation date is taken from the data, not from the clock), so a permit can be rendered
again and compared.

The documents are official letters of an Indonesian office: their text is fixed Indonesian
whatever the reader's interface language, so it is not passed through gettext, and dates are
written with the month table of ``layout`` instead of the active Django locale.

Text is set in DejaVu Sans (``static/fonts/``, licence alongside), which covers Latin,
Greek, Cyrillic and more, so any applicant's name prints. Should the font files be missing,
the documents fall back to core Helvetica with the text reduced to Latin-1.
"""

from perizinan.pdf.layout import format_date_id, format_datetime_wib, qr_png
from perizinan.pdf.permit import (
    PermitData,
    permit_data_from_json,
    permit_data_to_json,
    render_permit_pdf,
)
from perizinan.pdf.receipt import ReceiptData, render_receipt_pdf
from perizinan.pdf.rejection import RejectionData, render_rejection_pdf

__all__ = [
    "PermitData",
    "ReceiptData",
    "RejectionData",
    "format_date_id",
    "format_datetime_wib",
    "permit_data_from_json",
    "permit_data_to_json",
    "qr_png",
    "render_permit_pdf",
    "render_receipt_pdf",
    "render_rejection_pdf",
]
