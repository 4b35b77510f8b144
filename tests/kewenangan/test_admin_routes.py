"""The admin refuses a change of holder whose route would point at nobody, naming the missing
roles (derived from the workflow by perizinan through the hook ``kewenangan.routes``), unless
the override is ticked (recorded in the history row); a future date is scheduled; the history
speaks in words and years have no thousand separator."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from kewenangan.models import Pelimpahan
from kewenangan.routes import Holder, route_gaps
from kewenangan.services import create_kewenangan
from tests.factories import KewenanganFactory, UserFactory
from tests.kewenangan.helpers import admin_form_data, published_service

pytestmark = pytest.mark.django_db

WITHDRAWAL = "Perbup Barito Timur Nomor 1 Tahun 2027"
MISSING = ("Front office di Dinkes", "Back office di Dinkes", "Kepala (penanda tangan) di Dinkes")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def delegated_service(dpmptsp, dinkes):
    """A published, delegated service whose DPMPTSP route is fully staffed; Dinkes has only
    its tim teknis."""
    kewenangan = KewenanganFactory(
        origin_opd=dinkes, technical_opd=dinkes, delegated_to_dpmptsp=True, stage_year=2019
    )
    UserFactory(front_office=True)
    UserFactory(back_office=True)
    UserFactory(kepala=True)
    UserFactory(tim_teknis=True, opd=dinkes)
    return published_service(kewenangan=kewenangan, needs_technical_review=True)


def change_url(obj):
    return reverse("admin:kewenangan_kewenangan_change", args=[obj.pk])


def _withdraw_data(page, **extra):
    return admin_form_data(
        page,
        delegated=None,
        change_legal_basis=WITHDRAWAL,
        change_effective_date=timezone.localdate(),
        change_reason="Dikembalikan ke Dinkes",
        **extra,
    )


def test_the_hook_names_the_roles_the_new_route_lacks(delegated_service, dinkes):
    kewenangan = delegated_service.kewenangan
    assert route_gaps(kewenangan, Holder(dinkes, dinkes, True)) == []
    assert route_gaps(kewenangan, Holder(dinkes, dinkes, False)) == list(MISSING)


def test_a_new_route_without_officers_is_refused_naming_the_missing_roles(
    admin_client, delegated_service
):
    kewenangan = delegated_service.kewenangan
    page = admin_client.get(change_url(kewenangan))
    response = admin_client.post(change_url(kewenangan), _withdraw_data(page))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["override_route_gaps"][0]
    for words in MISSING:
        assert words in errors
    kewenangan.refresh_from_db()
    assert kewenangan.delegated
    assert not Pelimpahan.objects.filter(kewenangan=kewenangan).exists()


def test_the_override_saves_and_records_the_missing_roles_with_the_admin(
    admin_client, admin_user, delegated_service
):
    kewenangan = delegated_service.kewenangan
    page = admin_client.get(change_url(kewenangan))
    response = admin_client.post(
        change_url(kewenangan), _withdraw_data(page, override_route_gaps="on")
    )
    assert response.status_code == 302
    kewenangan.refresh_from_db()
    assert not kewenangan.delegated
    history = Pelimpahan.objects.get(kewenangan=kewenangan)
    assert history.changed_by == admin_user
    assert history.route_override == "; ".join(MISSING)


def test_a_staffed_new_route_needs_no_override(admin_client, delegated_service, dinkes):
    for trait in ("front_office", "back_office", "kepala"):
        UserFactory(opd=dinkes, **{trait: True})
    kewenangan = delegated_service.kewenangan
    page = admin_client.get(change_url(kewenangan))
    assert admin_client.post(change_url(kewenangan), _withdraw_data(page)).status_code == 302
    assert Pelimpahan.objects.get(kewenangan=kewenangan).route_override == ""


def test_an_inactive_officer_does_not_count(admin_client, delegated_service, dinkes):
    for trait in ("front_office", "back_office"):
        UserFactory(opd=dinkes, **{trait: True})
    UserFactory(opd=dinkes, kepala=True, is_active=False)
    kewenangan = delegated_service.kewenangan
    page = admin_client.get(change_url(kewenangan))
    response = admin_client.post(change_url(kewenangan), _withdraw_data(page))
    errors = response.context["adminform"].form.errors["override_route_gaps"][0]
    assert "Kepala (penanda tangan) di Dinkes" in errors and "Front office" not in errors


def test_a_future_date_in_the_admin_is_scheduled_and_said_so(
    admin_client, delegated_service, dinkes
):
    for trait in ("front_office", "back_office", "kepala"):
        UserFactory(opd=dinkes, **{trait: True})
    kewenangan = delegated_service.kewenangan
    page = admin_client.get(change_url(kewenangan))
    later = timezone.localdate() + datetime.timedelta(days=32)
    data = _withdraw_data(page)
    data["change_effective_date"] = later.isoformat()
    response = admin_client.post(change_url(kewenangan), data, follow=True)
    assert "dijadwalkan berlaku" in response.content.decode()
    kewenangan.refresh_from_db()
    assert kewenangan.delegated
    assert Pelimpahan.objects.get(kewenangan=kewenangan).status == Pelimpahan.Status.TERJADWAL
    again = admin_client.post(change_url(kewenangan), _withdraw_data(page))
    assert again.status_code == 200  # nothing else changes while one change waits
    errors = again.context["adminform"].form.errors["change_effective_date"][0]
    assert "Sudah ada perubahan terjadwal" in errors
    assert Pelimpahan.objects.filter(kewenangan=kewenangan).count() == 1


def test_the_bulk_action_refuses_a_route_without_officers_unless_overridden(
    admin_client, delegated_service
):
    kewenangan = delegated_service.kewenangan
    url = reverse("admin:kewenangan_kewenangan_changelist")
    data = {
        "action": "reassign_selected",
        ACTION_CHECKBOX_NAME: [kewenangan.pk],
        "apply": "1",
        "operation": "withdraw",
        "legal_basis": WITHDRAWAL,
        "effective_date": timezone.localdate().isoformat(),
        "reason": "Dikembalikan",
    }
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "Front office di Dinkes" in refused.content.decode()
    kewenangan.refresh_from_db()
    assert kewenangan.delegated
    assert admin_client.post(url, {**data, "override_route_gaps": "on"}).status_code == 302
    kewenangan.refresh_from_db()
    assert not kewenangan.delegated
    assert "Front office di Dinkes" in Pelimpahan.objects.get(kewenangan=kewenangan).route_override


def test_the_history_says_first_time_instead_of_none(admin_client, dpmptsp, dinkes):
    kewenangan = create_kewenangan(
        code="KES-90", name="Uji", sector="Kesehatan", origin_opd=dinkes, source="code"
    )
    html = admin_client.get(change_url(kewenangan)).content.decode()
    assert "– (pertama kali)" in html and "None" not in html
    listing = admin_client.get(reverse("admin:kewenangan_pelimpahan_changelist"))
    assert "– (pertama kali)" in listing.content.decode()
    assert str(Pelimpahan.objects.get(kewenangan=kewenangan)) == "KES-90: – (pertama kali) → Dinkes"


def test_years_have_no_thousand_separator(admin_client, delegated_service):
    html = admin_client.get(reverse("admin:kewenangan_kewenangan_changelist")).content.decode()
    assert "2019" in html and "2.019" not in html
