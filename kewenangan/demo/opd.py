"""The demo's OPDs: those of ``data/opd_bartim.csv`` (confirmed and typical ones) and those
the catalogue adds, and which seeded OPD a catalogue row names."""

from __future__ import annotations

import csv
from pathlib import Path

from kewenangan.models import PerangkatDaerah

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def _kind_for(name: str) -> str:
    first = name.split(" ", 1)[0].lower()
    return {
        "dinas": PerangkatDaerah.Kind.DINAS,
        "badan": PerangkatDaerah.Kind.BADAN,
        "satuan": PerangkatDaerah.Kind.SATUAN,
        "kantor": PerangkatDaerah.Kind.KANTOR,
    }.get(first, PerangkatDaerah.Kind.LAINNYA)


#: OPDs the catalogue names that ``opd_bartim.csv`` lacks: (short name, name).
EXTRA_OPDS = [("Disbun", "Dinas Perkebunan")]


def seed_opd() -> dict[str, PerangkatDaerah]:
    """The OPDs of ``data/opd_bartim.csv`` (confirmed and typical ones) and those the catalogue
    adds, keyed by short name."""
    result = {}
    with open(DATA_DIR / "opd_bartim.csv", newline="", encoding="utf-8") as fh:
        rows = [
            (row["short"].strip(), row["name"].split(" (")[0].strip()) for row in csv.DictReader(fh)
        ]
    for short, name in rows + EXTRA_OPDS:
        opd, _ = PerangkatDaerah.objects.update_or_create(
            short_name=short,
            defaults={"name": name, "kind": _kind_for(name), "is_dpmptsp": short == "DPMPTSP"},
        )
        result[short] = opd
    return result


#: ``catalogue.csv`` column ``opd`` (its start) -> short name of the seeded OPD.
OPD_BY_CATALOGUE_NAME = [
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pekerjaan Umum", "DPUPRPERKIM"),
    ("Dinas Lingkungan Hidup", "DLH"),
    ("Dinas Perhubungan", "Dishub"),
    ("Dinas Kebudayaan, Pariwisata", "Disbudparpora"),
    ("Dinas Pendidikan", "Disdik"),
    ("Dinas Perdagangan dan Perindustrian", "Disperindag"),
    ("Dinas Koperasi", "Diskop UKM"),
    ("Dinas Pertanian", "Distan"),
    ("Dinas Perkebunan", "Disbun"),
    ("Dinas Perikanan", "Diskan"),
    ("Dinas Tenaga Kerja", "Disnakertrans"),
    ("Dinas Sosial", "Dinsos"),
    ("Dinas Komunikasi", "Diskominfo"),
    ("Badan Kesatuan Bangsa", "Kesbangpol"),
    ("Satuan Polisi Pamong Praja", "Satpol PP"),
    ("Dinas Penanaman Modal", "DPMPTSP"),
]


def opd_short_name(catalogue_opd: str) -> str:
    for prefix, short in OPD_BY_CATALOGUE_NAME:
        if catalogue_opd.startswith(prefix):
            return short
    raise ValueError(f"catalogue OPD without a mapping: {catalogue_opd!r}")
