"""No exported file runs a formula (OWASP CSV injection): text that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading ``'`` in every CSV and XLSX the app
writes, in the data rows as much as in the headers.

The text gets in through the app's own data: the names of services, OPDs and officers, and
authorities imported with ``import_kewenangan``. The files are downloaded as their users
download them (``/laporan/<slug>.csv|xlsx`` as an admin and as the DPMPTSP's back office,
``/statistik/<dataset>.csv`` anonymously) or written by ``export_kewenangan``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from akuntabilitas.services import pengaduan as complaints
from kewenangan.importers import COLUMNS
from kewenangan.models import Kewenangan
from perizinan.models import Permohonan
from perizinan.workflow import Status
from tests.akuntabilitas.factories import all_fours, application, survey_answer
from tests.factories import KewenanganFactory, PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import make_service

pytestmark = pytest.mark.django_db

#: What a spreadsheet runs (or treats as the start of a formula).
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def payloads(kind: str) -> dict[str, str]:
    """One text per dangerous first character, each recognisable by ``kind``."""
    return {
        "=": f"=1+1 {kind} sama",
        "+": f"+62 {kind} plus",
        "-": f"-2+3 {kind} minus",
        "@": f"@SUM(1+1) {kind} at",
        "\t": f"\t{kind} tab",
        "\r": f"\r{kind} cr",
    }


SERVICE = payloads("Layanan")
OPD = payloads("Dinas")
OFFICER = payloads("Petugas")


# --- Reading the files ---------------------------------------------------------------------------


def csv_cells(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def xlsx_sheets(content: bytes) -> dict[str, list[list]]:
    workbook = load_workbook(io.BytesIO(content))
    sheets = {}
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
            rows.append([cell.value for cell in row])
        sheets[sheet.title] = rows
    return sheets


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def unguarded(rows: list[list], *, csv_file: bool) -> list[str]:
    """Cells a spreadsheet would run: text starting with a dangerous character. In a CSV a
    number's own digits (``-5``) are a number, not text. (XML, so XLSX, reads a carriage
    return back as a line feed.)"""
    dangerous = DANGEROUS if csv_file else (*DANGEROUS, "\n")
    bad = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value.startswith(dangerous):
                continue
            if csv_file and is_number(value):
                continue
            bad.append(f"row {r + 1}, column {c + 1}: {value!r}")
    return bad


def assert_guarded(
    rows: list[list], expected: list[str], *, csv_file: bool, where: str, header: bool = True
):
    """Every dangerous text is in the data rows (``rows`` after the header row), quoted with
    ``'`` and otherwise unchanged, and no cell of ``rows`` starts with a dangerous character."""
    data = rows[1:] if header else rows
    assert data, f"{where}: no data rows"
    cells = [v for row in data for v in row if isinstance(v, str)]
    if not csv_file:
        expected = [text.replace("\r", "\n") for text in expected]
    for text in expected:
        assert "'" + text in cells, f"{where}: {text!r} not found quoted in the data rows"
        assert text not in cells, f"{where}: {text!r} written as it is"
    assert unguarded(rows, csv_file=csv_file) == [], where


# --- The world -----------------------------------------------------------------------------------


@pytest.fixture
def world():
    """Per dangerous character: an OPD, a service and an officer named with it; a file of the
    service processed by the DPMPTSP and reviewed by the OPD (overdue), one processed by the
    OPD itself (decided by the officer), a complaint about it handled by the officer, three
    survey answers for the service and the OPD."""
    dpmptsp = PerangkatDaerahFactory(dpmptsp=True)
    today = timezone.localdate()
    day = today.isoformat()
    made = {}
    for i, char in enumerate(DANGEROUS):
        opd = PerangkatDaerahFactory(name=f"Dinas Uji Formula {i}", short_name=OPD[char])
        service = make_service(name=SERVICE[char], slug=f"layanan-formula-{i}")
        officer = UserFactory(
            email=f"petugas.formula{i}@contoh.test",
            full_name=OFFICER[char],
            back_office=True,
            opd=dpmptsp,
        )
        overdue = application(service, submitted=day, status=Status.VERIFIKASI)
        Permohonan.objects.filter(pk=overdue.pk).update(
            technical_opd=opd, due_date=today - dt.timedelta(days=14)
        )
        decided = application(
            service,
            submitted=day,
            registered=day,
            decided=day,
            status=Status.TERBIT,
            processing_opd=opd,
            decided_by=officer,
        )
        ticket = complaints.file_pengaduan(
            topic="layanan",
            title=f"{char}Pengaduan {i}",
            description="Uraian pengaduan.",
            permohonan_number=decided.number,
            anonymous=True,
        )
        complaints.follow_up_pengaduan(ticket.pengaduan, actor=officer)
        for _ in range(3):
            survey_answer(all_fours(), jenis_izin=service, opd=opd, submitted_on=today)
        made[char] = (opd, service, officer)
    return made


