import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import User
from accounts.roles import Role
from tests.accounts.conftest import OTHER_NIK, VALID_NIK
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = "/akun/profil/"


@pytest.fixture
def ani(kecamatan):
    return UserFactory(email="ani@contoh.test", full_name="Ani Warga", nik=VALID_NIK)


def profile_data(kecamatan, **changes):
    data = {
        "full_name": "Ani Warga",
        "nik": VALID_NIK,
        "phone": "0812 3456 7890",
        "address": "Jl. Tjilik Riwut No. 1",
        "kecamatan": kecamatan["Dusun Timur"].pk,
        "desa": "",
        "applicant_kind": "perorangan",
        "company_name": "",
        "nib": "",
        "npwp": "",
    }
    data.update(changes)
    return data


def test_profile_needs_login(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_profile_shows_the_owner_their_own_nik_in_full(client, ani):
    client.force_login(ani)
    html = client.get(PROFILE).content.decode()
    assert f'value="{VALID_NIK}"' in html


def test_profile_shows_nobody_elses_nik(client, ani):
    other = UserFactory(nik=OTHER_NIK, full_name="Orang Lain")
    client.force_login(ani)
    html = client.get(PROFILE, {"pk": other.pk, "user": other.pk}).content.decode()
    assert OTHER_NIK not in html
    assert "Orang Lain" not in html


def test_pages_outside_the_profile_show_no_full_nik(client, ani):
    client.force_login(ani)
    html = client.get("/").content.decode()
    assert VALID_NIK not in html


def test_profile_page_is_never_cached(client, ani):
    client.force_login(ani)
    assert "no-store" in client.get(PROFILE)["Cache-Control"]


def test_profile_saves_valid_data(client, ani, kecamatan, desa):
    client.force_login(ani)
    data = profile_data(kecamatan, desa=desa["tamiang"].pk, phone="081234567890")
    response = client.post(PROFILE, data)
    assert response.status_code == 302
    ani.refresh_from_db()
    assert ani.phone == "081234567890"
    assert ani.kecamatan == kecamatan["Dusun Timur"]
    assert ani.desa == desa["tamiang"]
    assert ani.profile_missing_fields() == []


def test_profile_refuses_an_invalid_nik_on_the_field(client, ani, kecamatan):
    client.force_login(ani)
    response = client.post(PROFILE, profile_data(kecamatan, nik="6212013208900001"))
    assert response.status_code == 200
    assert "nik" in response.context["form"].errors
    ani.refresh_from_db()
    assert ani.nik == VALID_NIK


def test_profile_field_errors_are_summarised_and_linked(client, ani, kecamatan):
    client.force_login(ani)
    html = client.post(PROFILE, profile_data(kecamatan, nik="123")).content.decode()
    assert 'id="form-errors"' in html
    assert 'href="#id_nik"' in html


def test_company_fields_are_required_for_a_badan_usaha(client, ani, kecamatan):
    client.force_login(ani)
    response = client.post(PROFILE, profile_data(kecamatan, applicant_kind="badan_usaha"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"company_name", "nib", "npwp"} <= set(errors)


def test_badan_usaha_with_company_fields_is_saved(client, ani, kecamatan):
    client.force_login(ani)
    data = profile_data(
        kecamatan,
        applicant_kind="badan_usaha",
        company_name="CV Maju Bersama",
        nib="1234567890123",
        npwp="01.234.567.8-901.000",
    )
    assert client.post(PROFILE, data).status_code == 302
    ani.refresh_from_db()
    assert ani.is_badan_usaha and ani.company_name == "CV Maju Bersama"


def test_the_service_also_requires_company_fields_for_a_badan_usaha(ani):
    with pytest.raises(ValidationError) as exc:
        services.update_profile(user=ani, applicant_kind="badan_usaha")
    assert {"company_name", "nib", "npwp"} == set(exc.value.message_dict)


def test_company_fields_are_cleared_for_a_perorangan(ani):
    ani.applicant_kind = User.ApplicantKind.BADAN_USAHA
    ani.company_name, ani.nib, ani.npwp = "CV Lama", "1234567890123", "012345678901000"
    ani.save()
    services.update_profile(user=ani, applicant_kind="perorangan")
    ani.refresh_from_db()
    assert (ani.company_name, ani.nib, ani.npwp) == ("", "", "")


def test_desa_must_lie_in_the_chosen_kecamatan(client, ani, kecamatan, desa):
    client.force_login(ani)
    data = profile_data(kecamatan, desa=desa["ampah"].pk)  # Dusun Timur with a desa of Tengah
    response = client.post(PROFILE, data)
    assert response.status_code == 200
    assert "desa" in response.context["form"].errors


def test_the_model_refuses_a_desa_of_another_kecamatan(ani, kecamatan, desa):
    ani.kecamatan, ani.desa = kecamatan["Dusun Timur"], desa["ampah"]
    with pytest.raises(ValidationError) as exc:
        ani.full_clean(exclude=["password"])
    assert "desa" in exc.value.message_dict


def test_desa_is_optional(client, ani, kecamatan):
    client.force_login(ani)
    assert client.post(PROFILE, profile_data(kecamatan, desa="")).status_code == 302


def test_desa_list_is_grouped_by_kecamatan_and_works_without_javascript(
    client, ani, kecamatan, desa
):
    client.force_login(ani)
    html = client.get(PROFILE).content.decode()
    assert re.search(r'<optgroup label="Dusun Tengah">\s*<option value="\d+"', html)
    assert "Desa Uji Tengah" in html and "Desa Uji Timur" in html


def test_the_ten_kecamatan_of_the_regency_are_offered(client, ani, kecamatan):
    client.force_login(ani)
    form = client.get(PROFILE).context["form"]
    assert form.fields["kecamatan"].queryset.count() == 10


def test_profile_cannot_change_role_email_or_verification(client, ani, kecamatan):
    client.force_login(ani)
    data = profile_data(
        kecamatan, role="admin", email="lain@contoh.test", is_staff="on", email_verified_at=""
    )
    client.post(PROFILE, data)
    ani.refresh_from_db()
    assert ani.role == Role.PEMOHON
    assert ani.email == "ani@contoh.test"
    assert not ani.is_staff
    assert ani.email_verified_at is not None


def test_the_service_refuses_fields_outside_the_profile(ani):
    with pytest.raises(ValueError):
        services.update_profile(user=ani, role=Role.ADMIN)


def test_officer_profile_has_only_name_and_phone(client, kecamatan):
    officer = UserFactory(front_office=True)
    client.force_login(officer)
    form = client.get(PROFILE).context["form"]
    assert set(form.fields) == {"full_name", "phone"}
    response = client.post(PROFILE, {"full_name": "Budi Petugas", "phone": "0812 1111 2222"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.full_name == "Budi Petugas"


def test_no_log_line_carries_the_nik(client, ani, kecamatan, caplog):
    client.force_login(ani)
    with caplog.at_level(logging.DEBUG):
        client.post(PROFILE, profile_data(kecamatan, nik=OTHER_NIK))
        client.post(PROFILE, profile_data(kecamatan, nik="6212013208900001"))
    assert any("event=profile_updated" in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        assert not re.search(r"\d{16}", record.getMessage())


def test_profile_missing_fields_lists_what_an_applicant_must_still_fill_in(kecamatan):
    user = UserFactory(full_name="Ani", nik="", applicant_kind="badan_usaha")
    assert user.profile_missing_fields() == [
        "nik",
        "phone",
        "address",
        "kecamatan",
        "company_name",
        "nib",
        "npwp",
    ]
