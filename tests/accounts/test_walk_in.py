"""Walk-in applicants' accounts are made by accounts' own service."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "Ina Walk-in",
    "nik": "6212014507900002",
    "phone": "081234567891",
    "address": "Desa Matabu",
    "applicant_kind": "perorangan",
}


def test_a_walk_in_account_has_no_usable_password_and_the_profile_given():
    user = services.create_walk_in_applicant(email="Ina@Contoh.test", profile=PROFILE)
    assert user.email == "ina@contoh.test"
    assert user.role == Role.PEMOHON
    assert not user.has_usable_password()
    assert (user.full_name, user.nik, user.phone) == ("Ina Walk-in", PROFILE["nik"], "081234567891")


def test_a_walk_in_account_without_email_gets_a_fresh_address_that_cannot_receive_mail():
    first = services.create_walk_in_applicant(profile=PROFILE)
    second = services.create_walk_in_applicant(profile=PROFILE)
    assert first.email != second.email
    assert first.email.endswith("@" + services.WALK_IN_EMAIL_DOMAIN)
    assert PROFILE["nik"] not in first.email


def test_a_walk_in_account_never_takes_an_address_in_use():
    UserFactory(email="ina@contoh.test")
    with pytest.raises(ValidationError):
        services.create_walk_in_applicant(email="ina@contoh.test", profile=PROFILE)


def test_an_applicant_is_found_by_email_only_among_applicants():
    applicant = UserFactory(email="siti@contoh.test")
    UserFactory(front_office=True, email="fo@contoh.test")
    assert services.applicant_by_email(" SITI@contoh.test") == applicant
    assert services.applicant_by_email("fo@contoh.test") is None
    assert services.applicant_by_email("") is None