def admin_client(client):
    client.force_login(UserFactory(email="admin.formula@contoh.test", admin=True))
    return client


def download(client, slug, fmt, **params):
    today = timezone.localdate()
    query = {"tahun": today.year, "bulan": today.month, **params}
    url = reverse("akuntabilitas:laporan_download", args=[slug, fmt])
    response = client.get(url, query)
    assert response.status_code == 200, (url, query, response.status_code)
    return response.content


SERVICES = list(SERVICE.values())
OPDS = list(OPD.values())
OFFICERS = list(OFFICER.values())

#: (report, table) -> the dangerous texts its data rows carry.
CSV_TABLES = {
    ("rekap", "layanan"): SERVICES,
    ("rekap", "opd"): OPDS,
    ("beban-kerja", "beban-kerja"): OFFICERS,
    ("terlambat", "terlambat"): SERVICES + OPDS,
    ("pengaduan", "pengaduan"): SERVICES + OPDS + OFFICERS,
    ("ikm", "ikm-unit"): OPDS,
    ("ikm", "ikm-layanan"): SERVICES,
    ("ikm", "ikm-jawaban"): OPDS,
    ("standar-pelayanan", "standar-pelayanan"): SERVICES,
}


# --- Office reports ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "table"), [pytest.param(s, t, id=f"{s}/{t}") for s, t in sorted(CSV_TABLES)]
)
def test_report_csv_data_rows_are_guarded(client, world, slug, table):
    rows = csv_cells(download(admin_client(client), slug, "csv", tabel=table))
    assert_guarded(rows, CSV_TABLES[(slug, table)], csv_file=True, where=f"{slug}.csv/{table}")


@pytest.mark.parametrize(
    "slug", sorted({slug for slug, _table in CSV_TABLES}), ids=lambda slug: slug
)
def test_report_xlsx_cells_are_guarded(client, world, slug):
    sheets = xlsx_sheets(download(admin_client(client), slug, "xlsx"))
    expected = sorted({t for (s, _table), texts in CSV_TABLES.items() if s == slug for t in texts})
    assert_xlsx_guarded(sheets, expected, where=f"{slug}.xlsx")


def assert_xlsx_guarded(sheets: dict[str, list[list]], expected: list[str], *, where: str):
    """Headers and data rows of every sheet."""
    assert unguarded([row for rows in sheets.values() for row in rows], csv_file=False) == []
    data = [row for rows in sheets.values() for row in rows[1:]]
    assert_guarded(data, expected, csv_file=False, where=where, header=False)


def test_the_back_office_gets_the_same_guarded_cells(client, world):
    """The DPMPTSP's back office sees the DPMPTSP's files: services and technical OPDs."""
    client.force_login(world["="][2])
    rows = csv_cells(download(client, "terlambat", "csv"))
    assert_guarded(rows, SERVICES + OPDS, csv_file=True, where="terlambat.csv (back office)")
    sheets = xlsx_sheets(download(client, "rekap", "xlsx"))
    assert_xlsx_guarded(sheets, SERVICES, where="rekap.xlsx (back office)")


# --- Open statistics -----------------------------------------------------------------------------


