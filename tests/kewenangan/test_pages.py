import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from kewenangan.models import JenisIzin, Maklumat
from tests.factories import KewenanganFactory, PersyaratanFactory
from tests.kewenangan.helpers import published_service

pytestmark = pytest.mark.django_db

#: The seven parts of a service standard page (UU 25/2009, PermenPAN-RB 15/2014).
HEADINGS = [
    "Persyaratan",
    "Sistem, Mekanisme dan Prosedur",
    "Jangka Waktu Penyelesaian",
    "Biaya/Tarif",
    "Produk Pelayanan",
    "Penanganan Pengaduan",
    "Dasar Hukum",
]


def headings_missing(html: str) -> list[str]:
    return [h for h in HEADINGS if f'class="h4">{h}</h2>' not in html]


# --- /layanan/<slug>/ -------------------------------------------------------------------------


def test_every_heading_is_on_a_published_service_page(client, dpmptsp, dinkes):
    service = published_service(kewenangan=KewenanganFactory(delegated_to_dpmptsp=True))
    html = client.get(reverse("kewenangan:layanan_detail", args=[service.slug])).content.decode()
    assert headings_missing(html) == []
    assert service.product in html
    assert "Pengajuan permohonan" in html


def test_the_service_page_shows_the_published_version_not_the_draft(client, dpmptsp, dinkes):
    service = published_service()
    PersyaratanFactory(jenis_izin=service, name="Persyaratan draf belum terbit")
    html = client.get(reverse("kewenangan:layanan_detail", args=[service.slug])).content.decode()
    assert "Persyaratan draf belum terbit" not in html
    assert "Versi 1" in html


def test_an_unpublished_service_has_no_public_page(client, dinkes):
    service = published_service()
    JenisIzin.objects.filter(pk=service.pk).update(is_published=False)
    assert client.get(reverse("kewenangan:layanan_detail", args=[service.slug])).status_code == 404


def test_a_delegated_service_links_to_the_application_form(client, dpmptsp, dinkes):
    service = published_service(kewenangan=KewenanganFactory(delegated_to_dpmptsp=True))
    html = client.get(reverse("kewenangan:layanan_detail", args=[service.slug])).content.decode()
    assert f'href="/permohonan/baru/{service.slug}/"' in html
    assert "Ajukan permohonan" in html


def test_a_service_not_yet_delegated_is_applied_for_online_and_processed_by_its_opd(
    client, dpmptsp, dinkes
):
    # Routing rule (issue 5): online too, processed and signed by the origin OPD.
    service = published_service()
    html = client.get(reverse("kewenangan:layanan_detail", args=[service.slug])).content.decode()
    assert f'href="/permohonan/baru/{service.slug}/"' in html
    assert "belum dilimpahkan" in html and dinkes.name in html
    assert "ditandatangani oleh Kepala" in html


def test_fee_is_shown_as_free_fixed_or_computed(client, dpmptsp, dinkes):
    cases = {
        JenisIzin.FeeKind.GRATIS: ("Gratis", {}),
        JenisIzin.FeeKind.TETAP: ("Rp 150.000", {"fee_amount": 150_000}),
        JenisIzin.FeeKind.DIHITUNG: ("Retribusi dihitung per permohonan", {}),
    }
    for kind, (text, extra) in cases.items():
        service = published_service(fee_kind=kind, **extra)
        html = client.get(
            reverse("kewenangan:layanan_detail", args=[service.slug])
        ).content.decode()
        assert text in html, kind


def test_a_requirement_template_can_be_downloaded(client, dinkes):
    service = published_service(requirements=1)
    requirement = service.persyaratan.get()
    requirement.template_file.save("formulir.pdf", ContentFile(b"%PDF-1.4 templat"))
    from kewenangan.services import publish_standard

    publish_standard(service, actor=None)
    url = reverse("kewenangan:template_download", args=[service.slug, requirement.pk])
    html = client.get(reverse("kewenangan:layanan_detail", args=[service.slug])).content.decode()
    assert url in html
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 templat"
    assert "attachment" in response["Content-Disposition"]


def test_the_template_of_an_unpublished_service_is_not_served(client, dinkes):
    service = published_service(requirements=1)
    requirement = service.persyaratan.get()
    requirement.template_file.save("formulir.pdf", ContentFile(b"x"))
    JenisIzin.objects.filter(pk=service.pk).update(is_published=False)
    url = reverse("kewenangan:template_download", args=[service.slug, requirement.pk])
    assert client.get(url).status_code == 404


def test_the_service_page_is_printable_without_inline_script_or_style(client, dinkes):
    service = published_service()
    html = client.get(reverse("kewenangan:layanan_detail", args=[service.slug])).content.decode()
    assert "style=" not in html
    assert "<script>" not in html
    assert "/static/css/kewenangan.css" in html
    assert "js-print" in html


# --- /layanan/ --------------------------------------------------------------------------------


def test_the_catalogue_lists_published_services_only(client, dinkes):
    shown = published_service(name="Surat Izin Praktik Bidan")
    draft = published_service(name="Layanan draf")
    JenisIzin.objects.filter(pk=draft.pk).update(is_published=False)
    html = client.get(reverse("kewenangan:layanan_list")).content.decode()
    assert shown.name in html and "Layanan draf" not in html


