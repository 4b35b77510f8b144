"""Reading an import file: the columns of the format, a CSV (UTF-8) or XLSX file turned into
``(line number, {column: text})`` rows, and the error that names what is wrong."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from config.spreadsheet import unguard_text

COLUMNS = [
    "kode",
    "nama",
    "sektor",
    "opd_asal",
    "opd_teknis",
    "dilimpahkan",
    "nomor_perbup",
    "tanggal_perbup",
    "tahap",
    "aktif",
    "data_contoh",
]
REQUIRED_COLUMNS = ["kode", "nama", "sektor", "opd_asal", "dilimpahkan"]


class KewenanganImportError(Exception):
    """One or more rows are invalid; nothing was changed. ``errors`` lists each one as
    ``file, baris N, kolom X: message``."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Our own export guards formula-like text with a leading ' (config.spreadsheet).
    return unguard_text(str(value).strip())


def read_table(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each non-empty data row of a CSV or XLSX file."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".csv":
        return _read_csv(path)
    raise KewenanganImportError(
        [_("%(file)s: format tidak dikenal (gunakan .csv atau .xlsx).") % {"file": path.name}]
    )


def _rows_from(header: list[str], records, path: Path) -> list[tuple[int, dict[str, str]]]:
    header = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise KewenanganImportError(
            [
                _("%(file)s, baris 1: kolom wajib tidak ada: %(cols)s")
                % {"file": path.name, "cols": ", ".join(missing)}
            ]
        )
    rows = []
    for line, values in records:
        texts = [_cell_text(v) for v in values]
        if not any(texts):
            continue
        rows.append(
            (line, {name: (texts[i] if i < len(texts) else "") for i, name in enumerate(header)})
        )
    return rows


def _read_csv(path: Path):
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise KewenanganImportError([_("%(file)s: berkas kosong.") % {"file": path.name}])
            records = [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError:
        raise KewenanganImportError(
            [_("%(file)s: bukan teks UTF-8.") % {"file": path.name}]
        ) from None
    return _rows_from(header, records, path)


def _read_xlsx(path: Path):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook becomes one clear error
        raise KewenanganImportError(
            [
                _("%(file)s: tidak dapat dibaca sebagai XLSX (%(error)s).")
                % {"file": path.name, "error": exc}
            ]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise KewenanganImportError([_("%(file)s: berkas kosong.") % {"file": path.name}])
        records = [(line, row) for line, row in enumerate(rows, start=2)]
    finally:
        workbook.close()
    return _rows_from([_cell_text(h) for h in header], records, path)