def test_statistics_csv_is_guarded(client, world):
    year = timezone.localdate().year
    response = client.get(reverse("akuntabilitas:statistik_csv", args=["layanan"]), {"tahun": year})
    assert response.status_code == 200
    assert_guarded(csv_cells(response.content), SERVICES, csv_file=True, where="statistik")


# --- The authorities' export ----------------------------------------------------------------------


IMPORTED = payloads("Kewenangan")
SECTOR = {"=": "=Sektor", "+": "+Sektor", "-": "-Sektor", "@": "@Sektor"}
PERBUP = "-Perbup Barito Timur Nomor 1 Tahun 2026"


@pytest.fixture
def authorities(tmp_path):
    """Authorities with dangerous names: imported through ``import_kewenangan`` (whose cells
    are stripped, so no tab or carriage return comes in that way) and, for the tab and the
    carriage return, written by the catalogue code; OPDs with dangerous short names."""
    PerangkatDaerahFactory(dpmptsp=True)
    origin = PerangkatDaerahFactory(name="Dinas Asal Formula", short_name="@DinasAsal")
    technical = PerangkatDaerahFactory(name="Dinas Teknis Formula", short_name="-DinasTeknis")
    source = tmp_path / "lampiran.csv"
    with open(source, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i, char in enumerate(("=", "+", "-", "@")):
            writer.writerow(
                [
                    f"FRM-0{i}",
                    IMPORTED[char],
                    SECTOR[char],
                    "@DinasAsal",
                    "-DinasTeknis",
                    "ya",
                    PERBUP,
                    "2026-01-15",
                    "",
                    "ya",
                    "tidak",
                ]
            )
    call_command("import_kewenangan", str(source), stdout=io.StringIO(), stderr=io.StringIO())
    assert Kewenangan.objects.filter(code__startswith="FRM-").count() == 4
    for i, char in enumerate(("\t", "\r"), start=4):
        KewenanganFactory(
            code=f"FRM-0{i}", name=IMPORTED[char], origin_opd=origin, technical_opd=technical
        )
    return [*IMPORTED.values(), *SECTOR.values(), PERBUP, "@DinasAsal", "-DinasTeknis"]


def test_export_kewenangan_csv_is_guarded(tmp_path, authorities):
    target = tmp_path / "ekspor.csv"
    call_command("export_kewenangan", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    rows = csv_cells(target.read_bytes())
    assert rows[0] == COLUMNS
    assert_guarded(rows, authorities, csv_file=True, where="export_kewenangan .csv")


def test_export_kewenangan_to_standard_output_is_guarded(authorities):
    out = io.StringIO()
    call_command("export_kewenangan", "-", stdout=out, stderr=io.StringIO())
    rows = csv_cells(out.getvalue().encode())
    assert_guarded(rows, authorities, csv_file=True, where="export_kewenangan -")


def test_export_kewenangan_xlsx_is_guarded(tmp_path, authorities):
    target = tmp_path / "ekspor.xlsx"
    call_command("export_kewenangan", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    (rows,) = xlsx_sheets(target.read_bytes()).values()
    assert_guarded(rows, authorities, csv_file=False, where="export_kewenangan .xlsx")


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_guarded_export_still_reimports_to_the_same_names(tmp_path, authorities, suffix):
    """The quote is the file's business: importing the export gives back the names as they
    were, not with a ``'`` in front (README: the export re-imports identically)."""
    before = {
        k.code: (k.name, k.sector, k.perbup_number, k.origin_opd_id, k.technical_opd_id)
        for k in Kewenangan.objects.filter(code__startswith="FRM-0").exclude(
            code__in=["FRM-04", "FRM-05"]  # tab and CR: the import strips cells
        )
    }
    target = tmp_path / f"ekspor.{suffix}"
    call_command("export_kewenangan", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    Kewenangan.objects.filter(code__in=list(before)).update(name="diganti", sector="diganti")
    call_command("import_kewenangan", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    after = {
        k.code: (k.name, k.sector, k.perbup_number, k.origin_opd_id, k.technical_opd_id)
        for k in Kewenangan.objects.filter(code__in=list(before))
    }
    assert after == before
