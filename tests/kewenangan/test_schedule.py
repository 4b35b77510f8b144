"""A change of holder dated in the future is scheduled and takes effect on its day at 00:00 WIB
(the beat task, idempotent); it shows on /kewenangan/ as coming; taking effect publishes the
standard again, with the performers, the signer and the legal basis of the new holder."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from kewenangan import tasks
from kewenangan.models import Kewenangan, LangkahProsedur, Pelimpahan
from kewenangan.services import (
    apply_due_changes,
    cancel_scheduled_change,
    reassign_kewenangan,
    scheduled_change,
)
from tests.factories import KewenanganFactory, LangkahProsedurFactory
from tests.kewenangan.helpers import published_service

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 1, 4)
WITHDRAWAL = "Perbup Barito Timur Nomor 1 Tahun 2027 tentang Penarikan Pelimpahan"


def _delegated(dinkes):
    return KewenanganFactory(
        origin_opd=dinkes,
        technical_opd=dinkes,
        delegated=True,
        perbup_number="Perbup Barito Timur Nomor 23 Tahun 2019",
        perbup_date=datetime.date(2019, 8, 12),
        stage_year=2019,
    )


def _withdraw(kewenangan, *, on=DAY, actor=None):
    return reassign_kewenangan(
        kewenangan,
        delegated=False,
        legal_basis=WITHDRAWAL,
        effective_date=on,
        actor=actor,
        reason="Dikembalikan ke Dinkes",
        source="admin",
    )


@freeze_time("2026-12-02 10:00:00+07:00")
def test_a_change_dated_in_the_future_is_scheduled_and_the_holder_stays(dpmptsp, dinkes):
    kewenangan = _delegated(dinkes)
    history = _withdraw(kewenangan)
    assert history.status == Pelimpahan.Status.TERJADWAL and history.applied_at is None
    assert (history.from_opd, history.to_opd) == (dpmptsp, dinkes)
    kewenangan.refresh_from_db()
    assert kewenangan.delegated and kewenangan.holder == dpmptsp
    assert scheduled_change(kewenangan) == history


@freeze_time("2026-12-02 10:00:00+07:00")
def test_a_change_dated_today_or_earlier_takes_effect_at_once(dpmptsp, dinkes):
    kewenangan = _delegated(dinkes)
    history = _withdraw(kewenangan, on=datetime.date(2026, 12, 2))
    assert history.status == Pelimpahan.Status.BERLAKU and history.applied_at is not None
    kewenangan.refresh_from_db()
    assert not kewenangan.delegated


def test_the_beat_task_applies_the_change_at_00_00_wib_of_its_day_and_only_once(dpmptsp, dinkes):
    kewenangan = _delegated(dinkes)
    with freeze_time("2026-12-02 10:00:00+07:00"):
        history = _withdraw(kewenangan)
    with freeze_time("2027-01-03 23:59:00+07:00"):  # 16:59 UTC: still the day before in WIB
        assert tasks.apply_due_delegations() == 0
    kewenangan.refresh_from_db()
    assert kewenangan.delegated
    with freeze_time("2027-01-04 00:00:30+07:00"):
        assert tasks.apply_due_delegations() == 1
        assert tasks.apply_due_delegations() == 0  # a second run, a redelivered task
    kewenangan.refresh_from_db()
    history.refresh_from_db()
    assert not kewenangan.delegated and kewenangan.holder == dinkes
    assert kewenangan.perbup_number == "" and kewenangan.perbup_date is None
    assert history.status == Pelimpahan.Status.BERLAKU and history.applied_at is not None
    assert Pelimpahan.objects.filter(kewenangan=kewenangan).count() == 1  # append-only


def test_the_task_is_idempotent_and_scheduled_every_hour_from_midnight_wib():
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE == "Asia/Jakarta"
    entry = settings.CELERY_BEAT_SCHEDULE["kewenangan-apply-due-delegations"]
    assert entry["task"] == tasks.apply_due_delegations.name
    assert entry["schedule"].minute == {0} and 0 in entry["schedule"].hour
    task = tasks.apply_due_delegations
    assert task.acks_late and task.reject_on_worker_lost and task.ignore_result


def test_a_second_change_waits_until_the_scheduled_one_is_cancelled(dpmptsp, dinkes, pupr):
    kewenangan = _delegated(dinkes)
    with freeze_time("2026-12-02 10:00:00+07:00"):
        pending = _withdraw(kewenangan)
        with pytest.raises(ValidationError, match="perubahan terjadwal"):
            reassign_kewenangan(
                kewenangan,
                origin_opd=pupr,
                legal_basis="Perda SOTK",
                effective_date=datetime.date(2026, 12, 1),
                actor=None,
                reason="Penataan",
                source="admin",
            )
        assert cancel_scheduled_change(pending, actor=None)
        assert not cancel_scheduled_change(pending, actor=None)
    pending.refresh_from_db()
    assert pending.status == Pelimpahan.Status.DIBATALKAN
    with freeze_time("2027-01-05 01:00:00+07:00"):
        assert apply_due_changes() == []
    kewenangan.refresh_from_db()
    assert kewenangan.delegated


def test_taking_effect_publishes_the_standard_again_with_holder_signer_steps_and_basis(
    dpmptsp, dinkes
):
    kewenangan = _delegated(dinkes)
    service = published_service(kewenangan=kewenangan, legal_basis="Permenkes 21/2021")
    service.langkah.all().delete()
    for order, role in enumerate(("front_office", "tim_teknis", "penandatangan")):
        LangkahProsedurFactory(jenis_izin=service, order=order, actor_role=role, title=role)
    from kewenangan.services import publish_standard

    before = publish_standard(service, actor=None)
    assert [s["actor"] for s in before.snapshot["langkah"]] == [
        "Front office DPMPTSP",
        "Tim teknis Dinkes",
        "Kepala DPMPTSP",
    ]
    with freeze_time("2026-12-02 10:00:00+07:00"):
        _withdraw(kewenangan)
    assert service.current_version == before  # nothing published before the day
    with freeze_time("2027-01-04 00:05:00+07:00"):
        apply_due_changes()
    after = service.current_version
    assert after.number == before.number + 1
    std = after.snapshot
    assert [s["actor"] for s in std["langkah"]] == [
        "Front office Dinkes",
        "Tim teknis Dinkes",
        "Kepala Dinkes",
    ]
    route = std["penyelenggara"]
    assert route["holder"] == dinkes.name and not route["delegated"]
    assert route["signer"] == f"Kepala {dinkes.name}"
    assert route["legal_basis"] == WITHDRAWAL and route["legal_basis_date"] == "2027-01-04"
    assert std["legal_basis"] == "Permenkes 21/2021"  # the service's own, as written


def test_a_step_without_a_role_keeps_the_admins_text(dinkes):
    service = published_service(kewenangan=KewenanganFactory(origin_opd=dinkes))
    step = LangkahProsedurFactory(
        jenis_izin=service, title="Rekomendasi camat", actor="Camat setempat"
    )
    assert step.actor_role == LangkahProsedur.ActorRole.LAINNYA
    from kewenangan.services import build_snapshot

    steps = {s["title"]: s["actor"] for s in build_snapshot(service)["langkah"]}
    assert steps["Rekomendasi camat"] == "Camat setempat"


# --- Public pages --------------------------------------------------------------------------------


def test_the_kewenangan_list_shows_a_coming_change_with_its_date_and_new_holder(
    client, dpmptsp, dinkes
):
    kewenangan = _delegated(dinkes)
    with freeze_time("2026-12-02 10:00:00+07:00"):
        _withdraw(kewenangan)
        html = client.get(reverse("kewenangan:kewenangan_list")).content.decode()
    assert "akan berlaku 4 Januari 2027: Dinkes" in html
    assert "Perbup Barito Timur Nomor 23 Tahun 2019" in html  # still the basis in force


def test_the_kewenangan_list_shows_the_basis_of_a_holder_that_is_not_a_delegation(
    client, dpmptsp, dinkes
):
    kewenangan = _delegated(dinkes)
    with freeze_time("2027-01-04 08:00:00+07:00"):
        _withdraw(kewenangan)
        html = client.get(reverse("kewenangan:kewenangan_list")).content.decode()
    assert WITHDRAWAL in html
    assert "belum ada" not in html


def test_the_service_page_follows_the_new_holder_after_the_day(client, dpmptsp, dinkes):
    kewenangan = _delegated(dinkes)
    service = published_service(kewenangan=kewenangan, legal_basis="Permenkes 21/2021")
    LangkahProsedurFactory(jenis_izin=service, order=5, actor_role="penandatangan", title="TTD")
    from kewenangan.services import publish_standard

    publish_standard(service, actor=None)
    url = reverse("kewenangan:layanan_detail", args=[service.slug])
    with freeze_time("2026-12-02 10:00:00+07:00"):
        _withdraw(kewenangan)
    assert "(Kepala DPMPTSP)" in client.get(url).content.decode()
    with freeze_time("2027-01-04 00:05:00+07:00"):
        apply_due_changes()
        html = client.get(url).content.decode()
    assert "(Kepala Dinkes)" in html and "Kepala DPMPTSP" not in html
    assert f"ditandatangani oleh Kepala {dinkes.name}" in html
    assert f"Penetapan pemegang kewenangan: {WITHDRAWAL}, 4 Januari 2027" in html
    assert "Nomor 23 Tahun 2019" not in html


def test_kewenangan_holder_fields_unchanged_by_scheduling(dpmptsp, dinkes):
    """The row lock and the holder guard: scheduling never saves the authority."""
    kewenangan = _delegated(dinkes)
    stamp = Kewenangan.objects.get(pk=kewenangan.pk).updated_at
    with freeze_time("2026-12-02 10:00:00+07:00"):
        _withdraw(kewenangan)
    assert Kewenangan.objects.get(pk=kewenangan.pk).updated_at == stamp


def test_the_sippn_export_names_the_current_holder_performers_and_basis(dpmptsp, dinkes):
    from akuntabilitas.reports.sippn import sippn_report

    kewenangan = _delegated(dinkes)
    service = published_service(kewenangan=kewenangan, legal_basis="Permenkes 21/2021")
    service.langkah.all().delete()
    LangkahProsedurFactory(jenis_izin=service, order=1, actor_role="front_office", title="Cek")
    LangkahProsedurFactory(jenis_izin=service, order=2, actor_role="penandatangan", title="TTD")

    def row():
        table = sippn_report()[0]
        return dict(zip(table.headers, table.rows[0], strict=True))

    before = row()
    assert before["Sistem, mekanisme dan prosedur"] == (
        "1. Cek – Front office DPMPTSP; 2. TTD – Kepala DPMPTSP"
    )
    assert "Nomor 23 Tahun 2019" in before["Dasar hukum"]
    with freeze_time("2027-01-04 08:00:00+07:00"):
        _withdraw(kewenangan)
    after = row()
    assert after["Penyelenggara"] == dinkes.name
    assert after["Sistem, mekanisme dan prosedur"] == (
        "1. Cek – Front office Dinkes; 2. TTD – Kepala Dinkes"
    )
    assert WITHDRAWAL in after["Dasar hukum"] and "Permenkes 21/2021" in after["Dasar hukum"]
    assert "Nomor 23 Tahun 2019" not in after["Dasar hukum"]
