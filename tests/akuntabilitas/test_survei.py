"""The satisfaction survey: one-time invitations after a decision, anonymous answers, the
general survey at the counter, and the published index moving with a new answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from freezegun import freeze_time

from akuntabilitas import statistik
from akuntabilitas.ikm import UNSUR_KEYS
from akuntabilitas.models import JawabanSurvei, NilaiUnsur, UndanganSurvei
from akuntabilitas.services import survei
from notifikasi.models import Notifikasi
from perizinan import services
from tests.akuntabilitas.factories import (  # noqa: F401
    officer,
    survey_answer,
)
from tests.factories import UserFactory
from tests.perizinan.factories import make_service, register, submitted

pytestmark = pytest.mark.django_db


def _to_signing():
    service = make_service(technical_review=False)
    permohonan = submitted(service=service)
    fo, bo = officer("front_office"), officer("back_office")
    services.transition(permohonan, name="start_verification", actor=fo)
    register(permohonan, fo)
    return services.transition(permohonan, name="send_to_signing", actor=bo)


def issued():
    return services.transition(_to_signing(), name="issue", actor=services.Actor.system())


def rejected():
    return services.transition(
        _to_signing(), name="reject", actor=officer("kepala"), note="Tidak memenuhi syarat"
    )


def _form(values=4, **profile):
    data = {f"u_{key}": values for key in UNSUR_KEYS}
    data.update(
        {"age_band": "25_34", "sex": "L", "education": "sma", "occupation": "swasta", "comment": ""}
    )
    data.update(profile)
    return data


# --- Invitations ----------------------------------------------------------------------------------


def test_an_issued_permit_invites_the_applicant_once(dpmptsp):
    permohonan = issued()
    invitation = UndanganSurvei.objects.get(permohonan=permohonan)
    message = Notifikasi.objects.get(event="survei.undangan")
    assert message.recipient == permohonan.applicant
    assert invitation.token in message.body
    # Dates as everywhere else ("31 Januari 2027"), never "31-01-2027" (issue 18).
    assert date_format(invitation.expires_on, "j F Y") in message.body
    assert invitation.expires_on.strftime("%d-%m-%Y") not in message.body
    assert survei.invite_to_survey(permohonan) is None
    assert UndanganSurvei.objects.count() == 1


def test_a_rejection_invites_the_applicant_too(dpmptsp):
    permohonan = rejected()
    assert UndanganSurvei.objects.filter(permohonan=permohonan).exists()


def test_moves_before_a_decision_do_not_invite(dpmptsp):
    _to_signing()
    assert not UndanganSurvei.objects.exists()
    assert not Notifikasi.objects.filter(event="survei.undangan").exists()


# --- Answering with the token ---------------------------------------------------------------------


def test_survey_link_works_once(client, dpmptsp):
    invitation = UndanganSurvei.objects.get(permohonan=issued())
    url = reverse("akuntabilitas:survei_token", args=[invitation.token])
    assert client.get(url).status_code == 200
    assert client.post(url, _form()).status_code == 302
    assert JawabanSurvei.objects.count() == 1
    assert client.get(url).status_code == 410
    assert client.post(url, _form()).status_code == 410
    assert JawabanSurvei.objects.count() == 1


def test_an_expired_or_unknown_link_is_refused(client, dpmptsp):
    invitation = UndanganSurvei.objects.get(permohonan=issued())
    unknown = reverse("akuntabilitas:survei_token", args=["tidak-ada"])
    assert client.get(unknown).status_code == 410
    later = invitation.expires_on + dt.timedelta(days=1)
    with freeze_time(later.isoformat() + " 10:00:00+07:00"):
        url = reverse("akuntabilitas:survei_token", args=[invitation.token])
        assert client.post(url, _form()).status_code == 410
    assert not JawabanSurvei.objects.exists()


def test_every_question_must_be_answered(client, dpmptsp):
    invitation = UndanganSurvei.objects.get(permohonan=issued())
    data = _form()
    del data["u_biaya"]
    response = client.post(reverse("akuntabilitas:survei_token", args=[invitation.token]), data)
    assert response.status_code == 400
    assert not JawabanSurvei.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used is False


def test_answer_keeps_the_service_and_unit_and_nine_answers_by_key(client, dpmptsp):
    permohonan = issued()
    invitation = UndanganSurvei.objects.get(permohonan=permohonan)
    client.post(reverse("akuntabilitas:survei_token", args=[invitation.token]), _form(values=3))
    answer = JawabanSurvei.objects.get()
    assert answer.jenis_izin_id == permohonan.jenis_izin_id
    assert answer.opd_id == permohonan.processing_opd_id
    assert answer.channel == JawabanSurvei.Channel.UNDANGAN
    assert sorted(answer.nilai.values_list("unsur", flat=True)) == sorted(UNSUR_KEYS)


# --- Anonymity ------------------------------------------------------------------------------------


def test_answer_rows_have_no_link_to_a_person_an_application_or_an_invitation():
    forbidden = {"accounts.user", "perizinan.permohonan", "akuntabilitas.undangansurvei"}
    for model in (JawabanSurvei, NilaiUnsur):
        for f in model._meta.get_fields():
            if f.is_relation and f.related_model is not None:
                assert f.related_model._meta.label_lower not in forbidden, (model, f.name)


def test_answers_store_the_date_without_the_time_and_a_random_id():
    assert isinstance(JawabanSurvei._meta.get_field("submitted_on"), models.DateField)
    assert not any(isinstance(f, models.DateTimeField) for f in JawabanSurvei._meta.get_fields())
    assert isinstance(JawabanSurvei._meta.pk, models.UUIDField)


def test_the_invitation_records_only_that_it_was_used_not_when():
    used = UndanganSurvei._meta.get_field("used")
    assert isinstance(used, models.BooleanField)
    times = [
        f.name for f in UndanganSurvei._meta.get_fields() if isinstance(f, models.DateTimeField)
    ]
    assert times == ["created_at"]  # when it was sent, never when it was used


def test_the_invitation_does_not_point_to_the_answer(client, dpmptsp):
    invitation = UndanganSurvei.objects.get(permohonan=issued())
    client.post(reverse("akuntabilitas:survei_token", args=[invitation.token]), _form())
    answer = JawabanSurvei.objects.get()
    values = [str(v) for v in UndanganSurvei.objects.values().get().values()]
    assert str(answer.pk) not in values


# --- General survey at the counter ----------------------------------------------------------------


def test_general_survey_needs_no_link_or_login(client, dpmptsp):
    service = make_service()
    response = client.post("/survei/umum/", _form(jenis_izin=service.pk))
    assert response.status_code == 302
    answer = JawabanSurvei.objects.get()
    assert answer.channel == JawabanSurvei.Channel.UMUM
    assert answer.jenis_izin == service
    assert answer.opd == dpmptsp


def test_general_survey_is_rate_limited_per_ip(client, dpmptsp):
    for _ in range(30):
        client.post("/survei/umum/", _form())
    assert client.post("/survei/umum/", _form()).status_code == 429
    assert JawabanSurvei.objects.count() == 30


def test_counter_qr_code_points_to_the_general_survey(client):
    response = client.get(reverse("akuntabilitas:survei_qr"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_fee_question_shows_the_fee_answer_labels(client):
    body = client.get("/survei/umum/").content.decode()
    for label in ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"):
        assert label in body


# --- The published index moves --------------------------------------------------------------------


def test_a_survey_after_an_issued_permit_moves_the_published_ikm_at_once(
    client, dpmptsp, django_capture_on_commit_callbacks
):
    for _ in range(3):
        survey_answer([3] * 9)
    before = client.get("/statistik/").content.decode()
    assert "75,00" in before or "75.00" in before
    invitation = UndanganSurvei.objects.get(permohonan=issued())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("akuntabilitas:survei_token", args=[invitation.token]), _form(values=4))
    stats = statistik.get_statistik()
    assert stats.ikm.respondents == 4
    assert stats.ikm.converted == Decimal("81.25")
    after = client.get("/statistik/").content.decode()
    assert "81,25" in after or "81.25" in after


def test_an_applicant_cannot_answer_twice_through_the_service(dpmptsp):
    invitation = UndanganSurvei.objects.get(permohonan=issued())
    answers = dict.fromkeys(UNSUR_KEYS, 4)
    profile = {"age_band": "lt25", "sex": "P", "education": "sd", "occupation": "lainnya"}
    survei.submit_survey(answers=answers, profile=profile, token=invitation.token)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        survei.submit_survey(answers=answers, profile=profile, token=invitation.token)
    assert JawabanSurvei.objects.count() == 1


def test_officers_and_applicants_alike_reach_the_survey_form(client, dpmptsp):
    client.force_login(UserFactory())
    assert client.get("/survei/umum/").status_code == 200
