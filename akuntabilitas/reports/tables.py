"""What every report is made of, and how it leaves the site: the ``Table``, its CSV and XLSX
files and the formula guard that both files go through.

The formula guard (OWASP "CSV injection"): a spreadsheet runs a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula, and some also after a leading tab or carriage return. Text
is never trusted: a complaint's title, a service's name, an officer's name all come from
people. ``safe_cell`` is applied to the headers and to every data cell of both formats:

* text (anything that is not one of the typed values below: ``str``, lazy translations,
  choices) that starts with one of ``FORMULA_START`` gets a leading ``'``, so the spreadsheet
  shows it as text. This includes text that looks like a negative number (``"-5"``) and the
  placeholder ``"-"``: in a text column it is text;
* numbers (``int``, ``float``, ``Decimal``) stay numbers, negative ones too: in XLSX they are
  numeric cells, in CSV their digits (``-5``), which a spreadsheet reads as that number and
  nothing else; a number's text can hold no formula;
* dates and datetimes stay typed (XLSX date cells; ISO text in CSV, local time);
* ``None`` is an empty cell and a boolean is ``ya`` / ``tidak``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.spreadsheet import FORMULA_START, guard_text  # noqa: F401 - FORMULA_START re-exported


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


#: What a spreadsheet may run as a formula when a cell starts with it.

_TYPED = (int, float, Decimal, dt.date)  # dt.datetime is a dt.date


def safe_cell(value):
    """A value as a cell of a CSV or XLSX file: numbers and dates typed, everything else as
    text, quoted with ``'`` when a spreadsheet would run it (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, _TYPED):
        return value
    return guard_text(str(value))


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_value(safe_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def _csv_value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for table in tables:
        title = _sheet_title(table.title, used)
        sheet = workbook.create_sheet(title)
        sheet.append([safe_cell(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_value(safe_cell(v)) for v in row])
        for i, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(
                max(12, len(str(header)) + 2), 60
            )
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)  # XLSX has no time zones
    return value


def _sheet_title(title: str, used: set) -> str:
    clean = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:28] or "Data"
    candidate, n = clean, 2
    while candidate in used:
        candidate = f"{clean[:25]} {n}"
        n += 1
    used.add(candidate)
    return candidate


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def csv_response(table: Table, filename: str) -> HttpResponse:
    return _download(to_csv(table), "text/csv; charset=utf-8", f"{filename}.csv")


def xlsx_response(tables: list[Table], filename: str) -> HttpResponse:
    return _download(
        to_xlsx(tables),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{filename}.xlsx",
    )
