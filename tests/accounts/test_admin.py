import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.accounts.conftest import VALID_NIK
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/accounts/user/add/"


def officer_data(**changes):
    data = {
        "email": "Teknis.Baru@contoh.test",
        "full_name": "Teknis Baru",
        "role": Role.TIM_TEKNIS,
        "opd": "",
        "password1": "kunci-rahasia-dinkes-2026",
        "password2": "kunci-rahasia-dinkes-2026",
        "usable_password": "true",
    }
    data.update(changes)
    return data


def test_admin_cannot_create_a_tim_teknis_without_an_opd(client, admin_user):
    client.force_login(admin_user)
    response = client.post(ADD_URL, officer_data())
    assert response.status_code == 200
    assert "opd" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="teknis.baru@contoh.test").exists()


def test_admin_creates_a_tim_teknis_with_an_opd_verified_and_in_lowercase(
    client, admin_user, dinkes
):
    client.force_login(admin_user)
    response = client.post(ADD_URL, officer_data(opd=dinkes.pk))
    assert response.status_code == 302
    user = User.objects.get(email="teknis.baru@contoh.test")
    assert user.role == Role.TIM_TEKNIS and user.opd == dinkes
    assert user.email_verified_at is not None
    assert not user.is_staff


def test_admin_user_list_shows_role_opd_and_a_masked_nik(
    client, admin_user, dinkes, django_assert_max_num_queries
):
    UserFactory(nik=VALID_NIK)
    UserFactory.create_batch(3, tim_teknis=True)
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "6212********0001" in html
    assert VALID_NIK not in html
    assert "Tim teknis OPD" in html
    assert "Dinkes" in html or "Dinas Kesehatan" in html


def test_admin_user_list_query_count_does_not_grow_with_rows(client, admin_user, dinkes):
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_changelist")
    UserFactory.create_batch(2, tim_teknis=True)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    UserFactory.create_batch(8, tim_teknis=True)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_admin_edits_desa_inside_its_kecamatan(client, admin_user, kecamatan):
    client.force_login(admin_user)
    url = reverse("admin:accounts_kecamatan_change", args=[kecamatan["Awang"].pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:accounts_desa_changelist")).status_code == 200
