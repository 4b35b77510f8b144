"""A walk-in's counter file (entered without e-mail) is taken into the citizen's own verified
account with its number and PIN (issue 16, finding 2): ``perizinan.services.claim`` and
``/permohonan/klaim/``. Never by NIK; recorded on the file; limited per address, account and
number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from perizinan.models import AktivitasBerkas, Permohonan
from perizinan.services import claim, counter
from perizinan.views.pemohon.claim import CLAIM_PER_ACCOUNT, CLAIM_PER_IP, CLAIM_PER_NUMBER
from tests.factories import UserFactory
from tests.perizinan.factories import APPLICANT_DATA, VALID_NIK, make_service, pdf_upload

pytestmark = pytest.mark.django_db

URL = "/permohonan/klaim/"


def walk_in_file(*, email: str = "") -> Permohonan:
    service = make_service()
    return counter.create_assisted_application(
        officer=UserFactory(front_office=True, email="fo.klaim@contoh.test"),
        jenis_izin=service,
        applicant_data=APPLICANT_DATA,
        email=email,
        form_data={"tempat_praktik": "Desa Matabu", "jenis_praktik": "Mandiri"},
        files={r.pk: pdf_upload() for r in service.persyaratan.all()},
        declaration_accepted=True,
    ).permohonan


def post(client, permohonan, pin=None, ip="198.51.100.7"):
    data = {"number": permohonan.number, "pin": permohonan.pin if pin is None else pin}
    return client.post(URL, data, REMOTE_ADDR=ip)


def test_the_url_is_under_permohonan():
    assert reverse("perizinan:permohonan_claim") == URL


def test_a_citizen_takes_a_walk_ins_file_into_their_account_with_number_and_pin(client):
    permohonan = walk_in_file()
    placeholder = permohonan.applicant
    citizen = UserFactory(email="ina@contoh.test")
    client.force_login(citizen)
    response = post(client, permohonan)
    detail = reverse("perizinan:permohonan_detail", args=[permohonan.public_id])
    assert response.status_code == 302 and response["Location"] == detail
    permohonan.refresh_from_db()
    assert permohonan.applicant == citizen
    assert client.get(detail).status_code == 200
    document = permohonan.dokumen.first()
    assert (
        client.get(reverse("perizinan:dokumen_download", args=[document.public_id])).status_code
        == 200
    )
    entry = AktivitasBerkas.objects.get(permohonan=permohonan, kind="claimed")
    assert entry.actor == citizen and entry.created_at is not None
    assert entry.data == {"from_applicant_id": placeholder.pk, "to_applicant_id": citizen.pk}
    placeholder.refresh_from_db()
    assert not placeholder.is_active  # nothing left in it


def test_a_wrong_pin_moves_nothing_and_does_not_say_which_part_was_wrong(client):
    permohonan = walk_in_file()
    client.force_login(UserFactory(email="ina@contoh.test"))
    wrong_pin = post(client, permohonan, pin="000000" if permohonan.pin != "000000" else "111111")
    unknown = client.post(URL, {"number": "BTM-2099-999999", "pin": permohonan.pin})
    for response in (wrong_pin, unknown):
        assert response.status_code == 400
        assert "Nomor permohonan atau PIN tidak cocok" in response.content.decode()
    assert permohonan.pin not in wrong_pin.content.decode()
    permohonan.refresh_from_db()
    assert permohonan.applicant.email.endswith("@tanpa-email.invalid")
    assert not AktivitasBerkas.objects.filter(kind="claimed").exists()


def test_a_file_in_an_account_with_a_real_address_cannot_be_claimed(client):
    """It belongs to whoever reads that mailbox (who sets its password by e-mail link)."""
    permohonan = walk_in_file(email="ina.asli@contoh.test")
    client.force_login(UserFactory(email="orang.lain@contoh.test"))
    response = post(client, permohonan)
    assert response.status_code == 400
    assert "tidak dapat diklaim" in response.content.decode()
    permohonan.refresh_from_db()
    assert permohonan.applicant.email == "ina.asli@contoh.test"


def test_a_citizens_own_online_file_cannot_be_claimed_by_another(client):
    from tests.perizinan.factories import submitted

    permohonan = submitted(UserFactory(email="pemilik@contoh.test"))
    client.force_login(UserFactory(email="orang.lain@contoh.test"))
    assert post(client, permohonan).status_code == 400
    permohonan.refresh_from_db()
    assert permohonan.applicant.email == "pemilik@contoh.test"


def test_a_claimed_file_cannot_be_claimed_again_by_someone_else(client):
    permohonan = walk_in_file()
    first = UserFactory(email="ina@contoh.test")
    claim.claim_counter_file(user=first, number=permohonan.number, pin=permohonan.pin)
    client.force_login(UserFactory(email="orang.lain@contoh.test"))
    assert post(client, permohonan).status_code == 400
    permohonan.refresh_from_db()
    assert permohonan.applicant == first


def test_an_nik_in_the_profile_claims_nothing(client):
    """Never by NIK alone: the citizen with the walk-in's NIK still needs number and PIN."""
    permohonan = walk_in_file()
    namesake = UserFactory(email="ina@contoh.test", nik=VALID_NIK)
    client.force_login(namesake)
    client.post(URL, {"number": permohonan.number, "pin": ""})
    client.post(URL, {"number": permohonan.number, "pin": VALID_NIK})
    permohonan.refresh_from_db()
    assert permohonan.applicant != namesake


