"""Open statistics (/statistik/) against a hand-counted fixture, its CSV downloads, the cache
and a query count that does not grow with the number of applications.

The fixture (today = Monday 15 June 2026; holidays from holidays_ID_2024_2027.txt):

====  =======  ==========  ==========  ==========  ======================  ==============
file  service  submitted   registered  decided     outcome                 working days
====  =======  ==========  ==========  ==========  ======================  ==============
A1    A (5)    2026-01-05  2026-01-06  2026-01-08  issued                  2 (7, 8 Jan)
A2    A (5)    2026-01-12  2026-01-13  2026-01-22  issued, late            6 (16 Jan off)
A3    A (5)    2026-03-16  2026-03-17  2026-03-31  rejected                5 (vector)
A4    A (5)    2026-03-02  2026-03-03  2026-03-13  issued; fix 4->10 Mar   8 - 4 = 4
A5    A (5)    2026-05-11  2026-05-12  -           in technical review     -
A6    A (5)    2026-06-02  -           2026-06-03  withdrawn               -
B0    B (3)    2025-12-29  2026-01-05  2026-01-07  issued                  2
B1    B (3)    2026-02-02  2026-02-03  2026-02-05  issued                  2
B2    B (3)    2026-02-09  2026-02-10  2026-02-19  issued, late            5 (16, 17 Feb off)
B3    B (3)    2026-06-08  -           -           submitted               -
OLD   B (3)    2025-06-02  2025-06-03  2025-06-10  issued in 2025          not counted
====  =======  ==========  ==========  ==========  ======================  ==============

Plus a draft (never counted).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.cache import cache, caches
from freezegun import freeze_time

from akuntabilitas import statistik
from akuntabilitas.services import pengaduan as complaints
from perizinan.models import Permohonan
from perizinan.workflow import Status
from tests.akuntabilitas.factories import (  # noqa: F401
    application,
    complaint,
    dpmptsp_opd,
    officer,
    survey_answer,
)
from tests.factories import KewenanganFactory, UserFactory
from tests.perizinan.factories import make_service

pytestmark = pytest.mark.django_db

TODAY = "2026-06-15 12:00:00+07:00"
SECOND_CASE = [
    [3, 3, 2, 4, 3, 3, 4, 3, 3],
    [4, 3, 3, 4, 3, 4, 4, 2, 3],
    [3, 2, 3, 4, 3, 3, 3, 3, 2],
]


@pytest.fixture
def fixture():
    with freeze_time(TODAY):
        dpmptsp_opd()
        a = make_service(name="Izin Apotek", slug="izin-apotek", sla_working_days=5)
        b = make_service(name="Izin Reklame", slug="izin-reklame", sla_working_days=3)
        KewenanganFactory()  # one authority not (yet) delegated
        T, R = Status.TERBIT, Status.DITOLAK
        application(
            a,
            submitted="2026-01-05",
            registered="2026-01-06",
            decided="2026-01-08",
            status=T,
            sla=5,
        )
        application(
            a,
            submitted="2026-01-12",
            registered="2026-01-13",
            decided="2026-01-22",
            status=T,
            sla=5,
        )
        application(
            a,
            submitted="2026-03-16",
            registered="2026-03-17",
            decided="2026-03-31",
            status=R,
            sla=5,
        )
        application(
            a,
            submitted="2026-03-02",
            registered="2026-03-03",
            decided="2026-03-13",
            status=T,
            sla=5,
            technical_fix=("2026-03-04", "2026-03-10"),
        )
        application(
            a, submitted="2026-05-11", registered="2026-05-12", status=Status.KAJIAN_TEKNIS, sla=5
        )
        application(a, submitted="2026-06-02", decided="2026-06-03", status=Status.DIBATALKAN)
        application(
            b,
            submitted="2025-12-29",
            registered="2026-01-05",
            decided="2026-01-07",
            status=T,
            sla=3,
        )
        application(
            b,
            submitted="2026-02-02",
            registered="2026-02-03",
            decided="2026-02-05",
            status=T,
            sla=3,
        )
        application(
            b,
            submitted="2026-02-09",
            registered="2026-02-10",
            decided="2026-02-19",
            status=T,
            sla=3,
        )
        application(b, submitted="2026-06-08", status=Status.DIAJUKAN, sla=3)
        application(
            b,
            submitted="2025-06-02",
            registered="2025-06-03",
            decided="2025-06-10",
            status=T,
            sla=3,
        )
        Permohonan.objects.create(
            applicant=UserFactory(email="pemohon.statistik@contoh.test"), jenis_izin=a
        )  # a draft

        import datetime as dt

        for row in SECOND_CASE:
            survey_answer(row, jenis_izin=a, submitted_on=dt.date(2026, 2, 10))
        survey_answer([1] * 9, submitted_on=dt.date(2025, 11, 3))  # last year: not counted

    fo = officer("front_office")
    with freeze_time("2026-03-02 10:00:00+07:00"):
        c1 = complaint().pengaduan
    with freeze_time("2026-03-05 10:00:00+07:00"):
        complaints.answer_pengaduan(c1, actor=fo, answer="Sudah.")
    with freeze_time("2026-03-17 10:00:00+07:00"):
        c2 = complaint().pengaduan
    with freeze_time("2026-04-01 10:00:00+07:00"):
        complaints.answer_pengaduan(c2, actor=fo, answer="Maaf terlambat.")
    with freeze_time("2026-05-04 10:00:00+07:00"):
        complaint()  # open, overdue by 15 June
    with freeze_time("2026-06-10 10:00:00+07:00"):
        complaint()  # open, within its time
    return a, b


def _stats():
    with freeze_time(TODAY):
        return statistik.compute_statistik(2026)


def test_months_received_issued_rejected_and_in_progress_match_the_hand_count(fixture):
    rows = [
        (m.month.month, m.received, m.issued, m.rejected, m.in_progress) for m in _stats().months
    ]
    assert rows == [
        (1, 2, 3, 0, 0),
        (2, 2, 2, 0, 0),
        (3, 2, 1, 1, 0),
        (4, 0, 0, 0, 0),
        (5, 1, 0, 0, 1),
        (6, 2, 0, 0, 2),
    ]


def test_totals_of_the_year(fixture):
    assert _stats().totals == {"received": 9, "issued": 6, "rejected": 1, "in_progress": 2}


def test_median_processing_time_in_working_days_without_the_applicants_fix(fixture):
    stats = _stats()
    # 2, 2, 2, 4, 5, 5, 6
    assert stats.decided == 7
    assert stats.median_days == Decimal("4.0")


def test_share_finished_within_the_service_time(fixture):
    stats = _stats()
    assert stats.within_time == 5
    assert stats.within_time_share == Decimal("71.4")


def test_per_service_rows(fixture):
    rows = {
        s.name: (
            s.received,
            s.issued,
            s.rejected,
            s.in_progress,
            s.median_days,
            s.within_time_share,
        )
        for s in _stats().services
    }
    assert rows == {
        "Izin Apotek": (6, 3, 1, 1, Decimal("4.5"), Decimal("75.0")),
        "Izin Reklame": (3, 3, 0, 1, Decimal("2.0"), Decimal("66.7")),
    }


def test_current_ikm_grade_and_respondents(fixture):
    stats = _stats()
    assert stats.ikm.respondents == 3
    assert stats.ikm.converted == Decimal("77.78")
    assert stats.ikm.grade == "B"
    assert [(g.label, g.result.respondents) for g in stats.ikm_semesters] == [("Semester I", 3)]


def test_complaints_received_and_answered_on_time(fixture):
    c = _stats().complaints
    assert (c.received, c.answered, c.answered_on_time, c.open, c.overdue) == (4, 2, 1, 2, 1)
    assert c.on_time_share == Decimal("50.0")
    assert c.median_response_days == Decimal("4.5")  # 3 and 6 working days


def test_delegated_authorities_out_of_the_total(fixture):
    delegation = _stats().delegation
    assert (delegation.delegated, delegation.total) == (2, 3)


def test_statistics_page_is_public_and_shows_the_figures(client, fixture):
    with freeze_time(TODAY):
        response = client.get("/statistik/?tahun=2026")
    body = response.content.decode()
    assert response.status_code == 200
    assert "77,78" in body or "77.78" in body
    assert 'role="img"' in body and "<title" in body and "<desc" in body
    assert "Izin Apotek" in body


def test_each_chart_has_a_csv_of_its_data(client, fixture):
    with freeze_time(TODAY):
        monthly = client.get("/statistik/bulanan.csv?tahun=2026")
        per_service = client.get("/statistik/layanan.csv?tahun=2026")
        index = client.get("/statistik/ikm.csv?tahun=2026")
    rows = list(csv.reader(io.StringIO(monthly.content.decode("utf-8-sig"))))
    assert rows[0] == ["Bulan", "Diterima", "Terbit", "Ditolak", "Dalam proses"]
    assert rows[1] == ["2026-01", "2", "3", "0", "0"]
    assert rows[-1] == ["2026-06", "2", "0", "0", "2"]
    service_rows = list(csv.reader(io.StringIO(per_service.content.decode("utf-8-sig"))))
    assert ["Izin Apotek", "6", "3", "1", "1", "4.5", "75.0"] in service_rows
    ikm_rows = list(csv.reader(io.StringIO(index.content.decode("utf-8-sig"))))
    assert ikm_rows[-1] == ["IKM", "", "3", "3.1111", "77.78"]


def test_unknown_dataset_is_404(client):
    assert client.get("/statistik/rahasia.csv").status_code == 404


def test_statistics_are_cached_so_a_burst_does_not_reach_the_database(
    client, fixture, django_assert_max_num_queries
):
    with freeze_time(TODAY):
        client.get("/statistik/?tahun=2026")
        with django_assert_max_num_queries(0):
            client.get("/statistik/?tahun=2026")


def test_the_rendered_page_is_cached_per_language_and_renewed_with_the_statistics(
    client, fixture, monkeypatch
):
    """The content is rendered once per year, language and statistics generation: a second
    visitor gets the stored HTML (no chart is built again), English visitors get their own,
    and new data (``statistik.invalidate``) renders it again."""
    from akuntabilitas.views import statistik as views

    renders = []
    original = views._statistik_body
    monkeypatch.setattr(
        views, "_statistik_body", lambda stats, year: renders.append(year) or original(stats, year)
    )
    with freeze_time(TODAY):
        first = _main(client.get("/statistik/?tahun=2026"))
        assert _main(client.get("/statistik/?tahun=2026")) == first
        assert renders == [2026]
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        english = client.get("/statistik/?tahun=2026").content.decode()
        assert renders == [2026, 2026] and "Service statistics" in english
        statistik.invalidate()
        client.get("/statistik/?tahun=2026")
        assert renders == [2026, 2026, 2026]


def test_the_cached_page_expires_with_the_statistics_it_shows(client, fixture, settings):
    """Stored for what is left of the statistics' own cache time, never longer."""
    settings.STATISTICS_CACHE_SECONDS = 600
    with freeze_time("2026-06-15 12:00:00+07:00"):
        statistik.get_statistik(2026)  # the statistics are computed at 12:00
    with freeze_time("2026-06-15 12:09:00+07:00"):
        client.get("/statistik/?tahun=2026")  # the page, rendered at 12:09 from them
    redis = caches["default"]._cache.get_client()
    [key] = redis.scan_iter(caches["default"].make_key("statistik-html:*"))
    assert 0 < redis.ttl(key) <= 60


