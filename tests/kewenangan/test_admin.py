import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from kewenangan.models import JenisIzin, Pelimpahan
from tests.factories import KewenanganFactory
from tests.kewenangan.helpers import admin_form_data, published_service

pytestmark = pytest.mark.django_db

PERBUP = "Perbup Barito Timur Nomor 5 Tahun 2026"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def change_url(obj):
    return reverse(f"admin:kewenangan_{obj._meta.model_name}_change", args=[obj.pk])


def test_delegating_in_the_admin_form_writes_a_history_row(
    admin_client, admin_user, dpmptsp, dinkes
):
    kewenangan = KewenanganFactory(origin_opd=dinkes)
    page = admin_client.get(change_url(kewenangan))
    data = admin_form_data(
        page,
        delegated=True,
        perbup_number=PERBUP,
        perbup_date=datetime.date(2026, 2, 16),
        change_reason="Tahap 2026",
    )
    response = admin_client.post(change_url(kewenangan), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    kewenangan.refresh_from_db()
    assert kewenangan.delegated and kewenangan.perbup_number == PERBUP
    history = Pelimpahan.objects.get(kewenangan=kewenangan)
    assert history.source == "admin" and history.changed_by == admin_user
    assert (history.from_opd, history.to_opd) == (dinkes, dpmptsp)
    assert history.legal_basis == PERBUP and history.effective_date == datetime.date(2026, 2, 16)
    assert history.reason == "Tahap 2026"


def test_adding_a_kewenangan_in_the_admin_records_its_first_holder(
    admin_client, admin_user, dpmptsp, dinkes
):
    response = admin_client.post(
        reverse("admin:kewenangan_kewenangan_add"),
        {
            "code": "KES-77",
            "name": "Kewenangan baru",
            "sector": "Kesehatan",
            "origin_opd": dinkes.pk,
            "technical_opd": dinkes.pk,
            "active": "on",
            "change_reason": "Lampiran Perbup baru",
            "riwayat-TOTAL_FORMS": "0",
            "riwayat-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    history = Pelimpahan.objects.get(kewenangan__code="KES-77")
    assert history.from_opd is None and history.to_opd == dinkes
    assert history.changed_by == admin_user and history.source == "admin"


def test_a_holder_change_in_the_admin_needs_a_reason_and_legal_basis(
    admin_client, dpmptsp, dinkes, pupr
):
    kewenangan = KewenanganFactory(origin_opd=dinkes)
    page = admin_client.get(change_url(kewenangan))
    response = admin_client.post(change_url(kewenangan), admin_form_data(page, origin_opd=pupr))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"change_legal_basis", "change_effective_date", "change_reason"}
    kewenangan.refresh_from_db()
    assert kewenangan.origin_opd == dinkes
    assert not Pelimpahan.objects.exists()


def test_editing_only_the_name_in_the_admin_writes_no_history(admin_client, dpmptsp, dinkes):
    kewenangan = KewenanganFactory(origin_opd=dinkes)
    page = admin_client.get(change_url(kewenangan))
    response = admin_client.post(change_url(kewenangan), admin_form_data(page, name="Nama baru"))
    assert response.status_code == 302
    kewenangan.refresh_from_db()
    assert kewenangan.name == "Nama baru"
    assert not Pelimpahan.objects.exists()


def test_the_admin_shows_the_history_inline(admin_client, dpmptsp, dinkes):
    from kewenangan.services import reassign_kewenangan

    kewenangan = KewenanganFactory(origin_opd=dinkes)
    reassign_kewenangan(
        kewenangan,
        delegated=True,
        legal_basis=PERBUP,
        effective_date=datetime.date(2026, 2, 16),
        actor=None,
        reason="Tahap 2026",
        source="code",
    )
    html = admin_client.get(change_url(kewenangan)).content.decode()
    assert "Tahap 2026" in html


def test_the_bulk_action_delegates_the_selected_and_writes_one_row_each(
    admin_client, admin_user, dpmptsp, dinkes
):
    selected = [KewenanganFactory(origin_opd=dinkes) for _ in range(3)]
    other = KewenanganFactory(origin_opd=dinkes)
    url = reverse("admin:kewenangan_kewenangan_changelist")
    ids = [k.pk for k in selected]
    confirm = admin_client.post(url, {"action": "reassign_selected", ACTION_CHECKBOX_NAME: ids})
    assert confirm.status_code == 200 and "Simpan dan catat riwayat" in confirm.content.decode()
    response = admin_client.post(
        url,
        {
            "action": "reassign_selected",
            ACTION_CHECKBOX_NAME: ids,
            "apply": "1",
            "operation": "delegate",
            "legal_basis": PERBUP,
            "effective_date": "2026-02-16",
            "reason": "Tahap 2026",
        },
    )
    assert response.status_code == 302
    for kewenangan in selected:
        kewenangan.refresh_from_db()
        assert kewenangan.delegated and kewenangan.perbup_number == PERBUP
        history = Pelimpahan.objects.get(kewenangan=kewenangan)
        assert history.source == "admin" and history.changed_by == admin_user
    other.refresh_from_db()
    assert not other.delegated
    assert Pelimpahan.objects.count() == 3


def test_the_bulk_action_moves_to_another_opd(admin_client, dpmptsp, dinkes, pupr):
    kewenangan = KewenanganFactory(origin_opd=dinkes)
    url = reverse("admin:kewenangan_kewenangan_changelist")
    base = {
        "action": "reassign_selected",
        ACTION_CHECKBOX_NAME: [kewenangan.pk],
        "apply": "1",
        "operation": "move",
        "legal_basis": "Perda SOTK",
        "effective_date": "2026-01-02",
        "reason": "Penataan",
    }
    missing_opd = admin_client.post(url, base)
    assert missing_opd.status_code == 200  # the form again, with the error
    assert "Pilih OPD asal yang baru." in missing_opd.content.decode()
    admin_client.post(url, {**base, "origin_opd": pupr.pk, "technical_opd": pupr.pk})
    kewenangan.refresh_from_db()
    assert kewenangan.origin_opd == pupr and kewenangan.technical_opd == pupr
    assert Pelimpahan.objects.get(kewenangan=kewenangan).to_origin_opd == pupr


def test_the_admin_warns_that_sample_data_is_not_the_annex(admin_client, dinkes):
    KewenanganFactory(is_sample=True)
    html = admin_client.get(reverse("admin:kewenangan_kewenangan_changelist"), follow=True)
    assert "data contoh" in html.content.decode()


def test_editing_a_published_standard_in_the_admin_creates_a_new_version(admin_client, dinkes):
    service = published_service()
    page = admin_client.get(change_url(service))
    response = admin_client.post(change_url(service), admin_form_data(page, sla_working_days=9))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert service.versi.count() == 2
    assert service.current_version.snapshot["sla"]["working_days"] == 9
    assert service.versi.get(number=1).snapshot["sla"]["working_days"] == 5


def test_saving_an_unchanged_standard_in_the_admin_keeps_its_version(admin_client, dinkes):
    service = published_service()
    page = admin_client.get(change_url(service))
    assert admin_client.post(change_url(service), admin_form_data(page)).status_code == 302
    assert service.versi.count() == 1


def test_the_admin_cannot_remove_every_requirement_of_a_published_service(admin_client, dinkes):
    service = published_service(requirements=1)
    page = admin_client.get(change_url(service))
    data = admin_form_data(page, **{"persyaratan-0-DELETE": "on"})
    response = admin_client.post(change_url(service), data)
    assert response.status_code == 200
    assert "wajib memiliki sedikitnya satu persyaratan" in response.content.decode()
    assert service.persyaratan.count() == 1


def test_the_admin_cannot_blank_the_product_of_a_published_service(admin_client, dinkes):
    service = published_service()
    page = admin_client.get(change_url(service))
    response = admin_client.post(change_url(service), admin_form_data(page, product=""))
    assert response.status_code == 200
    assert JenisIzin.objects.get(pk=service.pk).product == "Surat izin"


def test_the_publish_action_publishes_with_sk_and_refuses_incomplete(admin_client, dinkes):
    from tests.factories import JenisIzinFactory, PersyaratanFactory

    ready = JenisIzinFactory()
    PersyaratanFactory(jenis_izin=ready)
    incomplete = JenisIzinFactory(name="Tanpa persyaratan")
    url = reverse("admin:kewenangan_jenisizin_changelist")
    response = admin_client.post(
        url,
        {
            "action": "publish_selected",
            ACTION_CHECKBOX_NAME: [ready.pk, incomplete.pk],
            "apply": "1",
            "sk_number": "SK Kepala DPMPTSP 7/2026",
            "sk_date": "2026-03-02",
        },
        follow=True,
    )
    assert "Tidak dapat diterbitkan: Tanpa persyaratan" in response.content.decode()
    ready.refresh_from_db()
    incomplete.refresh_from_db()
    assert ready.is_published and ready.current_version.sk_number == "SK Kepala DPMPTSP 7/2026"
    assert not incomplete.is_published


def test_the_unpublish_action_keeps_the_versions(admin_client, dinkes):
    service = published_service()
    admin_client.post(
        reverse("admin:kewenangan_jenisizin_changelist"),
        {"action": "unpublish_selected", ACTION_CHECKBOX_NAME: [service.pk]},
    )
    service.refresh_from_db()
    assert not service.is_published and service.versi.count() == 1


def test_history_and_versions_are_read_only_in_the_admin(admin_client, dinkes):
    service = published_service()
    version = service.current_version
    assert (
        admin_client.get(
            reverse("admin:kewenangan_versistandar_change", args=[version.pk])
        ).status_code
        == 200
    )
    assert (
        admin_client.post(
            reverse("admin:kewenangan_versistandar_delete", args=[version.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:kewenangan_pelimpahan_add")).status_code == 403


def test_admin_pages_for_calendar_pledge_and_opd_load(admin_client):
    for name in (
        "harilibur",
        "maklumat",
        "perangkatdaerah",
        "jenisizin",
        "kewenangan",
        "pelimpahan",
    ):
        assert admin_client.get(reverse(f"admin:kewenangan_{name}_changelist")).status_code == 200


@pytest.mark.parametrize(
    ("typed", "label", "key"),
    [("", "Nomor STR", "nomor_str"), ("Alamat Praktik", "Alamat", "alamat_praktik")],
)
def test_a_service_fields_key_is_derived_from_its_label_or_made_valid(
    admin_client, dinkes, typed, label, key
):
    """Issue 17: "Kunci" need not be typed as a slug."""
    service = published_service()
    page = admin_client.get(change_url(service))
    data = admin_form_data(page, **{"isian-0-key": typed, "isian-0-label": label})
    response = admin_client.post(change_url(service), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert service.isian.get().key == key
