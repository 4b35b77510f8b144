"""Routing by authority: delegated files go to the DPMPTSP, the others to their origin OPD
(both end to end); a reassigned authority routes new files only; an admin re-routes a file in
progress, recorded in its history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from kewenangan.models import PerangkatDaerah
from kewenangan.services import reassign_kewenangan
from perizinan import services
from perizinan.exceptions import WorkflowError
from perizinan.models import AktivitasBerkas, Permohonan
from perizinan.services import petugas as desk_services
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import advance, desk_for, make_service, submitted

pytestmark = pytest.mark.django_db


def test_a_service_not_yet_delegated_accepts_online_applications():
    service = make_service(delegated=False)
    assert service.accepts_applications
    permohonan = submitted(service=service)
    assert permohonan.status == Status.DIAJUKAN
    assert permohonan.processing_opd == service.kewenangan.origin_opd
    assert permohonan.route_delegated is False


def test_a_file_not_yet_delegated_goes_end_to_end_through_the_origin_opd():
    service = make_service(delegated=False, fee=True)
    permohonan = submitted(service=service)
    desk = desk_for(permohonan)
    assert desk.kepala.opd == service.kewenangan.origin_opd
    permohonan = advance(permohonan, Status.PENANDATANGANAN, desk)
    izin_services = pytest.importorskip("perizinan.services.izin")
    izin_services.sign_permohonan(permohonan, actor=desk.kepala)
    permohonan.refresh_from_db()
    assert permohonan.status == Status.TERBIT
    officers = permohonan.riwayat.exclude(actor=None).exclude(actor_role="pemohon")
    actors = set(officers.values_list("actor__opd", flat=True))
    assert actors == {service.kewenangan.origin_opd.pk}


def test_dpmptsp_officers_do_not_see_a_file_of_an_origin_opd():
    permohonan = submitted(service=make_service(delegated=False))
    dpmptsp_fo = UserFactory(front_office=True, opd=PerangkatDaerah.objects.get(is_dpmptsp=True))
    assert not Permohonan.objects.visible_to(dpmptsp_fo).exists()
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="start_verification", actor=dpmptsp_fo)


def test_new_files_follow_a_reassigned_authority_files_in_progress_keep_their_route():
    service = make_service(delegated=False)
    before = submitted(service=service)
    admin = UserFactory(admin=True)
    reassign_kewenangan(
        service.kewenangan,
        delegated=True,
        legal_basis="Perbup Bartim 7/2026",
        effective_date=dt.date(2026, 7, 1),
        actor=admin,
        reason="Tahap 2026",
        source="admin",
    )
    after = submitted(service=service)
    before.refresh_from_db()
    assert before.processing_opd == service.kewenangan.origin_opd
    assert after.processing_opd.is_dpmptsp and after.route_delegated is True


def _delegate(service, admin):
    reassign_kewenangan(
        service.kewenangan,
        delegated=True,
        legal_basis="Perbup Bartim 7/2026",
        effective_date=dt.date(2026, 7, 1),
        actor=admin,
        reason="Tahap 2026",
        source="admin",
    )


def test_admin_reroutes_a_file_in_progress_and_it_is_recorded():
    service = make_service(delegated=False)
    permohonan = submitted(service=service)
    desk_services.claim_permohonan(permohonan, actor=desk_for(permohonan).fo)
    admin = UserFactory(admin=True)
    _delegate(service, admin)
    moved = desk_services.reroute_permohonan(permohonan, actor=admin, reason="Ikut Perbup 7/2026")
    assert moved.processing_opd.is_dpmptsp and moved.route_delegated is True
    assert moved.assigned_to is None
    entry = AktivitasBerkas.objects.get(permohonan=permohonan, kind="reroute")
    assert entry.actor == admin and entry.text == "Ikut Perbup 7/2026"
    assert entry.data["before"]["processing_opd"] == str(service.kewenangan.origin_opd)
    assert entry.data["after"]["processing_opd"] == "DPMPTSP"


def test_only_an_admin_reroutes():
    service = make_service(delegated=False)
    permohonan = submitted(service=service)
    _delegate(service, UserFactory(admin=True))
    with pytest.raises(WorkflowError):
        desk_services.reroute_permohonan(permohonan, actor=desk_for(permohonan).kepala, reason="x")


def test_a_decided_file_is_not_rerouted():
    service = make_service(delegated=False)
    permohonan = submitted(service=service)
    services.withdraw_permohonan(permohonan, actor=permohonan.applicant, reason="batal")
    admin = UserFactory(admin=True)
    _delegate(service, admin)
    with pytest.raises(WorkflowError):
        desk_services.reroute_permohonan(permohonan, actor=admin, reason="x")


def test_reroute_to_the_same_route_is_refused():
    permohonan = submitted()
    with pytest.raises(WorkflowError):
        desk_services.reroute_permohonan(permohonan, actor=UserFactory(admin=True), reason="x")


def test_admin_action_asks_for_a_reason_then_reroutes(client):
    service = make_service(delegated=False)
    permohonan = submitted(service=service)
    admin = UserFactory(admin=True)
    _delegate(service, admin)
    client.force_login(admin)
    url = reverse("admin:perizinan_permohonan_changelist")
    confirm = client.post(url, {"action": "reroute", ACTION_CHECKBOX_NAME: [permohonan.pk]})
    assert confirm.status_code == 200
    assert "Alasan pengalihan rute" in confirm.content.decode()
    done = client.post(
        url,
        {
            "action": "reroute",
            ACTION_CHECKBOX_NAME: [permohonan.pk],
            "apply": "1",
            "reason": "Ikut Perbup 7/2026",
        },
    )
    assert done.status_code == 302
    permohonan.refresh_from_db()
    assert permohonan.processing_opd.is_dpmptsp


def test_technical_review_goes_to_the_technical_opd_of_the_authority():
    pupr = PerangkatDaerahFactory(pupr=True)
    service = make_service()
    type(service.kewenangan).objects.filter(pk=service.kewenangan_id).update(technical_opd=pupr)
    permohonan = submitted(service=service)
    assert permohonan.technical_opd == pupr
