import csv
import datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from kewenangan.importers import (
    COLUMNS,
    KewenanganImportError,
    export_kewenangan,
    import_kewenangan,
)
from kewenangan.models import Kewenangan, Pelimpahan

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def write_csv(path, *lines):
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


ROW_BIDAN = (
    "KES-03-BARU,Penerbitan SIP Bidan,Kesehatan,Dinkes,Dinkes,ya,"
    "Perbup Barito Timur Nomor 23 Tahun 2019,2019-08-12,2019,ya,tidak"
)
ROW_PBG = "PU-01-BARU,Persetujuan Bangunan Gedung,Bangunan Gedung,DPUPRPERKIM,,tidak,,,,ya,tidak"


def state():
    return [
        (
            k.code,
            k.name,
            k.sector,
            k.origin_opd_id,
            k.technical_opd_id,
            k.delegated,
            k.perbup_number,
            k.perbup_date,
            k.stage_year,
            k.active,
            k.is_sample,
        )
        for k in Kewenangan.objects.order_by("code")
    ]


@pytest.fixture
def opds(dpmptsp, dinkes, pupr):
    return {"dpmptsp": dpmptsp, "dinkes": dinkes, "pupr": pupr}


def test_a_valid_csv_creates_kewenangan_with_their_first_history(tmp_path, opds):
    report = import_kewenangan(write_csv(tmp_path / "lampiran.csv", ROW_BIDAN, ROW_PBG))
    assert sorted(report.created) == ["KES-03-BARU", "PU-01-BARU"]
    bidan = Kewenangan.objects.get(code="KES-03-BARU")
    assert bidan.delegated and bidan.perbup_date == datetime.date(2019, 8, 12)
    assert bidan.origin_opd == opds["dinkes"] and bidan.technical_opd == opds["dinkes"]
    assert bidan.stage_year == 2019
    pbg = Kewenangan.objects.get(code="PU-01-BARU")
    assert not pbg.delegated and pbg.technical_opd is None
    assert Pelimpahan.objects.filter(source="import").count() == 2


def test_import_upserts_by_code(tmp_path, opds):
    import_kewenangan(write_csv(tmp_path / "a.csv", ROW_BIDAN, ROW_PBG))
    renamed = ROW_PBG.replace("Persetujuan Bangunan Gedung", "PBG (nama baru)")
    report = import_kewenangan(write_csv(tmp_path / "b.csv", ROW_BIDAN, renamed))
    assert report.created == []
    assert report.updated == {"PU-01-BARU": ["name"]}
    assert report.unchanged == 1
    assert Kewenangan.objects.count() == 2
    assert Kewenangan.objects.get(code="PU-01-BARU").name == "PBG (nama baru)"


def test_a_holder_change_by_import_writes_a_history_row(tmp_path, opds):
    import_kewenangan(write_csv(tmp_path / "a.csv", ROW_PBG))
    delegated = ROW_PBG.replace(
        ",tidak,,,,ya", ",ya,Perbup Barito Timur Nomor 9 Tahun 2021,2021-04-05,2021,ya"
    )
    report = import_kewenangan(write_csv(tmp_path / "b.csv", delegated))
    assert report.reassigned == ["PU-01-BARU"]
    history = Pelimpahan.objects.filter(kewenangan__code="PU-01-BARU").first()
    assert history.source == "import"
    assert (history.from_opd, history.to_opd) == (opds["pupr"], opds["dpmptsp"])
    assert history.legal_basis == "Perbup Barito Timur Nomor 9 Tahun 2021"
    assert history.effective_date == datetime.date(2021, 4, 5)
    assert "b.csv" in history.reason


def test_one_bad_row_rolls_back_the_whole_file_and_names_file_line_and_field(tmp_path, opds):
    import_kewenangan(write_csv(tmp_path / "awal.csv", ROW_PBG))
    before = state()
    history_before = Pelimpahan.objects.count()
    bad = ROW_PBG.replace("PU-01-BARU", "PU-02-BARU").replace("DPUPRPERKIM", "Dinas Hantu")
    changed = ROW_PBG.replace("Persetujuan Bangunan Gedung", "Nama berubah")
    path = write_csv(tmp_path / "lampiran.csv", ROW_BIDAN, changed, bad)
    with pytest.raises(KewenanganImportError) as exc:
        import_kewenangan(path)
    assert exc.value.errors == [
        "lampiran.csv, baris 4, kolom opd_asal: OPD Dinas Hantu tidak dikenal"
    ]
    assert state() == before
    assert Pelimpahan.objects.count() == history_before


def test_a_delegated_row_without_perbup_is_an_error(tmp_path, opds):
    row = ROW_BIDAN.replace("Perbup Barito Timur Nomor 23 Tahun 2019,2019-08-12", ",")
    with pytest.raises(KewenanganImportError) as exc:
        import_kewenangan(write_csv(tmp_path / "x.csv", row))
    assert exc.value.errors == [
        "x.csv, baris 2, kolom nomor_perbup: wajib diisi bila dilimpahkan",
        "x.csv, baris 2, kolom tanggal_perbup: wajib diisi bila dilimpahkan",
    ]


