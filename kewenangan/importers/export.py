"""Export of every kewenangan in the import format (CSV or XLSX), so an exported file
re-imports to an identical state."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from config.spreadsheet import guard_text
from kewenangan.importers.reading import COLUMNS
from kewenangan.models import Kewenangan


def export_rows() -> list[list[str]]:
    """The header and one row per kewenangan, in the import format, every cell guarded
    against spreadsheet formulas (``config.spreadsheet``; the importer takes the guard off)."""
    rows = [COLUMNS]
    for k in Kewenangan.objects.with_opds().order_by("code"):
        rows.append(
            [
                k.code,
                k.name,
                k.sector,
                k.origin_opd.short_name,
                k.technical_opd.short_name if k.technical_opd else "",
                "ya" if k.delegated else "tidak",
                k.perbup_number,
                k.perbup_date.isoformat() if k.perbup_date else "",
                str(k.stage_year) if k.stage_year else "",
                "ya" if k.active else "tidak",
                "ya" if k.is_sample else "tidak",
            ]
        )
    return [[guard_text(cell) for cell in row] for row in rows]


def export_csv(stream: io.TextIOBase) -> int:
    rows = export_rows()
    csv.writer(stream).writerows(rows)
    return len(rows) - 1


def export_kewenangan(path) -> int:
    """Write every kewenangan to ``path`` (``.csv`` or ``.xlsx``); return the row count."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "kewenangan"
        rows = export_rows()
        for row in rows:
            sheet.append(row)
        workbook.save(path)
        return len(rows) - 1
    if path.suffix.lower() == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as fh:
            return export_csv(fh)
    raise ValueError(f"{path.name}: use .csv or .xlsx")