def test_catalogue_search_finds_words_stems_and_prefixes(client, dinkes):
    bidan = published_service(name="Surat Izin Praktik Bidan", product="Surat Izin Praktik Bidan")
    published_service(name="Persetujuan Bangunan Gedung", product="PBG")

    def found(q):
        response = client.get(reverse("kewenangan:layanan_list"), {"q": q})
        return [s.pk for s in response.context["services"]]

    assert found("bidan") == [bidan.pk]
    assert found("BID") == [bidan.pk]  # prefix, any case
    assert found("perizinan praktik") == [bidan.pk]  # Indonesian stem: perizinan -> izin
    assert found("bidan gedung") == []  # every word must match
    assert len(found("")) == 2
    assert found("'):*|!&") == found("")  # no way to break the query syntax


def test_catalogue_filters_by_opd_and_sector(client, dinkes, pupr):
    health = published_service(kewenangan=KewenanganFactory(origin_opd=dinkes, sector="Kesehatan"))
    building = published_service(
        kewenangan=KewenanganFactory(origin_opd=pupr, technical_opd=pupr, sector="Bangunan")
    )
    url = reverse("kewenangan:layanan_list")
    assert [s.pk for s in client.get(url, {"opd": "DPUPRPERKIM"}).context["services"]] == [
        building.pk
    ]
    assert [s.pk for s in client.get(url, {"sektor": "Kesehatan"}).context["services"]] == [
        health.pk
    ]


def test_the_catalogue_is_paginated(client, dinkes):
    for _ in range(21):
        published_service(requirements=1)
    first = client.get(reverse("kewenangan:layanan_list"))
    assert len(first.context["services"]) == 20
    second = client.get(reverse("kewenangan:layanan_list"), {"page": 2})
    assert len(second.context["services"]) == 1


def test_catalogue_query_count_is_bounded(client, dinkes, pupr, django_assert_max_num_queries):
    for i in range(25):
        opd = dinkes if i % 2 else pupr
        published_service(requirements=1, kewenangan=KewenanganFactory(origin_opd=opd))
    with django_assert_max_num_queries(5):
        response = client.get(reverse("kewenangan:layanan_list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(5):
        client.get(reverse("kewenangan:layanan_list"), {"q": "layanan uji", "opd": "Dinkes"})


def test_service_page_query_count_is_bounded(
    client, dpmptsp, dinkes, django_assert_max_num_queries
):
    service = published_service(
        requirements=10, kewenangan=KewenanganFactory(delegated_to_dpmptsp=True)
    )
    with django_assert_max_num_queries(4):
        client.get(reverse("kewenangan:layanan_detail", args=[service.slug]))


# --- /kewenangan/ -----------------------------------------------------------------------------


def test_the_kewenangan_list_shows_holder_status_legal_basis_and_counts(client, dpmptsp, dinkes):
    delegated = KewenanganFactory(
        delegated_to_dpmptsp=True, stage_year=2026, name="Kewenangan sudah dilimpahkan"
    )
    KewenanganFactory(name="Kewenangan belum dilimpahkan")
    KewenanganFactory(name="Kewenangan nonaktif", active=False)
    response = client.get(reverse("kewenangan:kewenangan_list"))
    html = response.content.decode()
    progress = response.context["progress"]
    assert (progress.total, progress.delegated, progress.not_delegated) == (2, 1, 1)
    assert progress.by_stage == [(2026, 1)]
    assert delegated.perbup_number in html
    assert "Kewenangan belum dilimpahkan" in html
    assert "Kewenangan nonaktif" not in html
    assert "tahap 2026" in html


def test_the_kewenangan_list_filters_by_status_and_opd(client, dpmptsp, dinkes, pupr):
    KewenanganFactory(delegated_to_dpmptsp=True)
    not_yet = KewenanganFactory(origin_opd=pupr, technical_opd=pupr)
    url = reverse("kewenangan:kewenangan_list")
    assert list(client.get(url, {"status": "belum"}).context["items"]) == [not_yet]
    assert list(client.get(url, {"opd": "DPUPRPERKIM"}).context["items"]) == [not_yet]


def test_kewenangan_list_query_count_is_bounded(
    client, dpmptsp, dinkes, pupr, django_assert_max_num_queries
):
    for i in range(40):
        KewenanganFactory(
            origin_opd=dinkes if i % 2 else pupr,
            delegated=i % 3 == 0,
            perbup_number="Perbup 1" if i % 3 == 0 else "",
            perbup_date=datetime.date(2026, 1, 2) if i % 3 == 0 else None,
        )
    with django_assert_max_num_queries(5):
        response = client.get(reverse("kewenangan:kewenangan_list"))
    assert len(response.context["items"]) == 40


# --- /maklumat/ --------------------------------------------------------------------------------


def test_the_pledge_page_shows_the_seeded_pledge(client):
    html = client.get(reverse("kewenangan:maklumat")).content.decode()
    assert "Maklumat Pelayanan" in html
    assert "sanggup menyelenggarakan pelayanan sesuai dengan standar" in html


def test_the_pledge_page_shows_the_newest_active_pledge(client):
    Maklumat.objects.create(
        title="Maklumat Pelayanan 2027",
        body="Kami berjanji.\n\nParagraf kedua.",
        effective_date=datetime.date(2027, 1, 4),
    )
    Maklumat.objects.create(
        title="Maklumat nonaktif", body="x", effective_date=datetime.date(2028, 1, 3), active=False
    )
    html = client.get("/maklumat/").content.decode()
    assert "Maklumat Pelayanan 2027" in html and "<p>Paragraf kedua.</p>" in html
    assert "Maklumat nonaktif" not in html


def test_the_menu_links_to_services_and_authorities(client):
    html = client.get("/").content.decode()
    assert 'href="/layanan/"' in html and 'href="/kewenangan/"' in html
