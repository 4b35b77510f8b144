"""Checking an import file: every row parsed into a ``ParsedRow`` (codes, names, OPDs by
short or full name, yes/no values, dates, stage year); every error of the whole file is
collected and raised at once, so nothing is applied from a file with one bad row."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from kewenangan.importers.reading import KewenanganImportError, read_table
from kewenangan.models import PerangkatDaerah

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")
TRUE = {"ya", "y", "true", "1", "benar"}
FALSE = {"tidak", "t", "false", "0", "salah", ""}


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
