"""Route health and scheduled routes: the roles a route needs come from the workflow table; a
file submitted before a scheduled change keeps the old route, one submitted from 00:00 WIB of
its day follows the new holder even before the beat task ran; admins see the services and
files nobody can work on /petugas/kesehatan-rute/ and are told when a file lands there; and
every published service of the sample catalogue has an officer for every state of its route."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from accounts.roles import Role
from kewenangan.models import JenisIzin, Kewenangan, PerangkatDaerah
from kewenangan.routes import Holder
from kewenangan.services import reassign_kewenangan
from notifikasi.models import Notifikasi
from perizinan import route_health, workflow
from perizinan.route_health import ROUTE_GAP_EVENT, RouteShape
from perizinan.workflow import Status
from tests.factories import UserFactory
from tests.perizinan.factories import make_service, submitted

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 1, 4)


def _dpmptsp_desk(technical=None):
    UserFactory(front_office=True)
    UserFactory(back_office=True)
    UserFactory(kepala=True)
    if technical is not None:
        UserFactory(tim_teknis=True, opd=technical)


# --- The roles of a route, from the workflow table -----------------------------------------------


def test_the_roles_of_a_route_follow_the_workflow_table():
    with_all = route_health.route_states(RouteShape(1, 2, needs_payment=True))
    plain = route_health.route_states(RouteShape(1, None, needs_payment=False))
    for status, roles in with_all.items():
        assert status not in workflow.FINAL_STATES and status != Status.DRAFT
        expected = {
            r
            for t in workflow.transitions_from(status)
            for r in t.roles
            if r not in workflow.NOT_OFFICERS
        }
        assert roles <= expected
    assert Status.KAJIAN_TEKNIS in with_all and Status.MENUNGGU_PEMBAYARAN in with_all
    assert Role.TIM_TEKNIS in with_all[Status.KAJIAN_TEKNIS]
    assert Status.KAJIAN_TEKNIS not in plain and Status.MENUNGGU_PEMBAYARAN not in plain
    assert Role.KEPALA in plain[Status.PENANDATANGANAN]
    # A state in which only the applicant moves needs no officer.
    assert plain[Status.DIKEMBALIKAN] == frozenset()


# --- Scheduled routes ----------------------------------------------------------------------------


def test_files_before_the_day_keep_the_old_route_files_from_00_00_wib_follow_the_new(dinkes):
    service = make_service(delegated=False)
    kewenangan = service.kewenangan
    with freeze_time("2026-12-02 10:00:00+07:00"):
        reassign_kewenangan(
            kewenangan,
            delegated=True,
            legal_basis="Perbup Barito Timur Nomor 1 Tahun 2027",
            effective_date=DAY,
            actor=None,
            reason="Tahap 2027",
            source="admin",
        )
    old_version = service.current_version
    with freeze_time("2027-01-03 23:50:00+07:00"):
        before = submitted(service=service)
    assert before.processing_opd == dinkes and before.route_delegated is False
    with freeze_time("2027-01-04 00:01:00+07:00"):  # the beat task has not run yet
        after = submitted(service=JenisIzin.objects.get(pk=service.pk))
    assert after.processing_opd.is_dpmptsp and after.route_delegated is True
    assert after.versi.number == old_version.number + 1  # the republished standard
    assert after.versi.snapshot["penyelenggara"]["delegated"] is True
    before.refresh_from_db()
    assert before.processing_opd == dinkes and before.route_delegated is False
    assert before.versi == old_version
    assert Kewenangan.objects.get(pk=kewenangan.pk).delegated


# --- The admins' page ----------------------------------------------------------------------------


def test_the_page_lists_services_and_files_whose_next_move_has_no_officer(
    client, admin_user, django_assert_max_num_queries
):
    service = make_service(delegated=False, name="Izin Tanpa Petugas")
    stuck = submitted(service=service)  # Dinkes has no front office
    staffed = make_service(name="Izin Lengkap")
    _dpmptsp_desk(technical=PerangkatDaerah.objects.get(short_name="Dinkes"))
    ok = submitted(service=staffed)
    client.force_login(admin_user)
    url = reverse("petugas:route_health")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Izin Tanpa Petugas" in html and "Front office di Dinkes" in html
    assert stuck.number in html
    assert ok.number not in html
    services = [row.service for row in response.context["services"]]
    assert service in services and staffed not in services


def test_the_query_count_does_not_grow_with_the_files(
    client, admin_user, django_assert_num_queries
):
    service = make_service(delegated=False)
    submitted(service=service)
    client.force_login(admin_user)
    url = reverse("petugas:route_health")
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for _ in range(3):
        submitted(service=service)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).context["files_total"] == 4


@pytest.mark.parametrize("trait", ["front_office", "back_office", "kepala", "tim_teknis"])
def test_other_officers_get_403(client, dinkes, trait):
    make_service()
    client.force_login(UserFactory(opd=dinkes if trait == "tim_teknis" else None, **{trait: True}))
    assert client.get(reverse("petugas:route_health")).status_code == 403


def test_citizens_get_403_and_anonymous_the_login(client):
    url = reverse("petugas:route_health")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_the_admin_menu_links_the_page(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("petugas:dashboard")).content.decode()
    assert reverse("petugas:route_health") in html


# --- Telling the admins --------------------------------------------------------------------------


def test_admins_are_told_when_a_file_lands_where_nobody_can_act(admin_user, dinkes):
    other_admin = UserFactory(admin=True)
    UserFactory(admin=True, is_active=False)
    permohonan = submitted(service=make_service(delegated=False))
    told = Notifikasi.objects.filter(event=ROUTE_GAP_EVENT)
    assert {n.recipient for n in told} == {admin_user, other_admin}
    message = told.filter(channel="email").first()
    assert permohonan.number in message.subject
    assert "Front office di Dinkes" in message.body
    assert reverse("petugas:route_health") in message.body


def test_nobody_is_told_when_the_next_move_has_an_officer(admin_user, dinkes):
    _dpmptsp_desk(technical=dinkes)
    submitted(service=make_service())
    assert not Notifikasi.objects.filter(event=ROUTE_GAP_EVENT).exists()


def test_the_hook_is_registered_by_perizinan(dinkes):
    from kewenangan import routes

    service = make_service()
    gaps = routes.route_gaps(service.kewenangan, Holder(dinkes, dinkes, False))
    assert "Front office di Dinkes" in gaps and "Tim teknis OPD di Dinkes" in gaps


# --- Every published service of the sample catalogue ---------------------------------------------


def test_every_state_of_every_published_demo_route_has_an_actor_who_exists():
    from accounts import demo as accounts_demo
    from kewenangan import demo as kewenangan_demo
    from perizinan import demo

    kewenangan_demo.seed()
    accounts_demo.seed()
    demo.seed()
    staffing = route_health.Staffing.load()
    dpmptsp = PerangkatDaerah.objects.get(is_dpmptsp=True)
    services = list(JenisIzin.objects.published().with_kewenangan())
    assert len(services) >= 194
    walked = 0
    for service in services:
        k = service.kewenangan
        route = route_health.service_route(
            service, Holder(k.origin_opd, k.technical_opd, k.delegated), dpmptsp
        )
        shape = RouteShape(
            route["processing"].pk,
            route["technical"].pk if route["technical"] else None,
            route["needs_payment"],
        )
        for status, roles in route_health.route_states(shape).items():
            walked += 1
            if not roles:
                assert status in workflow.WAITING_FOR_APPLICANT, (service.slug, status)
                continue
            gaps = route_health.state_gaps(
                status,
                roles,
                processing=route["processing"],
                technical=route["technical"],
                staffing=staffing,
            )
            assert not gaps, (service.slug, status, [g.words for g in gaps])
    assert walked > len(services) * 5
    assert route_health.services_with_gaps() == []
