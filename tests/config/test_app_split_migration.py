"""Notifications and public accountability moved out of perizinan (``perizinan.0005``,
``notifikasi.0001``, ``akuntabilitas.0001``): a database at the schema before the move, with
rows in every moved table, migrates forward and keeps every row, its values, its links and
the permissions that point at its content type."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.apps import apps as current_apps
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import JenisIzinFactory, PerangkatDaerahFactory, UserFactory

BEFORE = [("perizinan", "0004_aksesdokumen_user_unit")]

#: Every model the move took out of perizinan, by its new app.
MOVED = {
    "notifikasi": ["notifikasi", "templatnotifikasi"],
    "akuntabilitas": [
        "pengaturanpengaduan",
        "pengaduan",
        "riwayatpengaduan",
        "undangansurvei",
        "jawabansurvei",
        "nilaiunsur",
    ],
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_every_moved_row_survives_the_move_with_its_links_and_permissions():
    opd = PerangkatDaerahFactory(dpmptsp=True)
    service = JenisIzinFactory()
    applicant = UserFactory(email="warga@contoh.test")
    officer = UserFactory(front_office=True, email="fo@contoh.test")
    permission_ids = {
        (p.content_type.model, p.codename): p.pk
        for p in Permission.objects.filter(
            content_type__app_label__in=list(MOVED), content_type__model__in=sum(MOVED.values(), [])
        )
    }
    assert len(permission_ids) == 4 * 8  # add, change, delete, view of each moved model

    try:
        old = _migrate(BEFORE)
        assert "perizinan_notifikasi" in _tables()
        assert "notifikasi_notifikasi" not in _tables()
        Permohonan = old.get_model("perizinan", "Permohonan")
        permohonan = Permohonan.objects.create(
            applicant_id=applicant.pk,
            jenis_izin_id=service.pk,
            status="diajukan",
            number="BTM-2026-000321",
            pin="123456",
            processing_opd_id=opd.pk,
            submitted_at=timezone.now(),
        )
        now = timezone.now()
        notice = old.get_model("perizinan", "Notifikasi").objects.create(
            key="p1:v1:permohonan_diajukan:u1:email",
            event="permohonan_diajukan",
            channel="email",
            recipient_id=applicant.pk,
            email=applicant.email,
            permohonan_id=permohonan.pk,
            subject="Permohonan BTM-2026-000321 diajukan",
            body="Isi",
            state="sent",
            sent_at=now,
        )
        unlinked = old.get_model("perizinan", "Notifikasi").objects.create(
            key="pengaduan.diterima:1",
            event="pengaduan.diterima",
            channel="inapp",
            recipient_id=officer.pk,
            subject="Pengaduan diterima",
            body="Isi",
        )
        template = old.get_model("perizinan", "TemplatNotifikasi").objects.create(
            event="permohonan_terbit", channel="email", language="id", subject="S", body="B"
        )
        old.get_model("perizinan", "PengaturanPengaduan").objects.create(
            pk=1, response_working_days=7
        )
        complaint = old.get_model("perizinan", "Pengaduan").objects.create(
            number="ADU-2026-0001",
            pin_digest="0" * 64,
            topic="permohonan",
            permohonan_id=permohonan.pk,
            permohonan_number=permohonan.number,
            opd_id=opd.pk,
            title="Lambat",
            description="Belum ada kabar.",
            reporter_id=applicant.pk,
            reporter_name="Warga",
            status="diterima",
            received_at=now,
            response_working_days=7,
            due_date=dt.date(2026, 12, 11),
        )
        old.get_model("perizinan", "RiwayatPengaduan").objects.create(
            pengaduan_id=complaint.pk, action="file", to_status="diterima"
        )
        invitation = old.get_model("perizinan", "UndanganSurvei").objects.create(
            token="t" * 43, permohonan_id=permohonan.pk, expires_on=dt.date(2027, 1, 31)
        )
        answer_id = uuid.uuid4()
        old.get_model("perizinan", "JawabanSurvei").objects.create(
            id=answer_id,
            channel="daring",
            jenis_izin_id=service.pk,
            opd_id=opd.pk,
            submitted_on=dt.date(2026, 12, 1),
            age_band="26-35",
            sex="P",
            education="S1",
            occupation="swasta",
        )
        old.get_model("perizinan", "NilaiUnsur").objects.create(
            jawaban_id=answer_id, unsur="u1", value=4
        )
    finally:
        _migrate(_latest())

    tables = _tables()
    for app, models in MOVED.items():
        for model in models:
            assert f"{app}_{model}" in tables
            assert f"perizinan_{model}" not in tables

    Notifikasi = current_apps.get_model("notifikasi", "Notifikasi")
    moved_notice = Notifikasi.objects.get(pk=notice.pk)
    assert moved_notice.reference == "BTM-2026-000321"  # the link, kept as the number
    assert (moved_notice.key, moved_notice.state, moved_notice.recipient_id) == (
        notice.key,
        "sent",
        applicant.pk,
    )
    assert Notifikasi.objects.get(pk=unlinked.pk).reference == ""
    assert (
        current_apps.get_model("notifikasi", "TemplatNotifikasi")
        .objects.get(pk=template.pk)
        .subject
        == "S"
    )

    akuntabilitas = current_apps.get_app_config("akuntabilitas")
    assert akuntabilitas.get_model("PengaturanPengaduan").load().response_working_days == 7
    moved_complaint = akuntabilitas.get_model("Pengaduan").objects.get(pk=complaint.pk)
    assert (moved_complaint.number, moved_complaint.permohonan_id) == (
        "ADU-2026-0001",
        permohonan.pk,
    )
    assert [r.action for r in moved_complaint.riwayat.all()] == ["file"]
    assert akuntabilitas.get_model("UndanganSurvei").objects.get(
        pk=invitation.pk
    ).permohonan.number == ("BTM-2026-000321")
    answer = akuntabilitas.get_model("JawabanSurvei").objects.get(pk=answer_id)
    assert [(n.unsur, n.value) for n in answer.nilai.all()] == [("u1", 4)]

    # The permissions (and so every group and user holding them) follow their model.
    after = {
        (p.content_type.model, p.codename): (p.pk, p.content_type.app_label)
        for p in Permission.objects.filter(content_type__model__in=sum(MOVED.values(), []))
    }
    for key, pk in permission_ids.items():
        assert after[key][0] == pk
    assert {label for _pk, label in after.values()} == set(MOVED)
