"""The counter's entry for a walk-in applicant (``perizinan.services.counter``): the account is
found by e-mail only or made by accounts' own service, never attached by NIK, and the counter
of the processing office enters the file."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Kecamatan, User
from accounts.tokens import InvalidToken, make_verification_token, read_verification_token
from kewenangan.models import PerangkatDaerah
from perizinan.exceptions import WorkflowError
from perizinan.models import Permohonan
from perizinan.services import counter
from perizinan.workflow import Status
from tests.factories import PASSWORD, PerangkatDaerahFactory, UserFactory
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
    assert result.permohonan.status == Status.VERIFIKASI  # checked at the counter
    assert (submit.actor, submit.actor_role) == (officer, "front_office")


def test_a_counter_of_another_office_does_not_enter_the_file():
    other = UserFactory(front_office=True, opd=PerangkatDaerahFactory(pupr=True))
    with pytest.raises(WorkflowError):
        enter(make_service(), officer=other)
    own = UserFactory(
        front_office=True, opd=PerangkatDaerah.objects.get(is_dpmptsp=True), email="fo2@x.test"
    )
    assert enter(make_service(), officer=own).permohonan.status == Status.VERIFIKASI


# --- Issue 16, finding 1: a counter file belongs to the person at the counter ---------------------

VICTIM_NIK = "6212014507900002"


def _counter_post(service, **extra):
    data = {
        "p-email": "",
        "p-applicant_kind": "perorangan",
        "p-full_name": "Ina Walk-in",
        "p-nik": VICTIM_NIK,
        "p-phone": "081234567891",
        "p-address": "Desa Matabu",
        "f-tempat_praktik": "Desa Matabu",
        "f-jenis_praktik": "Mandiri",
        "d-declaration": "on",
    }
    for requirement in service.persyaratan.all():
        data[f"d-dok_{requirement.pk}"] = pdf_upload()
    data.update(extra)
    return data


def _citizen_b_claims_the_victims_nik(client) -> User:
    """Citizen B signs up, verifies, and saves the walk-in's NIK in their own profile."""
    b = UserFactory(email="wargab@contoh.test", full_name="Warga Bebas")
    client.force_login(b)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Warga Bebas",
            "nik": VICTIM_NIK,
            "phone": "081200000001",
            "address": "Jl. Lain 1",
            "kecamatan": Kecamatan.objects.create(name="Dusun Timur").pk,
            "applicant_kind": "perorangan",
            "language": "id",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    b.refresh_from_db()
    assert b.nik == VICTIM_NIK
    return b


@pytest.mark.parametrize("walk_in_email", ["ina.baru@contoh.test", ""])
def test_a_counter_file_never_goes_to_the_account_that_claims_the_walk_ins_nik(
    client, walk_in_email
):
    """The attack of the issue, end to end: B saved the walk-in's NIK; the front office enters
    the walk-in with a new e-mail (or none). The file, its receipt and its documents stay out
    of B's account, and B cannot withdraw it."""
    service = make_service()
    b_client = Client()
    b = _citizen_b_claims_the_victims_nik(b_client)
    fo = UserFactory(front_office=True, email="fo.loket@contoh.test")
    client.force_login(fo)
    response = client.post(
        reverse("petugas:counter_entry", args=[service.slug]),
        _counter_post(service, **{"p-email": walk_in_email}),
    )
    assert response.status_code == 302
    permohonan = Permohonan.objects.get(jenis_izin=service)
    assert permohonan.applicant != b
    assert permohonan.applicant.nik == VICTIM_NIK
    if walk_in_email:
        assert permohonan.applicant.email == walk_in_email
    else:
        assert permohonan.applicant.email.endswith("@tanpa-email.invalid")
    assert not Permohonan.objects.filter(applicant=b).exists()

    document = permohonan.dokumen.first()
    refused = [
        reverse("perizinan:permohonan_detail", args=[permohonan.public_id]),
        reverse("perizinan:tanda_terima", args=[permohonan.public_id]),
        reverse("perizinan:tanda_terima_pdf", args=[permohonan.public_id]),
        reverse("perizinan:dokumen_download", args=[document.public_id]),
        reverse("perizinan:permohonan_withdraw", args=[permohonan.public_id]),
    ]
    for url in refused:
        assert b_client.get(url).status_code == 404, url
    withdraw = b_client.post(refused[-1], {"reason": "Saya batalkan"})
    assert withdraw.status_code == 404
    listing = b_client.get(reverse("perizinan:permohonan_list")).content.decode()
    assert permohonan.number not in listing
    permohonan.refresh_from_db()
    assert permohonan.status == Status.VERIFIKASI


def test_the_counter_lookup_by_nik_reveals_no_account(client):
    """The look-up by NIK once prefilled B's e-mail: an NIK finds nothing, and the page shows
    none of B's data."""
    service = make_service()
    _citizen_b_claims_the_victims_nik(Client())
    client.force_login(UserFactory(front_office=True, email="fo.loket@contoh.test"))
    url = reverse("petugas:counter_entry", args=[service.slug])
    for identifier in (VICTIM_NIK, f" {VICTIM_NIK} ", "Warga Bebas", "081200000001"):
        page = client.get(url, {"identifier": identifier})
        html = page.content.decode()
        assert page.status_code == 200
        assert "wargab@contoh.test" not in html
        assert "Akun ditemukan" not in html
        for field in ("p-nik", "p-email", "p-full_name", "p-phone"):  # nothing prefilled
            assert not re.search(rf'name="{field}"[^>]*value="[^"]', html), field
        assert "tidak ditemukan" in html
    listing = client.get(reverse("petugas:counter"), {"identifier": VICTIM_NIK}).content.decode()
    assert "wargab@contoh.test" not in listing


def test_a_never_verified_account_loses_its_password_when_the_counter_files_into_it():
    """B signed up with the walk-in's address and never verified it: the counter's file goes
    to that address's account, but B's password (and B's verification link, which vouches for
    it) no longer opens it; the owner of the mailbox sets a password by e-mail link."""
    squatter = UserFactory(unverified=True, email="ina.baru@contoh.test")
    old_link = make_verification_token(squatter)
    result = enter(make_service(), email="ina.baru@contoh.test")
    assert result.permohonan.applicant == squatter
    squatter.refresh_from_db()
    assert not squatter.has_usable_password()
    assert not squatter.check_password(PASSWORD)
    with pytest.raises(InvalidToken):
        read_verification_token(old_link)


def test_a_verified_account_found_by_email_keeps_its_password():
    owner = UserFactory(email="siti@contoh.test")
    enter(make_service(), email="siti@contoh.test")
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
