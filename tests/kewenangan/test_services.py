import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kewenangan.models import HolderChangeWithoutHistory, JenisIzin, Kewenangan, Pelimpahan
from kewenangan.services import (
    build_snapshot,
    create_kewenangan,
    publish_standard,
    reassign_kewenangan,
)
from tests.factories import (
    JenisIzinFactory,
    KewenanganFactory,
    PersyaratanFactory,
)
from tests.kewenangan.helpers import published_service

pytestmark = pytest.mark.django_db

PERBUP = "Perbup Barito Timur Nomor 5 Tahun 2026"
PERBUP_DATE = datetime.date(2026, 2, 16)


# --- Holder and delegation history ------------------------------------------------------------


def test_delegating_from_code_writes_one_history_row(dpmptsp, dinkes, admin_user):
    kewenangan = KewenanganFactory(origin_opd=dinkes)
    history = reassign_kewenangan(
        kewenangan,
        delegated=True,
        legal_basis=PERBUP,
        effective_date=PERBUP_DATE,
        actor=admin_user,
        reason="Tahap 2026",
        source="code",
    )
    kewenangan.refresh_from_db()
    assert kewenangan.delegated and kewenangan.perbup_number == PERBUP
    assert kewenangan.perbup_date == PERBUP_DATE and kewenangan.stage_year == 2026
    assert kewenangan.holder == dpmptsp
    assert list(Pelimpahan.objects.filter(kewenangan=kewenangan)) == [history]
    assert (history.from_opd, history.to_opd) == (dinkes, dpmptsp)
    assert (history.from_delegated, history.to_delegated) == (False, True)
    assert history.changed_by == admin_user and history.reason == "Tahap 2026"
    assert history.legal_basis == PERBUP and history.effective_date == PERBUP_DATE


def test_moving_to_another_origin_opd_records_from_and_to(dpmptsp, dinkes, pupr, admin_user):
    kewenangan = KewenanganFactory(origin_opd=dinkes, technical_opd=dinkes)
    history = reassign_kewenangan(
        kewenangan,
        origin_opd=pupr,
        technical_opd=pupr,
        legal_basis="Perda SOTK 2026",
        effective_date=PERBUP_DATE,
        actor=admin_user,
        reason="Penataan OPD",
        source="code",
    )
    assert (history.from_origin_opd, history.to_origin_opd) == (dinkes, pupr)
    assert (history.from_technical_opd, history.to_technical_opd) == (dinkes, pupr)
    assert (history.from_opd, history.to_opd) == (dinkes, pupr)
    kewenangan.refresh_from_db()
    assert kewenangan.origin_opd == pupr and kewenangan.technical_opd == pupr


def test_delegation_needs_a_perbup_number_and_date(dpmptsp, dinkes):
    kewenangan = KewenanganFactory(origin_opd=dinkes)
    with pytest.raises(ValidationError):
        reassign_kewenangan(
            kewenangan,
            delegated=True,
            perbup_number="",
            legal_basis="Surat edaran",
            effective_date=PERBUP_DATE,
            actor=None,
            reason="",
            source="code",
        )
    assert not Pelimpahan.objects.exists()
    assert not Kewenangan.objects.get(pk=kewenangan.pk).delegated


