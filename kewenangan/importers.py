"""Import and export of the list of kewenangan (the Perbup annex) as CSV or XLSX.

File format
-----------
One header row, then one row per kewenangan. Column order is free; names are exact:

============== ========= ===============================================================
column         required  content
============== ========= ===============================================================
kode           yes       unique code, upper case letters, digits, ``.`` and ``-``
                         (e.g. ``KES-03-BARU``); rows are matched (upserted) by it
nama           yes       name of the authority (max. 300 characters)
sektor         yes       sector (e.g. ``Kesehatan``)
opd_asal       yes       origin OPD: its short name (``Dinkes``) or full name
opd_teknis     no        OPD of the technical team (short or full name); empty: none
dilimpahkan    yes       ``ya`` / ``tidak`` (also ``true``/``false``, ``1``/``0``)
nomor_perbup   if ya     number of the Perbup that delegates it
tanggal_perbup if ya     date of that Perbup, ``YYYY-MM-DD`` (or ``DD-MM-YYYY``, or an
                         Excel date cell)
tahap          no        stage (year) the authority joined the one-stop service
aktif          no        ``ya`` (default) / ``tidak``
data_contoh    no        ``ya`` / ``tidak`` (default): sample data, not the legal annex
============== ========= ===============================================================

The import is all-or-nothing: every row is checked first and any error (named by file, line
and column) leaves the database untouched. Rows not in the file are left as they are.
A change of ``opd_asal``, ``opd_teknis``, ``dilimpahkan`` or the Perbup goes through
``reassign_kewenangan`` and so writes a history row (source ``import``). ``export_kewenangan``
writes the same format, so an exported file re-imports to an identical state.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kewenangan.models import Kewenangan, PerangkatDaerah
from kewenangan.services import create_kewenangan, reassign_kewenangan

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
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")
TRUE = {"ya", "y", "true", "1", "benar"}
FALSE = {"tidak", "t", "false", "0", "salah", ""}
PLAIN_FIELDS = ("name", "sector", "stage_year", "active", "is_sample")


class KewenanganImportError(Exception):
    """One or more rows are invalid; nothing was changed. ``errors`` lists each one as
    ``file, baris N, kolom X: message``."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ParsedRow:
    line: int
    code: str
    name: str
    sector: str
    origin_opd: PerangkatDaerah
    technical_opd: PerangkatDaerah | None
    delegated: bool
    perbup_number: str
    perbup_date: datetime.date | None
    stage_year: int | None
    active: bool
    is_sample: bool


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    reassigned: list[str] = field(default_factory=list)
    unchanged: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.reassigned)


# --- Reading ---------------------------------------------------------------------------------


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
    return str(value).strip()


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


# --- Checking --------------------------------------------------------------------------------


def _parse_bool(text: str, default: bool | None) -> bool:
    value = text.strip().lower()
    if value == "" and default is not None:
        return default
    if value in TRUE:
        return True
    if value in FALSE and value != "":
        return False
    raise ValueError(_("isi dengan ya atau tidak"))


def _parse_date(text: str) -> datetime.date | None:
    value = text.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("tanggal tidak sah, gunakan format TTTT-BB-HH"))


def parse_file(path: Path) -> list[ParsedRow]:
    """Read and check every row; raise ``KewenanganImportError`` listing all errors."""
    path = Path(path)
    rows = read_table(path)
    opds = list(PerangkatDaerah.objects.all())
    by_name = {}
    for opd in opds:
        by_name[opd.short_name.lower()] = opd
        by_name.setdefault(opd.name.lower(), opd)

    errors: list[str] = []
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}

    for line, data in rows:

        def error(column, message, line=line):
            errors.append(
                _("%(file)s, baris %(line)s, kolom %(column)s: %(message)s")
                % {"file": path.name, "line": line, "column": column, "message": message}
            )

        row_errors = len(errors)
        code = data.get("kode", "").strip()
        if not code:
            error("kode", _("wajib diisi"))
        elif not CODE_RE.match(code) or len(code) > 30:
            error("kode", _("hanya huruf besar, angka, titik dan tanda hubung (maks. 30)"))
        elif code in seen:
            error(
                "kode",
                _("kode %(code)s sudah ada di baris %(line)s") % {"code": code, "line": seen[code]},
            )
        else:
            seen[code] = line

        name = data.get("nama", "").strip()
        if not name:
            error("nama", _("wajib diisi"))
        elif len(name) > 300:
            error("nama", _("paling panjang 300 karakter"))
        sector = data.get("sektor", "").strip()
        if not sector:
            error("sektor", _("wajib diisi"))
        elif len(sector) > 100:
            error("sektor", _("paling panjang 100 karakter"))

        origin = None
        origin_text = data.get("opd_asal", "").strip()
        if not origin_text:
            error("opd_asal", _("wajib diisi"))
        else:
            origin = by_name.get(origin_text.lower())
            if origin is None:
                error("opd_asal", _("OPD %(opd)s tidak dikenal") % {"opd": origin_text})
        technical = None
        technical_text = data.get("opd_teknis", "").strip()
        if technical_text:
            technical = by_name.get(technical_text.lower())
            if technical is None:
                error("opd_teknis", _("OPD %(opd)s tidak dikenal") % {"opd": technical_text})

        delegated = active = is_sample = False
        for column, default in (("dilimpahkan", None), ("aktif", True), ("data_contoh", False)):
            text = data.get(column, "")
            if column == "dilimpahkan" and not text.strip():
                error(column, _("wajib diisi (ya atau tidak)"))
                continue
            try:
                value = _parse_bool(text, default)
            except ValueError as exc:
                error(column, str(exc))
                continue
            if column == "dilimpahkan":
                delegated = value
            elif column == "aktif":
                active = value
            else:
                is_sample = value

        perbup_number = data.get("nomor_perbup", "").strip()
        if len(perbup_number) > 100:
            error("nomor_perbup", _("paling panjang 100 karakter"))
        try:
            perbup_date = _parse_date(data.get("tanggal_perbup", ""))
        except ValueError as exc:
            error("tanggal_perbup", str(exc))
            perbup_date = None
        else:
            if delegated and not perbup_number:
                error("nomor_perbup", _("wajib diisi bila dilimpahkan"))
            if delegated and perbup_date is None:
                error("tanggal_perbup", _("wajib diisi bila dilimpahkan"))

        stage_year = None
        stage_text = data.get("tahap", "").strip()
        if stage_text:
            if stage_text.isdigit() and 2000 <= int(stage_text) <= 2100:
                stage_year = int(stage_text)
            else:
                error("tahap", _("isi dengan tahun, mis. 2026"))

        if len(errors) == row_errors:
            parsed.append(
                ParsedRow(
                    line=line,
                    code=code,
                    name=name,
                    sector=sector,
                    origin_opd=origin,
                    technical_opd=technical,
                    delegated=delegated,
                    perbup_number=perbup_number if delegated else "",
                    perbup_date=perbup_date if delegated else None,
                    stage_year=stage_year,
                    active=active,
                    is_sample=is_sample,
                )
            )
    if errors:
        raise KewenanganImportError(errors)
    return parsed


