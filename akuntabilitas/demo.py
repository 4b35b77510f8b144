"""Demo complaints and survey answers, so that ``/statistik/`` shows an index and the complaint
register has entries after ``make run``. Called by ``manage.py seed_demo`` after the accounts
and the applications. Idempotent: it adds complaints only when there are none, and survey
answers only when there are none."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from accounts.models import User
from akuntabilitas.ikm import UNSUR_KEYS
from akuntabilitas.models import (
    JawabanSurvei,
    NilaiUnsur,
    Pengaduan,
    PengaturanPengaduan,
    RiwayatPengaduan,
)
from akuntabilitas.services import pengaduan as complaints
from kewenangan.models import JenisIzin, PerangkatDaerah
from perizinan.workdays import default_calendar

FRONT_OFFICE_EMAIL = "fo@contoh.id"
SURVEY_RESPONSES = 24

COMPLAINTS = [
    # (days ago, topic, title, description, anonymous, name, email, answer or None, close)
    (
        40,
        "layanan",
        "Persyaratan di loket berbeda dengan di situs",
        "Petugas loket meminta fotokopi KK, padahal di situs tidak tercantum.",
        True,
        "",
        "",
        "Terima kasih. Fotokopi KK memang tidak disyaratkan; petugas loket sudah kami ingatkan "
        "dan papan informasi sudah diperbarui.",
        True,
    ),
    (
        21,
        "perilaku",
        "Petugas tidak ramah",
        "Saat bertanya status berkas, petugas menjawab dengan ketus.",
        False,
        "Rahmat Hidayat",
        "rahmat@contoh.id",
        "Mohon maaf atas pengalaman Anda. Petugas yang bersangkutan sudah dibina oleh atasannya.",
        False,
    ),
    (
        15,
        "lainnya",
        "Ruang tunggu panas",
        "Pendingin ruangan di ruang tunggu tidak menyala sejak seminggu.",
        True,
        "",
        "",
        None,
        False,
    ),
    (
        1,
        "layanan",
        "Jam layanan loket",
        "Mohon loket dibuka sampai sore hari Jumat.",
        True,
        "",
        "",
        None,
        False,
    ),
]


def seed() -> None:
    PengaturanPengaduan.load()
    _seed_complaints()
    _seed_survey()


def _seed_complaints() -> None:
    if Pengaduan.objects.exists():
        return
    officer = User.objects.filter(email=FRONT_OFFICE_EMAIL).first()
    calendar = default_calendar()
    now = timezone.now()
    for days_ago, topic, title, text, anonymous, name, email, answer, close in COMPLAINTS:
        ticket = complaints.file_pengaduan(
            topic=topic,
            title=title,
            description=text,
            jenis_izin=None,
            anonymous=anonymous,
            name=name,
            email=email,
        )
        obj = ticket.pengaduan
        received = now - dt.timedelta(days=days_ago)
        due = calendar.add_working_days(timezone.localdate(received), obj.response_working_days)
        Pengaduan.objects.filter(pk=obj.pk).update(received_at=received, due_date=due)
        RiwayatPengaduan.objects.filter(pengaduan=obj).update(created_at=received)
        obj.refresh_from_db()
        if answer and officer is not None:
            obj = complaints.answer_pengaduan(obj, actor=officer, answer=answer)
            # Demo history: the answer came three days after the complaint.
            answered = received + dt.timedelta(days=3)
            answered_on = timezone.localdate(answered)
            Pengaduan.objects.filter(pk=obj.pk).update(
                answered_at=answered,
                answered_on_time=answered_on <= due,
                response_days=calendar.working_days_between(
                    timezone.localdate(received), answered_on
                ),
            )
            RiwayatPengaduan.objects.filter(pengaduan=obj, action="answer").update(
                created_at=answered
            )
            if close:
                obj.refresh_from_db()
                complaints.close_pengaduan(obj, actor=officer)


def _seed_survey() -> None:
    if JawabanSurvei.objects.exists():
        return
    rng = random.Random(7)  # noqa: S311 - demo data, reproducible
    services = list(JenisIzin.objects.published().order_by("name")[:6])
    unit = PerangkatDaerah.objects.filter(is_dpmptsp=True).first()
    today = timezone.localdate()
    profile_choices = {
        "age_band": JawabanSurvei.AgeBand.values,
        "sex": JawabanSurvei.Sex.values,
        "education": JawabanSurvei.Education.values,
        "occupation": JawabanSurvei.Occupation.values,
    }
    for i in range(SURVEY_RESPONSES):
        day = today - dt.timedelta(days=rng.randint(0, max(today.timetuple().tm_yday - 1, 0)))
        service = services[i % len(services)] if services else None
        response = JawabanSurvei.objects.create(
            channel=JawabanSurvei.Channel.UNDANGAN if i % 3 else JawabanSurvei.Channel.UMUM,
            jenis_izin=service,
            opd=unit,
            submitted_on=day,
            **{name: rng.choice(values) for name, values in profile_choices.items()},
        )
        NilaiUnsur.objects.bulk_create(
            [
                NilaiUnsur(
                    jawaban=response,
                    unsur=key,
                    value=rng.choice((2, 3, 3, 3, 4, 4) if key != "biaya" else (4, 4, 4, 3)),
                )
                for key in UNSUR_KEYS
            ]
        )
