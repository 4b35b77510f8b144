"""The citizen sees who from the staff looked at their documents (UU PDP No. 27 Tahun 2022):
records written by the real officer views, shown on the profile (latest five) and on
/akun/profil/akses-data/ (paginated), to the owner only, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from perizinan.models import AksesDokumen
from perizinan.services.akses import document_access_of
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import current_document, make_service, submitted

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
DATA_ACCESS = reverse("perizinan:data_access")


def officer_view(client, officer, dokumen, *, inline: bool) -> None:
    """The officer opens the document through the officers' desk, as in the browser."""
    client.force_login(officer)
    params = {"inline": "1"} if inline else {}
    response = client.get(reverse("petugas:document", args=[dokumen.public_id]), params)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    client.logout()


@pytest.fixture
def filed():
    """A submitted application of a citizen, processed by the DPMPTSP, reviewed by Dinkes."""
    return submitted()


@pytest.fixture
def front_office(filed):
    return UserFactory(
        email="fo.akses@contoh.test",
        full_name="Budi Loket",
        front_office=True,
        opd=filed.processing_opd,
    )


@pytest.fixture
def tim_teknis(filed):
    return UserFactory(
        email="tt.akses@contoh.test",
        full_name="Rina Teknis",
        tim_teknis=True,
        opd=filed.technical_opd,
    )


def add_records(dokumen, staff: list, n: int) -> None:
    """``n`` access records, one minute apart, by the given staff in turn (data for lists and
    query counts; the officer views themselves are exercised by the tests above)."""
    start = timezone.now() - dt.timedelta(days=1)
    rows = AksesDokumen.objects.bulk_create(
        [
            AksesDokumen(
                dokumen=dokumen, user=staff[i % len(staff)], user_role=staff[i % len(staff)].role
            )
            for i in range(n)
        ]
    )
    for i, row in enumerate(rows):
        AksesDokumen.objects.filter(pk=row.pk).update(accessed_at=start + dt.timedelta(minutes=i))


# --- What the citizen sees ------------------------------------------------------------------------


def test_citizen_sees_staff_views_and_downloads_with_role_unit_and_name(
    client, filed, front_office, tim_teknis
):
    first, second = current_document(filed, 0), current_document(filed, 1)
    officer_view(client, front_office, first, inline=True)
    officer_view(client, tim_teknis, second, inline=False)

    client.force_login(filed.applicant)
    for url in (PROFILE, DATA_ACCESS):
        response = client.get(url)
        assert response.status_code == 200
        entries = response.context["access_entries" if url == PROFILE else "entries"]
        assert [
            (e.permohonan_number, e.requirement, e.inline, e.role, e.unit, e.staff_name)
            for e in entries
        ] == [
            (filed.number, second.persyaratan.name, False, "Tim teknis OPD", "Dinas Kesehatan",
             "Rina Teknis"),
            (filed.number, first.persyaratan.name, True, "Front office", filed.processing_opd.name,
             "Budi Loket"),
        ]  # fmt: skip
        html = response.content.decode()
        for text in (
            "Akses petugas ke dokumen Anda",
            "Undang-Undang Nomor 27 Tahun 2022",
            filed.number,
            "Dilihat di halaman",
            "Diunduh",
            "Budi Loket",
            "Rina Teknis",
            "Tim teknis OPD",
            "Dinas Kesehatan",
            '<th scope="col">',
            "<caption",
        ):
            assert text in html, (url, text)


def test_another_citizen_does_not_see_the_record(client, filed, front_office):
    officer_view(client, front_office, current_document(filed), inline=True)
    other = submitted()  # another citizen, with documents of their own
    client.force_login(other.applicant)
    assert client.get(PROFILE).context["access_entries"] == []
    response = client.get(DATA_ACCESS)
    assert response.context["entries"] == []
    html = response.content.decode()
    assert "Budi Loket" not in html
    assert filed.number not in html
    assert "Belum ada petugas yang melihat atau mengunduh dokumen Anda." in html