def test_the_database_refuses_a_delegation_without_perbup(dinkes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Kewenangan.objects.create(
            code="X-1", name="x", sector="x", origin_opd=dinkes, delegated=True
        )


def test_a_change_of_holder_needs_a_legal_basis_and_date(dpmptsp, dinkes):
    kewenangan = KewenanganFactory(origin_opd=dinkes)
    for basis, date in (("", PERBUP_DATE), (PERBUP, None)):
        with pytest.raises(ValidationError):
            reassign_kewenangan(
                kewenangan,
                delegated=True,
                legal_basis=basis,
                effective_date=date,
                actor=None,
                reason="",
                source="code",
            )


def test_withdrawing_a_delegation_clears_the_perbup_and_is_recorded(dpmptsp, dinkes):
    kewenangan = KewenanganFactory(origin_opd=dinkes, delegated_to_dpmptsp=True)
    history = reassign_kewenangan(
        kewenangan,
        delegated=False,
        legal_basis="Perbup pencabutan",
        effective_date=PERBUP_DATE,
        actor=None,
        reason="Dikembalikan",
        source="code",
    )
    kewenangan.refresh_from_db()
    assert not kewenangan.delegated and kewenangan.perbup_number == ""
    assert kewenangan.perbup_date is None
    assert (history.from_opd, history.to_opd) == (dpmptsp, dinkes)


def test_reassigning_to_the_same_holder_writes_nothing(dpmptsp, dinkes):
    kewenangan = KewenanganFactory(origin_opd=dinkes)
    result = reassign_kewenangan(
        kewenangan,
        origin_opd=dinkes,
        legal_basis="x",
        effective_date=PERBUP_DATE,
        actor=None,
        reason="",
        source="code",
    )
    assert result is None
    assert not Pelimpahan.objects.exists()


def test_saving_a_changed_holder_without_the_service_is_refused(dpmptsp, dinkes, pupr):
    kewenangan = Kewenangan.objects.get(pk=KewenanganFactory(origin_opd=dinkes).pk)
    kewenangan.origin_opd = pupr
    with pytest.raises(HolderChangeWithoutHistory):
        kewenangan.save()
    kewenangan = Kewenangan.objects.get(pk=kewenangan.pk)
    kewenangan.name = "Nama baru"
    kewenangan.save()  # plain fields need no history


def test_creating_a_kewenangan_records_its_first_holder(dpmptsp, dinkes):
    kewenangan = create_kewenangan(
        code="KES-99", name="Uji", sector="Kesehatan", origin_opd=dinkes, source="code"
    )
    history = Pelimpahan.objects.get(kewenangan=kewenangan)
    assert history.from_opd is None and history.to_opd == dinkes
    assert history.to_delegated is False


def test_history_rows_are_append_only(dpmptsp, dinkes):
    kewenangan = create_kewenangan(
        code="KES-98", name="Uji", sector="Kesehatan", origin_opd=dinkes, source="code"
    )
    history = Pelimpahan.objects.get(kewenangan=kewenangan)
    history.reason = "diubah"
    with pytest.raises(ValueError):
        history.save()


# --- Publishing and versions -----------------------------------------------------------------


def test_a_service_without_requirements_cannot_be_published(dinkes):
    service = JenisIzinFactory()
    with pytest.raises(ValidationError) as exc:
        publish_standard(service, actor=None)
    assert "persyaratan" in exc.value.message_dict
    service.refresh_from_db()
    assert not service.is_published and not service.versi.exists()


def test_a_service_without_service_time_cannot_be_published(dinkes):
    service = JenisIzinFactory(sla_working_days=None)
    PersyaratanFactory(jenis_izin=service)
    with pytest.raises(ValidationError) as exc:
        publish_standard(service, actor=None)
    assert "sla_working_days" in exc.value.message_dict


def test_a_service_without_product_cannot_be_published(dinkes):
    service = JenisIzinFactory(product="")
    PersyaratanFactory(jenis_izin=service)
    with pytest.raises(ValidationError) as exc:
        publish_standard(service, actor=None)
    assert "product" in exc.value.message_dict


def test_the_database_refuses_a_published_service_without_product_or_time(dinkes):
    service = JenisIzinFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        JenisIzin.objects.filter(pk=service.pk).update(is_published=True, product="")


def test_model_clean_refuses_publishing_without_requirements(dinkes):
    service = JenisIzinFactory()
    service.is_published = True
    with pytest.raises(ValidationError) as exc:
        service.full_clean()
    assert "is_published" in exc.value.message_dict


def test_publishing_snapshots_requirements_with_ids_steps_and_fields(dinkes):
    service = published_service()
    version = service.current_version
    assert version.number == 1
    snapshot = version.snapshot
    assert [r["id"] for r in snapshot["persyaratan"]] == list(
        service.persyaratan.order_by("order", "id").values_list("id", flat=True)
    )
    assert [s["title"] for s in snapshot["langkah"]] == ["Pengajuan permohonan", "Penandatanganan"]
    assert snapshot["isian"][0]["key"] == "profesi"
    assert snapshot["isian"][0]["choices"] == ["Bidan"]
    assert snapshot["sla"]["working_days"] == service.sla_working_days
    assert snapshot["product"] == service.product
    service.refresh_from_db()
    assert service.is_published


def test_publishing_an_unchanged_standard_keeps_the_version(dinkes):
    service = published_service()
    again = publish_standard(service, actor=None)
    assert again.number == 1
    assert service.versi.count() == 1


def test_a_changed_standard_gets_a_new_version_and_the_old_one_is_kept(dinkes):
    service = published_service()
    first = service.current_version
    first_snapshot = dict(first.snapshot)
    PersyaratanFactory(jenis_izin=service, name="Surat rekomendasi IBI")
    JenisIzin.objects.filter(pk=service.pk).update(sla_working_days=12)
    second = publish_standard(service, actor=None)
    assert second.number == 2
    assert service.current_version == second
    first.refresh_from_db()
    assert first.snapshot == first_snapshot
    assert "Surat rekomendasi IBI" not in [r["name"] for r in first.snapshot["persyaratan"]]
    assert "Surat rekomendasi IBI" in [r["name"] for r in second.snapshot["persyaratan"]]
    assert second.snapshot["sla"]["working_days"] == 12


def test_a_new_sk_for_the_same_content_is_a_new_version(dinkes):
    service = published_service()
    version = publish_standard(
        service, actor=None, sk_number="SK 1/2026", sk_date=datetime.date(2026, 3, 1)
    )
    assert version.number == 2 and version.sk_number == "SK 1/2026"
    same = publish_standard(
        service, actor=None, sk_number="SK 1/2026", sk_date=datetime.date(2026, 3, 1)
    )
    assert same == version


def test_snapshot_is_json_ready(dinkes):
    import json

    service = published_service()
    assert json.loads(json.dumps(build_snapshot(service))) == build_snapshot(service)


# --- Selectors on the models -----------------------------------------------------------------


def test_published_lists_only_published_services_of_active_authorities(dinkes):
    shown = published_service()
    JenisIzinFactory()  # draft
    hidden = published_service()
    Kewenangan.objects.filter(pk=hidden.kewenangan_id).update(active=False)
    assert list(JenisIzin.objects.published()) == [shown]


def test_current_version_is_the_latest(dinkes):
    service = published_service()
    assert service.current_version.number == 1
    PersyaratanFactory(jenis_izin=service)
    publish_standard(service, actor=None)
    assert service.current_version.number == 2
    assert JenisIzinFactory().current_version is None


def test_published_services_accept_online_applications_delegated_or_not(dpmptsp, dinkes):
    # Routing rule (issue 5): an authority not yet delegated is applied for online too and
    # routed to its origin OPD; only unpublished services or inactive authorities are closed.
    delegated = published_service(kewenangan=KewenanganFactory(delegated_to_dpmptsp=True))
    not_delegated = published_service()
    assert delegated.accepts_applications
    assert not_delegated.accepts_applications
    Kewenangan.objects.filter(pk=not_delegated.kewenangan_id).update(active=False)
    not_delegated.kewenangan.refresh_from_db()
    assert not not_delegated.accepts_applications
