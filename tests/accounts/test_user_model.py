import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.roles import OFFICER_ROLES, Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_model_is_accounts_user_and_logs_in_by_email():
    User = get_user_model()
    assert User._meta.label == "accounts.User"
    assert User.USERNAME_FIELD == "email"


def test_login_by_email_is_case_insensitive(rf):
    user = UserFactory(email="ani@contoh.test")
    assert authenticate(rf.post("/"), username="ANI@Contoh.test", password=PASSWORD) == user


def test_inactive_user_cannot_log_in(rf):
    UserFactory(email="off@contoh.test", is_active=False)
    assert authenticate(rf.post("/"), username="off@contoh.test", password=PASSWORD) is None


def test_new_users_are_pemohon_by_default():
    user = get_user_model().objects.create_user("baru@contoh.test", "x-very-long-pass")
    assert user.role == Role.PEMOHON
    assert user.is_pemohon and not user.is_officer and not user.is_staff


def test_admin_access_follows_the_role():
    user = UserFactory(admin=True)
    assert user.is_staff and user.is_superuser
    user.role = Role.FRONT_OFFICE
    user.save()
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    assert user.is_officer


def test_officer_roles_are_the_four_working_roles():
    assert {Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.TIM_TEKNIS, Role.KEPALA} == OFFICER_ROLES


def test_tim_teknis_must_be_bound_to_an_opd_in_clean():
    user = UserFactory.build(role=Role.TIM_TEKNIS, opd=None)
    with pytest.raises(ValidationError) as exc:
        user.full_clean(exclude=["password"])
    assert "opd" in exc.value.message_dict


def test_tim_teknis_without_opd_is_refused_by_the_database():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(role=Role.TIM_TEKNIS, opd=None)


def test_tim_teknis_with_opd_is_valid(dinkes):
    user = UserFactory(tim_teknis=True)
    assert user.opd.short_name == "Dinkes"


def test_email_is_unique_regardless_of_case():
    get_user_model().objects.create_user("dua@contoh.test", "x-very-long-pass")
    with pytest.raises(ValidationError):
        get_user_model().objects.create_user("DUA@contoh.test", "x-very-long-pass")
