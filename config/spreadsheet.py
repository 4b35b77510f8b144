"""The formula guard of every CSV and XLSX file the portal writes (office reports, open data,
the kewenangan export): a text cell that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'`` so that it is shown
as text (OWASP "CSV injection"). Importers of our own files take the ``'`` off again, so an
exported file re-imports to the same values."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_text(text: str) -> str:
    """``text`` as a spreadsheet cell that cannot run."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unguard_text(text: str) -> str:
    """The inverse of ``guard_text`` for a cell read back from one of our files."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text
