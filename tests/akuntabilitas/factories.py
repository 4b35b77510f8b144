"""Factories for the accountability tests: officers, complaints, survey answers and decided
applications written straight to the database with chosen dates (for hand-counted fixtures)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from akuntabilitas.ikm import UNSUR_KEYS, from_positions
from akuntabilitas.models import JawabanSurvei, NilaiUnsur
from akuntabilitas.services import pengaduan as complaints
from kewenangan.models import PerangkatDaerah
from perizinan.models import Permohonan, RiwayatStatus
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import APPLICANT_DATA

TZ = dt.timezone(dt.timedelta(hours=7))  # Asia/Jakarta, WIB


def at(day: str, hour: int = 10) -> dt.datetime:
    """``"2026-03-17"`` -> an aware datetime at ``hour`` o'clock WIB."""
    d = dt.date.fromisoformat(day)
    return dt.datetime(d.year, d.month, d.day, hour, tzinfo=TZ)


def dpmptsp_opd() -> PerangkatDaerah:
    return PerangkatDaerahFactory(dpmptsp=True)


def officer(role: str, **kwargs):
    """An officer of the DPMPTSP with ``role`` (front_office, back_office, kepala, admin)."""
    if role == "tim_teknis":
        return UserFactory(tim_teknis=True, **kwargs)
    return UserFactory(role=role, opd=dpmptsp_opd(), **kwargs)


def complaint(**kwargs) -> complaints.Ticket:
    defaults = {
        "topic": "layanan",
        "title": "Antrean loket lama",
        "description": "Saya menunggu dua jam di loket tanpa kepastian.",
        "anonymous": True,
    }
    defaults.update(kwargs)
    return complaints.file_pengaduan(**defaults)


def survey_answer(
    values,
    *,
    jenis_izin=None,
    opd=None,
    submitted_on: dt.date | None = None,
    channel: str = JawabanSurvei.Channel.UMUM,
    age_band: str = "25_34",
    sex: str = "P",
    education: str = "s1",
    occupation: str = "wirausaha",
) -> JawabanSurvei:
    """One response; ``values`` is U1..U9 in the form's order or a dict by unsur key."""
    answers = from_positions(values) if not isinstance(values, dict) else dict(values)
    response = JawabanSurvei.objects.create(
        channel=channel,
        jenis_izin=jenis_izin,
        opd=opd,
        submitted_on=submitted_on or timezone.localdate(),
        age_band=age_band,
        sex=sex,
        education=education,
        occupation=occupation,
    )
    NilaiUnsur.objects.bulk_create(
        [NilaiUnsur(jawaban=response, unsur=k, value=v) for k, v in answers.items()]
    )
    return response


def all_fours() -> list[int]:
    return [4] * len(UNSUR_KEYS)


def application(
    service,
    *,
    submitted: str,
    status: str = Status.DIAJUKAN,
    registered: str | None = None,
    decided: str | None = None,
    sla: int | None = 5,
    applicant=None,
    processing_opd=None,
    technical_fix: tuple[str, str] | None = None,
    decided_by=None,
) -> Permohonan:
    """A submitted application with chosen dates (no workflow), plus its decision history."""
    opd = processing_opd or dpmptsp_opd()
    p = Permohonan.objects.create(
        applicant=applicant or _shared_applicant(),
        jenis_izin=service,
        status=status,
        number=f"TST-{uuid.uuid4().hex[:12].upper()}",
        pin="123456",
        applicant_data=dict(APPLICANT_DATA),
        processing_opd=opd,
        submitted_at=at(submitted, 9),
        registered_at=at(registered, 11) if registered else None,
        decided_at=at(decided, 14) if decided else None,
        sla_working_days=sla,
    )
    if technical_fix:
        returned, resubmitted = technical_fix
        _history(p, Status.KAJIAN_TEKNIS, Status.PERBAIKAN_TEKNIS, at(returned, 12))
        _history(p, Status.PERBAIKAN_TEKNIS, Status.KAJIAN_TEKNIS, at(resubmitted, 12))
    if decided and status in (Status.TERBIT, Status.DITOLAK):
        _history(p, Status.PENANDATANGANAN, status, at(decided, 14), actor=decided_by)
    return p


def _shared_applicant():
    """One applicant for fixture files (hashing a password per file is slow)."""
    from accounts.models import User

    email = "pemohon.statistik@contoh.test"
    return User.objects.filter(email=email).first() or UserFactory(email=email)


def _history(p, from_status, to_status, when, actor=None):
    row = RiwayatStatus.objects.create(
        permohonan=p,
        transition="test",
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_role=actor.role if actor else "system",
    )
    RiwayatStatus.objects.filter(pk=row.pk).update(created_at=when)
