"""The benchmark's bulk seeder (bench/seed.py) at a small scale, on the real PostgreSQL: what it
writes is what the application itself would have written."""

from __future__ import annotations

from collections import defaultdict

import pytest

from accounts.models import User
from bench import seed as bench_seed
from perizinan import selectors
from perizinan.models import Permohonan, RiwayatStatus
from perizinan.services.permohonan import APPLICATION_COUNTER, application_number, next_number
from perizinan.workflow import TRANSITIONS, Status
from tests.factories import JenisIzinFactory, KewenanganFactory, UserFactory

pytestmark = pytest.mark.django_db

ROWS = 400


@pytest.fixture
def catalogue(dpmptsp, dinkes, pupr):
    """Three open services: delegated with a technical review and a fee, delegated without
    a technical review, and one still held by its origin OPD; one closed service."""
    delegated = KewenanganFactory(delegated_to_dpmptsp=True, origin_opd=dinkes)
    JenisIzinFactory(
        slug="sip-bidan", kewenangan=delegated, is_published=True, fee_kind="tetap", fee_amount=1
    )
    JenisIzinFactory(kewenangan=delegated, is_published=True, needs_technical_review=False)
    JenisIzinFactory(kewenangan=KewenanganFactory(origin_opd=pupr), is_published=True)
    JenisIzinFactory(kewenangan=delegated, is_published=False, slug="tutup")
    UserFactory(email="fo@contoh.id", front_office=True, opd=dpmptsp)
    UserFactory(email="bo@contoh.id", back_office=True, opd=dpmptsp)
    UserFactory(email="kepala@contoh.id", kepala=True, opd=dpmptsp)
    UserFactory(tim_teknis=True, opd=dinkes)
    UserFactory(email=bench_seed.CITIZEN_EMAIL)


@pytest.fixture
def seeded(catalogue):
    return bench_seed.seed(ROWS, citizen_rows=25, batch=97)


def test_seed_writes_the_rows_it_reports(seeded):
    assert seeded.applications == ROWS == Permohonan.objects.count()
    assert seeded.history == RiwayatStatus.objects.count() > ROWS
    assert seeded.applicants == ROWS // 5
    assert User.objects.filter(email__endswith="@pemohon.bench").count() == ROWS // 5
    assert sum(seeded.by_status.values()) == ROWS


def test_seed_spreads_applications_over_drafts_running_and_decided_states(seeded):
    states = set(Permohonan.objects.values_list("status", flat=True))
    assert {Status.DRAFT, Status.DIAJUKAN, Status.TERDAFTAR, Status.KAJIAN_TEKNIS} <= states
    assert {Status.TERBIT, Status.DITOLAK, Status.DIBATALKAN, Status.GUGUR} <= states


def test_seeded_history_uses_only_moves_of_the_workflow_table(seeded):
    allowed = {(t.name, s, t.target) for t in TRANSITIONS for s in t.sources}
    moves = set(RiwayatStatus.objects.values_list("transition", "from_status", "to_status"))
    assert moves <= allowed


def test_seeded_history_leads_to_the_application_status(seeded):
    history = defaultdict(list)
    for row in RiwayatStatus.objects.order_by("created_at", "id").values(
        "permohonan_id", "from_status", "to_status"
    ):
        history[row["permohonan_id"]].append(row)
    for p in Permohonan.objects.only("id", "status", "state_version"):
        moves = history.get(p.pk, [])
        if p.status == Status.DRAFT:
            assert moves == []
            continue
        assert moves[0]["from_status"] == Status.DRAFT
        assert moves[-1]["to_status"] == p.status
        assert all(
            a["to_status"] == b["from_status"] for a, b in zip(moves, moves[1:], strict=False)
        )
        assert p.state_version == len(moves)


def test_seeded_routing_follows_the_authority(seeded, dpmptsp, pupr):
    submitted = Permohonan.objects.submitted().select_related("jenis_izin__kewenangan")
    for p in submitted:
        kewenangan = p.jenis_izin.kewenangan
        assert p.processing_opd_id == (dpmptsp.pk if kewenangan.delegated else pupr.pk)
        expected_technical = (
            kewenangan.technical_opd_id if p.jenis_izin.needs_technical_review else None
        )
        assert p.technical_opd_id == expected_technical
        assert p.jenis_izin.slug != "tutup"


def test_seeded_numbers_leave_the_counter_after_the_last_one(seeded):
    numbers = set(Permohonan.objects.exclude(number=None).values_list("number", flat=True))
    year = max(int(n.split("-")[1]) for n in numbers)
    assert application_number(year, next_number(APPLICATION_COUNTER, year)) not in numbers


def test_the_benchmark_citizen_and_officer_see_seeded_files(seeded):
    citizen = User.objects.get(email=bench_seed.CITIZEN_EMAIL)
    officer = User.objects.get(email="bo@contoh.id")
    assert Permohonan.objects.visible_to(citizen).count() == seeded.citizen_applications == 25
    assert selectors.officer_queue(officer).exists()


def test_seed_refuses_an_empty_catalogue(dpmptsp):
    with pytest.raises(RuntimeError, match="seed_demo"):
        bench_seed.seed(10)


# --- The trivial view of the benchmark (/__baseline) ---------------------------------------------


def test_trivial_view_answers_ok_through_the_middleware_without_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/__baseline")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_trivial_view_changes_nothing_so_it_refuses_post(client):
    assert client.post("/__baseline").status_code == 405
