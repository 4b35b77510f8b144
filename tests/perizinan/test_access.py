"""Who sees what: visible_to, 404 for others' objects, private document downloads, the
access log, and bounded queries on /permohonan/."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings
from django.urls import reverse

from kewenangan.models import PerangkatDaerah
from perizinan.models import AksesDokumen, Permohonan
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import (
    complete_draft,
    current_document,
    fast_submitted,
    make_service,
    submitted,
)

pytestmark = pytest.mark.django_db


# --- visible_to ----------------------------------------------------------------------------------


def test_applicant_sees_only_own_applications_drafts_included():
    mine = complete_draft()
    other = submitted()
    visible = set(Permohonan.objects.visible_to(mine.applicant))
    assert visible == {mine}
    assert other not in visible


def test_front_office_without_opd_sees_submitted_files_of_the_dpmptsp_but_no_drafts():
    draft = complete_draft()
    filed = submitted()
    visible = set(Permohonan.objects.visible_to(UserFactory(front_office=True)))
    assert filed in visible
    assert draft not in visible


def test_officer_of_another_opd_sees_nothing_of_the_dpmptsp():
    submitted()
    officer = UserFactory(back_office=True, opd=PerangkatDaerahFactory(pupr=True))
    assert not Permohonan.objects.visible_to(officer).exists()


def test_front_office_of_the_origin_opd_sees_files_it_processes_itself():
    service = make_service(delegated=False, published=False)
    dinkes = service.kewenangan.origin_opd
    filed = fast_submitted(UserFactory(), service, 1)[0]
    Permohonan.objects.filter(pk=filed.pk).update(processing_opd=dinkes)
    officer = UserFactory(front_office=True, opd=dinkes)
    assert list(Permohonan.objects.visible_to(officer)) == [filed]


def test_tim_teknis_sees_only_files_of_its_opd():
    filed = submitted()
    dinkes = PerangkatDaerah.objects.get(short_name="Dinkes")
    assert filed in Permohonan.objects.visible_to(UserFactory(tim_teknis=True, opd=dinkes))
    pupr = PerangkatDaerahFactory(pupr=True)
    assert not Permohonan.objects.visible_to(UserFactory(tim_teknis=True, opd=pupr)).exists()


def test_admin_sees_everything():
    draft = complete_draft()
    filed = submitted()
    assert set(Permohonan.objects.visible_to(UserFactory(admin=True))) == {draft, filed}


def test_anonymous_and_inactive_users_see_nothing():
    from django.contrib.auth.models import AnonymousUser

    submitted()
    assert not Permohonan.objects.visible_to(AnonymousUser()).exists()
    assert not Permohonan.objects.visible_to(UserFactory(admin=True, is_active=False)).exists()


# --- 404 for others' objects ----------------------------------------------------------------------


def object_urls(permohonan):
    pid = permohonan.public_id
    doc = current_document(permohonan)
    return [
        reverse("perizinan:permohonan_detail", args=[pid]),
        reverse("perizinan:permohonan_step", args=[pid, 1]),
        reverse("perizinan:permohonan_step", args=[pid, 3]),
        reverse("perizinan:permohonan_withdraw", args=[pid]),
        reverse("perizinan:tanda_terima", args=[pid]),
        reverse("perizinan:tanda_terima_pdf", args=[pid]),
        reverse("perizinan:dokumen_download", args=[doc.public_id]),
    ]


def test_another_applicant_gets_404_on_every_object_url_and_method(client):
    permohonan = submitted()
    client.force_login(UserFactory())
    for url in object_urls(permohonan):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "declaration": "on"}).status_code == 404, url
    permohonan.refresh_from_db()
    assert permohonan.status == "diajukan"


def test_officer_of_another_opd_gets_404(client):
    permohonan = submitted()
    client.force_login(UserFactory(tim_teknis=True, opd=PerangkatDaerahFactory(pupr=True)))
    for url in object_urls(permohonan):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_login(client):
    permohonan = submitted()
    for url in object_urls(permohonan):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def test_urls_use_the_uuid_not_the_integer_id(client):
    permohonan = submitted()
    client.force_login(permohonan.applicant)
    assert client.get(f"/permohonan/{permohonan.pk}/").status_code == 404


# --- Documents ------------------------------------------------------------------------------------


def test_documents_are_stored_outside_public_media():
    draft = complete_draft()
    doc = current_document(draft)
    private_root = settings.STORAGES["private"]["OPTIONS"]["location"]
    assert (private_root / doc.stored_name).exists()
    assert not (settings.MEDIA_ROOT / doc.stored_name).exists()
    with doc.open() as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == doc.sha256


def test_owner_downloads_the_document_as_a_sandboxed_attachment(client):
    draft = complete_draft()
    doc = current_document(draft)
    client.force_login(draft.applicant)
    response = client.get(reverse("perizinan:dokumen_download", args=[doc.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Type"] == "application/pdf"
    assert not AksesDokumen.objects.exists()


def test_staff_download_is_logged_for_the_applicant(client):
    permohonan = submitted()
    doc = current_document(permohonan)
    officer = UserFactory(front_office=True)
    client.force_login(officer)
    response = client.get(reverse("perizinan:dokumen_download", args=[doc.public_id]))
    assert response.status_code == 200
    access = AksesDokumen.objects.get()
    assert (access.user, access.dokumen, access.user_role) == (officer, doc, "front_office")


def test_officer_may_view_inline_but_applicant_always_gets_an_attachment(client):
    permohonan = submitted()
    doc = current_document(permohonan)
    url = reverse("perizinan:dokumen_download", args=[doc.public_id]) + "?inline=1"
    client.force_login(UserFactory(front_office=True))
    assert client.get(url)["Content-Disposition"].startswith("inline")
    client.force_login(permohonan.applicant)
    assert client.get(url)["Content-Disposition"].startswith("attachment")


def test_officer_cannot_download_documents_of_a_draft(client):
    draft = complete_draft()
    client.force_login(UserFactory(admin=False, front_office=True))
    doc = current_document(draft)
    assert (
        client.get(reverse("perizinan:dokumen_download", args=[doc.public_id])).status_code == 404
    )


# --- Query counts on /permohonan/ -------------------------------------------------------------


def count_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("perizinan:permohonan_list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_the_number_of_applications(
    client, django_assert_max_num_queries
):
    service = make_service()
    applicant = UserFactory()
    client.force_login(applicant)
    fast_submitted(applicant, service, 5)
    with_5 = count_queries(client)
    fast_submitted(UserFactory(), service, 3)  # others' files are not listed
    fast_submitted(applicant, service, 45)
    with django_assert_max_num_queries(with_5):
        response = client.get(reverse("perizinan:permohonan_list"))
    assert len(response.context["permohonan_list"]) == 20
    assert response.context["paginator"].count == 50


def test_list_shows_only_own_applications(client):
    mine = submitted()
    other = submitted()
    client.force_login(mine.applicant)
    body = client.get(reverse("perizinan:permohonan_list")).content.decode()
    assert mine.number in body
    assert other.number not in body