def test_staff_are_refused_the_claim_page(client):
    permohonan = walk_in_file()
    client.force_login(UserFactory(back_office=True, email="bo.klaim@contoh.test"))
    assert client.get(URL).status_code == 403
    assert post(client, permohonan).status_code == 403
    permohonan.refresh_from_db()
    assert permohonan.applicant.email.endswith("@tanpa-email.invalid")


def test_an_unverified_account_cannot_claim():
    permohonan = walk_in_file()
    with pytest.raises(claim.WorkflowError):
        claim.claim_counter_file(
            user=UserFactory(unverified=True, email="belum@contoh.test"),
            number=permohonan.number,
            pin=permohonan.pin,
        )


def test_claims_are_limited_per_number(client):
    permohonan = walk_in_file()
    _, limit, _ = CLAIM_PER_NUMBER
    for n in range(limit):
        client.force_login(UserFactory(email=f"penebak{n}@contoh.test"))
        assert post(client, permohonan, pin="999999", ip=f"203.0.113.{n}").status_code == 400
    client.force_login(UserFactory(email="ina@contoh.test"))
    response = post(client, permohonan, ip="198.51.100.99")  # the right PIN, a fresh address
    assert response.status_code == 429
    assert "Terlalu banyak percobaan klaim" in response.content.decode()
    permohonan.refresh_from_db()
    assert permohonan.applicant.email.endswith("@tanpa-email.invalid")


def test_claims_are_limited_per_address_and_per_account(client):
    permohonan = walk_in_file()
    client.force_login(UserFactory(email="penebak@contoh.test"))
    _, per_ip, _ = CLAIM_PER_IP
    for _n in range(per_ip):
        client.post(URL, {"number": "BTM-2099-000001", "pin": "1"}, REMOTE_ADDR="203.0.113.5")
    assert post(client, permohonan, ip="203.0.113.5").status_code == 429
    _, per_account, _ = CLAIM_PER_ACCOUNT
    other = UserFactory(email="penebak2@contoh.test")
    client.force_login(other)
    for n in range(per_account):
        client.post(URL, {"number": f"BTM-2099-00000{n}", "pin": "1"}, REMOTE_ADDR=f"192.0.2.{n}")
    assert post(client, permohonan, ip="192.0.2.200").status_code == 429
    permohonan.refresh_from_db()
    assert permohonan.applicant.email.endswith("@tanpa-email.invalid")


def test_the_claim_is_logged_without_the_pin(client, caplog):
    permohonan = walk_in_file()
    citizen = UserFactory(email="ina@contoh.test")
    with caplog.at_level("INFO", logger="perizinan"):
        claim.claim_counter_file(user=citizen, number=permohonan.number, pin=permohonan.pin)
    lines = [r.getMessage() for r in caplog.records if "counter_file_claimed" in r.getMessage()]
    assert len(lines) == 1
    assert permohonan.number in lines[0] and f"user_id={citizen.pk}" in lines[0]
    assert permohonan.pin not in lines[0].replace(permohonan.number, "")


def test_the_list_page_links_to_the_claim(client):
    client.force_login(UserFactory(email="ina@contoh.test"))
    assert URL in client.get(reverse("perizinan:permohonan_list")).content.decode()
