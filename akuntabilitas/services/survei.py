"""The satisfaction survey (SKM, PermenPAN-RB 14/2017): invitations and answers.

* When a decision is made (``TERBIT`` or ``DITOLAK``), the receiver of
  ``perizinan.signals.status_changed`` below creates ONE ``UndanganSurvei`` for the
  application, in the transition's transaction, and queues the invitation message.
* ``submit_survey`` stores one ``JawabanSurvei`` with its nine ``NilaiUnsur``. With a token it
  marks the invitation used and copies only the service and the unit; the answer gets the date
  (no time) and no reference to the invitation, the application or a person. Logs say only
  that an answer arrived, through which channel.

Limit, stated plainly: the guarantee is at the level of the data model and every report and
export. Someone with raw database access and forensic tools (transaction ids, WAL) is outside
what an application can hide from.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from akuntabilitas.ikm import MAX_VALUE, MIN_VALUE, UNSUR_KEYS
from akuntabilitas.models import JawabanSurvei, NilaiUnsur, UndanganSurvei
from config.logs import log_event
from kewenangan.models import JenisIzin, PerangkatDaerah
from perizinan.models import Permohonan
from perizinan.workflow import Status

logger = logging.getLogger("akuntabilitas.survei")

#: Decisions after which the applicant is invited to the survey.
INVITING_STATES = frozenset({Status.TERBIT, Status.DITOLAK})
PROFILE_FIELDS = ("age_band", "sex", "education", "occupation")


def survey_url(token: str) -> str:
    path = reverse("akuntabilitas:survei_token", kwargs={"token": token})
    return settings.SITE_URL.rstrip("/") + path


# --- Invitations -------------------------------------------------------------------------------


def invite_to_survey(permohonan: Permohonan) -> UndanganSurvei | None:
    """Create the application's one-time survey link and queue the message (idempotent: a
    second call returns None and sends nothing). Runs in the caller's transaction."""
    if UndanganSurvei.objects.filter(permohonan=permohonan).exists():
        return None
    today = timezone.localdate()
    invitation = UndanganSurvei.objects.create(
        permohonan=permohonan,
        token=secrets.token_urlsafe(32),
        expires_on=today + dt.timedelta(days=settings.SURVEY_INVITATION_DAYS),
    )
    from notifikasi.services import queue_message

    service = permohonan.jenis_izin.name
    language = getattr(permohonan.applicant, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):  # the applicant's language, dates as "31 Januari 2027"
        subject = _("Bagaimana pelayanan kami? Survei kepuasan %(number)s") % {
            "number": permohonan.number
        }
        body = _(
            "Permohonan %(number)s (%(service)s) telah selesai diproses.\n"
            "Bantu kami memperbaiki pelayanan dengan mengisi survei kepuasan singkat "
            "(sembilan pertanyaan, sekitar dua menit). Jawaban Anda disimpan tanpa nama dan "
            "tanpa nomor permohonan, sehingga tidak dapat dihubungkan kepada Anda.\n\n"
            "%(url)s\n\nTautan ini hanya dapat dipakai satu kali, sampai %(expires)s."
        ) % {
            "number": permohonan.number,
            "service": service,
            "url": survey_url(invitation.token),
            "expires": date_format(invitation.expires_on, "j F Y"),
        }
    queue_message(
        key=f"survei.undangan:{permohonan.pk}",
        event="survei.undangan",
        subject=subject,
        body=body,
        user=permohonan.applicant,
        reference=permohonan.number or "",
        link=survey_url(invitation.token),
        language=language,
    )
    return invitation


def on_status_changed(sender, permohonan, to_status, **kwargs):
    """A decision was made: invite the applicant to the survey, once."""
    if to_status in INVITING_STATES:
        invite_to_survey(permohonan)


def open_invitation(token: str) -> UndanganSurvei | None:
    """The invitation behind a token if it can still be used, else None."""
    if not token or len(token) > 64:
        return None
    invitation = (
        UndanganSurvei.objects.select_related("permohonan__jenis_izin")
        .filter(token=token, used=False)
        .first()
    )
    if invitation is None or invitation.expires_on < timezone.localdate():
        return None
    return invitation


# --- Answers -----------------------------------------------------------------------------------


def _clean_answers(answers: dict) -> dict[str, int]:
    clean = {}
    for key in UNSUR_KEYS:
        try:
            value = int(answers.get(key, ""))
        except (TypeError, ValueError):
            raise ValidationError(_("Jawab kesembilan pertanyaan survei.")) from None
        if not MIN_VALUE <= value <= MAX_VALUE:
            raise ValidationError(_("Jawaban survei harus bernilai 1 sampai 4."))
        clean[key] = value
    unknown = set(answers) - set(UNSUR_KEYS)
    if unknown:
        raise ValidationError(_("Pertanyaan survei tidak dikenal."))
    return clean


def _clean_profile(profile: dict) -> dict[str, str]:
    choices = {
        "age_band": JawabanSurvei.AgeBand.values,
        "sex": JawabanSurvei.Sex.values,
        "education": JawabanSurvei.Education.values,
        "occupation": JawabanSurvei.Occupation.values,
    }
    clean = {}
    for name in PROFILE_FIELDS:
        value = (profile or {}).get(name, "")
        if value not in choices[name]:
            raise ValidationError({name: _("Pilih salah satu jawaban.")})
        clean[name] = value
    return clean


@transaction.atomic
def submit_survey(
    *,
    answers: dict,
    profile: dict,
    comment: str = "",
    token: str = "",
    jenis_izin: JenisIzin | None = None,
) -> JawabanSurvei:
    """Store one anonymous response. With ``token``: the invitation must be open; it is
    marked used in the same transaction (a second submission fails). Without: the general
    survey offered at the counter, for the service the respondent picked (optional)."""
    clean_answers = _clean_answers(answers)
    clean_profile = _clean_profile(profile)
    if token:
        invitation = (
            UndanganSurvei.objects.select_for_update()
            .select_related("permohonan")
            .filter(token=token)
            .first()
        )
        if invitation is None or invitation.used or invitation.expires_on < timezone.localdate():
            raise ValidationError(_("Tautan survei ini sudah dipakai atau tidak berlaku lagi."))
        invitation.used = True
        invitation.save(update_fields=["used"])
        channel = JawabanSurvei.Channel.UNDANGAN
        service_id: int | None = invitation.permohonan.jenis_izin_id
        unit_id: int | None = invitation.permohonan.processing_opd_id
    else:
        channel = JawabanSurvei.Channel.UMUM
        service_id = jenis_izin.pk if jenis_izin is not None else None
        unit = PerangkatDaerah.objects.filter(is_dpmptsp=True).only("pk").first()
        unit_id = unit.pk if unit is not None else None
    response = JawabanSurvei.objects.create(
        channel=channel,
        jenis_izin_id=service_id,
        opd_id=unit_id,
        submitted_on=timezone.localdate(),
        comment=(comment or "").strip()[:2000],
        **clean_profile,
    )
    NilaiUnsur.objects.bulk_create(
        [NilaiUnsur(jawaban=response, unsur=k, value=v) for k, v in clean_answers.items()]
    )
    from akuntabilitas.statistik import invalidate

    transaction.on_commit(invalidate)
    log_event(logger, "survey_answered", channel=channel)
    return response