def _main(response) -> str:
    """The page's content (the header around it carries a fresh CSRF token each time)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _query_count(client, django_assert_max_num_queries) -> int:
    cache.clear()
    with django_assert_max_num_queries(40) as captured:
        assert client.get("/statistik/").status_code == 200
    return len(captured.captured_queries)


def test_statistics_query_count_does_not_grow_with_applications(
    client, django_assert_max_num_queries
):
    dpmptsp_opd()
    service = make_service()
    applicant = UserFactory()
    for _ in range(3):
        application(
            service,
            submitted="2026-01-05",
            registered="2026-01-06",
            decided="2026-01-08",
            status=Status.TERBIT,
            applicant=applicant,
        )
        survey_answer([4] * 9, jenis_izin=service)
        complaint()
    few = _query_count(client, django_assert_max_num_queries)
    other = make_service()
    for i in range(40):
        application(
            other if i % 2 else service,
            submitted="2026-02-02",
            registered="2026-02-03",
            decided="2026-02-05",
            status=Status.TERBIT,
            applicant=applicant,
            technical_fix=("2026-02-03", "2026-02-04"),
        )
        survey_answer([3] * 9, jenis_izin=other)
        complaint()
    many = _query_count(client, django_assert_max_num_queries)
    assert many == few


def test_small_groups_are_counted_but_not_shown_separately(client, fixture, settings):
    settings.SURVEY_MIN_GROUP_SIZE = 4
    stats = _stats()
    (group,) = [g for g in stats.ikm_services if g.label == "Izin Apotek"]
    assert group.result.respondents == 3
    assert group.shown is False
    assert stats.ikm.respondents == 3  # still in the overall index
