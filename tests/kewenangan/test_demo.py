"""The demo catalogue (``kewenangan.demo.seed``): seeded once for this module, inside a
transaction that is rolled back at the end."""

import time

import pytest
from django.db import transaction
from django.urls import reverse

from kewenangan import demo
from kewenangan.models import (
    JenisIzin,
    Kewenangan,
    Pelimpahan,
    PerangkatDaerah,
    VersiStandar,
)
from kewenangan.services import check_publishable
from tests.kewenangan.test_pages import headings_missing

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        started = time.monotonic()
        demo.seed()
        elapsed = time.monotonic() - started
    yield elapsed
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_the_demo_holds_exactly_194_sample_kewenangan(seeded):
    assert Kewenangan.objects.count() == demo.SAMPLE_COUNT == 194
    assert not Kewenangan.objects.filter(is_sample=False).exists()


def test_the_demo_seeds_in_under_20_seconds(seeded):
    assert seeded < 20


def test_every_demo_kewenangan_has_a_published_service(seeded):
    assert not Kewenangan.objects.filter(jenis_izin__isnull=True).exists()
    assert JenisIzin.objects.published().count() == JenisIzin.objects.count() >= 194


def test_every_demo_service_satisfies_the_publish_invariants(seeded):
    for service in JenisIzin.objects.all():
        check_publishable(service)
        assert service.complaint_channel and service.legal_basis and service.permit_code
        assert service.langkah.exists()


def test_the_demo_has_delegated_and_not_yet_delegated_authorities(seeded):
    delegated = Kewenangan.objects.filter(delegated=True)
    assert delegated.exists() and Kewenangan.objects.filter(delegated=False).exists()
    assert set(delegated.values_list("stage_year", flat=True)) == {2019, 2021, 2023, 2025, 2026}
    assert not delegated.filter(perbup_number="").exists()
    # each delegation is in the history
    assert (
        Pelimpahan.objects.filter(to_delegated=True, from_delegated=False).count()
        == delegated.count()
    )


def test_the_demo_keeps_the_opd_short_names_the_demo_users_need(seeded):
    for short in ("DPMPTSP", "Dinkes", "DPUPRPERKIM"):
        assert PerangkatDaerah.objects.filter(short_name=short).exists()
    assert PerangkatDaerah.dpmptsp().short_name == "DPMPTSP"


def test_sip_bidan_is_a_delegated_health_service_reviewed_by_dinkes(seeded):
    service = JenisIzin.objects.get(slug="sip-bidan")
    assert service.name.startswith("Surat Izin Praktik Bidan")
    assert service.kewenangan.delegated
    assert service.kewenangan.technical_opd.short_name == "Dinkes"
    assert service.accepts_applications
    keys = set(service.isian.values_list("key", flat=True))
    assert {"nomor_str", "alamat_praktik", "jenis_praktik"} <= keys
    assert service.persyaratan.count() == 7


def test_the_demo_has_a_delegated_pupr_service_a_fixed_fee_and_a_computed_fee(seeded):
    pbg = JenisIzin.objects.get(slug="pbg")
    assert pbg.kewenangan.delegated and pbg.kewenangan.technical_opd.short_name == "DPUPRPERKIM"
    assert pbg.fee_kind == JenisIzin.FeeKind.DIHITUNG
    assert JenisIzin.objects.filter(fee_kind=JenisIzin.FeeKind.TETAP, fee_amount__gt=0).exists()
    assert JenisIzin.objects.filter(fee_kind=JenisIzin.FeeKind.GRATIS).exists()


def test_health_worker_sip_has_a_profesi_choice(seeded):
    field = JenisIzin.objects.get(slug="sip-tenaga-kesehatan").isian.get(key="profesi")
    assert field.field_type == "choice" and "Fisioterapis" in field.choice_list


def test_seeding_twice_changes_nothing(seeded):
    counts = (
        Kewenangan.objects.count(),
        JenisIzin.objects.count(),
        Pelimpahan.objects.count(),
        VersiStandar.objects.count(),
    )
    demo.seed()
    assert counts == (
        Kewenangan.objects.count(),
        JenisIzin.objects.count(),
        Pelimpahan.objects.count(),
        VersiStandar.objects.count(),
    )


def test_every_published_demo_service_page_shows_all_seven_parts(seeded, client):
    missing = {}
    for slug in JenisIzin.objects.published().values_list("slug", flat=True):
        response = client.get(reverse("kewenangan:layanan_detail", args=[slug]))
        assert response.status_code == 200, slug
        gaps = headings_missing(response.content.decode())
        if gaps:
            missing[slug] = gaps
    assert missing == {}


def test_the_catalogue_lists_every_published_demo_service(seeded, client):
    response = client.get(reverse("kewenangan:layanan_list"))
    assert response.context["paginator"].count == JenisIzin.objects.published().count()


def test_the_kewenangan_page_lists_all_194(seeded, client):
    response = client.get(reverse("kewenangan:kewenangan_list"))
    assert len(response.context["items"]) == 194
    assert response.context["progress"].total == 194
