"""Import and export of the list of kewenangan (the Perbup annex) as CSV or XLSX, one module
per stage: ``reading`` (the file into rows), ``checking`` (every row checked, all errors
listed), ``applying`` (the upsert, all or nothing) and ``export``; what callers use is
re-exported here.

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

from kewenangan.importers.applying import ImportReport, import_kewenangan
from kewenangan.importers.checking import ParsedRow, parse_file
from kewenangan.importers.export import export_csv, export_kewenangan, export_rows
from kewenangan.importers.reading import COLUMNS, KewenanganImportError, read_table

__all__ = [
    "COLUMNS",
    "ImportReport",
    "KewenanganImportError",
    "ParsedRow",
    "export_csv",
    "export_kewenangan",
    "export_rows",
    "import_kewenangan",
    "parse_file",
    "read_table",
]