def test_bad_values_are_reported_per_field(tmp_path, opds):
    rows = [
        "kes-1,Nama,Kesehatan,Dinkes,,tidak,,,,ya,tidak",
        "KES-2,Nama,Kesehatan,Dinkes,,mungkin,,,,ya,tidak",
        "KES-3,Nama,Kesehatan,Dinkes,,ya,Perbup 1,31-02-2026,,ya,tidak",
        "KES-4,Nama,Kesehatan,Dinkes,,tidak,,,dua ribu,ya,tidak",
        "KES-4,,Kesehatan,Dinkes,,tidak,,,,ya,tidak",
    ]
    with pytest.raises(KewenanganImportError) as exc:
        import_kewenangan(write_csv(tmp_path / "x.csv", *rows))
    located = [e.split(":")[0] for e in exc.value.errors]
    assert located == [
        "x.csv, baris 2, kolom kode",
        "x.csv, baris 3, kolom dilimpahkan",
        "x.csv, baris 4, kolom tanggal_perbup",
        "x.csv, baris 5, kolom tahap",
        "x.csv, baris 6, kolom kode",
        "x.csv, baris 6, kolom nama",
    ]
    assert not Kewenangan.objects.exists()


def test_a_missing_required_column_is_an_error(tmp_path, opds):
    path = tmp_path / "x.csv"
    path.write_text("kode,nama\nA-1,Nama\n", encoding="utf-8")
    with pytest.raises(KewenanganImportError) as exc:
        import_kewenangan(path)
    assert exc.value.errors == [
        "x.csv, baris 1: kolom wajib tidak ada: sektor, opd_asal, dilimpahkan"
    ]


def test_an_xlsx_file_is_imported_with_date_and_number_cells(tmp_path, opds):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(
        [
            "KES-03-BARU",
            "Penerbitan SIP Bidan",
            "Kesehatan",
            "Dinas Kesehatan",
            "Dinkes",
            "ya",
            "Perbup Barito Timur Nomor 23 Tahun 2019",
            datetime.datetime(2019, 8, 12),
            2019,
            True,
            "tidak",
        ]
    )
    path = tmp_path / "lampiran.xlsx"
    workbook.save(path)
    report = import_kewenangan(path)
    assert report.created == ["KES-03-BARU"]
    bidan = Kewenangan.objects.get(code="KES-03-BARU")
    assert bidan.perbup_date == datetime.date(2019, 8, 12) and bidan.stage_year == 2019
    assert bidan.origin_opd == opds["dinkes"]


def test_an_xlsx_error_names_the_sheet_line(tmp_path, opds):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append([])
    sheet.append(["X-1", "Nama", "Sektor", "Dinkes", "", "ya", "", "", "", "ya", "tidak"])
    path = tmp_path / "lampiran.xlsx"
    workbook.save(path)
    with pytest.raises(KewenanganImportError) as exc:
        import_kewenangan(path)
    assert exc.value.errors[0].startswith("lampiran.xlsx, baris 3, kolom nomor_perbup:")


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_an_export_reimports_to_an_identical_state(tmp_path, opds, suffix):
    import_kewenangan(write_csv(tmp_path / "awal.csv", ROW_BIDAN, ROW_PBG))
    before = state()
    history_before = Pelimpahan.objects.count()
    exported = tmp_path / f"ekspor.{suffix}"
    assert export_kewenangan(exported) == 2
    report = import_kewenangan(exported)
    assert not report.changed and report.unchanged == 2
    assert state() == before
    assert Pelimpahan.objects.count() == history_before
    # and onto an empty database the same file rebuilds the same rows
    Pelimpahan.objects.all().delete()
    Kewenangan.objects.all().delete()
    import_kewenangan(exported)
    assert [row[1:] for row in state()] == [row[1:] for row in before]


def test_export_writes_the_import_columns(tmp_path, opds):
    import_kewenangan(write_csv(tmp_path / "awal.csv", ROW_BIDAN))
    exported = tmp_path / "ekspor.csv"
    export_kewenangan(exported)
    with open(exported, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == COLUMNS
    assert rows[1] == ROW_BIDAN.split(",")


def test_dry_run_reports_but_changes_nothing(tmp_path, opds):
    out = _call("import_kewenangan", str(write_csv(tmp_path / "a.csv", ROW_BIDAN)), "--dry-run")
    assert "baru: KES-03-BARU" in out and "tidak disimpan" in out
    assert not Kewenangan.objects.exists()
    assert not Pelimpahan.objects.exists()


def test_the_command_fails_with_every_error_and_saves_nothing(tmp_path, opds):
    bad = ROW_PBG.replace("DPUPRPERKIM", "Dinas Hantu")
    with pytest.raises(CommandError) as exc:
        call_command("import_kewenangan", str(write_csv(tmp_path / "a.csv", ROW_BIDAN, bad)))
    assert "a.csv, baris 3, kolom opd_asal" in str(exc.value)
    assert not Kewenangan.objects.exists()


def test_the_commands_import_and_export(tmp_path, opds):
    out = _call("import_kewenangan", str(write_csv(tmp_path / "a.csv", ROW_BIDAN, ROW_PBG)))
    assert "2 baru" in out
    target = tmp_path / "ekspor.xlsx"
    call_command("export_kewenangan", str(target))
    assert target.exists()
    assert "KES-03-BARU" in _call("export_kewenangan", "-")


def _call(*args) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()
