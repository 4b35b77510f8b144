"""The counter's entry for a walk-in applicant (``perizinan.services.counter``): the account is
found by e-mail only or made by accounts' own service, never attached by NIK, and the counter
of the processing office enters the file."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from kewenangan.models import PerangkatDaerah
from perizinan.exceptions import WorkflowError
from perizinan.services import counter
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import APPLICANT_DATA, VALID_NIK, make_service, pdf_upload

pytestmark = pytest.mark.django_db


def enter(service, *, officer=None, email="", **applicant):
    return counter.create_assisted_application(
        officer=officer or UserFactory(front_office=True),
        jenis_izin=service,
        applicant_data={**APPLICANT_DATA, **applicant},
        email=email,
        form_data={
            f.key: f.choice_list[0] if f.choice_list else "Jl. Contoh 1"
            for f in service.isian.all()
        },
        files={r.pk: pdf_upload() for r in service.persyaratan.all()},
        declaration_accepted=True,
    )


def test_a_counter_entry_is_never_attached_to_an_account_by_nik():
    existing = UserFactory(nik=VALID_NIK)
    result = enter(make_service())
    assert result.account_created
    assert result.permohonan.applicant != existing
    assert counter.find_applicant(VALID_NIK) is None


def test_a_counter_entry_is_attached_to_the_applicant_account_with_that_email():
    existing = UserFactory(email="siti@contoh.test")
    result = enter(make_service(), email="SITI@contoh.test ")
    assert not result.account_created
    assert result.permohonan.applicant == existing
    assert counter.find_applicant("siti@contoh.test") == existing


def test_two_walk_in_applicants_without_email_get_two_accounts_that_cannot_receive_mail():
    service = make_service()
    first, second = enter(service), enter(service)
    people = {first.permohonan.applicant, second.permohonan.applicant}
    assert len(people) == 2
    for person in people:
        assert person.email.endswith("@tanpa-email.invalid")
        assert VALID_NIK not in person.email
        assert not person.has_usable_password()
        assert person.role == "pemohon"


def test_a_counter_entry_with_an_officers_email_is_refused():
    UserFactory(back_office=True, email="bo@contoh.test")
    with pytest.raises(ValidationError):
        enter(make_service(), email="bo@contoh.test")
    assert not User.objects.filter(role="pemohon").exists()


def test_the_counter_officer_submits_for_the_applicant():
    officer = UserFactory(front_office=True)
    result = enter(make_service(), officer=officer)
    submit = result.permohonan.riwayat.get(transition="submit")
    assert result.permohonan.status == Status.DIAJUKAN
    assert (submit.actor, submit.actor_role) == (officer, "front_office")


def test_a_counter_of_another_office_does_not_enter_the_file():
    other = UserFactory(front_office=True, opd=PerangkatDaerahFactory(pupr=True))
    with pytest.raises(WorkflowError):
        enter(make_service(), officer=other)
    own = UserFactory(
        front_office=True, opd=PerangkatDaerah.objects.get(is_dpmptsp=True), email="fo2@x.test"
    )
    assert enter(make_service(), officer=own).permohonan.status == Status.DIAJUKAN
