"""Issue 13 item 12: a permit's life after issue. Renewal (prefilled, linked, extends), amendment
(a new version superseding the old, whose verification page says so with a link), a copy for a
lost permit (marked, recorded), and the expiry reminders at the configured days, once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifikasi.models import Notifikasi
from perizinan import services
from perizinan.exceptions import WorkflowError
from perizinan.models import Dokumen, Izin, Permohonan, SalinanIzin
from perizinan.notifications import digests
from perizinan.services import izin as izin_services
from perizinan.services import lifecycle
from perizinan.workflow import Status
from tests.factories import UserFactory
from tests.perizinan.izin_support import kepala_dpmptsp, pdf_text, signing_service, to_signing

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return " ".join(text.split())


def url(name: str, **kwargs) -> str:
    return reverse(f"perizinan:{name}", kwargs=kwargs)


@pytest.fixture
def kepala():
    return kepala_dpmptsp()


def issued(kepala, *, service=None, applicant=None, ends_in: int | None = 45) -> Izin:
    """A permit issued today whose last valid day is moved to ``ends_in`` days from today."""
    izin = izin_services.sign_permohonan(
        to_signing(service=service or signing_service(), applicant=applicant), actor=kepala
    )
    if ends_in is not None:
        Izin.objects.filter(pk=izin.pk).update(
            valid_until=timezone.localdate() + dt.timedelta(days=ends_in)
        )
    izin.refresh_from_db()
    return izin


def holder(izin: Izin):
    return izin.permohonan.applicant


def submit_follow_up(draft: Permohonan) -> Permohonan:
    draft = services.mark_step(draft, actor=draft.applicant, step=3)
    return services.submit_permohonan(draft, actor=draft.applicant, declaration_accepted=True)


def issue_follow_up(draft: Permohonan, kepala) -> Izin:
    return izin_services.sign_permohonan(to_signing(submit_follow_up(draft)), actor=kepala)


# --- Renewal -------------------------------------------------------------------------------


def test_renewal_is_a_draft_linked_to_the_permit_and_prefilled_from_its_file(kepala):
    izin = issued(kepala)
    draft = lifecycle.start_renewal(izin, actor=holder(izin))
    assert (draft.status, draft.kind, draft.previous_izin_id) == (
        Status.DRAFT,
        Permohonan.Kind.PERPANJANGAN,
        izin.pk,
    )
    assert draft.jenis_izin_id == izin.permohonan.jenis_izin_id
    assert draft.form_data == izin.permohonan.form_data
    assert draft.applicant_data["nik"] == izin.permohonan.applicant_data["nik"]


def test_renewal_carries_the_documents_over_as_new_files_to_be_judged_again(kepala):
    izin = issued(kepala)
    old = list(izin.permohonan.dokumen.filter(is_current=True))
    draft = lifecycle.start_renewal(izin, actor=holder(izin))
    new = list(draft.dokumen.filter(is_current=True))
    assert sorted(d.persyaratan_id for d in new) == sorted(d.persyaratan_id for d in old)
    assert {d.sha256 for d in new} == {d.sha256 for d in old}
    assert not {d.stored_name for d in new} & {d.stored_name for d in old}
    assert {d.verdict for d in new} == {Dokumen.Verdict.PENDING}
    with new[0].open() as handle:
        assert handle.read()[:4] == b"%PDF"


def test_starting_a_renewal_twice_gives_the_same_draft(kepala):
    izin = issued(kepala)
    first = lifecycle.start_renewal(izin, actor=holder(izin))
    assert lifecycle.start_renewal(izin, actor=holder(izin)).pk == first.pk
    assert Permohonan.objects.filter(previous_izin=izin).count() == 1


def test_a_renewal_draft_is_not_the_draft_of_a_new_application(kepala):
    izin = issued(kepala)
    renewal = lifecycle.start_renewal(izin, actor=holder(izin))
    fresh = services.start_draft(applicant=holder(izin), jenis_izin=renewal.jenis_izin)
    assert fresh.pk != renewal.pk and fresh.kind == Permohonan.Kind.BARU


def test_renewal_opens_at_the_earliest_reminder_day(kepala):
    izin = issued(kepala, ends_in=120)
    refusal = lifecycle.renewal_refusal(izin, holder(izin))
    assert refusal is not None and "Perpanjangan dapat diajukan mulai" in refusal
    with pytest.raises(WorkflowError):
        lifecycle.start_renewal(izin, actor=holder(izin))


def test_only_the_holder_may_renew(kepala):
    izin = issued(kepala)
    with pytest.raises(WorkflowError, match="pemegang izin"):
        lifecycle.start_renewal(izin, actor=UserFactory())


def test_a_revoked_permit_cannot_be_renewed(kepala):
    izin = issued(kepala)
    izin_services.revoke_izin(izin, actor=kepala, reason="Pelanggaran kode etik berat.")
    izin.refresh_from_db()
    assert "dicabut" in lifecycle.renewal_refusal(izin, holder(izin))


def test_an_issued_renewal_supersedes_and_extends_the_previous_permit(kepala):
    izin = issued(kepala, ends_in=30)
    new = issue_follow_up(lifecycle.start_renewal(izin, actor=holder(izin)), kepala)
    izin.refresh_from_db()
    assert izin.status == Izin.Status.SUPERSEDED and izin.superseded_by_id == new.pk
    # 12 months from the day after the old one ends: no day of the old permit is lost.
    start = izin.valid_until + dt.timedelta(days=1)
    assert new.valid_until == izin_services.add_months(start, 12) - dt.timedelta(days=1)
    assert new.number != izin.number
    text = flat(pdf_text(new.open().read()))
    assert f"Perpanjangan izin nomor {izin.number}" in text
    assert f"sebagai perpanjangan atas izin nomor {izin.number}" in text


def test_renewal_of_an_expired_permit_counts_from_its_issue(kepala):
    izin = issued(kepala, ends_in=-3)
    new = issue_follow_up(lifecycle.start_renewal(izin, actor=holder(izin)), kepala)
    today = timezone.localdate()
    assert new.valid_until == izin_services.add_months(today, 12) - dt.timedelta(days=1)


# --- Amendment -----------------------------------------------------------------------------


def test_amendment_issues_a_new_version_superseding_the_old_with_the_same_end(kepala):
    izin = issued(kepala, ends_in=200)
    draft = lifecycle.start_amendment(izin, actor=holder(izin))
    assert draft.kind == Permohonan.Kind.PERUBAHAN
    services.save_form_data(
        draft, actor=draft.applicant, data={**draft.form_data, "tempat_praktik": "Jl. Baru 2"}
    )
    new = issue_follow_up(draft, kepala)
    izin.refresh_from_db()
    assert izin.status == Izin.Status.SUPERSEDED
    assert izin.effective_status() == Izin.Status.SUPERSEDED
    assert izin.superseded_by_id == new.pk and izin.superseded_at is not None
    assert new.valid_until == izin.valid_until
    assert "Perubahan data atas izin nomor" in flat(pdf_text(new.open().read()))


def test_old_verification_page_says_superseded_and_links_the_new_one(kepala, client):
    izin = issued(kepala, ends_in=200)
    new = issue_follow_up(lifecycle.start_amendment(izin, actor=holder(izin)), kepala)
    response = client.get(
        reverse("perizinan:verifikasi", kwargs={"token": izin.verification_token})
    )
    body = flat(response.content.decode())
    assert response.status_code == 200
    assert "sudah diganti dan tidak berlaku lagi" in body
    assert new.number in body
    assert reverse("perizinan:verifikasi", kwargs={"token": new.verification_token}) in body
    assert "Izin ini asli dan berlaku." not in body
    newer = client.get(reverse("perizinan:verifikasi", kwargs={"token": new.verification_token}))
    assert "Izin ini asli dan berlaku." in newer.content.decode()
    assert izin.number in newer.content.decode()  # "Menggantikan izin"


def test_a_superseded_permit_cannot_be_amended_renewed_or_revoked(kepala):
    izin = issued(kepala, ends_in=200)
    issue_follow_up(lifecycle.start_amendment(izin, actor=holder(izin)), kepala)
    izin.refresh_from_db()
    assert "diganti" in lifecycle.amendment_refusal(izin, holder(izin))
    assert "diganti" in lifecycle.renewal_refusal(izin, holder(izin))
    with pytest.raises(WorkflowError, match="diganti"):
        izin_services.revoke_izin(izin, actor=kepala, reason="Alasan yang cukup panjang.")


def test_a_permit_has_one_follow_up_at_a_time(kepala):
    izin = issued(kepala, ends_in=30)
    submit_follow_up(lifecycle.start_amendment(izin, actor=holder(izin)))
    with pytest.raises(WorkflowError, match="belum selesai"):
        lifecycle.start_renewal(izin, actor=holder(izin))


def test_signing_a_follow_up_of_a_permit_revoked_meanwhile_is_refused(kepala):
    izin = issued(kepala, ends_in=200)
    waiting = to_signing(submit_follow_up(lifecycle.start_amendment(izin, actor=holder(izin))))
    izin_services.revoke_izin(izin, actor=kepala, reason="Dicabut karena pelanggaran.")
    with pytest.raises(WorkflowError, match="sudah dicabut"):
        izin_services.sign_permohonan(waiting, actor=kepala)
    waiting.refresh_from_db()
    assert waiting.status == Status.PENANDATANGANAN


# --- Copy (salinan) ------------------------------------------------------------------------


def test_copy_is_the_same_permit_marked_as_copy_and_recorded(kepala):
    izin = issued(kepala)
    copy = lifecycle.issue_copy(izin, actor=holder(izin), reason="Izin asli hilang")
    assert (copy.sequence, copy.reason, copy.requested_by_id) == (
        1,
        "Izin asli hilang",
        holder(izin).pk,
    )
    with copy.open() as handle:
        text = flat(pdf_text(handle.read()))
    assert "SALINAN" in text
    assert f"SALINAN ke-1 dari izin nomor {izin.number}" in text
    assert izin.number in text and izin.holder_name in text
    second = lifecycle.issue_copy(izin, actor=kepala, reason="Rusak terkena air")
    assert second.sequence == 2
    assert SalinanIzin.objects.filter(izin=izin).count() == 2


def test_copy_needs_a_reason_and_a_permit_in_force(kepala):
    from django.core.exceptions import ValidationError

    izin = issued(kepala)
    with pytest.raises(ValidationError):
        lifecycle.issue_copy(izin, actor=holder(izin), reason="x")
    izin_services.revoke_izin(izin, actor=kepala, reason="Dicabut karena pelanggaran.")
    izin.refresh_from_db()
    with pytest.raises(WorkflowError, match="masih berlaku"):
        lifecycle.issue_copy(izin, actor=holder(izin), reason="Izin asli hilang")


def test_someone_else_cannot_have_a_copy(kepala):
    izin = issued(kepala)
    with pytest.raises(WorkflowError):
        lifecycle.issue_copy(izin, actor=UserFactory(), reason="Izin asli hilang")


def test_verification_page_lists_the_copies(kepala, client):
    izin = issued(kepala)
    lifecycle.issue_copy(izin, actor=holder(izin), reason="Izin asli hilang")
    body = client.get(
        reverse("perizinan:verifikasi", kwargs={"token": izin.verification_token})
    ).content.decode()
    assert "Salinan diterbitkan" in body and "ke-1" in body


# --- Pages -----------------------------------------------------------------------------------


def test_permit_box_offers_renewal_amendment_and_copy_to_the_holder(kepala, client):
    izin = issued(kepala)
    client.force_login(holder(izin))
    url = reverse("perizinan:permohonan_detail", kwargs={"public_id": izin.permohonan.public_id})
    body = client.get(url).content.decode()
    assert reverse("perizinan:izin_renew", kwargs={"public_id": izin.public_id}) in body
    assert reverse("perizinan:izin_amend", kwargs={"public_id": izin.public_id}) in body
    assert reverse("perizinan:izin_copy", kwargs={"public_id": izin.public_id}) in body


def test_renew_button_starts_the_draft_and_opens_step_one(kepala, client):
    izin = issued(kepala)
    client.force_login(holder(izin))
    response = client.post(reverse("perizinan:izin_renew", kwargs={"public_id": izin.public_id}))
    draft = Permohonan.objects.get(previous_izin=izin)
    assert response.status_code == 302
    assert response.url == reverse(
        "perizinan:permohonan_step", kwargs={"public_id": draft.public_id, "step": 1}
    )


def test_renew_button_too_early_explains_instead_of_failing(kepala, client):
    izin = issued(kepala, ends_in=300)
    client.force_login(holder(izin))
    response = client.post(
        reverse("perizinan:izin_renew", kwargs={"public_id": izin.public_id}), follow=True
    )
    assert response.status_code == 200
    assert "Perpanjangan dapat diajukan mulai" in response.content.decode()
    assert not Permohonan.objects.filter(previous_izin=izin).exists()


def test_renewal_file_page_names_the_permit_it_renews(kepala, client):
    izin = issued(kepala)
    draft = lifecycle.start_renewal(izin, actor=holder(izin))
    client.force_login(holder(izin))
    body = client.get(
        reverse("perizinan:permohonan_detail", kwargs={"public_id": draft.public_id})
    ).content.decode()
    assert f"dari izin nomor {izin.number}" in body


def test_copy_form_issues_and_the_holder_downloads_it(kepala, client):
    izin = issued(kepala)
    client.force_login(holder(izin))
    url = reverse("perizinan:izin_copy", kwargs={"public_id": izin.public_id})
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Izin asli hilang saat pindah rumah"})
    assert response.status_code == 302
    copy = SalinanIzin.objects.get(izin=izin)
    download = client.get(
        reverse("perizinan:salinan_download", kwargs={"public_id": copy.public_id})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:4] == b"%PDF"


def test_copy_form_with_a_short_reason_shows_the_error(kepala, client):
    izin = issued(kepala)
    client.force_login(holder(izin))
    url = reverse("perizinan:izin_copy", kwargs={"public_id": izin.public_id})
    response = client.post(url, {"reason": "x"})
    assert response.status_code == 200
    assert not SalinanIzin.objects.exists()


def test_another_citizen_cannot_reach_the_copy_or_its_download(kepala, client):
    izin = issued(kepala)
    copy = lifecycle.issue_copy(izin, actor=holder(izin), reason="Izin asli hilang")
    client.force_login(UserFactory())
    assert (
        client.get(reverse("perizinan:izin_copy", kwargs={"public_id": izin.public_id})).status_code
        == 404
    )
    assert (
        client.get(
            reverse("perizinan:salinan_download", kwargs={"public_id": copy.public_id})
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("perizinan:izin_renew", kwargs={"public_id": izin.public_id})
        ).status_code
        == 404
    )


# --- Expiry reminders ------------------------------------------------------------------------


def reminders() -> list[str]:
    return sorted(
        Notifikasi.objects.filter(event="izin_akan_berakhir", channel="email").values_list(
            "subject", flat=True
        )
    )


def test_reminders_go_out_at_the_default_days_each_once(kepala):
    izin = issued(kepala, ends_in=None)
    end = izin.valid_until
    Notifikasi.objects.all().delete()
    sent_on = []
    day = end - dt.timedelta(days=100)
    while day <= end:
        if digests.queue_expiry_reminders(today=day):
            sent_on.append((end - day).days)
        digests.queue_expiry_reminders(today=day)  # a second run the same day sends nothing
        day += dt.timedelta(days=1)
    assert sent_on == [90, 60, 30, 7]
    assert reminders() == sorted(
        f"Izin {izin.number} berakhir dalam {d} hari" for d in (90, 60, 30, 7)
    )


def test_reminder_days_come_from_the_setting(kepala, settings):
    settings.PERMIT_EXPIRY_REMINDER_DAYS = [14, 3]
    izin = issued(kepala, ends_in=None)
    end = izin.valid_until
    Notifikasi.objects.all().delete()
    sent_on = [
        (end - day).days
        for day in (end - dt.timedelta(days=n) for n in range(40, -1, -1))
        if digests.queue_expiry_reminders(today=day)
    ]
    assert sent_on == [14, 3]


def test_a_missed_reminder_day_is_caught_up_once(kepala):
    izin = issued(kepala, ends_in=None)
    end = izin.valid_until
    Notifikasi.objects.all().delete()
    # The beat did not run on the 60th day: the 58th sends the 60-day reminder, once.
    assert digests.queue_expiry_reminders(today=end - dt.timedelta(days=58)) > 0
    assert digests.queue_expiry_reminders(today=end - dt.timedelta(days=57)) == 0
    assert reminders() == [f"Izin {izin.number} berakhir dalam 58 hari"]


def test_no_reminder_for_a_permit_being_renewed(kepala):
    izin = issued(kepala, ends_in=30)
    lifecycle.start_renewal(izin, actor=holder(izin))
    Notifikasi.objects.all().delete()
    assert digests.queue_expiry_reminders() == 0


def test_the_citizens_list_offers_renewal_of_a_permit_due(kepala, client):
    due = issued(kepala)
    later = issued(kepala, applicant=holder(due), ends_in=300)
    client.force_login(holder(due))
    body = client.get(url("permohonan_list")).content.decode()
    assert url("izin_renew", public_id=due.public_id) in body
    assert url("izin_renew", public_id=later.public_id) not in body
    assert due.number in body and later.number in body
    lifecycle.start_renewal(due, actor=holder(due))  # on its way: no second offer
    body = client.get(url("permohonan_list")).content.decode()
    assert url("izin_renew", public_id=due.public_id) not in body


def test_the_citizens_list_reads_the_permits_in_constant_queries(
    kepala, client, django_assert_max_num_queries
):
    first = issued(kepala)
    client.force_login(holder(first))
    with django_assert_max_num_queries(12) as one:
        client.get(url("permohonan_list"))
    for _ in range(3):
        issued(kepala, applicant=holder(first))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url("permohonan_list"))
    assert response.status_code == 200


def test_officers_file_page_names_the_permit_a_renewal_follows(kepala, client):
    izin = issued(kepala)
    renewal = submit_follow_up(lifecycle.start_renewal(izin, actor=holder(izin)))
    client.force_login(kepala)
    body = client.get(reverse("petugas:file", kwargs={"public_id": renewal.public_id}))
    assert f"Perpanjangan izin {izin.number}" in body.content.decode()
