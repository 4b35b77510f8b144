"""Demo data for the kewenangan app (called by ``manage.py seed_demo``). Idempotent."""

from __future__ import annotations

import csv
from pathlib import Path

from kewenangan.models import PerangkatDaerah

DATA_DIR = Path(__file__).resolve().parent / "data"


def _kind_for(name: str) -> str:
    first = name.split(" ", 1)[0].lower()
    return {
        "dinas": PerangkatDaerah.Kind.DINAS,
        "badan": PerangkatDaerah.Kind.BADAN,
        "satuan": PerangkatDaerah.Kind.SATUAN,
        "kantor": PerangkatDaerah.Kind.KANTOR,
    }.get(first, PerangkatDaerah.Kind.LAINNYA)


def seed_opd() -> dict[str, PerangkatDaerah]:
    """The OPDs of ``data/opd_bartim.csv`` (confirmed and typical ones), keyed by short name."""
    result = {}
    with open(DATA_DIR / "opd_bartim.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            short = row["short"].strip()
            name = row["name"].split(" (")[0].strip()
            opd, _ = PerangkatDaerah.objects.update_or_create(
                short_name=short,
                defaults={
                    "name": name,
                    "kind": _kind_for(name),
                    "is_dpmptsp": short == "DPMPTSP",
                },
            )
            result[short] = opd
    return result


def seed() -> None:
    seed_opd()
