"""Office reports: CSV and XLSX contents, who may download them, survey anonymity in every
export, the SIPPN-shaped export and the compliance page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from freezegun import freeze_time
from openpyxl import load_workbook

from akuntabilitas import reports
from akuntabilitas.models import JawabanSurvei, UndanganSurvei
from akuntabilitas.services import pengaduan as complaints
from akuntabilitas.services import survei
from kewenangan.models import Maklumat
from perizinan.workflow import Status
from tests.akuntabilitas.factories import (  # noqa: F401
    application,
    complaint,
    dpmptsp_opd,
    officer,
    survey_answer,
)
from tests.factories import LangkahProsedurFactory, PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import make_service

pytestmark = pytest.mark.django_db

NOW = "2026-06-15 12:00:00+07:00"


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response) -> dict[str, list[list]]:
    workbook = load_workbook(io.BytesIO(response.content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


@pytest.fixture
def office(client):
    client.force_login(officer("back_office"))
    return client


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("front_office", True),
        ("back_office", True),
        ("kepala", True),
        ("admin", True),
        ("tim_teknis", False),
        ("pemohon", False),
    ],
)
def test_office_reports_are_for_dpmptsp_officers_and_admins(client, role, allowed):
    client.force_login(UserFactory() if role == "pemohon" else officer(role))
    for url in (
        reverse("akuntabilitas:laporan"),
        reverse("akuntabilitas:laporan_report", args=["rekap"]),
        reverse("akuntabilitas:laporan_download", args=["ikm", "csv"]),
        reverse("akuntabilitas:laporan_download", args=["pengaduan", "xlsx"]),
    ):
        assert client.get(url).status_code == (200 if allowed else 403), url


def test_reports_need_a_login(client):
    response = client.get(reverse("akuntabilitas:laporan_download", args=["rekap", "csv"]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("kepala", True), ("back_office", False), ("front_office", False)],
)
def test_compliance_page_is_for_admins_and_the_head(client, role, allowed):
    client.force_login(officer(role))
    assert client.get("/laporan/kepatuhan/").status_code == (200 if allowed else 403)


# --- Contents -------------------------------------------------------------------------------------


def test_monthly_recap_per_service_in_csv_and_xlsx(office):
    with freeze_time(NOW):
        service = make_service(name="Izin Apotek", slug="izin-apotek")
        application(
            service,
            submitted="2026-03-02",
            registered="2026-03-03",
            decided="2026-03-05",
            status=Status.TERBIT,
        )
        application(
            service,
            submitted="2026-03-09",
            registered="2026-03-10",
            decided="2026-03-31",
            status=Status.DITOLAK,
        )
        application(service, submitted="2026-03-16", status=Status.DIAJUKAN)
        application(service, submitted="2026-04-01", status=Status.DIAJUKAN)
        url = reverse("akuntabilitas:laporan_download", args=["rekap", "csv"])
        rows = _csv(office.get(url + "?tahun=2026&bulan=3&tabel=layanan"))
        book = _xlsx(
            office.get(
                reverse("akuntabilitas:laporan_download", args=["rekap", "xlsx"])
                + "?tahun=2026&bulan=3"
            )
        )
    assert rows[0][:5] == ["Nama", "Diterima", "Terbit", "Ditolak", "Dalam proses (akhir periode)"]
    # Mar: 3 received, 1 issued (2 WD), 1 rejected (Mar 10 -> 31: 11,12,13,16,17,25..31 = 10 WD,
    # over 5: late), 1 in progress at the end of March.
    assert rows[1] == ["Izin Apotek", "3", "1", "1", "1", "2", "1", "50.0", "6.0"]
    assert set(book) == {"Rekap per layanan", "Rekap per OPD"}
    assert book["Rekap per layanan"][1][:5] == ["Izin Apotek", 3, 1, 1, 1]
    assert book["Rekap per OPD"][1][0] == "DPMPTSP"


def test_workload_per_officer_counts_their_recorded_actions(office):
    with freeze_time(NOW):
        service = make_service()
        kepala = officer("kepala", full_name="Kepala Dinas")
        application(
            service,
            submitted="2026-06-01",
            registered="2026-06-02",
            decided="2026-06-05",
            status=Status.TERBIT,
            decided_by=kepala,
        )
        application(
            service,
            submitted="2026-06-01",
            registered="2026-06-02",
            decided="2026-06-08",
            status=Status.DITOLAK,
            decided_by=kepala,
        )
        rows = _csv(
            office.get(
                reverse("akuntabilitas:laporan_download", args=["beban-kerja", "csv"])
                + "?tahun=2026&bulan=6"
            )
        )
    assert rows[0][:3] == ["Petugas", "Peran", "Jumlah tindakan"]
    assert rows[1][0] == "Kepala Dinas"
    assert rows[1][2] == "2"
    # The actions' columns are named in words, never by the workflow's codes (issue 13, 13).
    moves = rows[0][4:]
    assert moves and all("_" not in header for header in moves)
    assert not {"issue", "reject", "confirm_payment"} & set(moves)


def test_overdue_list_shows_open_files_past_their_due_date(office):
    with freeze_time(NOW):
        service = make_service()
        late = application(
            service, submitted="2026-05-04", registered="2026-05-05", status=Status.KAJIAN_TEKNIS
        )
        late.due_date = dt.date(2026, 6, 10)
        late.save()
        fine = application(
            service, submitted="2026-06-10", registered="2026-06-11", status=Status.KAJIAN_TEKNIS
        )
        fine.due_date = dt.date(2026, 6, 18)
        fine.save()
        rows = _csv(
            office.get(reverse("akuntabilitas:laporan_download", args=["terlambat", "csv"]))
        )
    numbers = [r[0] for r in rows[1:]]
    assert numbers == [late.number]
    assert rows[1][-1] == "3"  # 11, 12 and 15 June


def test_complaint_report_lists_times_but_no_complainant(office):
    with freeze_time("2026-03-02 10:00:00+07:00"):
        obj = complaint(anonymous=False, name="Budi Pelapor", email="budi@contoh.test").pengaduan
    with freeze_time("2026-03-05 10:00:00+07:00"):
        complaints.answer_pengaduan(obj, actor=officer("front_office"), answer="Sudah")
    rows = _csv(
        office.get(
            reverse("akuntabilitas:laporan_download", args=["pengaduan", "csv"]) + "?tahun=2026"
        )
    )
    assert rows[1][0] == obj.number
    assert rows[1][8] == "3"  # working days to the answer
    assert rows[1][9] == "ya"
    text = "\n".join(",".join(r) for r in rows)
    assert "Budi Pelapor" not in text and "budi@contoh.test" not in text


def test_ikm_report_has_index_per_period_unit_and_service(office):
    dpmptsp = dpmptsp_opd()
    service = make_service(name="Izin Apotek", slug="izin-apotek")
    for _ in range(3):
        survey_answer([4] * 9, jenis_izin=service, opd=dpmptsp, submitted_on=dt.date(2026, 2, 1))
    book = _xlsx(
        office.get(reverse("akuntabilitas:laporan_download", args=["ikm", "xlsx"]) + "?tahun=2026")
    )
    assert book["IKM per periode"][1][:2] == ["2026", 3]
    assert book["IKM per periode"][1][-4:] == [4.0, 100.0, "A", "Sangat Baik"]
    assert book["IKM per unit pelayanan"][1][0] == "DPMPTSP"
    assert book["IKM per layanan"][1][0] == "Izin Apotek"
    assert len(book["Jawaban responden (anonim)"]) == 4


def test_sippn_export_lists_each_published_standard_with_its_components(office):
    service = make_service(name="Izin Apotek", slug="izin-apotek")
    LangkahProsedurFactory(jenis_izin=service, title="Verifikasi berkas", working_days=1, order=1)
    rows = _csv(
        office.get(reverse("akuntabilitas:laporan_download", args=["standar-pelayanan", "csv"]))
    )
    header, row = rows[0], rows[1]
    assert header[1:11] == [
        "Nama layanan",
        "Jenis",
        "Penyelenggara",
        "Dasar hukum",
        "Persyaratan",
        "Sistem, mekanisme dan prosedur",
        "Jangka waktu penyelesaian",
        "Biaya/tarif",
        "Produk pelayanan",
        "Penanganan pengaduan, saran dan masukan",
    ]
    assert row[1] == "Izin Apotek"
    assert row[5] == "Dokumen wajib 1; Dokumen wajib 2"
    assert row[6] == "1. Verifikasi berkas (1 HK)"
    assert row[7] == "5 hari kerja"
    assert row[8] == "Gratis (Rp0)"
    assert "SP4N-LAPOR!" in row[10]


def test_text_that_a_spreadsheet_would_run_is_quoted():
    assert reports.safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert reports.safe_cell("+62 812") == "'+62 812"
    assert reports.safe_cell(-3) == -3


# --- The formula guard of CSV and XLSX files ------------------------------------------------------

FORMULAS = ["=1+1", "+62 812", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "-5", "-"]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_starting_with_a_formula_character_is_quoted(text):
    assert reports.safe_cell(text) == "'" + text


def test_numbers_and_dates_stay_typed_and_other_text_is_left_alone():
    assert reports.safe_cell(-3) == -3
    assert reports.safe_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert reports.safe_cell(-0.25) == -0.25
    assert reports.safe_cell(dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)
    assert reports.safe_cell("Izin Apotek") == "Izin Apotek"
    assert reports.safe_cell(" =1") == " =1"  # a spreadsheet does not run a leading space
    assert reports.safe_cell(None) == ""
    assert reports.safe_cell(True) == "ya"


def test_lazy_translations_and_other_objects_are_guarded_as_their_text():
    assert reports.safe_cell(gettext_lazy("=1+1")) == "'=1+1"
    assert reports.safe_cell(_Text("@cmd")) == "'@cmd"


class _Text:
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


def _hostile_table() -> reports.Table:
    return reports.Table(
        "uji",
        "Uji",
        ["=HEADER()", "Nama", "Jumlah", "Tanggal"],
        [
            ["@SUM(A1)", "-5", -5, dt.date(2026, 3, 2)],
            ["\t=1+1", gettext_lazy("+cmd"), Decimal("-1.5"), None],
            ["\r=1+1", "Izin Apotek", 0, True],
        ],
    )


def test_csv_quotes_formulas_in_headers_and_rows_and_keeps_numbers():
    rows = list(csv.reader(io.StringIO(reports.to_csv(_hostile_table()).decode("utf-8-sig"))))
    assert rows[0] == ["'=HEADER()", "Nama", "Jumlah", "Tanggal"]
    assert rows[1] == ["'@SUM(A1)", "'-5", "-5", "2026-03-02"]
    assert rows[2] == ["'\t=1+1", "'+cmd", "-1.5", ""]
    assert rows[3] == ["'\r=1+1", "Izin Apotek", "0", "ya"]


def test_xlsx_writes_formulas_as_quoted_text_and_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(reports.to_xlsx([_hostile_table()])))["Uji"]
    assert [c.value for c in sheet[1]] == ["'=HEADER()", "Nama", "Jumlah", "Tanggal"]
    assert [c.value for c in sheet[2]][:3] == ["'@SUM(A1)", "'-5", -5]
    assert [c.value for c in sheet[3]][:3] == ["'\t=1+1", "'+cmd", -1.5]
    assert sheet["A4"].value.startswith("'")  # XML reads the carriage return back as \n
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet["C2"].data_type == "n" and sheet["D2"].is_date


def test_a_service_name_reaches_both_downloads_quoted(office):
    with freeze_time(NOW):
        service = make_service(name="=1+1", slug="formula")
        application(service, submitted="2026-06-01", status=Status.DIAJUKAN)
        url = reverse("akuntabilitas:laporan_download", args=["rekap", "csv"])
        rows = _csv(office.get(url + "?tahun=2026&bulan=6"))
        book = _xlsx(
            office.get(
                reverse("akuntabilitas:laporan_download", args=["rekap", "xlsx"])
                + "?tahun=2026&bulan=6"
            )
        )
    assert rows[1][0] == "'=1+1"
    assert book["Rekap per layanan"][1][0] == "'=1+1"


# --- One office rule: an officer without an OPD works for the DPMPTSP ----------------------------


#: The DPMPTSP's own officer and an officer without an OPD get the same answer; another OPD's not.
OFFICES = [("dpmptsp", True), ("none", True), ("dinkes", False)]


def _officer_of(office_kind: str, role: str):
    if office_kind == "dpmptsp":
        return UserFactory(role=role, opd=dpmptsp_opd())
    if office_kind == "none":
        return UserFactory(role=role, opd=None)
    return UserFactory(role=role, opd=PerangkatDaerahFactory(dinkes=True))


@pytest.mark.parametrize(("office_kind", "allowed"), OFFICES)
@pytest.mark.parametrize("role", ["front_office", "back_office", "kepala"])
def test_reports_are_read_by_the_dpmptsp_and_by_officers_without_an_opd(
    client, role, office_kind, allowed
):
    user = _officer_of(office_kind, role)
    assert reports.can_view_reports(user) is allowed
    client.force_login(user)
    for url in (
        reverse("akuntabilitas:laporan"),
        reverse("akuntabilitas:laporan_report", args=["rekap"]),
        reverse("akuntabilitas:laporan_download", args=["rekap", "csv"]),
    ):
        assert client.get(url).status_code == (200 if allowed else 403), url


@pytest.mark.parametrize(("office_kind", "allowed"), OFFICES)
def test_compliance_is_read_by_the_dpmptsp_head_and_by_a_head_without_an_opd(
    client, office_kind, allowed
):
    user = _officer_of(office_kind, "kepala")
    assert reports.can_view_compliance(user) is allowed
    client.force_login(user)
    assert client.get("/laporan/kepatuhan/").status_code == (200 if allowed else 403)


def test_report_pages_show_the_same_tables(office):
    response = office.get(reverse("akuntabilitas:laporan_report", args=["standar-pelayanan"]))
    assert response.status_code == 200
    assert b"Standar pelayanan (SIPPN)" in response.content


def test_unknown_report_or_format_is_404(office):
    assert office.get("/laporan/rahasia/").status_code == 404
    assert office.get("/laporan/rekap.pdf").status_code == 404


# --- Anonymity of survey answers in every export -------------------------------------------------


def _every_export(client) -> list[str]:
    texts = []
    for report in reports.REPORTS:
        for fmt in ("csv", "xlsx"):
            response = client.get(
                reverse("akuntabilitas:laporan_download", args=[report.slug, fmt]) + "?tahun=2026"
            )
            assert response.status_code == 200
            if fmt == "csv":
                texts.append(response.content.decode("utf-8-sig"))
            else:
                for rows in _xlsx(response).values():
                    texts.append(
                        "\n".join(",".join(str(c) for c in r if c is not None) for r in rows)
                    )
    for dataset in ("bulanan", "layanan", "ikm", "ikm-periode", "pengaduan", "kewenangan"):
        texts.append(client.get(f"/statistik/{dataset}.csv?tahun=2026").content.decode("utf-8-sig"))
    return texts


def test_no_export_ties_a_survey_answer_to_a_person_or_an_application(client):
    with freeze_time("2026-05-20 10:00:00+07:00"):
        dpmptsp_opd()
        service = make_service(name="Izin Apotek", slug="izin-apotek")
        applicant = UserFactory(full_name="Siti Responden", email="siti.responden@contoh.test")
        permohonan = application(
            service,
            submitted="2026-05-04",
            registered="2026-05-05",
            decided="2026-05-20",
            status=Status.TERBIT,
            applicant=applicant,
        )
        invitation = survei.invite_to_survey(permohonan)
        survei.submit_survey(
            answers=dict.fromkeys(
                [
                    "persyaratan",
                    "prosedur",
                    "waktu",
                    "biaya",
                    "produk",
                    "kompetensi",
                    "perilaku",
                    "pengaduan",
                    "sarana",
                ],
                4,
            ),
            profile={"age_band": "35_44", "sex": "P", "education": "s1", "occupation": "nakes"},
            comment="Saya Siti, nomor saya sudah terbit",
            token=invitation.token,
        )
    answer = JawabanSurvei.objects.get()
    client.force_login(officer("admin"))
    secrets_ = [
        permohonan.number,
        str(permohonan.public_id),
        "Siti Responden",
        "siti.responden@contoh.test",
        invitation.token,
        str(answer.pk),
        "2026-05-20",  # the exact day of the answer: exports give the month only
        "Saya Siti",  # free-text comments are never exported
    ]
    for text in _every_export(client):
        for secret in secrets_:
            assert secret not in text, secret
    assert UndanganSurvei.objects.get().used is True


def test_anonymous_answer_rows_carry_only_month_unit_channel_profile_and_answers(office):
    survey_answer([4] * 9, submitted_on=dt.date(2026, 2, 14))
    rows = _csv(
        office.get(
            reverse("akuntabilitas:laporan_download", args=["ikm", "csv"])
            + "?tahun=2026&tabel=ikm-jawaban"
        )
    )
    assert rows[0] == [
        "Bulan",
        "Unit",
        "Saluran",
        "Usia",
        "Jenis kelamin",
        "Pendidikan",
        "Pekerjaan",
        "persyaratan",
        "prosedur",
        "waktu",
        "biaya",
        "produk",
        "kompetensi",
        "perilaku",
        "pengaduan",
        "sarana",
    ]
    assert rows[1][0] == "2026-02"


# --- Compliance -----------------------------------------------------------------------------------


def test_compliance_is_red_where_evidence_is_missing(client):
    Maklumat.objects.all().delete()  # a data migration seeds one; this test needs none
    client.force_login(officer("admin"))
    items = {i.title: i for i in reports.compliance_items()}
    assert items["Maklumat pelayanan dipublikasikan"].status == reports.MISSING
    assert items["Standar pelayanan dipublikasikan"].status == reports.MISSING
    body = client.get("/laporan/kepatuhan/").content.decode()
    assert "compliance-missing" in body


def test_compliance_turns_green_with_evidence():
    dpmptsp_opd()
    make_service()
    Maklumat.objects.create(body="Kami berjanji.", effective_date=dt.date(2026, 1, 2))
    today = dt.date.today()
    for _ in range(3):
        survey_answer([4] * 9, submitted_on=today)
    items = {i.title: i for i in reports.compliance_items(today=today)}
    assert items["Maklumat pelayanan dipublikasikan"].status == reports.OK
    assert items["Standar pelayanan dipublikasikan"].status == reports.OK
    title = f"Survei kepuasan masyarakat {today.year} dipublikasikan"
    assert items[title].status == reports.OK
    assert "3 responden" in items[title].evidence


def test_compliance_counts_decisions_traceable_to_an_officer():
    with freeze_time(NOW):
        service = make_service()
        kepala = officer("kepala")
        application(
            service,
            submitted="2026-06-01",
            registered="2026-06-02",
            decided="2026-06-05",
            status=Status.TERBIT,
            decided_by=kepala,
        )
        application(
            service,
            submitted="2026-06-01",
            registered="2026-06-02",
            decided="2026-06-05",
            status=Status.TERBIT,
        )  # no actor recorded
        items = {i.title: i for i in reports.compliance_items()}
    item = items["Setiap keputusan dapat ditelusuri ke petugas"]
    assert item.status == reports.PARTIAL
    assert item.evidence.startswith("1 dari 2")