def test_the_owners_own_downloads_are_not_listed(client, filed):
    dokumen = current_document(filed)
    client.force_login(filed.applicant)
    response = client.get(reverse("perizinan:dokumen_download", args=[dokumen.public_id]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert client.get(DATA_ACCESS).context["entries"] == []
    assert client.get(PROFILE).context["access_entries"] == []


def test_a_record_of_the_owner_is_not_listed_even_if_one_was_written(filed):
    AksesDokumen.objects.create(
        dokumen=current_document(filed), user=filed.applicant, user_role="pemohon"
    )
    assert not document_access_of(filed.applicant).exists()


def test_officer_bound_to_no_opd_is_shown_with_the_office(client, filed):
    back_office = UserFactory(full_name="Tono Dinas", back_office=True)
    assert back_office.opd_id is None
    officer_view(client, back_office, current_document(filed), inline=False)
    client.force_login(filed.applicant)
    [entry] = client.get(DATA_ACCESS).context["entries"]
    assert (entry.role, entry.unit, entry.inline) == ("Back office", settings.OFFICE_NAME, False)


def test_the_role_shown_is_the_one_at_the_time_of_access(client, filed, front_office):
    officer_view(client, front_office, current_document(filed), inline=True)
    front_office.role = "kepala"
    front_office.save()
    client.force_login(filed.applicant)
    [entry] = client.get(DATA_ACCESS).context["entries"]
    assert entry.role == "Front office"


def test_the_unit_shown_is_the_one_at_the_time_of_access(client, filed, front_office):
    unit_then = front_office.opd.name
    officer_view(client, front_office, current_document(filed), inline=True)
    front_office.opd = PerangkatDaerahFactory(name="Dinas Lain")
    front_office.save()
    client.force_login(filed.applicant)
    [entry] = client.get(DATA_ACCESS).context["entries"]
    assert entry.unit == unit_then != "Dinas Lain"


def test_profile_shows_the_latest_five_newest_first_and_links_the_full_list(
    client, filed, front_office
):
    add_records(current_document(filed), [front_office], 7)
    client.force_login(filed.applicant)
    response = client.get(PROFILE)
    entries = response.context["access_entries"]
    assert len(entries) == 5
    times = [e.accessed_at for e in entries]
    assert times == sorted(times, reverse=True)
    assert times[0] == AksesDokumen.objects.latest("accessed_at").accessed_at
    assert f'href="{DATA_ACCESS}"' in response.content.decode()


def test_staff_profile_has_no_access_section(client, front_office):
    client.force_login(front_office)
    response = client.get(PROFILE)
    assert response.status_code == 200
    assert "access_entries" not in response.context
    assert DATA_ACCESS not in response.content.decode()


# --- Who may open the page ------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(DATA_ACCESS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("trait", ["front_office", "back_office", "kepala", "tim_teknis", "admin"])
def test_staff_are_refused_the_page(client, trait):
    client.force_login(UserFactory(**{trait: True}))
    assert client.get(DATA_ACCESS).status_code == 403


# --- Pagination -----------------------------------------------------------------------------------


def test_the_page_lists_25_per_page_newest_first(client, filed, front_office):
    add_records(current_document(filed), [front_office], 30)
    client.force_login(filed.applicant)
    first = client.get(DATA_ACCESS)
    second = client.get(DATA_ACCESS, {"page": "2"})
    first_times = [e.accessed_at for e in first.context["entries"]]
    second_times = [e.accessed_at for e in second.context["entries"]]
    assert (len(first_times), len(second_times)) == (25, 5)
    everything = first_times + second_times
    assert everything == sorted(everything, reverse=True)
    assert len(set(everything)) == 30
    assert "?page=2" in first.content.decode()
    assert "?page=1" in second.content.decode()


@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("0", 2), ("99", 2), ("", 1)])
def test_an_invalid_page_number_gives_the_first_or_last_page(
    client, filed, front_office, page, expected
):
    add_records(current_document(filed), [front_office], 26)
    client.force_login(filed.applicant)
    response = client.get(DATA_ACCESS, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


# --- Query counts ---------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    client.get(url)  # warm the session and the bell's cached count
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [PROFILE, DATA_ACCESS])
def test_query_count_is_the_same_with_1_and_with_20_records(client, url):
    """Each record by a different officer of a different OPD, on documents of different
    applications and requirements: a lazy join would add queries per row."""
    service = make_service(requirements=1)
    applicant = UserFactory()
    files = [submitted(applicant, service) for _ in range(4)]

    def staff():
        return UserFactory(back_office=True, opd=PerangkatDaerahFactory())

    add_records(current_document(files[0]), [staff()], 1)
    client.force_login(applicant)
    with_one = count_queries(client, url)

    for i in range(19):
        add_records(current_document(files[i % 4]), [staff()], 1)
    assert document_access_of(applicant).count() == 20
    with_twenty = count_queries(client, url)
    assert with_one == with_twenty