# --- Applying --------------------------------------------------------------------------------


class _DryRunRollback(Exception):
    pass


def import_kewenangan(
    path,
    *,
    dry_run: bool = False,
    actor=None,
    legal_basis: str = "",
    effective_date: datetime.date | None = None,
) -> ImportReport:
    """Upsert the kewenangan of a CSV/XLSX file by code, all or nothing.

    Holder changes write a history row with the Perbup of the row as legal basis (or
    ``legal_basis``, or "Impor <file>") and its date as effective date (or ``effective_date``,
    or today). ``dry_run`` does everything, reports it and rolls back.
    """
    path = Path(path)
    rows = parse_file(path)
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(rows, path, report, actor, legal_basis, effective_date)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report


def _apply(rows, path, report, actor, legal_basis, effective_date):
    existing = {
        k.code: k
        for k in Kewenangan.objects.select_for_update().filter(code__in=[r.code for r in rows])
    }
    today = timezone.localdate()
    for row in rows:
        reason = _("Impor %(file)s baris %(line)s") % {"file": path.name, "line": row.line}
        basis = row.perbup_number or legal_basis or _("Impor %(file)s") % {"file": path.name}
        kewenangan = existing.get(row.code)
        if kewenangan is None:
            create_kewenangan(
                code=row.code,
                name=row.name,
                sector=row.sector,
                origin_opd=row.origin_opd,
                technical_opd=row.technical_opd,
                delegated=row.delegated,
                perbup_number=row.perbup_number,
                perbup_date=row.perbup_date,
                stage_year=row.stage_year,
                active=row.active,
                is_sample=row.is_sample,
                actor=actor,
                source="import",
                reason=reason,
                legal_basis=basis,
            )
            report.created.append(row.code)
            continue

        wanted_holder = (
            row.origin_opd.pk,
            row.technical_opd.pk if row.technical_opd else None,
            row.delegated,
            row.perbup_number,
            row.perbup_date,
        )
        if kewenangan.holder_state() != wanted_holder:
            reassign_kewenangan(
                kewenangan,
                origin_opd=row.origin_opd,
                technical_opd=row.technical_opd,
                delegated=row.delegated,
                perbup_number=row.perbup_number if row.delegated else None,
                perbup_date=row.perbup_date if row.delegated else None,
                legal_basis=basis,
                effective_date=row.perbup_date or effective_date or today,
                actor=actor,
                reason=reason,
                source="import",
            )
            report.reassigned.append(row.code)

        wanted = {
            "name": row.name,
            "sector": row.sector,
            "stage_year": row.stage_year,
            "active": row.active,
            "is_sample": row.is_sample,
        }
        changed = [f for f, value in wanted.items() if getattr(kewenangan, f) != value]
        if changed:
            for f in changed:
                setattr(kewenangan, f, wanted[f])
            kewenangan.full_clean()
            kewenangan.save(update_fields=[*changed, "updated_at"])
            report.updated[row.code] = changed
        elif row.code not in report.reassigned:
            report.unchanged += 1


# --- Export ----------------------------------------------------------------------------------


def export_rows() -> list[list[str]]:
    """The header and one row per kewenangan, in the import format."""
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
    return rows


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
